// One path, walked hop by hop: the forward packet through security groups,
// network ACLs, route tables and gateways (translating addresses at NAT and
// internet gateways), recorded as legs between subnets; then the reply, leg
// by leg in reverse, where only the stateless parts are judged again (network
// ACLs on the client's ephemeral ports, and routes back) because security
// groups, NAT and internet gateways remember the connection.
import { evaluateNetworkAcl, evaluatePortRange, EPHEMERAL_PORTS, type PortRange } from '../network-acls.ts';
import { cidrContains, evaluateSecurityGroups, ruleMatches, type SgFlow } from '../security-groups.ts';
import { aclOf, peeringBetween, rulesOf, tableOf, vpcContains, type NetworkModel, type ModelEni } from '../model/model.ts';
import type { Analysis, Block, Explanation, Hop } from './types.ts';
import type { ClientKind, RListener, RLoadBalancer, RRoute, RSubnet, RTargetGroup } from '../model/types.ts';
import { gatewayEndpointStep } from './gateway-endpoint-step.ts';
import { aclEntryText, aclRuleShape, comp, isPrivateIp, isSharedIp, routeShape, routeTarget, routeText, sgRuleShape, sgRuleText } from './words.ts';

/** Replies to clients on the internet may use any non-privileged port (AWS's NACL guide: 1024-65535). */
export const CLIENT_RANGES: Record<ClientKind, PortRange> = { ...EPHEMERAL_PORTS, internet: { from: 1024, to: 65535 } };
const CLIENT_NAMES: Record<ClientKind, string> = { linux: 'Linux', windows: 'Windows', elb: 'load balancer', natGateway: 'NAT gateway', internet: 'internet' };

/** Where a packet is sent from at some point of the path. */
interface Sender {
  eni: ModelEni;
  srcIp: string;
  subnet: RSubnet;
  /** Whether security group references can match the sender (private address, same VPC or a same-region peer). */
  groupsVisible: boolean;
  /** The groups of the original sender that a NAT gateway or an inter-region peering hid (SG_REFERENCES_NOT_PRESERVED). */
  lostGroups?: string[];
  /** What hid them, for the explanation. */
  lostVia?: string;
  client: ClientKind;
  /** An NLB with client IP preservation: the target sees (and its security groups and NACLs judge) this address, not the node's. */
  preservedClientIp?: string;
}

/** One stretch between two subnets (undefined = the internet), remembered for the reply. */
interface Leg {
  from?: RSubnet;
  to?: RSubnet;
  src: string;
  dst: string;
  via: 'local' | 'pcx' | 'igw' | 'nat' | 'eni' | 'lb' | 'vpce';
  viaId?: string;
  client: ClientKind;
}

export type Dest =
  | { kind: 'eni'; eni: ModelEni }
  | { kind: 'internet'; ip: string }
  | { kind: 'address'; ip: string };

/** "The internet" as the load balancer data plane sees a client: only rules and routes for 0.0.0.0/0 cover it. */
export const INTERNET = '0.0.0.0';

/**
 * The client address a target sees behind an NLB whose target group
 * preserves client IPs (undefined when the node's own address is seen: ALBs,
 * or preservation off). AWS's docs: target security groups then must admit
 * the clients, unless they reference the NLB's own security group.
 */
function preservedClientIp(lb: RLoadBalancer, group: RTargetGroup, clientIp: string | undefined): string | undefined {
  return lb.type === 'network' && group.preserveClientIp && clientIp ? clientIp : undefined;
}

function preservedCidr(ip: string): string {
  return ip === INTERNET ? '0.0.0.0/0' : `${ip}/32`;
}

/** The prefix length of a route's destination (a prefix list counts as -1: it never ties a CIDR). */
function prefixOf(r: RRoute): number {
  const c = r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock;
  return c ? Number(c.split('/')[1]) : -1;
}

/** Guards against routing loops (appliances routing to each other). */
const MAX_LEGS = 8;

export class Walk {
  readonly forward: Hop[] = [];
  readonly ret: Hop[] = [];
  readonly blocks: Block[] = [];
  readonly notes: string[] = [];
  private readonly legs: Leg[] = [];
  sourceIp?: string;
  destinationIp?: string;

  /** The destination port; a load balancer changes it to the target's port on its way through (see throughLoadBalancer). */
  port: number;

  constructor(private readonly snap: NetworkModel, readonly protocol: 'tcp' | 'udp', port: number) {
    this.port = port;
  }

  result(): Analysis {
    return { pathFound: this.blocks.length === 0, protocol: this.protocol, port: this.port, sourceIp: this.sourceIp, destinationIp: this.destinationIp, forward: this.forward, return: this.ret, blocks: this.blocks, notes: this.notes };
  }

  private hop(list: Hop[], h: Omit<Hop, 'SequenceNumber'>): void {
    // A hop carried over from the other path (the forward path's end starts the return) gets its number here.
    list.push({ ...h, SequenceNumber: list.length + 1 });
  }

  block(path: 'forward' | 'return', explanation: Explanation, message: string, fix: string): false {
    this.blocks.push({ path, explanation, message, fix });
    return false;
  }

  private get what(): string {
    return `${this.protocol} ${this.port}`;
  }

  private eniHop(eni: ModelEni): Omit<Hop, 'SequenceNumber'> {
    const lb = this.snap.loadBalancerByEni.get(eni.id);
    const owner = eni.instanceId ? ` (${eni.instanceId})` : lb ? ` (load balancer ${lb.name})` : this.snap.natByEni.get(eni.id) ? ` (${this.snap.natByEni.get(eni.id)!.id})` : '';
    const attached = eni.instanceId ? comp(eni.instanceId) : lb ? { Id: lb.arn, Arn: lb.arn, Name: lb.name } : undefined;
    return { kind: 'network-interface', Component: comp(eni.id), ...(attached ? { AttachedTo: attached } : {}), Vpc: comp(eni.vpcId), Subnet: comp(eni.subnetId), note: `${eni.id}${owner} ${eni.privateIps[0]} in ${eni.subnetId}` };
  }

  // ---- forward ----

