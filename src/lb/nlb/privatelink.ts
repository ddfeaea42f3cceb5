// PrivateLink traffic as the NLB sees it. An interface endpoint's forwarder
// connects to the listener from the endpoint interface's own loopback
// address (`_address` of the NetworkInterface record, InterfaceType
// 'vpc_endpoint'), so the remote address of a connection says whether it
// came through a VPC endpoint and which. What changes for such a flow, per
// AWS's NLB and PrivateLink docs:
// - the NLB's inbound security group rules apply only when the NLB has
//   security groups and EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic
//   is on (the default), never the internet path's rules;
// - client IP preservation does not apply: the target sees the NLB's private
//   address, so the target's rules are judged against the node;
// - a PROXY v2 header carries the VPC endpoint id (AWS TLV 0xEA, 0x01).
import type { PathVerdict } from '../../net/reachability/load-balancer-verdicts.ts';
import type { EndpointInterface, ResolvedNlbListener } from './state.ts';

export type PrivateLinkFlow = EndpointInterface & { verdict: PathVerdict };

/** The endpoint a connection came through, or undefined for any other client. */
export function privateLinkOf(l: Pick<ResolvedNlbListener, 'privateLink'>, remoteAddress: string): PrivateLinkFlow | undefined {
  return l.privateLink.size ? l.privateLink.get(remoteAddress) : undefined;
}

export interface FlowFacts {
  /** The VPC endpoint the flow came through; undefined for a direct client. */
  vpcEndpointId?: string;
  /** Whether the NLB's inbound security group rules decide if the flow is admitted. */
  inboundRulesApply: boolean;
  /** Whether the target sees the client's address (else the NLB's private address). */
  clientIpPreserved: boolean;
}

/** What AWS does with one flow, from where it came from and the NLB's and group's settings. Pure. */
export function flowFacts(remoteAddress: string, endpoints: ReadonlyMap<string, EndpointInterface>, lb: { securityGroups: readonly string[]; enforceOnPrivateLink: boolean }, group: { preserveClientIp: boolean }): FlowFacts {
  const endpoint = endpoints.get(remoteAddress);
  const hasGroups = lb.securityGroups.length > 0;
  if (endpoint) return { vpcEndpointId: endpoint.endpointId, inboundRulesApply: hasGroups && lb.enforceOnPrivateLink, clientIpPreserved: false };
  return { inboundRulesApply: hasGroups, clientIpPreserved: group.preserveClientIp };
}
