// Can traffic reach a load balancer, and can the load balancer reach a
// target? Pure checks over plain VPC data (the EC2 shapes), following the
// packets in order and stopping at the first component that drops them:
//
//  (a) internet client -> internet-facing listener: the load balancer's
//      security groups allow the port from anywhere (a loopback client stands
//      for "the internet", evaluated as 0.0.0.0 so only rules for 0.0.0.0/0
//      match), each load balancer subnet routes 0.0.0.0/0 to an internet
//      gateway attached to the VPC, and each subnet's NACL lets the request
//      in and the reply out to the client's ephemeral ports (Linux range).
//  (b) load balancer -> target, from each load balancer subnet (a node per
//      zone; cross-zone load balancing is always on for ALBs): the load
//      balancer's egress rules, a route, the NACLs on the way out and in
//      (skipped when both sit in one subnet: NACLs filter at subnet
//      boundaries), the target's security groups (by the load balancer's
//      group or its address), then the reply: the target subnet's NACL out to
//      ELB's ephemeral range 1024-65535, a route back, the load balancer
//      subnet's NACL in.
// A blocked verdict names the component, the rule that decided (or the one
// that is missing) and the change that would fix it.
import { lookupRoute, routeTableForSubnet, type RouteLike } from './routing.ts';
import { evaluateSecurityGroups, type SgRuleView } from './security-groups.ts';
import { ephemeralPorts, evaluatePortRange, type AclEntryView, type PortRange } from './network-acls.ts';
import { intToIp, parseCidr4 } from './cidr.ts';

export interface SubnetView { SubnetId: string; VpcId: string; CidrBlock: string }
export interface RouteTableView { RouteTableId: string; VpcId: string; Routes: (RouteLike & { GatewayId?: string; State?: string; NatGatewayId?: string; VpcPeeringConnectionId?: string })[]; Associations: { Main?: boolean; SubnetId?: string }[] }
export interface NetworkAclView { NetworkAclId: string; VpcId: string; IsDefault?: boolean; Entries: AclEntryView[]; Associations: { SubnetId: string }[] }
export interface InternetGatewayView { InternetGatewayId: string; Attachments: { VpcId: string; State: string }[] }

/** One account-and-region's VPC data, as the store holds it. */
export interface VpcData {
  subnets: SubnetView[];
  routeTables: RouteTableView[];
  networkAcls: NetworkAclView[];
  /** Every security group rule (sgr- records). */
  sgRules: SgRuleView[];
  internetGateways: InternetGatewayView[];
}

export interface LoadBalancerView {
  VpcId: string;
  Scheme: string;
  SubnetIds: string[];
  SecurityGroups: string[];
  /** The load balancer's private address per subnet, when it has interfaces; else the subnet's first usable address stands in. */
  addressBySubnet?: Record<string, string>;
}

export interface TargetView {
  /** Its private address. */
  ip: string;
  subnetId: string;
  /** The security groups of the interface that holds ip. */
  groupIds: string[];
}

export type PathVerdict =
  | { allowed: true }
  | {
      allowed: false;
      /** The resource that drops the traffic: sg-..., acl-..., rtb-..., subnet-... */
      component: string;
      /** The rule that decided, or the rule that is missing. */
      rule: string;
      /** One sentence: what is blocked, and the change that would fix it. */
      explanation: string;
    };

const OK: PathVerdict = { allowed: true };
/** "The internet": only rules and routes for 0.0.0.0/0 cover this address. */
export const INTERNET = '0.0.0.0';

function block(component: string, rule: string, explanation: string): PathVerdict {
  return { allowed: false, component, rule, explanation };
}

function rulesOf(data: VpcData, groupIds: string[]): SgRuleView[] {
  return data.sgRules.filter((r) => r.GroupId !== undefined && groupIds.includes(r.GroupId));
}

export function aclForSubnet(data: VpcData, subnet: SubnetView): NetworkAclView | undefined {
  return data.networkAcls.find((a) => a.Associations.some((x) => x.SubnetId === subnet.SubnetId))
    ?? data.networkAcls.find((a) => a.VpcId === subnet.VpcId && a.IsDefault);
}

function entryName(e: AclEntryView | undefined): string {
  if (!e) return 'no matching entry';
  const n = e.RuleNumber === 32767 || e.RuleNumber === 32768 ? '*' : String(e.RuleNumber);
  return `${e.Egress ? 'outbound' : 'inbound'} rule ${n} (${e.RuleAction})`;
}