  /**
   * A load balancer node passes the connection it accepted on a listener to a
   * target of the group the listener forwards to: a new connection from the
   * node's own address to the target's registered port (ALBs and NLBs without
   * client IP preservation), judged like any other from here on.
   */
  throughLoadBalancer(lb: RLoadBalancer, listener: RListener, group: RTargetGroup, node: ModelEni, target: ModelEni, targetPort: number): boolean {
    const subnet = this.snap.subnets.get(node.subnetId)!;
    this.hop(this.forward, { kind: 'load-balancer', Component: { Id: lb.arn, Arn: lb.arn, Name: lb.name }, ElasticLoadBalancerListener: { Id: listener.arn, Arn: listener.arn }, Vpc: comp(lb.vpcId), Subnet: comp(subnet.id), note: `listener ${listener.protocol} ${listener.port} of ${lb.name} forwards to target group ${group.name}` });
    this.hop(this.forward, { kind: 'target-group', Component: { Id: group.arn, Arn: group.arn, Name: group.name }, note: `target ${target.instanceId ?? target.privateIps[0]} on port ${targetPort}` });
    this.legs.push({ from: subnet, to: subnet, src: node.privateIps[0], dst: target.privateIps[0], via: 'lb', viaId: lb.arn, client: 'elb' });
    this.port = targetPort;
    return this.fromEni(node, { kind: 'eni', eni: target }, true, preservedClientIp(lb, group, this.sourceIp));
  }

  /** Internet -> an interface with a public address, through its VPC's internet gateway. */
  fromInternet(clientIp: string, dest: ModelEni, viaIgw?: string, publicIp?: string): boolean {
    this.sourceIp = clientIp;
    this.hop(this.forward, { kind: 'internet', Component: comp(clientIp), note: `the internet (${clientIp})` });
    return this.enterFromInternet(clientIp, 'internet', dest, viaIgw, publicIp);
  }

  private enterFromInternet(clientIp: string, client: ClientKind, dest: ModelEni, viaIgw?: string, publicIp?: string, sender?: Sender): boolean {
    const igw = this.snap.igwByVpc.get(dest.vpcId);
    if (viaIgw && igw?.id !== viaIgw) {
      const given = this.snap.igws.get(viaIgw);
      if (!given?.vpcId) return this.block('forward', { ExplanationCode: 'UNASSOCIATED_COMPONENT', Component: comp(viaIgw), InternetGateway: comp(viaIgw) }, `${viaIgw} is not attached to any VPC`, `attach ${viaIgw} to ${dest.vpcId} (aws ec2 attach-internet-gateway)`);
      return this.block('forward', { ExplanationCode: 'DISCONNECTED_VPCS', Component: comp(viaIgw), SourceVpc: comp(given.vpcId), DestinationVpc: comp(dest.vpcId) }, `${viaIgw} is attached to ${given.vpcId}, not to ${dest.vpcId} where ${dest.id} is`, `analyse from the internet gateway of ${dest.vpcId}${igw ? ` (${igw.id})` : ''}`);
    }
    if (!igw) return this.block('forward', { ExplanationCode: 'NO_PATH', Vpc: comp(dest.vpcId), Component: comp(dest.vpcId) }, `${dest.vpcId} has no internet gateway attached, so nothing from the internet enters it`, `create an internet gateway and attach it to ${dest.vpcId} (aws ec2 create-internet-gateway, attach-internet-gateway)`);
    const lb = this.snap.loadBalancerByEni.get(dest.id);
    const mapping = publicIp ? dest.publicIps.find((p) => p.publicIp === publicIp) : dest.publicIps[0];
    // An internet-facing load balancer's nodes are public by definition even when the record carries no address.
    const privateIp = mapping?.privateIp ?? (lb?.scheme === 'internet-facing' ? dest.privateIps[0] : undefined);
    if (!privateIp) {
      const fix = lb ? `an internal load balancer has no public address: use an internet-facing one (scheme internet-facing) for ${lb.name}` : `associate an Elastic IP with ${dest.id} (aws ec2 allocate-address, associate-address), or put it behind an internet-facing load balancer`;
      return this.block('forward', { ExplanationCode: 'IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS', Component: comp(igw.id), InternetGateway: comp(igw.id), NetworkInterface: comp(dest.id), Address: dest.privateIps[0] }, `${dest.id} has no public or Elastic IP, so ${igw.id} has no address to translate to ${dest.privateIps[0]}`, fix);
    }
    this.destinationIp ??= mapping?.publicIp ?? privateIp;
    this.hop(this.forward, { kind: 'internet-gateway', Component: comp(igw.id), Vpc: comp(dest.vpcId), note: mapping ? `translates ${mapping.publicIp} → ${privateIp}` : `the load balancer's public address → ${privateIp}` });
    const subnet = this.snap.subnets.get(dest.subnetId)!;
    this.legs.push({ to: subnet, src: clientIp, dst: privateIp, via: 'igw', viaId: igw.id, client });
    if (!this.acl('forward', this.forward, subnet, 'ingress', clientIp, '0.0.0.0/0')) return false;
    if (!this.sg('forward', dest, 'ingress', { ip: clientIp, groupIds: [], viaPrivateIp: false }, '0.0.0.0/0', sender)) return false;
    this.hop(this.forward, this.eniHop(dest));
    return true;
  }

  /** An interface -> a destination. `relay`: the interface is a load balancer node passing on a connection it received (its hop is already on the path). */
  fromEni(src: ModelEni, dest: Dest, relay = false, preservedClient?: string): boolean {
    const srcIp = src.privateIps[0];
    if (!relay) {
      this.sourceIp = srcIp;
      this.hop(this.forward, this.eniHop(src));
    }
    let destIp: string;
    let privatePeer = false;
    if (dest.kind === 'eni') {
      const reachable = dest.eni.vpcId === src.vpcId || peeringBetween(this.snap, src.vpcId, dest.eni.vpcId);
      const lb = this.snap.loadBalancerByEni.get(dest.eni.id);
      if (reachable) {
        destIp = dest.eni.privateIps[0];
        privatePeer = true;
      } else if (dest.eni.publicIps.length > 0 || lb?.scheme === 'internet-facing') {
        destIp = dest.eni.publicIps[0]?.publicIp ?? dest.eni.privateIps[0];
        this.notes.push(`${dest.eni.vpcId} is not peered with ${src.vpcId}: the path goes over the internet to ${destIp}`);
      } else {
        return this.block('forward', { ExplanationCode: 'DISCONNECTED_VPCS', SourceVpc: comp(src.vpcId), DestinationVpc: comp(dest.eni.vpcId) }, `${src.vpcId} and ${dest.eni.vpcId} are not peered and ${dest.eni.id} has no public address`, `peer ${src.vpcId} with ${dest.eni.vpcId} (aws ec2 create-vpc-peering-connection, then routes on both sides)`);
      }
    } else {
      destIp = dest.ip;
    }
    this.destinationIp = destIp;
    const sameRegion = dest.kind === 'eni' && dest.eni.region === src.region;
    const peerGroups = dest.kind === 'eni' && privatePeer && sameRegion ? dest.eni.groupIds : [];
    const destCidr = dest.kind === 'eni' && privatePeer ? this.snap.subnets.get(dest.eni.subnetId)?.cidr ?? `${destIp}/32` : dest.kind === 'internet' ? '0.0.0.0/0' : `${destIp}/32`;
    if (!this.sg('forward', src, 'egress', { ip: destIp, groupIds: peerGroups, viaPrivateIp: privatePeer }, destCidr)) return false;
    const sender: Sender = { eni: src, srcIp, subnet: this.snap.subnets.get(src.subnetId)!, groupsVisible: true, client: src.client, preservedClientIp: preservedClient };
    return this.route(sender, destIp, dest);
  }

