// Small phrase and shape helpers shared by the engine: AWS component shapes
// for rules and routes, and the human wording of each (the CLI prints these).
import type { AclEntryView } from '../network-acls.ts';
import type { SgRuleView } from '../security-groups.ts';
import type { AnalysisAclRule, AnalysisComponent, AnalysisRouteTableRoute, AnalysisSecurityGroupRule } from './types.ts';
import type { RRoute } from '../model/types.ts';

export const comp = (id: string): AnalysisComponent => ({ Id: id });

export function aclRuleShape(e: AclEntryView | undefined): AnalysisAclRule | undefined {
  if (!e) return undefined;
  return { Cidr: e.CidrBlock ?? e.Ipv6CidrBlock, Egress: !!e.Egress, PortRange: e.PortRange ? { From: e.PortRange.From, To: e.PortRange.To } : undefined, Protocol: e.Protocol, RuleAction: e.RuleAction, RuleNumber: e.RuleNumber };
}

export function sgRuleShape(r: SgRuleView): AnalysisSecurityGroupRule {
  const ports = r.IpProtocol === '-1' ? undefined : { From: r.FromPort, To: r.ToPort };
  return { Cidr: r.CidrIpv4 ?? r.CidrIpv6, Direction: r.IsEgress ? 'egress' : 'ingress', SecurityGroupId: r.GroupId, PortRange: ports, PrefixListId: r.PrefixListId, Protocol: r.IpProtocol };
}

export function routeShape(r: RRoute): AnalysisRouteTableRoute {
  return {
    DestinationCidr: r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock, DestinationPrefixListId: r.DestinationPrefixListId,
    GatewayId: r.GatewayId, NatGatewayId: r.NatGatewayId, InstanceId: r.InstanceId, NetworkInterfaceId: r.NetworkInterfaceId,
    VpcPeeringConnectionId: r.VpcPeeringConnectionId, TransitGatewayId: r.TransitGatewayId, EgressOnlyInternetGatewayId: r.EgressOnlyInternetGatewayId,
    Origin: r.Origin, State: r.State ?? 'active',
  };
}

export function routeTarget(r: RRoute): string {
  return r.GatewayId ?? r.NatGatewayId ?? r.VpcPeeringConnectionId ?? r.NetworkInterfaceId ?? r.InstanceId ?? r.TransitGatewayId ?? r.EgressOnlyInternetGatewayId ?? '?';
}

export function routeText(r: RRoute): string {
  return `${r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock ?? r.DestinationPrefixListId} → ${routeTarget(r)}${r.State === 'blackhole' ? ' (blackhole)' : ''}`;
}

const PROTO_NAMES: Record<string, string> = { '-1': 'all traffic', '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };

function portsText(from?: number, to?: number): string {
  if (from === undefined || from === -1) return '';
  return from === to || to === undefined ? ` ${from}` : ` ${from}-${to}`;
}

export function aclEntryText(e: AclEntryView | undefined): string {
  if (!e) return 'no rule (implicit deny)';
  const num = e.RuleNumber !== undefined && e.RuleNumber >= 32767 ? '*' : String(e.RuleNumber);
  const proto = PROTO_NAMES[e.Protocol ?? '-1'] ?? `protocol ${e.Protocol}`;
  const ports = e.Protocol === '6' || e.Protocol === '17' ? portsText(e.PortRange?.From ?? 0, e.PortRange?.To ?? 65535) : '';
  return `rule ${num} ${e.RuleAction} ${proto}${ports} ${e.Egress ? 'to' : 'from'} ${e.CidrBlock ?? e.Ipv6CidrBlock}`;
}

export function sgRuleText(r: SgRuleView): string {
  const proto = r.IpProtocol === '-1' ? 'all traffic' : r.IpProtocol;
  const peer = r.CidrIpv4 ?? r.CidrIpv6 ?? r.PrefixListId ?? r.ReferencedGroupInfo?.GroupId;
  return `${r.SecurityGroupRuleId ?? 'rule'} allows ${proto}${r.IpProtocol === '-1' ? '' : portsText(r.FromPort, r.ToPort)} ${r.IsEgress ? 'to' : 'from'} ${peer}`;
}

/** RFC 6598 shared address space (100.64.0.0/10, carrier-grade NAT). */
export function isSharedIp(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number);
  return a === 100 && b >= 64 && b <= 127;
}

/** RFC 1918 and shared (RFC 6598) space: never routed on the internet. */
export function isPrivateIp(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number);
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || isSharedIp(ip);
}
