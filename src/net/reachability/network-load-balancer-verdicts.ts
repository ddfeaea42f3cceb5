// What the data plane asks the engine about a Network Load Balancer, in the
// shape of load-balancer-verdicts.ts: NLB listeners carry TCP or UDP (not
// only TCP), a node without security groups filters nothing, and with client
// IP preservation the target judges the client's address rather than the
// node's. PrivateLink traffic reaches the listener from an interface endpoint,
// not through the internet gateway: only the NLB's inbound rules apply, and
// only while EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic is on.
import type { NetworkModel } from '../model/model.ts';
import { rulesOf } from '../model/model.ts';
import { evaluateSecurityGroups } from '../security-groups.ts';
import { nodesOf, verdictOf, type PathVerdict } from './load-balancer-verdicts.ts';
import { INTERNET, Walk } from './walk.ts';

const OK: PathVerdict = { allowed: true };

/** Can a client from the internet send `protocol` to `port` on every node of this NLB (and get the replies)? Internal NLBs are not checked. */
export function nlbListenerVerdict(model: NetworkModel, lbArn: string, protocol: 'tcp' | 'udp', port: number): PathVerdict {
  const lb = model.loadBalancers.get(lbArn);
  if (!lb || lb.scheme !== 'internet-facing') return OK;
  for (const node of nodesOf(model, lbArn)) {
    const w = new Walk(model, protocol, port);
    if (w.fromInternet(INTERNET, node)) w.returnPath(w.eniHopOf(node), { kind: 'internet', Component: { Id: INTERNET }, note: 'the internet' });
    if (w.blocks.length) return verdictOf(w.blocks[0]);
  }
  return OK;
}

/**
 * Can every node of the NLB reach the target's port? `client`: the address
 * the target sees when the group preserves client IPs (an internet client
 * stands as 0.0.0.0: only 0.0.0.0/0 rules admit it); undefined for the
 * node's own address (preservation off, PrivateLink traffic, health checks).
 */
export function nlbTargetVerdict(model: NetworkModel, lbArn: string, targetEniId: string, protocol: 'tcp' | 'udp', port: number, client?: string): PathVerdict {
  const target = model.enis.get(targetEniId);
  if (!target) return OK;
  for (const node of nodesOf(model, lbArn)) {
    const w = new Walk(model, protocol, port);
    if (w.fromEni(node, { kind: 'eni', eni: target }, false, client)) w.returnPath(w.eniHopOf(target), w.eniHopOf(node));
    if (w.blocks.length) return verdictOf(w.blocks[0]);
  }
  return OK;
}

/**
 * PrivateLink traffic from an interface endpoint's interface to an NLB
 * listener. AWS evaluates the NLB's inbound rules on it only when the NLB
 * has security groups and enforcement is on (the default); the endpoint's
 * private address stands for the consumer (localnet cannot see further).
 */
export function privateLinkVerdict(model: NetworkModel, lbArn: string, enforce: boolean, endpointIp: string, port: number): PathVerdict {
  const lb = model.loadBalancers.get(lbArn);
  if (!lb || !enforce || !lb.groupIds.length) return OK;
  const rules = rulesOf(model, lb.groupIds, 'ingress');
  const d = evaluateSecurityGroups(rules, { direction: 'ingress', protocol: 'tcp', port, peer: { ip: endpointIp, groupIds: [], viaPrivateIp: true } });
  if (d.allowed) return OK;
  return {
    allowed: false,
    code: rules.length ? 'ENI_SG_RULES_MISMATCH' : 'SG_HAS_NO_RULES',
    component: lb.groupIds.join(','),
    explanation: `the load balancer's security groups (${lb.groupIds.join(', ')}) have no inbound rule allowing TCP port ${port} from the endpoint interface ${endpointIp}, and ${lb.name} enforces its inbound rules on PrivateLink traffic; allow the consumer's addresses (aws ec2 authorize-security-group-ingress --group-id ${lb.groupIds[0]} --protocol tcp --port ${port} --cidr ${endpointIp}/32), or turn enforcement off (aws elbv2 set-security-groups --enforce-security-group-inbound-rules-on-private-link-traffic off)`,
  };
}