  /** Routes from the sender's subnet until the packet arrives or is dropped. */
  private route(sender: Sender, destIp: string, dest: Dest): boolean {
    for (let legs = 0; legs < MAX_LEGS; legs++) {
      const subnet = sender.subnet;
      const table = tableOf(this.snap, subnet);
      if (!table) return this.block('forward', { ExplanationCode: 'NO_ROUTE_TO_DESTINATION', Subnet: comp(subnet.id), Vpc: comp(subnet.vpcId), Address: destIp }, `${subnet.id} has no route table`, `associate a route table with ${subnet.id}`);
      const route = table.index.lookup(destIp);
      const peerVpc = dest.kind === 'eni' && dest.eni.vpcId !== subnet.vpcId ? dest.eni.vpcId : undefined;
      const pcx = peerVpc ? peeringBetween(this.snap, subnet.vpcId, peerVpc) : undefined;
      if (!route || (pcx && route.VpcPeeringConnectionId !== pcx.id)) {
        const expected = pcx ? { test: (r: RRoute) => r.VpcPeeringConnectionId === pcx.id, target: pcx.id, cidr: this.cidrHolding(peerVpc!, destIp) } : this.internetFix(sender, destIp);
        return this.routeMiss('forward', this.forward, table.table.id, subnet, route, destIp, expected);
      }
      if (route.GatewayId === 'local' && !vpcContains(this.snap.vpcs.get(subnet.vpcId), destIp)) {
        // A local route left for a block the VPC no longer has in force (disassociated, or still associating).
        this.hop(this.forward, { kind: 'route-table', Component: comp(table.table.id), RouteTableRoute: routeShape(route), Vpc: comp(subnet.vpcId), Subnet: comp(subnet.id), note: `${destIp} matches ${routeText(route)}` });
        return this.block('forward', { ExplanationCode: 'VPC_LOCAL_ROUTE_CIDR_RESTRICTION', Component: comp(table.table.id), RouteTable: comp(table.table.id), RouteTableRoute: routeShape(route), Vpc: comp(subnet.vpcId), Cidrs: this.snap.vpcs.get(subnet.vpcId)?.cidrs ?? [], Address: destIp },
          `the local route ${route.DestinationCidrBlock} in ${table.table.id} only carries addresses of ${subnet.vpcId}'s CIDR blocks in force (${(this.snap.vpcs.get(subnet.vpcId)?.cidrs ?? []).join(', ') || 'none'}), and ${destIp} is not in them`,
          `associate the block holding ${destIp} with ${subnet.vpcId} (aws ec2 associate-vpc-cidr-block), or address something inside the VPC`);
      }
      const next = this.nextSubnet(route, subnet, destIp);
      if (next !== subnet.id && !this.acl('forward', this.forward, subnet, 'egress', destIp, this.cidrOfAddress(subnet.vpcId, destIp))) return false;
      this.hop(this.forward, { kind: 'route-table', Component: comp(table.table.id), RouteTableRoute: routeShape(route), Vpc: comp(subnet.vpcId), Subnet: comp(subnet.id), note: `${destIp} matches ${routeText(route)}` });
      if (route.State === 'blackhole') {
        return this.block('forward', { ExplanationCode: 'BAD_STATE_ROUTE', RouteTable: comp(table.table.id), RouteTableRoute: routeShape(route), Component: comp(table.table.id), Vpc: comp(subnet.vpcId) }, `the route ${routeText(route)} in ${table.table.id} is a blackhole: its target ${routeTarget(route)} is gone or detached`, `replace the route ${route.DestinationCidrBlock} in ${table.table.id} with one to a live target (aws ec2 replace-route)`);
      }
      const step = this.follow(route, sender, destIp, dest);
      if (step === true || step === false) return step;
      sender = step;
    }
    // AWS has no code for a loop: no path is found (a configuration code).
    return this.block('forward', { ExplanationCode: 'NO_PATH', Address: destIp }, `the path to ${destIp} passes more than ${MAX_LEGS} routers: a routing loop between appliances`, 'check the routes through appliances for a loop');
  }

  /** The subnet the route hands the packet to next (undefined when it leaves the VPC). */
  private nextSubnet(route: RRoute, subnet: RSubnet, destIp: string): string | undefined {
    if (route.GatewayId === 'local') return this.snap.eniByVpcIp.get(`${subnet.vpcId} ${destIp}`)?.subnetId;
    if (route.NatGatewayId) return this.snap.nats.get(route.NatGatewayId)?.subnetId;
    if (route.NetworkInterfaceId) return this.snap.enis.get(route.NetworkInterfaceId)?.subnetId;
    if (route.InstanceId) return this.snap.enis.get(this.snap.instances.get(route.InstanceId)?.eniIds[0] ?? '')?.subnetId;
    return undefined;
  }

