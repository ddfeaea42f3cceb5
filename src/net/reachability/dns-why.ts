// `localnet why --dns NAME --from vpc-…|i-…`: which view answered and why
// (src/dns/explain.ts), plus what it cannot see from inside one view: private
// zones that would serve the name but are not associated with this VPC, the
// peering that does not bring them along, and the VPC's DNS attributes.
import { endpointsForPrivateName } from '../../dns/endpoint-explain.ts';
import { explain } from '../../dns/explain.ts';
import { isAtOrBelow, normalizeName } from '../../dns/names.ts';
import type { SnapshotIndex } from '../../dns/snapshot-index.ts';
import type { NetworkModel } from '../model/model.ts';

export function explainDnsFrom(index: SnapshotIndex, snap: NetworkModel, vpcId: string, name: string, type = 'A'): string[] {
  const lines = explain(index, vpcId, name, type);
  const vpc = index.vpcs.get(vpcId);
  if (!vpc) return lines;
  const lname = normalizeName(name);
  if (!vpc.vpc.enableDnsSupport) lines.push(`${vpcId} has enableDnsSupport off: its resolver (VPC+2) answers nothing; turn it on (aws ec2 modify-vpc-attribute --vpc-id ${vpcId} --enable-dns-support)`);
  else if (!vpc.vpc.enableDnsHostnames && vpc.privateZones.some((z) => isAtOrBelow(lname, z.apex))) lines.push(`${vpcId} has enableDnsHostnames off: private hosted zones need both DNS attributes (aws ec2 modify-vpc-attribute --vpc-id ${vpcId} --enable-dns-hostnames)`);
  const associated = new Set(vpc.privateZones.map((z) => z.id));
  const peers = new Map<string, string>();
  for (const p of snap.peeringsByVpc.get(vpcId) ?? []) {
    if (p.state !== 'active') continue;
    peers.set(p.requester.vpcId === vpcId ? p.accepter.vpcId : p.requester.vpcId, p.id);
  }
  for (const z of index.zones.values()) {
    // AWS's managed zone of an endpoint's private DNS name cannot be associated elsewhere: explain() says what to do instead.
    if (!z.private || z.zone.managedBy || associated.has(z.id) || !isAtOrBelow(lname, z.apex)) continue;
    const others = z.zone.vpcs.map((v) => v.vpcId);
    lines.push(`private zone ${z.id} (${z.apex}) would serve ${lname} but is not associated with ${vpcId} (only with ${others.join(', ') || 'no VPC'}), so ${vpcId} never consults it`);
    for (const o of others) {
      const pcx = peers.get(o);
      if (pcx) lines.push(`${vpcId} is peered with ${o} (${pcx}), but a peering, even with AllowDnsResolutionFromRemoteVpc, does not share private hosted zones`);
    }
    lines.push(`fix: associate ${z.id} with ${vpcId} (aws route53 associate-vpc-with-hosted-zone --hosted-zone-id ${z.id} --vpc VPCRegion=${vpc.vpc.region},VPCId=${vpcId})`);
  }
  for (const e of endpointsForPrivateName(index, lname)) {
    const pcx = e.vpcId !== vpcId ? peers.get(e.vpcId) : undefined;
    if (pcx) lines.push(`${vpcId} is peered with ${e.vpcId} (${pcx}), but a peering (in the same region or another) does not share the endpoint's private DNS name: only ${e.vpcId}'s resolver answers it`);
  }
  return lines;
}
