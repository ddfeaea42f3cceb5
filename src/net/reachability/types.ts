// The reachability engine's output (its input is the network model,
// src/net/model/). Output members use
// the EC2 model's names (PathComponent, Explanation) so the Network Insights
// API returns them as they are; the extra members (kind, note, fix) are
// localnet's and never reach the wire (the serializer writes only what the
// model names).

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
  | 'internet-gateway' | 'nat-gateway' | 'vpc-peering-connection' | 'target-group' | 'internet'
  /** An interface endpoint (into its endpoint service) or a gateway endpoint (a route target): Network Insights' VPC_ENDPOINT component. */
  | 'vpc-endpoint';

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
  /** The listener a load balancer hop accepted the traffic on. */
  ElasticLoadBalancerListener?: AnalysisComponent;
  /** The endpoint service a VPC endpoint hop leads to (PathComponent.ServiceName). */
  ServiceName?: string;
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
  VpcEndpoint?: AnalysisComponent;
  Address?: string;
  Addresses?: string[];
  Cidrs?: string[];
  Port?: number;
  PortRanges?: { From: number; To: number }[];
  Protocols?: string[];
  State?: string;
  LoadBalancerArn?: string;
  LoadBalancerListenerPort?: number;
  LoadBalancerTarget?: { Address?: string; AvailabilityZone?: string; Instance?: AnalysisComponent; Port?: number };
  LoadBalancerTargetGroup?: AnalysisComponent;
  LoadBalancerTargetGroups?: AnalysisComponent[];
  LoadBalancerTargetPort?: number;
  ElasticLoadBalancerListener?: AnalysisComponent;
  AvailabilityZones?: string[];
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
