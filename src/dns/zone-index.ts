// One hosted zone, indexed for answering: built once per state change (never
// per query). Holds name -> type -> record sets, the names that exist
// (including empty non-terminals, which answer NODATA rather than NXDOMAIN),
// delegation points, and the SOA used for negative answers.
//
// Lookup follows RFC 1034 §4.3.2 and RFC 4592 as Route 53 does: an exact name
// beats a wildcard; '*' is a wildcard only as the whole leftmost label; a
// wildcard answers for names whose closest existing ancestor is its parent
// (any depth below it, but never the parent itself, so never the apex).
import type { Answer } from 'dns-packet';
import { isAtOrBelow, normalizeName, parentName } from './names.ts';
import { recordData } from './rdata.ts';
import { choose, pickMultivalue } from './routing-policy.ts';
import type { DnsLoadBalancer, DnsRecordSet, DnsZone } from './types.ts';

export interface RecordSetEntry {
  set: DnsRecordSet;
  type: string;
  ttl: number;
  /** dns-packet record data, one per value (empty for an alias). */
  data: unknown[];
}

export interface ZoneNode {
  name: string;
  types: Map<string, RecordSetEntry[]>;
}

export interface LookupContext {
  /** Load balancers by DNS name (lower-case, no trailing dot, no 'dualstack.'). */
  loadBalancers: Map<string, DnsLoadBalancer>;
  random: () => number;
  /** Explanation lines, collected only by `localnet dig`/explain. */
  trace?: string[];
}

/** What one zone says about one name and type. Owner names in records are the caller's spelling. */
export type ZoneResult =
  | { kind: 'records'; rrs: Answer[]; cacheable: boolean; wildcard?: string }
  | { kind: 'cname'; rrs: Answer[]; target: string; cacheable: boolean; wildcard?: string }
  /** An alias whose target is neither in this zone nor a load balancer: the view resolves the target and answers its records under the alias name. */
  | { kind: 'alias'; target: string; cacheable: boolean }
  | { kind: 'nodata'; wildcard?: string }
  | { kind: 'nxdomain'; closestEncloser: string }
  | { kind: 'referral'; cut: string; ns: Answer[] };

/** Route 53 answers for an alias to a load balancer with a 60 s TTL. */
export const LOAD_BALANCER_ALIAS_TTL = 60;

/** Route 53's default SOA, used only when a hand-built snapshot leaves the SOA out. */
const DEFAULT_SOA = { ttl: 900, value: 'ns-2048.awsdns-64.net. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400' };

/** Aliases may point at aliases in the same zone; a chain longer than this is a loop. */
const MAX_ALIAS_DEPTH = 8;

export function loadBalancerKey(dnsName: string): string {
  const n = normalizeName(dnsName);
  return n.startsWith('dualstack.') ? n.slice('dualstack.'.length) : n;
}

/** Route 53's `\052` style octal escapes, should a name arrive still escaped. */
function unescapeName(name: string): string {
  return name.includes('\\') ? name.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8))) : name;
}

export class ZoneIndex {
  readonly id: string;
  readonly apex: string;
  readonly private: boolean;
  readonly nodes = new Map<string, ZoneNode>();
  /** Every name that exists: names with records and all their ancestors down to the apex. */
  readonly existing = new Set<string>();
  /** Names below the apex that carry NS records (delegations; public zones only). */
  readonly cuts = new Set<string>();
  /** The SOA record for the authority section of negative answers, TTL already min(SOA TTL, SOA minimum). */
  readonly negativeSoa: Answer;
  readonly recordCount: number;
  /** Values that could not be served (logged by the server, listed by explain). */
  readonly problems: string[] = [];

  constructor(readonly zone: DnsZone) {
    this.id = zone.id;
    this.apex = normalizeName(zone.name);
    this.private = zone.private;
    this.existing.add(this.apex);
    let count = 0;
    for (const set of zone.records) {
      const name = normalizeName(unescapeName(set.name));
      const type = set.type.toUpperCase();
      if (!isAtOrBelow(name, this.apex)) { this.problems.push(`${set.name} ${type} lies outside zone ${this.apex}`); continue; }
      const data: unknown[] = [];
      if (!set.alias) {
        for (const v of set.values) {
          try { data.push(recordData(type, v)); } catch (e) { this.problems.push(`${name} ${type} value ${JSON.stringify(v)}: ${(e as Error).message}`); }
        }
        if (data.length === 0) continue;
      }
      let node = this.nodes.get(name);
      if (!node) {
        node = { name, types: new Map() };
        this.nodes.set(name, node);
        for (let n = name; n !== this.apex && !this.existing.has(n); n = parentName(n)) this.existing.add(n);
      }
      const list = node.types.get(type);
      const entry = { set, type, ttl: set.ttl, data };
      if (list) list.push(entry); else node.types.set(type, [entry]);
      if (type === 'NS' && name !== this.apex && !zone.private) this.cuts.add(name);
      count += data.length || 1;
    }
    this.recordCount = count;
    const soaEntry = this.nodes.get(this.apex)?.types.get('SOA')?.[0];
    const soaData = (soaEntry?.data[0] ?? recordData('SOA', DEFAULT_SOA.value)) as { minimum: number };
    const soaTtl = soaEntry?.ttl ?? DEFAULT_SOA.ttl;
    this.negativeSoa = { name: this.apex, type: 'SOA', class: 'IN', ttl: Math.min(soaTtl, soaData.minimum), data: soaData } as Answer;
  }

