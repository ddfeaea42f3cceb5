// A small zone-file reader for the DNS benchmark input (one record per line,
// $ORIGIN/$TTL, '@', relative names, optional TTL and class): enough for
// ../shared/bench/dns/example.com.zone, grouped into Route 53 record sets.
import type { DnsRecordSet, DnsSnapshot } from '../src/dns/types.ts';

export function parseZoneFile(text: string): { origin: string; sets: DnsRecordSet[] } {
  let origin = '';
  let ttl = 3600;
  let last = '';
  const sets = new Map<string, DnsRecordSet>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/;.*$/, '');
    if (!line.trim()) continue;
    const t = line.trim().split(/\s+/);
    if (t[0] === '$ORIGIN') { origin = t[1].replace(/\.$/, '').toLowerCase(); continue; }
    if (t[0] === '$TTL') { ttl = Number(t[1]); continue; }
    let name = /^\s/.test(line) ? last : t.shift()!;
    if (name === '@') name = origin;
    else if (name.endsWith('.')) name = name.slice(0, -1);
    else if (name !== last) name = `${name}.${origin}`;
    name = name.toLowerCase();
    last = name;
    let rttl = ttl;
    if (/^\d+$/.test(t[0])) rttl = Number(t.shift());
    if (t[0] === 'IN') t.shift();
    const type = t.shift()!.toUpperCase();
    const key = `${name} ${type}`;
    const set = sets.get(key);
    if (set) set.values.push(t.join(' '));
    else sets.set(key, { name, type, ttl: rttl, values: [t.join(' ')] });
  }
  return { origin, sets: [...sets.values()] };
}

/** One public zone, delegated, nothing else. */
export function snapshotOf(zoneId: string, origin: string, sets: DnsRecordSet[]): DnsSnapshot {
  return {
    zones: [{ id: zoneId, name: origin, private: false, vpcs: [], records: sets }],
    delegations: new Map([[origin, zoneId]]),
    vpcs: [],
    loadBalancers: [],
  };
}

/** A zone of `n` A records (host0..host{n-1}), with SOA and NS, for the large-zone figures. */
export function bigZone(origin: string, n: number): DnsRecordSet[] {
  const sets: DnsRecordSet[] = [
    { name: origin, type: 'SOA', ttl: 900, values: [`ns-2048.awsdns-64.net. hostmaster.${origin}. 1 7200 900 1209600 300`] },
    { name: origin, type: 'NS', ttl: 172800, values: ['ns-1.awsdns-01.com.'] },
  ];
  for (let i = 0; i < n; i++) sets.push({ name: `host${i}.${origin}`, type: 'A', ttl: 300, values: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`] });
  return sets;
}