function portText(r: PortRange): string {
  return r.from === r.to ? `port ${r.from}` : `ports ${r.from}-${r.to}`;
}

function checkAcl(data: VpcData, subnet: SubnetView, direction: 'ingress' | 'egress', remoteIp: string, ports: PortRange, what: string): PathVerdict {
  const acl = aclForSubnet(data, subnet);
  if (!acl) return OK;
  const d = evaluatePortRange(acl.Entries, { direction, protocol: 'tcp', remoteIp }, ports);
  if (d.allowed) return OK;
  const dir = direction === 'ingress' ? 'inbound' : 'outbound';
  const peer = remoteIp === INTERNET ? '0.0.0.0/0' : remoteIp;
  return block(acl.NetworkAclId, entryName(d.entry),
    `network ACL ${acl.NetworkAclId} of ${subnet.SubnetId} denies ${what} (${dir} TCP port ${d.port} ${direction === 'ingress' ? 'from' : 'to'} ${peer}, by its ${entryName(d.entry)}); add an ${dir} allow rule for TCP ${portText(ports)} ${direction === 'ingress' ? 'from' : 'to'} ${peer} numbered below it`);
}

function checkRoute(data: VpcData, subnet: SubnetView, dest: string, what: string): PathVerdict {
  const table = routeTableForSubnet(data.routeTables, subnet.SubnetId, subnet.VpcId);
  if (!table) return block(subnet.SubnetId, 'no route table', `${subnet.SubnetId} has no route table, so ${what} has no route`);
  const route = lookupRoute(table.Routes, dest);
  const destText = dest === INTERNET ? '0.0.0.0/0' : dest;
  if (!route) return block(table.RouteTableId, `no route to ${destText}`, `route table ${table.RouteTableId} of ${subnet.SubnetId} has no route to ${destText}, so ${what} is dropped; add one`);
  if (route.State === 'blackhole') return block(table.RouteTableId, `blackhole route ${route.DestinationCidrBlock}`, `route table ${table.RouteTableId} sends ${destText} to a blackhole route (${route.DestinationCidrBlock}), so ${what} is dropped; replace the route`);
  return OK;
}

/** The first usable address of a subnet (AWS reserves the first four): the stand-in for a load balancer node without an interface. */
export function standInAddress(subnet: SubnetView): string {
  const c = parseCidr4(subnet.CidrBlock);
  return c ? intToIp(c.base + 4) : '0.0.0.0';
}

/** (a) Can a client from the internet reach this listener port? Internal load balancers are reached from inside their VPC: not checked here. */
export function checkInternetToListener(data: VpcData, lb: LoadBalancerView, port: number): PathVerdict {
  if (lb.Scheme !== 'internet-facing') return OK;
  const sg = evaluateSecurityGroups(rulesOf(data, lb.SecurityGroups), { direction: 'ingress', protocol: 'tcp', port, peer: { ip: INTERNET } });
  if (!sg.allowed) {
    return block(lb.SecurityGroups.join(',') || 'no security group', `no inbound rule for TCP port ${port} from 0.0.0.0/0`,
      `the load balancer's security groups (${lb.SecurityGroups.join(', ') || 'none'}) have no inbound rule allowing TCP port ${port} from 0.0.0.0/0; add one (aws ec2 authorize-security-group-ingress --group-id ${lb.SecurityGroups[0] ?? 'sg-...'} --protocol tcp --port ${port} --cidr 0.0.0.0/0)`);
  }
  for (const subnetId of lb.SubnetIds) {
    const subnet = data.subnets.find((s) => s.SubnetId === subnetId);
    if (!subnet) continue;
    const table = routeTableForSubnet(data.routeTables, subnet.SubnetId, subnet.VpcId);
    const route = table ? lookupRoute(table.Routes, INTERNET) : undefined;
    const igw = route?.GatewayId?.startsWith('igw-') && route.State !== 'blackhole'
      ? data.internetGateways.find((g) => g.InternetGatewayId === route.GatewayId && g.Attachments.some((a) => a.VpcId === lb.VpcId && (a.State === 'available' || a.State === 'attached')))
      : undefined;
    if (!igw) {
      const component = table?.RouteTableId ?? subnet.SubnetId;
      const found = route ? `its 0.0.0.0/0 route goes to ${route.GatewayId ?? route.NatGatewayId ?? 'something other than an internet gateway'}` : 'it has no 0.0.0.0/0 route';
      return block(component, 'no route 0.0.0.0/0 to an internet gateway',
        `subnet ${subnet.SubnetId} of this internet-facing load balancer is not public: ${found} in route table ${component}; add a route 0.0.0.0/0 to an internet gateway attached to ${lb.VpcId}`);
    }
    const inbound = checkAcl(data, subnet, 'ingress', INTERNET, { from: port, to: port }, 'requests from the internet');
    if (!inbound.allowed) return inbound;
    const outbound = checkAcl(data, subnet, 'egress', INTERNET, ephemeralPorts('linux'), "replies to the client's ephemeral ports");
    if (!outbound.allowed) return outbound;
  }
  return OK;
}

