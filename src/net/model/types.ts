// The network model's input: plain data about every VPC, subnet, route
// table, ACL, security group, interface, gateway, peering and load balancer
// in every account and region, read from the records (from-records.ts) or
// synthesised by tests and benchmarks. model.ts indexes it.
import type { AclEntryView } from '../network-acls.ts';
import type { RouteLike } from '../routing.ts';
import type { SgRuleView } from '../security-groups.ts';

export interface RVpc {
  id: string;
  account: string;
  region: string;
  /** Associated IPv4 blocks, primary first. */
  cidrs: string[];
  dnsSupport: boolean;
  dnsHostnames: boolean;
}

export interface RSubnet {
  id: string;
  vpcId: string;
  cidr: string;
  az: string;
}

/** A route as the EC2 API stores it (Route shape). */
export interface RRoute extends RouteLike {
  GatewayId?: string;
  NatGatewayId?: string;
  InstanceId?: string;
  NetworkInterfaceId?: string;
  VpcPeeringConnectionId?: string;
  TransitGatewayId?: string;
  EgressOnlyInternetGatewayId?: string;
  State?: string;
}

export interface RRouteTable {
  id: string;
  vpcId: string;
  main: boolean;
  subnetIds: string[];
  routes: RRoute[];
}

export interface RAcl {
  id: string;
  vpcId: string;
  isDefault: boolean;
  subnetIds: string[];
  entries: AclEntryView[];
}

export interface RSecurityGroup {
  id: string;
  vpcId: string;
  name: string;
  rules: SgRuleView[];
}

/** Which clients' ephemeral ports replies go to (AWS-BEHAVIOUR §3). */
export type ClientKind = 'linux' | 'windows' | 'elb' | 'natGateway' | 'internet';

export interface REni {
  id: string;
  vpcId: string;
  subnetId: string;
  /** interface | nat_gateway | network_load_balancer | ... */
  type: string;
  description: string;
  /** Primary first. */
  privateIps: string[];
  /** Public (auto-assigned or Elastic) addresses mapped onto private ones. */
  publicIps: { publicIp: string; privateIp: string; elastic: boolean }[];
  groupIds: string[];
  sourceDestCheck: boolean;
  instanceId?: string;
  /** Whose ephemeral range replies to this interface use. */
  client: ClientKind;
  /** Host names per private address (the DNS views answer them), when the interface has them. */
  names?: { privateIp: string; privateDnsName: string; publicIp?: string; publicDnsName?: string }[];
}

export interface RInstance {
  id: string;
  state: string;
  /** Primary interface first. */
  eniIds: string[];
  /** Its tags: `localnet:port:<port>` tags name the local process behind a port (the load balancer reads them). */
  tags?: { Key?: string; Value?: string }[];
}

export interface RIgw {
  id: string;
  /** The VPC it is attached to (state available), if any. */
  vpcId?: string;
}

export interface RNat {
  id: string;
  vpcId: string;
  subnetId: string;
  state: string;
  connectivity: 'public' | 'private';
  eniId?: string;
}

export interface RPeering {
  id: string;
  state: string;
  requester: { vpcId: string; cidrs: string[]; region: string };
  accepter: { vpcId: string; cidrs: string[]; region: string };
}

/** A listener of a load balancer: where it accepts traffic and which target groups its rules forward to. */
export interface RListener {
  arn: string;
  port: number;
  protocol: string;
  /** Every target group a forward action of the listener (default action or rule) names, in rule order. */
  targetGroupArns: string[];
}

/** An ELBv2 load balancer: its interfaces are ordinary ENIs (description `ELB app/<name>/<id>`). */
export interface RLoadBalancer {
  arn: string;
  name: string;
  type: string;
  scheme: 'internet-facing' | 'internal';
  /** active, provisioning, active_impaired or failed. */
  state: string;
  vpcId: string;
  subnetIds: string[];
  /** The Availability Zones it is enabled in (one per subnet). */
  zones: string[];
  groupIds: string[];
  /** NLBs: EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic; absent means on, AWS's default. */
  enforcesOnPrivateLink?: boolean;
  eniIds: string[];
  listeners: RListener[];
  /** The ports its listeners accept (a path to another port is refused). */
  listenerPorts: number[];
  dnsName?: string;
  /** The loopback address its listeners bind; the DNS views answer it for dnsName. */
  address?: string;
  account: string;
  region: string;
}

/** A registered target: an instance id or an IP address, on its registered port. */
export interface RTarget {
  id: string;
  port: number;
  /** Set while it drains after DeregisterTargets (no new connections). */
  draining: boolean;
}

export interface RTargetGroup {
  arn: string;
  name: string;
  vpcId: string;
  targetType: string;
  protocol?: string;
  targets: RTarget[];
  /** load_balancing.cross_zone.enabled: false only when the group turns it off (ALBs default to on). */
  crossZone: boolean;
  /** preserve_client_ip.enabled (NLB groups): targets see the client's address instead of the node's. */
  preserveClientIp: boolean;
}

/** An endpoint interface: a requester-managed ENI of an interface endpoint, with the loopback address the host reaches it at. */
export interface REndpointInterface {
  eniId: string;
  subnetId: string;
  az: string;
  privateIp: string;
  /** The loopback address (NetworkInterface._address) the endpoint data plane binds; absent until the control plane gives one. */
  address?: string;
}

/** A consumer's VPC endpoint (interface, gateway or Gateway Load Balancer). */
export interface RVpcEndpoint {
  id: string;
  account: string;
  region: string;
  vpcId: string;
  type: 'Interface' | 'Gateway' | 'GatewayLoadBalancer';
  /** available, pendingAcceptance, pending, rejected, deleting, deleted, failed, expired. */
  state: string;
  serviceName: string;
  subnetIds: string[];
  groupIds: string[];
  /** Interface endpoints: one interface per subnet, in NetworkInterfaceIds order. */
  interfaces: REndpointInterface[];
  /** Gateway endpoints: the route tables it adds its prefix-list route to. */
  routeTableIds: string[];
  privateDnsEnabled: boolean;
  /** DnsEntries as stored: the regional name first, then one zonal name per AZ, then the private DNS name when enabled. */
  dnsNames: string[];
  /** Endpoints to an endpoint service (not an AWS service): where the service configuration is stored. */
  service?: { account: string; region: string; serviceId: string };
}

/** A provider's endpoint service configuration: the NLBs behind it and its private DNS name. */
export interface RVpcEndpointService {
  id: string;
  account: string;
  region: string;
  serviceName: string;
  state: string;
  nlbArns: string[];
  /** vpce-svc-….<region>.vpce.amazonaws.com */
  baseDnsNames: string[];
  privateDnsName?: string;
  /** pendingVerification | verified | failed (undefined without a private DNS name). */
  privateDnsState?: string;
}

export interface NetworkData {
  vpcs: RVpc[];
  subnets: RSubnet[];
  routeTables: RRouteTable[];
  acls: RAcl[];
  securityGroups: RSecurityGroup[];
  enis: (REni & { account: string; region: string })[];
  instances: RInstance[];
  igws: RIgw[];
  nats: RNat[];
  peerings: RPeering[];
  loadBalancers: RLoadBalancer[];
  targetGroups: RTargetGroup[];
  /** VPC endpoints and endpoint services (PrivateLink); optional so estates built by hand may leave them out. */
  vpcEndpoints?: RVpcEndpoint[];
  endpointServices?: RVpcEndpointService[];
  /** Prefix list id -> its CIDRs (AWS-managed lists that gateway endpoint routes name). */
  prefixLists?: Record<string, string[]>;
}

