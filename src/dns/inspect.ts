// What `localnet dig` shows: one view's answer to a question, in dig's
// presentation format, with the explanation of which handler answered and why.
import type { Answer } from 'dns-packet';
import { explain } from './explain.ts';
import { answer, buildSnapshotIndex } from './server.ts';
import type { DnsSnapshot } from './types.ts';

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

/** One resource record in presentation format (dig's answer-section style). */
function presentation(a: Answer): string {
  const data = (a as { data?: unknown }).data;
  const text = (d: unknown): string => {
    if (typeof d === 'string' || typeof d === 'number') return String(d);
    if (Buffer.isBuffer(d)) return `"${d.toString()}"`;
    if (Array.isArray(d)) return d.map(text).join(' ');
    if (d && typeof d === 'object') return Object.values(d).map((v) => (Buffer.isBuffer(v) ? v.toString('hex') : text(v))).join(' ');
    return '';
  };
  return `${a.name}.\t${(a as { ttl?: number }).ttl ?? 0}\tIN\t${a.type}\t${text(data)}`;
}

/** /_localnet/dns/query?name=&type=&vpc=: the answer of a view (public unless vpc) and why, from the current state. */
export function dnsQuery(snapshot: DnsSnapshot, q: URLSearchParams): [number, unknown] {
  const name = q.get('name');
  if (!name) return [400, { error: 'name is required: /_localnet/dns/query?name=www.example.com&type=A&vpc=vpc-...' }];
  const type = (q.get('type') ?? 'A').toUpperCase();
  const view = q.get('vpc') || 'public';
  const index = buildSnapshotIndex(snapshot);
  let packet;
  try {
    packet = answer(index, view, { id: 1, type: 'query', flags: 1 << 8, questions: [{ name: name.replace(/\.$/, ''), type: type as Answer['type'], class: 'IN' }] });
  } catch (err) {
    return [400, { error: `cannot ask for ${name} ${type}: ${(err as Error).message}` }];
  }
  const flags = packet.flags ?? 0;
  return [
    200,
    {
      view,
      name,
      type,
      rcode: RCODES[flags & 0xf] ?? String(flags & 0xf),
      authoritative: (flags & (1 << 10)) !== 0,
      answers: (packet.answers ?? []).map(presentation),
      authorities: (packet.authorities ?? []).map(presentation),
      explanation: explain(index, view, name, type),
    },
  ];
}
