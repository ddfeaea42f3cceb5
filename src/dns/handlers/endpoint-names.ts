// Interface endpoint DNS names (PrivateLink): the regional name
// vpce-0abc…-1x2y3z4w.vpce-svc-0def….us-east-1.vpce.amazonaws.com and the
// zonal ones (vpce-…-us-east-1a.vpce-svc-…) are public DNS on AWS: every view
// resolves them. They answer the endpoint interfaces' loopback addresses
// (the endpoint data plane binds there; the API keeps AWS's private IPs), the
// regional name every interface, a zonal name the interface in its AZ.
import type { Answer } from 'dns-packet';
import type { Handler } from './handler.ts';

/** AWS serves endpoint names with a 60 s TTL. */
const TTL = 60;

export const endpointNames: Handler = {
  name: 'endpoint-names',
  handle(q, ctx) {
    const hit = ctx.index.endpointNames.get(q.lname);
    if (!hit) return undefined;
    const { endpoint, addresses, az } = hit;
    ctx.trace?.push(`${q.lname} is the ${az ? `zonal (${az})` : 'regional'} DNS name of interface endpoint ${endpoint.id} in ${endpoint.vpcId}: public DNS, it resolves from anywhere to the endpoint's interfaces (${addresses.join(', ') || 'none with an address yet'})`);
    const base = { by: 'endpoint-names', rcode: 'NOERROR' as const, authoritative: true, authorities: [] as Answer[], cacheable: true };
    if (q.type === 'A' || q.type === 'ANY') return { ...base, answers: addresses.map((a) => ({ name: q.name, type: 'A', class: 'IN', ttl: TTL, data: a }) as Answer) };
    return { ...base, answers: [] };
  },
};
