// Public DNS names of hosts (ec2-203-0-113-5.compute-1.amazonaws.com), as the
// rest of the world sees them: the public address. AWS assigns them only when
// the VPC has both DNS attributes on. Inside their own VPC the vpc-names
// handler answers first with the private address.
import type { Answer } from 'dns-packet';
import type { Handler } from './handler.ts';

export const ec2PublicNames: Handler = {
  name: 'ec2-public-names',
  handle(q, ctx) {
    const host = ctx.index.publicHostNames.get(q.lname);
    if (!host || !host.publicIp) return undefined;
    ctx.trace?.push(`${q.lname} is the public DNS name of a host: outside its VPC it resolves to the public address ${host.publicIp}`);
    const base = { by: 'ec2-public-names', rcode: 'NOERROR' as const, authoritative: true, authorities: [] as Answer[], cacheable: true };
    if (q.type === 'A' || q.type === 'ANY') return { ...base, answers: [{ name: q.name, type: 'A', class: 'IN', ttl: 60, data: host.publicIp } as Answer] };
    return { ...base, answers: [] };
  },
};