  /** What the route's target does with the packet: arrive (true), drop (false) or hand it to the next sender. */
  private follow(route: RRoute, sender: Sender, destIp: string, dest: Dest): boolean | Sender {
    const subnet = sender.subnet;
    if (route.GatewayId === 'local') {
      const eni = this.snap.eniByVpcIp.get(`${subnet.vpcId} ${destIp}`);
      if (!eni) return this.noHolder(destIp, subnet.vpcId);
      this.legs.push({ from: subnet, to: this.snap.subnets.get(eni.subnetId), src: sender.srcIp, dst: destIp, via: 'local', client: sender.client });
      return this.arrive(eni, sender);
    }
    if (route.GatewayId?.startsWith('igw-')) return this.throughIgw(route.GatewayId, sender, destIp, dest);
    if (route.NatGatewayId) {
      const nat = this.snap.nats.get(route.NatGatewayId);
      const natEni = nat?.eniId ? this.snap.enis.get(nat.eniId) : undefined;
      if (!nat || nat.state !== 'available' || !natEni) {
        return this.block('forward', { ExplanationCode: 'BAD_STATE', Component: comp(route.NatGatewayId), NatGateway: comp(route.NatGatewayId), State: nat?.state ?? 'deleted' }, `${route.NatGatewayId} is ${nat?.state ?? 'gone'}, not available`, `route through an available NAT gateway (aws ec2 create-nat-gateway, then replace-route)`);
      }
      const natSubnet = this.snap.subnets.get(nat.subnetId)!;
      if (natSubnet.id !== subnet.id && !this.acl('forward', this.forward, natSubnet, 'ingress', sender.srcIp, subnet.cidr)) return false;
      const node: Omit<Hop, 'SequenceNumber'> = { kind: 'nat-gateway', Component: comp(nat.id), Vpc: comp(nat.vpcId), Subnet: comp(nat.subnetId), note: `${nat.id} (${nat.connectivity}) translates ${sender.srcIp} → ${natEni.privateIps[0]}${natEni.publicIps[0] ? ` (public ${natEni.publicIps[0].publicIp})` : ''}` };
      this.legs.push({ from: subnet, to: natSubnet, src: sender.srcIp, dst: destIp, via: 'nat', viaId: nat.id, client: sender.client });
      this.hop(this.forward, node);
      // Past the NAT the packet comes from the gateway's own address, and replies to it use its port range.
      return { eni: natEni, srcIp: natEni.privateIps[0], subnet: natSubnet, groupsVisible: false, lostGroups: sender.groupsVisible ? sender.eni.groupIds : sender.lostGroups, lostVia: `a NAT gateway (${nat.id})`, client: 'natGateway' };
    }
    if (route.NetworkInterfaceId || route.InstanceId) {
      const id = route.NetworkInterfaceId ?? this.snap.instances.get(route.InstanceId!)?.eniIds[0];
      const eni = id ? this.snap.enis.get(id) : undefined;
      if (!eni) return this.block('forward', { ExplanationCode: 'BAD_STATE_ROUTE', RouteTableRoute: routeShape(route), Component: comp(routeTarget(route)) }, `the route's target ${routeTarget(route)} has no network interface`, `replace the route ${route.DestinationCidrBlock} with one to a live target`);
      return this.throughAppliance(eni, sender, destIp);
    }
    if (route.VpcPeeringConnectionId) return this.throughPeering(route.VpcPeeringConnectionId, sender, destIp, dest);
    if (route.GatewayId?.startsWith('vpce-')) {
      // A gateway endpoint (gateway-endpoint-step.ts): the AWS service behind it is where the packet arrives.
      const step = gatewayEndpointStep(this.snap, route.GatewayId, route, subnet, tableOf(this.snap, subnet)?.table.id ?? '');
      if (!('hop' in step)) return this.block('forward', step.explanation, step.message, step.fix);
      this.hop(this.forward, step.hop);
      this.legs.push({ from: subnet, src: sender.srcIp, dst: destIp, via: 'vpce', viaId: route.GatewayId, client: sender.client });
      return true;
    }
    return this.block('forward', { ExplanationCode: 'UNSUPPORTED_COMPONENT', Component: comp(routeTarget(route)), RouteTableRoute: routeShape(route) }, `localnet does not model ${routeTarget(route)} (transit gateways, VPN gateways, egress-only gateways)`, 'none inside localnet: this target type is not emulated');
  }

  private throughIgw(igwId: string, sender: Sender, destIp: string, dest: Dest): boolean {
    const igw = this.snap.igws.get(igwId);
    if (!igw || igw.vpcId !== sender.subnet.vpcId) {
      return this.block('forward', { ExplanationCode: 'BAD_STATE', Component: comp(igwId), InternetGateway: comp(igwId), Vpc: comp(sender.subnet.vpcId) }, `${igwId} is not attached to ${sender.subnet.vpcId}`, `attach ${igwId} to ${sender.subnet.vpcId} (aws ec2 attach-internet-gateway)`);
    }
    const lb = this.snap.loadBalancerByEni.get(sender.eni.id);
    const mapped = sender.eni.publicIps.find((p) => p.privateIp === sender.srcIp)?.publicIp ?? (lb?.scheme === 'internet-facing' ? sender.srcIp : undefined);
    if (!mapped) {
      const nat = this.snap.natByEni.get(sender.eni.id);
      const fix = nat ? `a private NAT gateway has no public address: route through a public NAT gateway (with an Elastic IP) instead of ${nat.id}` : `associate an Elastic IP with ${sender.eni.id} (aws ec2 allocate-address, associate-address), or route 0.0.0.0/0 from ${sender.subnet.id} through a NAT gateway in a public subnet`;
      return this.block('forward', { ExplanationCode: 'IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS', Component: comp(igwId), InternetGateway: comp(igwId), NetworkInterface: comp(sender.eni.id), Address: sender.srcIp }, `${sender.eni.id} (${sender.srcIp}) has no public or Elastic IP, so ${igwId} drops its traffic to the internet`, fix);
    }
    this.hop(this.forward, { kind: 'internet-gateway', Component: comp(igwId), Vpc: comp(igw.vpcId), note: `translates ${sender.srcIp} → ${mapped}` });
    this.legs.push({ from: sender.subnet, src: mapped, dst: destIp, via: 'igw', viaId: igwId, client: sender.client });
    // The destination is a public address of an interface: in again through that VPC's gateway (hairpin).
    const target = this.snap.eniByPublicIp.get(destIp);
    if (target) return this.enterFromInternet(mapped, sender.client, target.eni, undefined, destIp, { ...sender, lostGroups: sender.groupsVisible ? sender.eni.groupIds : sender.lostGroups, lostVia: sender.groupsVisible ? `the internet (public addresses, through ${igwId})` : sender.lostVia });
    if (dest.kind === 'eni' || isPrivateIp(destIp)) {
      // An internet gateway drops egress to RFC 1918 and RFC 6598 (shared, 100.64.0.0/10) addresses.
      const code = isSharedIp(destIp) ? 'IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS' : 'IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS';
      return this.block('forward', { ExplanationCode: code, Component: comp(igwId), InternetGateway: comp(igwId), Address: destIp }, `${destIp} is a private address: ${igwId} does not carry it to the internet, and ${sender.subnet.vpcId} has no other route to it`, `peer ${sender.subnet.vpcId} with the VPC that holds ${destIp} and add routes to it on both sides`);
    }
    this.hop(this.forward, { kind: 'internet', Component: comp(destIp), note: `the internet (${destIp})` });
    return true;
  }

