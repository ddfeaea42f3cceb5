// What the endpoint data plane (src/privatelink/) asks the engine: may a
// client of the consumer VPC open TCP `port` on this endpoint interface?
//
// In the loopback data plane a client is the host, not an instance, so the
// client stands for "a workload of the endpoint's VPC": the connection passes
// when the endpoint's security groups admit the port from the VPC's whole
// primary CIDR (a rule such as 10.0.0.0/16 or 0.0.0.0/0, the setup AWS's
// guide describes) and the NACL of the interface's subnet lets the request in
// and the replies (Linux ephemeral ports) out to that range. A rule naming a
// narrower range or a group does not count here; `localnet why i-… vpce-…`
// judges one instance exactly. Both ends of the CIDR are probed: a prefix
// holding both holds the whole block.
import { evaluateNetworkAcl, evaluatePortRange, EPHEMERAL_PORTS } from '../network-acls.ts';
import { intToIp, last4, parseCidr4 } from '../cidr.ts';
import { evaluateSecurityGroups } from '../security-groups.ts';
import { aclOf, rulesOf, type NetworkModel } from '../model/model.ts';
import type { RVpcEndpoint } from '../model/types.ts';
import type { PathVerdict } from './load-balancer-verdicts.ts';
import { aclEntryText } from './words.ts';

const OK: PathVerdict = { allowed: true };

/** The first and last address of a CIDR block. */
function ends(cidr: string): string[] {
  const c = parseCidr4(cidr);
  return c ? [intToIp(c.base), intToIp(last4(c))] : [];
}

export function endpointIngressVerdict(model: NetworkModel, ep: RVpcEndpoint, eniId: string, port: number, protocol: 'tcp' | 'udp' = 'tcp'): PathVerdict {
  const eni = model.enis.get(eniId);
  const cidr = model.vpcs.get(ep.vpcId)?.cidrs[0];
  if (!eni || !cidr) return OK;
  const probes = ends(cidr);
  const proto = protocol.toUpperCase();
  const rules = rulesOf(model, eni.groupIds, 'ingress');
  for (const ip of probes) {
    const d = evaluateSecurityGroups(rules, { direction: 'ingress', protocol, port, peer: { ip, groupIds: [], viaPrivateIp: true } });
    if (d.allowed) continue;
    const groups = eni.groupIds.join(', ') || 'none';
    return {
      allowed: false,
      code: rules.length ? 'ENI_SG_RULES_MISMATCH' : 'SG_HAS_NO_RULES',
      component: eni.groupIds.join(','),
      explanation: `the security groups of endpoint ${ep.id} (${groups}) do not allow ${proto} ${port} from ${cidr}, the CIDR of ${ep.vpcId} (a local client stands for any workload of that VPC); add one (aws ec2 authorize-security-group-ingress --group-id ${eni.groupIds[0] ?? 'sg-...'} --protocol ${protocol} --port ${port} --cidr ${cidr})`,
    };
  }
  const subnet = model.subnets.get(eni.subnetId);
  const acl = subnet ? aclOf(model, subnet) : undefined;
  if (!acl) return OK;
  for (const ip of probes) {
    const inbound = evaluateNetworkAcl(acl.sorted, { direction: 'ingress', protocol, port, remoteIp: ip });
    if (inbound.action === 'deny') {
      return { allowed: false, code: 'SUBNET_ACL_RESTRICTION', component: acl.id, explanation: `${acl.id} (${eni.subnetId}) drops ${proto} ${port} from ${ip} in ${cidr} (${aclEntryText(inbound.entry)}); add an inbound NACL rule allowing ${protocol} ${port} from ${cidr} (aws ec2 create-network-acl-entry --ingress)` };
    }
    const range = EPHEMERAL_PORTS.linux;
    const reply = evaluatePortRange(acl.sorted, { direction: 'egress', protocol, remoteIp: ip }, range);
    if (!reply.allowed) {
      return { allowed: false, code: 'SUBNET_ACL_RESTRICTION', component: acl.id, explanation: `${acl.id} (${eni.subnetId}) drops the replies to ${ip} on ${proto} ${reply.port} (clients' ephemeral ports ${range.from}-${range.to}) (${aclEntryText(reply.entry)}); add an outbound NACL rule allowing ${protocol} ${range.from}-${range.to} to ${cidr} (aws ec2 create-network-acl-entry --egress)` };
    }
  }
  return OK;
}
