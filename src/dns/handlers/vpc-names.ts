// Names the VPC provides itself: every host's private DNS name (always, while
// DNS support is on), its public DNS name (only with enableDnsHostnames; it
// resolves to the PRIVATE address inside the VPC) and reverse PTR records of
// private addresses. The resolver is authoritative for the VPC's internal
// domain (ec2.internal / <region>.compute.internal): unknown names there are
// NXDOMAIN.
import type { Answer } from 'dns-packet';
import { isAtOrBelow } from '../names.ts';
import type { Handler, Step } from './handler.ts';

/** TTL of Amazon-provided EC2 names. */
export const EC2_NAME_TTL = 60;

function soaFor(domain: string): Answer {
  return { name: domain, type: 'SOA', class: 'IN', ttl: EC2_NAME_TTL, data: { mname: 'ns-0.awsdns-00.com', rname: 'awsdns-hostmaster.amazon.com', serial: 1, refresh: 7200, retry: 900, expire: 1209600, minimum: EC2_NAME_TTL } } as Answer;
}

export const vpcNames: Handler = {
  name: 'vpc-names',
  handle(q, ctx) {
    const vpc = ctx.vpc;
    if (!vpc) return undefined;
    const base = { by: 'vpc-names', authoritative: true, answers: [] as Answer[], authorities: [] as Answer[], cacheable: true };
    const host = vpc.hostsByName.get(q.lname);
    if (host) {
      const isPublicName = host.publicDnsName !== undefined && q.lname === host.publicDnsName.toLowerCase() && q.lname !== host.privateDnsName.toLowerCase();
      if (isPublicName && !vpc.vpc.enableDnsHostnames) {
        ctx.trace?.push(`enableDnsHostnames is off for ${vpc.vpc.vpcId}: hosts have no public DNS names`);
        return undefined;
      }
      ctx.trace?.push(`${q.lname} is the ${isPublicName ? 'public' : 'private'} DNS name of a host in ${vpc.vpc.vpcId}: inside the VPC it resolves to the private address ${host.privateIp}`);
      if (q.type === 'A' || q.type === 'ANY') return { ...base, rcode: 'NOERROR', answers: [{ name: q.name, type: 'A', class: 'IN', ttl: EC2_NAME_TTL, data: host.privateIp } as Answer] };
      return { ...base, rcode: 'NOERROR', authorities: [soaFor(vpc.internalDomain)] };
    }
    const ptrHost = q.lname.endsWith('.in-addr.arpa') ? vpc.hostsByPtr.get(q.lname) : undefined;
    if (ptrHost) {
      ctx.trace?.push(`${q.lname} is the reverse name of ${ptrHost.privateIp}, a host in ${vpc.vpc.vpcId}`);
      if (q.type === 'PTR' || q.type === 'ANY') return { ...base, rcode: 'NOERROR', answers: [{ name: q.name, type: 'PTR', class: 'IN', ttl: EC2_NAME_TTL, data: ptrHost.privateDnsName } as Answer] };
      return { ...base, rcode: 'NOERROR', authorities: [soaFor('in-addr.arpa')] };
    }
    if (isAtOrBelow(q.lname, vpc.internalDomain)) {
      ctx.trace?.push(`${q.lname} is under ${vpc.internalDomain}, the VPC's own domain, and no host of ${vpc.vpc.vpcId} has that name: NXDOMAIN`);
      const step: Step = { ...base, rcode: q.lname === vpc.internalDomain ? 'NOERROR' : 'NXDOMAIN', authorities: [soaFor(vpc.internalDomain)] };
      return step;
    }
    return undefined;
  },
};