  private throughPeering(pcxId: string, sender: Sender, destIp: string, dest: Dest): boolean {
    const p = this.snap.peerings.get(pcxId);
    if (!p || p.state !== 'active') {
      return this.block('forward', { ExplanationCode: 'BAD_STATE', Component: comp(pcxId), VpcPeeringConnection: comp(pcxId), State: p?.state ?? 'deleted' }, `${pcxId} is ${p?.state ?? 'gone'}, not active`, p?.state === 'pending-acceptance' ? `accept ${pcxId} (aws ec2 accept-vpc-peering-connection)` : `create and accept a new peering, then point the route at it`);
    }
    const vpc = sender.subnet.vpcId;
    const other = p.requester.vpcId === vpc ? p.accepter : p.accepter.vpcId === vpc ? p.requester : undefined;
    if (!other) return this.block('forward', { ExplanationCode: 'BAD_STATE_ROUTE', Component: comp(pcxId) }, `${pcxId} does not connect ${vpc}`, `point the route at a peering of ${vpc}`);
    if (!other.cidrs.some((c) => cidrContains(c, destIp))) {
      return this.block('forward', { ExplanationCode: 'PCX_REQUIRES_ADDRESS_IN_VPC_CIDR', Component: comp(pcxId), VpcPeeringConnection: comp(pcxId), Address: destIp, Cidrs: other.cidrs, SourceVpc: comp(vpc), DestinationVpc: comp(other.vpcId) },
        `${pcxId} only carries traffic for ${other.vpcId}'s own addresses (${other.cidrs.join(', ')}), not ${destIp}: peering is not transitive and a peer's internet gateway, NAT gateway or other peerings cannot be used`,
        dest.kind === 'internet' ? `give ${vpc} its own way out (an internet gateway, or a NAT gateway in a public subnet) instead of routing through ${other.vpcId}` : `peer ${vpc} directly with the VPC that holds ${destIp} and route to it`);
    }
    this.hop(this.forward, { kind: 'vpc-peering-connection', Component: comp(pcxId), SourceVpc: comp(vpc), DestinationVpc: comp(other.vpcId), note: `${vpc} → ${other.vpcId}` });
    const eni = this.snap.eniByVpcIp.get(`${other.vpcId} ${destIp}`);
    if (!eni) return this.noHolder(destIp, other.vpcId);
    this.legs.push({ from: sender.subnet, to: this.snap.subnets.get(eni.subnetId), src: sender.srcIp, dst: destIp, via: 'pcx', viaId: pcxId, client: sender.client });
    // Security group references work across a same-region peering only.
    const sameRegion = p.requester.region === p.accepter.region;
    return this.arrive(eni, { ...sender, groupsVisible: sender.groupsVisible && sameRegion, lostGroups: sender.groupsVisible && !sameRegion ? sender.eni.groupIds : sender.lostGroups, lostVia: sender.groupsVisible && !sameRegion ? `an inter-region peering (${pcxId})` : sender.lostVia });
  }

  private throughAppliance(eni: ModelEni, sender: Sender, destIp: string): boolean | Sender {
    const subnet = this.snap.subnets.get(eni.subnetId)!;
    if (subnet.id !== sender.subnet.id && !this.acl('forward', this.forward, subnet, 'ingress', sender.srcIp, sender.subnet.cidr)) return false;
    if (!this.sg('forward', eni, 'ingress', { ip: sender.srcIp, groupIds: sender.groupsVisible ? sender.eni.groupIds : [], viaPrivateIp: sender.groupsVisible }, sender.subnet.cidr, sender)) return false;
    if (eni.sourceDestCheck) {
      return this.block('forward', { ExplanationCode: 'ENI_SOURCE_DEST_CHECK_RESTRICTION', Component: comp(eni.id), NetworkInterface: comp(eni.id) }, `${eni.id} drops traffic addressed to ${destIp} because its source/destination check is on`, `disable the source/destination check on ${eni.id} (aws ec2 modify-network-interface-attribute --no-source-dest-check)`);
    }
    const node = { ...this.eniHop(eni), note: `${this.eniHop(eni).note}: forwards (source/destination check off)` };
    this.hop(this.forward, node);
    this.legs.push({ from: sender.subnet, to: subnet, src: sender.srcIp, dst: destIp, via: 'eni', viaId: eni.id, client: sender.client });
    if (!this.sg('forward', eni, 'egress', { ip: destIp, groupIds: [], viaPrivateIp: false }, '0.0.0.0/0')) return false;
    return { eni, srcIp: sender.srcIp, subnet, groupsVisible: sender.groupsVisible, client: sender.client };
  }

  private arrive(eni: ModelEni, sender: Sender): boolean {
    const subnet = this.snap.subnets.get(eni.subnetId)!;
    // With client IP preservation the target's NACL and security groups see the client (the NLB's groups still match a reference).
    const from = sender.preservedClientIp ?? sender.srcIp;
    const fromCidr = sender.preservedClientIp ? preservedCidr(sender.preservedClientIp) : sender.subnet.cidr;
    if (subnet.id !== sender.subnet.id && !this.acl('forward', this.forward, subnet, 'ingress', from, fromCidr)) return false;
    const fixCidr = sender.client === 'natGateway' ? `${sender.srcIp}/32` : fromCidr;
    if (!this.sg('forward', eni, 'ingress', { ip: from, groupIds: sender.groupsVisible ? sender.eni.groupIds : [], viaPrivateIp: sender.groupsVisible }, fixCidr, sender)) return false;
    this.hop(this.forward, this.eniHop(eni));
    return true;
  }

  private noHolder(ip: string, vpcId: string): false {
    return this.block('forward', { ExplanationCode: 'NO_POSSIBLE_DESTINATION', Vpc: comp(vpcId), Address: ip }, `no network interface in ${vpcId} holds ${ip}`, `check the address: nothing in ${vpcId} uses ${ip}`);
  }

  // ---- checks ----

