// First link of a VPC view. With enableDnsSupport off, AWS's resolver at
// VPC+2 does not answer at all for instances of the VPC (queries time out).
// A loopback socket that stays silent would only make dig hang, so localnet
// answers REFUSED instead, and explain says why.
import type { Handler } from './handler.ts';

export const dnsSupport: Handler = {
  name: 'dns-support',
  handle(_q, ctx) {
    if (ctx.vpc && ctx.vpc.vpc.enableDnsSupport) return undefined;
    ctx.trace?.push(ctx.vpc
      ? `enableDnsSupport is off for ${ctx.view}: the Route 53 Resolver at VPC+2 does not answer (localnet says REFUSED instead of staying silent)`
      : `${ctx.view} is not a VPC localnet knows: nothing answers there (REFUSED)`);
    return { by: 'dns-support', rcode: 'REFUSED', authoritative: false, answers: [], authorities: [], cacheable: true };
  },
};
