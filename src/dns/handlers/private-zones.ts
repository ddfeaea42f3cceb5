// Private hosted zones associated with the VPC. The most specific zone whose
// name equals or contains the query name is chosen and is authoritative for
// its whole namespace: a name it lacks is NXDOMAIN even when a public zone
// has it (AWS documents no fallback to public DNS). An interface endpoint's
// private DNS name is one of them: AWS serves it from a private zone it
// manages, associated with the endpoint's VPC alone (from-records.ts builds
// it); on the same name it comes before a user's zone.
import { isAtOrBelow } from '../names.ts';
import { zoneStep, type Handler } from './handler.ts';

export const privateZones: Handler = {
  name: 'private-zone',
  handle(q, ctx) {
    const vpc = ctx.vpc;
    if (!vpc || vpc.privateZones.length === 0) return undefined;
    // AWS requires both DNS attributes for private zones to resolve.
    if (!vpc.vpc.enableDnsHostnames) {
      if (ctx.trace && vpc.privateZones.some((z) => isAtOrBelow(q.lname, z.apex))) {
        ctx.trace.push(`enableDnsHostnames is off for ${vpc.vpc.vpcId}: its private hosted zones are not consulted (AWS needs both DNS attributes on)`);
      }
      return undefined;
    }
    const zone = vpc.privateZones.find((z) => isAtOrBelow(q.lname, z.apex));
    if (!zone) return undefined;
    const managed = zone.zone.managedBy;
    if (managed) {
      ctx.trace?.push(`${q.lname} falls under the private DNS name of endpoint ${managed.endpointId} (service ${managed.serviceId}) in ${vpc.vpc.vpcId}: AWS's managed private zone for ${zone.apex}, associated with ${vpc.vpc.vpcId} alone, answers with the endpoint's interfaces`);
      const shadowed = vpc.privateZones.filter((z) => z !== zone && !z.zone.managedBy && z.apex === zone.apex);
      if (shadowed.length) ctx.trace?.push(`private zone(s) ${shadowed.map((z) => z.id).join(', ')} for the same name are associated too; the endpoint's managed zone takes precedence (delete the endpoint's private DNS or your zone to avoid the conflict)`);
    } else {
      ctx.trace?.push(`private zone ${zone.id} (${zone.apex}) is associated with ${vpc.vpc.vpcId} and is the most specific zone for ${q.lname}: it is authoritative, public DNS is not consulted`);
    }
    return zoneStep('private-zone', zone, zone.lookup(q.lname, q.type, q.name, ctx));
  },
};