  private sg(path: 'forward' | 'return', eni: ModelEni, direction: 'ingress' | 'egress', peer: SgFlow['peer'], fixCidr: string, sender?: Sender): boolean {
    const list = path === 'forward' ? this.forward : this.ret;
    if (!eni.groupIds.length && this.snap.loadBalancerByEni.get(eni.id)?.type === 'network') {
      // An NLB created without security groups filters nothing: every packet passes on to the targets' groups.
      this.hop(list, { kind: 'security-group', direction, Component: comp(eni.id), note: `${direction === 'ingress' ? 'inbound' : 'outbound'}: the network load balancer has no security groups, so all traffic passes` });
      return true;
    }
    const rules = rulesOf(this.snap, eni.groupIds, direction);
    const flow: SgFlow = { direction, protocol: this.protocol, port: this.port, peer };
    const d = evaluateSecurityGroups(rules, flow);
    if (d.allowed) {
      this.hop(list, { kind: 'security-group', direction, Component: comp(d.rule.GroupId ?? eni.groupIds[0]), SecurityGroupRule: sgRuleShape(d.rule), note: `${direction === 'ingress' ? 'inbound' : 'outbound'}: ${sgRuleText(d.rule)}` });
      return true;
    }
    const word = direction === 'ingress' ? 'inbound' : 'outbound';
    const groups = eni.groupIds.map(comp);
    const explanation: Explanation = { ExplanationCode: rules.length === 0 ? 'SG_HAS_NO_RULES' : 'ENI_SG_RULES_MISMATCH', Direction: direction, Component: comp(eni.id), NetworkInterface: comp(eni.id), SecurityGroups: groups, SecurityGroup: groups[0], Protocols: [this.protocol], Port: this.port, Address: peer.ip };
    // A rule names the sender's group, but a NAT gateway or an inter-region peering on the way dropped it.
    const lost = sender?.lostGroups;
    if (lost?.length && evaluateSecurityGroups(rules, { ...flow, peer: { ...peer, groupIds: lost, viaPrivateIp: true } }).allowed) {
      const via = sender!.lostVia ?? 'a component that does not preserve them';
      return this.block(path, { ...explanation, ExplanationCode: 'SG_REFERENCES_NOT_PRESERVED', SecurityGroups: lost.map(comp) },
        `${eni.groupIds.join(', ')} on ${eni.id} admits ${this.what} from security group ${lost.join(', ')}, but the traffic comes through ${via}, which does not carry security group identity`,
        `allow ${this.what} from ${fixCidr} (an address range) in ${eni.groupIds[0]} instead of the group reference (aws ec2 authorize-security-group-ingress --cidr)`);
    }
    const lbText = this.loadBalancerSgText(eni, direction, peer, sender);
    if (lbText) return this.block(path, explanation, lbText.message, lbText.fix);
    // Rules that would match on another port: the usual "allows the wrong port" mistake.
    const near = rules.filter((r) => r.IpProtocol !== '-1' && r.FromPort !== undefined && ruleMatches(r, { ...flow, port: r.FromPort }));
    const nearText = near.length ? ` (they allow ${near.map((r) => `${r.IpProtocol} ${r.FromPort === r.ToPort ? r.FromPort : `${r.FromPort}-${r.ToPort}`}`).join(', ')})` : '';
    const message = rules.length === 0
      ? `the security groups of ${eni.id} (${eni.groupIds.join(', ') || 'none'}) have no ${word} rules`
      : `no ${word} rule of ${eni.groupIds.join(', ')} on ${eni.id} allows ${this.what} ${direction === 'ingress' ? 'from' : 'to'} ${peer.ip}${nearText}`;
    const fix = eni.groupIds.length
      ? `add an ${word} rule to ${eni.groupIds[0]} allowing ${this.what} ${direction === 'ingress' ? 'from' : 'to'} ${fixCidr} (aws ec2 authorize-security-group-${direction})`
      : `attach a security group to ${eni.id} that allows ${this.what}`;
    return this.block(path, explanation, message, fix);
  }

  /** The wording when a load balancer is one end of the security group check (the data plane shows these in health reasons and status). */
  private loadBalancerSgText(eni: ModelEni, direction: 'ingress' | 'egress', peer: SgFlow['peer'], sender?: Sender): { message: string; fix: string } | undefined {
    const proto = this.protocol.toUpperCase();
    const own = this.snap.loadBalancerByEni.get(eni.id);
    const groups = eni.groupIds.join(', ') || 'none';
    if (own && direction === 'ingress') {
      const from = peer.ip === INTERNET ? '0.0.0.0/0' : peer.ip;
      const cidr = peer.ip === INTERNET || !isPrivateIp(peer.ip) ? '0.0.0.0/0' : `${peer.ip}/32`;
      return { message: `the load balancer's security groups (${groups}) have no inbound rule allowing ${proto} port ${this.port} from ${from}`, fix: `add one (aws ec2 authorize-security-group-ingress --group-id ${eni.groupIds[0] ?? 'sg-...'} --protocol ${this.protocol} --port ${this.port} --cidr ${cidr})` };
    }
    if (own && direction === 'egress') {
      return { message: `the load balancer's security groups (${groups}) allow no outbound ${proto} port ${this.port} to ${peer.ip}`, fix: "add an outbound rule for it (to the target's security group or its subnet)" };
    }
    const lb = sender ? this.snap.loadBalancerByEni.get(sender.eni.id) : undefined;
    if (lb && direction === 'ingress' && sender?.preservedClientIp) {
      const client = sender.preservedClientIp === INTERNET ? 'a client on the internet (0.0.0.0/0)' : `the client ${sender.preservedClientIp}`;
      const ref = lb.groupIds.length ? ` or --source-group ${lb.groupIds[0]} (the load balancer's group)` : '';
      return {
        message: `the target's security groups (${groups}) have no inbound rule allowing ${proto} port ${this.port} from ${client}: the target group preserves client IP addresses, so the target sees the client, not the load balancer`,
        fix: `allow it (aws ec2 authorize-security-group-ingress --group-id ${eni.groupIds[0] ?? 'sg-...'} --protocol ${this.protocol} --port ${this.port} --cidr ${preservedCidr(sender.preservedClientIp)}${ref}), or turn preserve_client_ip.enabled off`,
      };
    }
    if (lb && direction === 'ingress') {
      return {
        message: `the target's security groups (${groups}) have no inbound rule allowing ${proto} port ${this.port} from the load balancer (${sender!.srcIp}, security group ${lb.groupIds.join(', ') || 'none'})`,
        fix: `add one, e.g. aws ec2 authorize-security-group-ingress --group-id ${eni.groupIds[0] ?? 'sg-...'} --protocol ${this.protocol} --port ${this.port} --source-group ${lb.groupIds[0] ?? 'sg-...'}`,
      };
    }
    return undefined;
  }