/** (b) Can every node of the load balancer open TCP `port` to the target, and get the replies back? */
export function checkLoadBalancerToTarget(data: VpcData, lb: LoadBalancerView, target: TargetView, port: number): PathVerdict {
  const targetSubnet = data.subnets.find((s) => s.SubnetId === target.subnetId);
  const targetRules = rulesOf(data, target.groupIds);
  const lbRules = rulesOf(data, lb.SecurityGroups);
  for (const subnetId of lb.SubnetIds) {
    const lbSubnet = data.subnets.find((s) => s.SubnetId === subnetId);
    if (!lbSubnet) continue;
    const lbIp = lb.addressBySubnet?.[subnetId] ?? standInAddress(lbSubnet);
    const what = `traffic from the load balancer (${lbIp} in ${subnetId}) to the target ${target.ip} on TCP port ${port}`;

    const egress = evaluateSecurityGroups(lbRules, { direction: 'egress', protocol: 'tcp', port, peer: { ip: target.ip, groupIds: target.groupIds } });
    if (!egress.allowed) {
      return block(lb.SecurityGroups.join(','), `no outbound rule for TCP port ${port} to ${target.ip}`,
        `the load balancer's security groups (${lb.SecurityGroups.join(', ')}) allow no outbound TCP port ${port} to ${target.ip}; add an outbound rule for it (to the target's security group or its subnet)`);
    }
    const there = checkRoute(data, lbSubnet, target.ip, what);
    if (!there.allowed) return there;
    const crossesSubnets = targetSubnet !== undefined && targetSubnet.SubnetId !== lbSubnet.SubnetId;
    if (crossesSubnets) {
      const out = checkAcl(data, lbSubnet, 'egress', target.ip, { from: port, to: port }, what);
      if (!out.allowed) return out;
      const inn = checkAcl(data, targetSubnet, 'ingress', lbIp, { from: port, to: port }, what);
      if (!inn.allowed) return inn;
    }
    const ingress = evaluateSecurityGroups(targetRules, { direction: 'ingress', protocol: 'tcp', port, peer: { ip: lbIp, groupIds: lb.SecurityGroups } });
    if (!ingress.allowed) {
      const groups = target.groupIds.join(', ') || 'none';
      return block(target.groupIds.join(',') || 'no security group', `no inbound rule for TCP port ${port} from the load balancer`,
        `the target's security groups (${groups}) have no inbound rule allowing TCP port ${port} from the load balancer (${lbIp}, security group ${lb.SecurityGroups.join(', ') || 'none'}); add one, e.g. aws ec2 authorize-security-group-ingress --group-id ${target.groupIds[0] ?? 'sg-...'} --protocol tcp --port ${port} --source-group ${lb.SecurityGroups[0] ?? 'sg-...'}`);
    }
    if (targetSubnet) {
      const back = `replies from the target ${target.ip} to the load balancer's ephemeral ports (${lbIp})`;
      if (crossesSubnets) {
        const out = checkAcl(data, targetSubnet, 'egress', lbIp, ephemeralPorts('elb'), back);
        if (!out.allowed) return out;
      }
      const route = checkRoute(data, targetSubnet, lbIp, back);
      if (!route.allowed) return route;
      if (crossesSubnets) {
        const inn = checkAcl(data, lbSubnet, 'ingress', target.ip, ephemeralPorts('elb'), back);
        if (!inn.allowed) return inn;
      }
    }
  }
  return OK;
}