  /**
   * Answers `lname` (normalized, inside the zone) for `qtype`; records carry
   * `owner` as their name so the client's spelling (0x20 case) comes back.
   */
  lookup(lname: string, qtype: string, owner: string, ctx: LookupContext, depth = 0): ZoneResult {
    if (this.cuts.size > 0) {
      for (let n = lname; n !== this.apex && n !== ''; n = parentName(n)) {
        // DS lives on the parent side of a cut, so the parent answers it.
        if (this.cuts.has(n) && !(n === lname && qtype === 'DS')) {
          const ns = this.nodes.get(n)!.types.get('NS')!;
          ctx.trace?.push(`${n} is delegated by NS records in zone ${this.id} (${this.apex}): referral, not authoritative`);
          return { kind: 'referral', cut: n, ns: ns.flatMap((e) => e.data.map((d) => ({ name: n, type: 'NS', class: 'IN', ttl: e.ttl, data: d }) as Answer)) };
        }
      }
    }
    let node = this.nodes.get(lname);
    let wildcard: string | undefined;
    if (!node) {
      if (this.existing.has(lname)) {
        ctx.trace?.push(`${lname} exists in zone ${this.id} only as a parent of other names (empty non-terminal): NODATA`);
        return { kind: 'nodata' };
      }
      let ce = parentName(lname);
      while (ce !== this.apex && !this.existing.has(ce)) ce = parentName(ce);
      wildcard = `*.${ce}`;
      node = this.nodes.get(wildcard);
      if (!node) {
        if (this.existing.has(wildcard)) return { kind: 'nodata', wildcard };
        ctx.trace?.push(`no record named ${lname} in zone ${this.id} (${this.apex}) and no wildcard ${wildcard}: NXDOMAIN`);
        return { kind: 'nxdomain', closestEncloser: ce };
      }
      ctx.trace?.push(`${lname} has no records of its own; wildcard ${wildcard} in zone ${this.id} matches it`);
    }
    const wanted = qtype === 'ANY' ? [...node.types.values()].flat() : node.types.get(qtype);
    if (wanted) {
      const r = this.resolveSets(wanted, qtype, owner, ctx, depth);
      if (r.alias !== undefined) return { kind: 'alias', target: r.alias, cacheable: r.cacheable };
      if (r.rrs.length === 0) return { kind: 'nodata', wildcard };
      return { kind: 'records', rrs: r.rrs, cacheable: r.cacheable, wildcard };
    }
    const cname = qtype === 'CNAME' ? undefined : node.types.get('CNAME');
    if (cname) {
      const r = this.resolveSets(cname, 'CNAME', owner, ctx, depth);
      if (r.rrs.length > 0) {
        const target = normalizeName((r.rrs[0] as { data: string }).data);
        ctx.trace?.push(`${lname} is a CNAME to ${target} in zone ${this.id}`);
        return { kind: 'cname', rrs: r.rrs, target, cacheable: r.cacheable, wildcard };
      }
    }
    ctx.trace?.push(`${lname} exists in zone ${this.id} (${this.apex}) but has no ${qtype} record: NODATA`);
    return { kind: 'nodata', wildcard };
  }

  /** The record sets of one name and type as records: routing policy first, then alias targets. */
  private resolveSets(entries: RecordSetEntry[], qtype: string, owner: string, ctx: LookupContext, depth: number): { rrs: Answer[]; cacheable: boolean; alias?: string } {
    if (qtype === 'ANY') {
      // RFC 8482 lets a server answer ANY with a subset; we give the plain (non-alias) record sets.
      return { rrs: entries.filter((e) => !e.set.alias).flatMap((e) => this.toRecords(e, owner)), cacheable: true };
    }
    const choice = choose(entries, ctx.random);
    let cacheable = choice.cacheable;
    if (choice.policy === 'weighted') ctx.trace?.push(`weighted routing chose set ${JSON.stringify(choice.chosen[0].set.setIdentifier)} (weight ${choice.chosen[0].set.weight}) among ${entries.length}`);
    const rrs: Answer[] = [];
    for (const e of choice.chosen) {
      const alias = e.set.alias;
      if (!alias) { rrs.push(...this.toRecords(e, owner)); continue; }
      const target = loadBalancerKey(alias.dnsName);
      const lb = ctx.loadBalancers.get(target);
      if (lb) {
        ctx.trace?.push(`alias ${e.set.name} ${qtype} -> load balancer ${lb.dnsName} at ${lb.address}`);
        if (qtype === 'A') rrs.push({ name: owner, type: 'A', class: 'IN', ttl: LOAD_BALANCER_ALIAS_TTL, data: lb.address } as Answer);
        continue;
      }
      if (isAtOrBelow(target, this.apex)) {
        if (depth >= MAX_ALIAS_DEPTH) { ctx.trace?.push(`alias chain at ${e.set.name} is too long (a loop?): no records`); continue; }
        const r = this.lookup(target, qtype, owner, { ...ctx, trace: undefined }, depth + 1);
        ctx.trace?.push(`alias ${e.set.name} ${qtype} -> ${target} in the same zone: ${r.kind === 'records' ? `${r.rrs.length} record(s), target's TTL` : 'no record of that type'}`);
        if (r.kind === 'records') { rrs.push(...r.rrs); cacheable &&= r.cacheable; }
        continue;
      }
      return { rrs: [], cacheable, alias: target };
    }
    if (choice.policy === 'multivalue') {
      const picked = pickMultivalue(rrs, ctx.random);
      ctx.trace?.push(`multivalue answer: ${picked.records.length} of ${rrs.length} value(s)`);
      return { rrs: picked.records, cacheable: cacheable && picked.cacheable };
    }
    return { rrs, cacheable };
  }

  private toRecords(e: RecordSetEntry, owner: string): Answer[] {
    return e.data.map((d) => ({ name: owner, type: e.type, class: 'IN', ttl: e.ttl, data: d }) as Answer);
  }
}