  /**
   * One network ACL on one packet: a single destination port on the forward
   * path, the client's whole ephemeral range for a reply (every port of it
   * must pass, since the client picks any).
   */
  private acl(path: 'forward' | 'return', list: Hop[], subnet: RSubnet, direction: 'ingress' | 'egress', remoteIp: string, fixCidr: string, client?: ClientKind): boolean {
    const acl = aclOf(this.snap, subnet);
    if (!acl) return true;
    const range = client ? CLIENT_RANGES[client] : undefined;
    let denied: { entry?: (typeof acl.entries)[number]; port: number } | undefined;
    let used: (typeof acl.entries)[number] | undefined;
    if (range) {
      const r = evaluatePortRange(acl.sorted, { direction, protocol: this.protocol, remoteIp }, range);
      if (r.allowed) used = r.entries[0]; else denied = { entry: r.entry, port: r.port };
    } else {
      const d = evaluateNetworkAcl(acl.sorted, { direction, protocol: this.protocol, port: this.port, remoteIp });
      if (d.action === 'allow') used = d.entry; else denied = { entry: d.entry, port: this.port };
    }
    const word = direction === 'ingress' ? 'inbound' : 'outbound';
    const ports = range ? `${range.from}-${range.to}` : String(this.port);
    if (!denied) {
      this.hop(list, { kind: 'network-acl', direction, Component: comp(acl.id), AclRule: aclRuleShape(used), Subnet: comp(subnet.id), note: `${word} ${this.protocol} ${ports} ${direction === 'ingress' ? 'from' : 'to'} ${remoteIp}: ${aclEntryText(used)}` });
      return true;
    }
    const n = denied.entry?.RuleNumber;
    const below = n !== undefined && n < 32767 ? `, numbered below rule ${n} which denies it` : '';
    const reply = range ? `the reply ${direction === 'ingress' ? 'from' : 'to'} ${remoteIp} on ${this.protocol} ${denied.port} (the ${CLIENT_NAMES[client!]} client's ephemeral range ${ports})` : `${this.what} ${direction === 'ingress' ? 'from' : 'to'} ${remoteIp}`;
    return this.block(path, {
      ExplanationCode: 'SUBNET_ACL_RESTRICTION', Direction: direction, Component: comp(acl.id), Acl: comp(acl.id), AclRule: aclRuleShape(denied.entry), Subnet: comp(subnet.id),
      Protocols: [this.protocol], ...(range ? { PortRanges: [{ From: range.from, To: range.to }] } : { Port: this.port }), Address: remoteIp,
    }, `${reply} is dropped by ${acl.id} (${subnet.id}) ${word} ${aclEntryText(denied.entry)}`,
    `add an ${word} NACL rule allowing ${this.protocol} ${ports} ${direction === 'ingress' ? 'from' : 'to'} ${fixCidr} on ${acl.id}${below} (aws ec2 create-network-acl-entry${direction === 'egress' ? ' --egress' : ' --ingress'})`);
  }

  /** A missing or misdirected route: which code, and the route that would fix it. */
  private routeMiss(path: 'forward' | 'return', list: Hop[], tableId: string, subnet: RSubnet, got: RRoute | undefined, ip: string, expected: { test: (r: RRoute) => boolean; target: string; cidr: string; fix?: string }): false {
    const table = this.snap.routeTables.get(tableId)!;
    const where = path === 'return' && expected.target.startsWith('pcx-') ? ' (the peer\'s side)' : '';
    const fix = expected.fix ?? `add a route ${expected.cidr} → ${expected.target} to ${tableId}${where} (aws ec2 create-route)`;
    const what = path === 'return' ? `the reply to ${ip}` : ip;
    if (got) {
      this.hop(list, { kind: 'route-table', Component: comp(tableId), RouteTableRoute: routeShape(got), Vpc: comp(subnet.vpcId), Subnet: comp(subnet.id), note: `${ip} matches ${routeText(got)}` });
      const shadowed = table.table.routes.find((r) => expected.test(r) && r.DestinationCidrBlock !== undefined && cidrContains(r.DestinationCidrBlock, ip));
      if (shadowed && prefixOf(shadowed) === prefixOf(got)) {
        // Same destination, and the other route wins on priority (local > static > prefix list > propagated).
        return this.block(path, { ExplanationCode: 'HIGHER_PRIORITY_ROUTE', Component: comp(tableId), RouteTable: comp(tableId), RouteTableRoute: routeShape(shadowed), Vpc: comp(subnet.vpcId), Address: ip },
          `in ${tableId}, ${routeText(got)} has the same destination as ${routeText(shadowed)} and a higher priority, so ${what} goes to ${routeTarget(got)} instead of ${expected.target}`, `remove the route ${routeText(got)} from ${tableId}, or give ${expected.target} a more specific destination than ${got.DestinationCidrBlock ?? got.DestinationPrefixListId}`);
      }
      if (shadowed) {
        return this.block(path, { ExplanationCode: 'MORE_SPECIFIC_ROUTE', Component: comp(tableId), RouteTable: comp(tableId), RouteTableRoute: routeShape(got), Vpc: comp(subnet.vpcId), Address: ip },
          `in ${tableId}, ${routeText(got)} is more specific than ${routeText(shadowed)}, so ${what} goes to ${routeTarget(got)} instead of ${expected.target}`, `remove or narrow the route ${got.DestinationCidrBlock} in ${tableId}, or add ${expected.cidr} → ${expected.target}`);
      }
      return this.block(path, { ExplanationCode: 'NO_ROUTE_TO_DESTINATION', Component: comp(tableId), RouteTable: comp(tableId), RouteTableRoute: routeShape(got), Vpc: comp(subnet.vpcId), Address: ip },
        `${tableId} (${subnet.id}) has no route to ${ip} through ${expected.target}: its best match ${routeText(got)} sends ${what} elsewhere`, fix);
    }
    return this.block(path, { ExplanationCode: 'NO_ROUTE_TO_DESTINATION', Component: comp(tableId), RouteTable: comp(tableId), Vpc: comp(subnet.vpcId), Subnet: comp(subnet.id), Address: ip },
      `${tableId} (${subnet.id}) has no route that covers ${ip}, so ${what} is dropped`, fix);
  }

