// Load balancer DNS names (my-alb-1234567890.us-east-1.elb.amazonaws.com,
// with or without dualstack.): they resolve to the loopback address the load
// balancer's listeners bind. An internet-facing load balancer's name resolves
// everywhere; an internal one's only in its own VPC's view, so a client
// outside the VPC cannot reach it by name.
import type { Answer } from 'dns-packet';
import { loadBalancerKey } from '../zone-index.ts';
import type { Handler } from './handler.ts';

/** AWS serves load balancer names with a 60 s TTL. */
const TTL = 60;

export const loadBalancerNames: Handler = {
  name: 'load-balancer-names',
  handle(q, ctx) {
    const lb = ctx.loadBalancers.get(loadBalancerKey(q.lname));
    if (!lb) return undefined;
    if (lb.internal && ctx.view !== lb.vpcId) {
      ctx.trace?.push(`${q.lname} is the name of internal load balancer in ${lb.vpcId}: it resolves only in that VPC's view`);
      return undefined;
    }
    ctx.trace?.push(`${q.lname} is the DNS name of a load balancer: its listeners are at ${lb.address}`);
    const base = { by: 'load-balancer-names', rcode: 'NOERROR' as const, authoritative: true, authorities: [] as Answer[], cacheable: true };
    if (q.type === 'A' || q.type === 'ANY') return { ...base, answers: [{ name: q.name, type: 'A', class: 'IN', ttl: TTL, data: lb.address } as Answer] };
    return { ...base, answers: [] };
  },
};
