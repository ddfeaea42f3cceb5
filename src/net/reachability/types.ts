// The reachability engine's input (plain data, built from the store or
// synthesised by tests and the benchmark) and its output. Output members use
// the EC2 model's names (PathComponent, Explanation) so the Network Insights
// API returns them as they are; the extra members (kind, note, fix) are
// localnet's and never reach the wire (the serializer writes only what the
// model names).
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
}

export interface RInstance {
  id: string;
  state: string;
  /** Primary interface first. */
  eniIds: string[];
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

/** An ELBv2 load balancer: its interfaces are ordinary ENIs (description `ELB app/<name>/<id>`). */
export interface RLoadBalancer {
  arn: string;
  name: string;
  type: string;
  scheme: 'internet-facing' | 'internal';
  vpcId: string;
  subnetIds: string[];
  groupIds: string[];
  eniIds: string[];
  /** The ports its listeners accept (a path to another port is refused). */
  listenerPorts: number[];
  dnsName?: string;
  /** The loopback address its listeners bind; the DNS views answer it for dnsName. */
  address?: string;
  account: string;
  region: string;
}

export interface ReachabilityData {
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
}

// ---- output ----

export interface AnalysisComponent { Id: string; Arn?: string; Name?: string }

export interface AnalysisAclRule {
  Cidr?: string;
  Egress?: boolean;
  PortRange?: { From?: number; To?: number };
  Protocol?: string;
  RuleAction?: string;
  RuleNumber?: number;
}

export interface AnalysisSecurityGroupRule {
  Cidr?: string;
  Direction?: string;
  SecurityGroupId?: string;
  PortRange?: { From?: number; To?: number };
  PrefixListId?: string;
  Protocol?: string;
}

export interface AnalysisRouteTableRoute {
  DestinationCidr?: string;
  DestinationPrefixListId?: string;
  EgressOnlyInternetGatewayId?: string;
  GatewayId?: string;
  InstanceId?: string;
  NatGatewayId?: string;
  NetworkInterfaceId?: string;
  Origin?: string;
  TransitGatewayId?: string;
  VpcPeeringConnectionId?: string;
  State?: string;
}

export type HopKind =
  | 'network-interface' | 'instance' | 'load-balancer' | 'security-group' | 'network-acl' | 'route-table'
  | 'internet-gateway' | 'nat-gateway' | 'vpc-peering-connection' | 'internet';

/** One hop of a path, in PathComponent's shape plus what the CLI prints. */
export interface Hop {
  SequenceNumber: number;
  Component: AnalysisComponent;
  AclRule?: AnalysisAclRule;
  SecurityGroupRule?: AnalysisSecurityGroupRule;
  RouteTableRoute?: AnalysisRouteTableRoute;
  Vpc?: AnalysisComponent;
  Subnet?: AnalysisComponent;
  SourceVpc?: AnalysisComponent;
  DestinationVpc?: AnalysisComponent;
  /** The instance (or load balancer) an interface belongs to. */
  AttachedTo?: AnalysisComponent;
  kind: HopKind;
  direction?: 'ingress' | 'egress';
  /** What happens here, in one line. */
  note: string;
}

/** An Explanation as the EC2 model has it (only the members localnet fills). */
export interface Explanation {
  ExplanationCode: string;
  Direction?: 'ingress' | 'egress';
  Component?: AnalysisComponent;
  Acl?: AnalysisComponent;
  AclRule?: AnalysisAclRule;
  SecurityGroup?: AnalysisComponent;
  SecurityGroups?: AnalysisComponent[];
  SecurityGroupRule?: AnalysisSecurityGroupRule;
  RouteTable?: AnalysisComponent;
  RouteTableRoute?: AnalysisRouteTableRoute;
  Vpc?: AnalysisComponent;
  SourceVpc?: AnalysisComponent;
  DestinationVpc?: AnalysisComponent;
  Subnet?: AnalysisComponent;
  NetworkInterface?: AnalysisComponent;
  InternetGateway?: AnalysisComponent;
  NatGateway?: AnalysisComponent;
  VpcPeeringConnection?: AnalysisComponent;
  Address?: string;
  Addresses?: string[];
  Cidrs?: string[];
  Port?: number;
  PortRanges?: { From: number; To: number }[];
  Protocols?: string[];
  State?: string;
  LoadBalancerArn?: string;
}

export interface Block {
  path: 'forward' | 'return';
  explanation: Explanation;
  /** What blocks, in one sentence. */
  message: string;
  /** The change that would let the traffic through, in one sentence. */
  fix: string;
}

export interface Analysis {
  pathFound: boolean;
  protocol: 'tcp' | 'udp';
  port: number;
  /** The addresses the analysis used. */
  sourceIp?: string;
  destinationIp?: string;
  forward: Hop[];
  return: Hop[];
  blocks: Block[];
  /** Context worth showing (which interface of a load balancer, which port was tried, ...). */
  notes: string[];
}
