// Route 53 routing policies among the record sets that share a name and type.
// Only what the snapshot describes is modelled: weighted and multivalue
// answer. Other policies (failover, latency, geolocation) carry a set
// identifier but no data here; the first set by identifier answers.
import type { DnsRecordSet } from './types.ts';

export interface PolicyChoice<T extends { set: DnsRecordSet }> {
  chosen: T[];
  /** False when another query may legitimately get another answer (so the encoded answer must not be cached). */
  cacheable: boolean;
  policy: 'simple' | 'weighted' | 'multivalue' | 'first-set';
}

/** Route 53 answers at most eight healthy records of a multivalue name. */
export const MULTIVALUE_LIMIT = 8;

export function choose<T extends { set: DnsRecordSet }>(entries: T[], random: () => number): PolicyChoice<T> {
  if (entries.length === 1 && entries[0].set.weight === undefined && !entries[0].set.multiValueAnswer) {
    return { chosen: entries, cacheable: true, policy: 'simple' };
  }
  const multi = entries.filter((e) => e.set.multiValueAnswer);
  if (multi.length > 0) return { chosen: multi, cacheable: true, policy: 'multivalue' };
  const weighted = entries.filter((e) => e.set.weight !== undefined);
  if (weighted.length > 0) return chooseWeighted(weighted, random);
  const sorted = [...entries].sort((a, b) => (a.set.setIdentifier ?? '').localeCompare(b.set.setIdentifier ?? ''));
  return { chosen: [sorted[0]], cacheable: true, policy: 'first-set' };
}

/**
 * One set, with probability weight / sum of weights. A set of weight 0 is
 * never chosen unless every set has weight 0; then all are equally likely.
 */
function chooseWeighted<T extends { set: DnsRecordSet }>(sets: T[], random: () => number): PolicyChoice<T> {
  const positive = sets.filter((e) => (e.set.weight ?? 0) > 0);
  const pool = positive.length > 0 ? positive : sets;
  if (pool.length === 1) return { chosen: [pool[0]], cacheable: true, policy: 'weighted' };
  const total = positive.length > 0 ? pool.reduce((s, e) => s + (e.set.weight ?? 0), 0) : pool.length;
  let r = random() * total;
  for (const e of pool) {
    r -= positive.length > 0 ? (e.set.weight ?? 0) : 1;
    if (r < 0) return { chosen: [e], cacheable: false, policy: 'weighted' };
  }
  return { chosen: [pool[pool.length - 1]], cacheable: false, policy: 'weighted' };
}

/** Up to eight of the values, in random order; cacheable only when nothing was left out and order is all that varies. */
export function pickMultivalue<R>(records: R[], random: () => number): { records: R[]; cacheable: boolean } {
  const a = [...records];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return { records: a.slice(0, MULTIVALUE_LIMIT), cacheable: records.length <= MULTIVALUE_LIMIT };
}