  /** The fix for a packet to the internet (or an unknown address) that has no usable route. */
  private internetFix(sender: Sender, ip: string): { test: (r: RRoute) => boolean; target: string; cidr: string; fix?: string } {
    const vpc = sender.subnet.vpcId;
    const igw = this.snap.igwByVpc.get(vpc);
    const table = tableOf(this.snap, sender.subnet)?.table.id ?? '?';
    if (!isPrivateIp(ip)) {
      const nat = this.snap.data.nats.find((n) => n.vpcId === vpc && n.state === 'available' && n.connectivity === 'public' && n.subnetId !== sender.subnet.id);
      if (nat) return { test: (r) => r.NatGatewayId === nat.id, target: nat.id, cidr: '0.0.0.0/0' };
      if (igw && sender.eni.publicIps.length > 0) return { test: (r) => r.GatewayId === igw.id, target: igw.id, cidr: '0.0.0.0/0' };
      const fix = igw
        ? `create a NAT gateway in a public subnet of ${vpc} (one whose route table sends 0.0.0.0/0 to ${igw.id}) and add a route 0.0.0.0/0 → nat-… to ${table}`
        : `attach an internet gateway to ${vpc}, create a NAT gateway in a public subnet, and add a route 0.0.0.0/0 → nat-… to ${table}`;
      return { test: (r) => r.NatGatewayId !== undefined || !!r.GatewayId?.startsWith('igw-'), target: 'a NAT gateway', cidr: '0.0.0.0/0', fix };
    }
    return { test: () => false, target: 'a target', cidr: `${ip}/32`, fix: `add a route covering ${ip} to ${table}` };
  }

  private cidrHolding(vpcId: string, ip: string): string {
    return this.snap.vpcs.get(vpcId)?.cidrs.find((c) => cidrContains(c, ip)) ?? `${ip}/32`;
  }

  /** The subnet CIDR holding an address of the VPC, else 0.0.0.0/0 (for NACL fixes). */
  private cidrOfAddress(vpcId: string, ip: string): string {
    const eni = this.snap.eniByVpcIp.get(`${vpcId} ${ip}`);
    return eni ? this.snap.subnets.get(eni.subnetId)?.cidr ?? `${ip}/32` : vpcContains(this.snap.vpcs.get(vpcId), ip) ? `${ip}/32` : '0.0.0.0/0';
  }

  // ---- return ----

  /** The reply, leg by leg in reverse. `dest` is where the forward path ended. */
  returnPath(first: Omit<Hop, 'SequenceNumber'>, last: Omit<Hop, 'SequenceNumber'>): boolean {
    this.hop(this.ret, first);
    for (const leg of [...this.legs].reverse()) {
      // The reply meets the NAT gateway (or appliance) this leg led to before anything else of the leg.
      if (leg.via === 'nat' && leg.viaId) this.hop(this.ret, { kind: 'nat-gateway', Component: comp(leg.viaId), note: 'translates the reply back to the original client' });
      if (leg.via === 'eni' && leg.viaId) this.hop(this.ret, { ...this.eniHop(this.snap.enis.get(leg.viaId)!), note: `${leg.viaId} forwards the reply` });
      if (leg.via === 'lb' && leg.viaId) {
        const lb = this.snap.loadBalancers.get(leg.viaId)!;
        this.hop(this.ret, { kind: 'load-balancer', Component: { Id: lb.arn, Arn: lb.arn, Name: lb.name }, note: `${lb.name} relays the reply to its client` });
        continue;
      }
      const crosses = leg.from?.id !== leg.to?.id;
      if (leg.to && crosses) {
        const cidr = leg.from ? this.cidrOfAddress(leg.from.vpcId, leg.src) : '0.0.0.0/0';
        if (!this.acl('return', this.ret, leg.to, 'egress', leg.src, cidr, leg.client)) return false;
        if (!this.routeBack(leg.to, leg)) return false;
      }
      if (leg.via === 'igw') this.hop(this.ret, { kind: 'internet-gateway', Component: comp(leg.viaId!), note: 'translates the reply back' });
      if (leg.via === 'pcx') this.hop(this.ret, { kind: 'vpc-peering-connection', Component: comp(leg.viaId!), note: `back to ${leg.from?.vpcId}` });
      if (leg.via === 'vpce') this.hop(this.ret, { kind: 'vpc-endpoint', Component: comp(leg.viaId!), note: 'the reply from the service comes back through the gateway endpoint' });
      if (leg.from && crosses) {
        const cidr = this.cidrOfAddress((leg.to ?? leg.from).vpcId, leg.dst);
        if (!this.acl('return', this.ret, leg.from, 'ingress', leg.dst, cidr, leg.client)) return false;
      }
    }
    this.hop(this.ret, last);
    return true;
  }

  private routeBack(subnet: RSubnet, leg: Leg): boolean {
    const table = tableOf(this.snap, subnet);
    if (!table) return this.block('return', { ExplanationCode: 'NO_ROUTE_TO_DESTINATION', Subnet: comp(subnet.id), Address: leg.src }, `${subnet.id} has no route table`, `associate a route table with ${subnet.id}`);
    const route = table.index.lookup(leg.src);
    const expected = leg.via === 'pcx'
      ? { test: (r: RRoute) => r.VpcPeeringConnectionId === leg.viaId, target: leg.viaId!, cidr: this.cidrHolding(leg.from!.vpcId, leg.src) }
      : leg.via === 'igw'
        ? { test: (r: RRoute) => r.GatewayId === leg.viaId, target: leg.viaId!, cidr: '0.0.0.0/0' }
        : { test: (r: RRoute) => r.GatewayId === 'local' || leg.via === 'eni', target: 'local', cidr: leg.from?.cidr ?? leg.src };
    if (!route || !expected.test(route)) return this.routeMiss('return', this.ret, table.table.id, subnet, route, leg.src, expected);
    this.hop(this.ret, { kind: 'route-table', Component: comp(table.table.id), RouteTableRoute: routeShape(route), Vpc: comp(subnet.vpcId), Subnet: comp(subnet.id), note: `${leg.src} matches ${routeText(route)}` });
    if (route.State === 'blackhole') {
      return this.block('return', { ExplanationCode: 'BAD_STATE_ROUTE', RouteTable: comp(table.table.id), RouteTableRoute: routeShape(route), Component: comp(table.table.id) }, `the reply's route ${routeText(route)} in ${table.table.id} is a blackhole`, `replace the route ${route.DestinationCidrBlock} in ${table.table.id} with one to ${expected.target}`);
    }
    return true;
  }

  eniHopOf(eni: ModelEni): Omit<Hop, 'SequenceNumber'> {
    return this.eniHop(eni);
  }
}
