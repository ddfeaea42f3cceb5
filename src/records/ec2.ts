// The stored EC2 records. Each is the API's own shape (model member names),
// so Describe* return them as stored; members starting with '_' are
// localnet's bookkeeping and never reach the wire (the serializer writes only
// what the model names). The EC2 service (src/services/ec2/) writes them;
// everything else (data planes, src/net/) reads them through src/records/.
import type { Scope } from '../store/store.ts';
import type { Tag } from './tags.ts';

export interface CidrAssociation {
  AssociationId: string;
  CidrBlock: string;
  CidrBlockState: { State: string; StatusMessage?: string };
}

export interface Ipv6CidrAssociation {
  AssociationId: string;
  Ipv6CidrBlock: string;
  Ipv6CidrBlockState: { State: string; StatusMessage?: string };
  NetworkBorderGroup?: string;
  Ipv6Pool?: string;
}

export interface Vpc {
  VpcId: string;
  OwnerId: string;
  CidrBlock: string;
  State: 'pending' | 'available';
  DhcpOptionsId: string;
  InstanceTenancy: string;
  IsDefault: boolean;
  CidrBlockAssociationSet: CidrAssociation[];
  Ipv6CidrBlockAssociationSet?: Ipv6CidrAssociation[];
  Tags?: Tag[];
  _attributes: { EnableDnsSupport: boolean; EnableDnsHostnames: boolean; EnableNetworkAddressUsageMetrics: boolean };
}

export interface Subnet {
  SubnetId: string;
  SubnetArn: string;
  VpcId: string;
  OwnerId: string;
  CidrBlock: string;
  AvailabilityZone: string;
  AvailabilityZoneId: string;
  AvailableIpAddressCount: number;
  DefaultForAz: boolean;
  MapPublicIpOnLaunch: boolean;
  MapCustomerOwnedIpOnLaunch: boolean;
  AssignIpv6AddressOnCreation: boolean;
  EnableDns64: boolean;
  Ipv6Native: boolean;
  State: 'pending' | 'available';
  Ipv6CidrBlockAssociationSet: { AssociationId: string; Ipv6CidrBlock: string; Ipv6CidrBlockState: { State: string } }[];
  PrivateDnsNameOptionsOnLaunch: { HostnameType: string; EnableResourceNameDnsARecord: boolean; EnableResourceNameDnsAAAARecord: boolean };
  Tags?: Tag[];
}

export interface Route {
  DestinationCidrBlock?: string;
  DestinationIpv6CidrBlock?: string;
  DestinationPrefixListId?: string;
  GatewayId?: string;
  NatGatewayId?: string;
  InstanceId?: string;
  InstanceOwnerId?: string;
  NetworkInterfaceId?: string;
  VpcPeeringConnectionId?: string;
  TransitGatewayId?: string;
  EgressOnlyInternetGatewayId?: string;
  Origin: 'CreateRouteTable' | 'CreateRoute' | 'EnableVgwRoutePropagation';
  State: 'active' | 'blackhole';
}

export interface RouteTableAssociation {
  RouteTableAssociationId: string;
  RouteTableId: string;
  Main: boolean;
  SubnetId?: string;
  GatewayId?: string;
  AssociationState: { State: string };
}

export interface RouteTable {
  RouteTableId: string;
  VpcId: string;
  OwnerId: string;
  Routes: Route[];
  Associations: RouteTableAssociation[];
  PropagatingVgws: { GatewayId: string }[];
  Tags?: Tag[];
}

export interface NetworkAclEntry {
  RuleNumber: number;
  Protocol: string;
  RuleAction: 'allow' | 'deny';
  Egress: boolean;
  CidrBlock?: string;
  Ipv6CidrBlock?: string;
  IcmpTypeCode?: { Code?: number; Type?: number };
  PortRange?: { From?: number; To?: number };
}

export interface NetworkAcl {
  NetworkAclId: string;
  VpcId: string;
  OwnerId: string;
  IsDefault: boolean;
  Entries: NetworkAclEntry[];
  Associations: { NetworkAclAssociationId: string; NetworkAclId: string; SubnetId: string }[];
  Tags?: Tag[];
}

export interface DhcpOptions {
  DhcpOptionsId: string;
  OwnerId: string;
  DhcpConfigurations: { Key: string; Values: { Value: string }[] }[];
  Tags?: Tag[];
}

/** A public address mapped to a private one (Elastic IP or auto-assigned public IP). */
export interface PublicIpAssociation {
  PublicIp: string;
  PublicDnsName?: string;
  IpOwnerId: string;
  /** Set when the address is an Elastic IP. */
  AllocationId?: string;
  AssociationId?: string;
}

/**
 * A network interface. Every private address in a subnet is held by one:
 * instances, NAT gateways and load balancers create theirs, so address
 * allocation and AvailableIpAddressCount look only here.
 */
export interface NetworkInterface {
  NetworkInterfaceId: string;
  SubnetId: string;
  VpcId: string;
  AvailabilityZone: string;
  OwnerId: string;
  Description: string;
  /** interface | nat_gateway | network_load_balancer | ... (the API's InterfaceType). */
  InterfaceType: string;
  MacAddress: string;
  PrivateIpAddress: string;
  PrivateDnsName?: string;
  PrivateIpAddresses: { Primary: boolean; PrivateIpAddress: string; PrivateDnsName?: string; Association?: PublicIpAssociation }[];
  Association?: PublicIpAssociation;
  Groups: { GroupId: string; GroupName: string }[];
  SourceDestCheck: boolean;
  Status: 'available' | 'in-use' | 'attaching' | 'detaching';
  RequesterManaged: boolean;
  RequesterId?: string;
  Attachment?: { AttachmentId: string; InstanceId?: string; InstanceOwnerId: string; DeviceIndex: number; Status: string; AttachTime: string; DeleteOnTermination: boolean };
  Ipv6Addresses: { Ipv6Address: string }[];
  TagSet?: Tag[];
  /**
   * The loopback address the host reaches this interface at (VPC endpoint
   * interfaces: InterfaceType 'vpc_endpoint'), from the same pool as load
   * balancers' `_address` (src/services/elbv2/naming.ts).
   */
  _address?: string;
}

export interface InternetGateway {
  InternetGatewayId: string;
  OwnerId: string;
  Attachments: { VpcId: string; State: 'attaching' | 'available' | 'attached' | 'detaching' | 'detached' }[];
  Tags?: Tag[];
}

export interface NatGatewayAddress {
  AllocationId?: string;
  NetworkInterfaceId?: string;
  PrivateIp?: string;
  PublicIp?: string;
  AssociationId?: string;
  IsPrimary: boolean;
  Status: 'assigning' | 'unassigning' | 'associating' | 'disassociating' | 'succeeded' | 'failed';
  FailureMessage?: string;
}

export interface NatGateway {
  NatGatewayId: string;
  SubnetId: string;
  VpcId: string;
  State: 'pending' | 'failed' | 'available' | 'deleting' | 'deleted';
  ConnectivityType: 'public' | 'private';
  CreateTime: string;
  DeleteTime?: string;
  FailureCode?: string;
  FailureMessage?: string;
  NatGatewayAddresses: NatGatewayAddress[];
  Tags?: Tag[];
  _clientToken?: string;
}

export interface ElasticIp {
  AllocationId: string;
  PublicIp: string;
  Domain: 'vpc';
  PublicIpv4Pool: string;
  NetworkBorderGroup: string;
  Tags?: Tag[];
}

export interface PeeringOptions {
  AllowDnsResolutionFromRemoteVpc: boolean;
  AllowEgressFromLocalClassicLinkToRemoteVpc: boolean;
  AllowEgressFromLocalVpcToRemoteClassicLink: boolean;
}

export interface PeeringVpcInfo {
  VpcId: string;
  OwnerId: string;
  Region: string;
  CidrBlock?: string;
  CidrBlockSet?: { CidrBlock: string }[];
  Ipv6CidrBlockSet?: { Ipv6CidrBlock: string }[];
  /** Present once the connection is active; the DNS views read AllowDnsResolutionFromRemoteVpc here. */
  PeeringOptions?: PeeringOptions;
}

export type PeeringState = 'initiating-request' | 'pending-acceptance' | 'provisioning' | 'active' | 'failed' | 'expired' | 'rejected' | 'deleting' | 'deleted';

export interface VpcPeeringConnection {
  VpcPeeringConnectionId: string;
  RequesterVpcInfo: PeeringVpcInfo;
  AccepterVpcInfo: PeeringVpcInfo;
  Status: { Code: PeeringState; Message: string };
  /** ISO time a pending request expires (7 days after it was made); only while pending. */
  ExpirationTime?: string;
  Tags?: Tag[];
  _requester: Scope;
  _accepter: Scope;
  /** Epoch ms after which this side no longer sees the connection (failed, rejected, deleted, expired). */
  _hideAt?: number;
}

export interface IpPermission {
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges: { CidrIp: string; Description?: string }[];
  Ipv6Ranges: { CidrIpv6: string; Description?: string }[];
  PrefixListIds: { PrefixListId: string; Description?: string }[];
  UserIdGroupPairs: { GroupId: string; UserId: string; Description?: string; VpcId?: string; VpcPeeringConnectionId?: string; PeeringStatus?: string }[];
}

export interface SecurityGroup {
  GroupId: string;
  GroupName: string;
  Description: string;
  VpcId: string;
  OwnerId: string;
  SecurityGroupArn: string;
  /** Derived from the group's sgr- records (see syncPermissions); never written directly. */
  IpPermissions: IpPermission[];
  IpPermissionsEgress: IpPermission[];
  Tags?: Tag[];
}

export interface ReferencedGroupInfo {
  GroupId: string;
  UserId: string;
  /** Set when the group sits across a VPC peering. */
  VpcId?: string;
  VpcPeeringConnectionId?: string;
  PeeringStatus?: string;
}

/** A stored rule, in DescribeSecurityGroupRules' shape. Exactly one of the four peers is set. */
export interface SecurityGroupRule {
  SecurityGroupRuleId: string;
  GroupId: string;
  GroupOwnerId: string;
  IsEgress: boolean;
  /** tcp | udp | icmp | icmpv6 | -1 | another protocol number. */
  IpProtocol: string;
  /** -1 when the protocol has no ports (ICMP: the type, -1 = all). */
  FromPort: number;
  ToPort: number;
  CidrIpv4?: string;
  CidrIpv6?: string;
  PrefixListId?: string;
  ReferencedGroupInfo?: ReferencedGroupInfo;
  Description?: string;
  Tags?: Tag[];
}

export type InstanceStateName = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

export interface Instance {
  InstanceId: string;
  ImageId: string;
  InstanceType: string;
  KeyName?: string;
  LaunchTime: string;
  AmiLaunchIndex: number;
  Placement: { AvailabilityZone: string; GroupName: string; Tenancy: string };
  Monitoring: { State: string };
  /** Stored states are only running, stopped and terminated; the transitions in between show in the answers that cause them. */
  State: { Code: number; Name: InstanceStateName };
  StateTransitionReason: string;
  StateReason?: { Code: string; Message: string };
  /** Gone once terminated, as on AWS. */
  SubnetId?: string;
  VpcId?: string;
  PrivateDnsName: string;
  Architecture: string;
  RootDeviceType: string;
  RootDeviceName: string;
  VirtualizationType: string;
  Hypervisor: string;
  EnaSupport: boolean;
  EbsOptimized: boolean;
  ClientToken?: string;
  PlatformDetails: string;
  UsageOperation: string;
  PrivateDnsNameOptions: { HostnameType: string; EnableResourceNameDnsARecord: boolean; EnableResourceNameDnsAAAARecord: boolean };
  MetadataOptions: { State: string; HttpTokens: string; HttpPutResponseHopLimit: number; HttpEndpoint: string; HttpProtocolIpv6: string; InstanceMetadataTags: string };
  Tags?: Tag[];
  /** Derived on the way out from the interfaces. */
  PrivateIpAddress?: string;
  PublicIpAddress?: string;
  PublicDnsName?: string;
  SourceDestCheck?: boolean;
  SecurityGroups?: { GroupId: string; GroupName: string }[];
  NetworkInterfaces?: unknown[];
  _reservationId: string;
  /** Whether the primary interface gets an auto-assigned public address whenever the instance runs. */
  _autoPublicIp: boolean;
  _disableApiTermination: boolean;
  /** The auto-assigned public address given up at the last stop. */
  _lastPublicIp?: string;
  /** Epoch ms of termination; a terminated instance stays visible for an hour. */
  _terminatedAt?: number;
}

/** DnsEntries of an interface endpoint (and BaseEndpointDnsNames' zone ids). */
export interface DnsEntry {
  DnsName: string;
  HostedZoneId: string;
}

/** The private DNS name of an endpoint service and its TXT verification (`_<token>.<name>` style record). */
export interface PrivateDnsNameConfiguration {
  /** pendingVerification | verified | failed */
  State: 'pendingVerification' | 'verified' | 'failed';
  Type: 'TXT';
  /** The TXT record's value: `vpce:<token>`. */
  Value: string;
  /** The TXT record's name (label before the domain). */
  Name: string;
}

/** A provider's endpoint service (CreateVpcEndpointServiceConfiguration), in the API's ServiceConfiguration shape. */
export interface VpcEndpointServiceConfiguration {
  ServiceType: { ServiceType: 'Interface' | 'Gateway' | 'GatewayLoadBalancer' }[];
  ServiceId: string;
  ServiceName: string;
  /** Pending | Available | Deleting | Deleted | Failed */
  ServiceState: string;
  AvailabilityZones: string[];
  AcceptanceRequired: boolean;
  ManagesVpcEndpoints: boolean;
  NetworkLoadBalancerArns?: string[];
  GatewayLoadBalancerArns?: string[];
  SupportedIpAddressTypes: string[];
  BaseEndpointDnsNames: string[];
  PrivateDnsName?: string;
  PrivateDnsNameConfiguration?: PrivateDnsNameConfiguration;
  PayerResponsibility?: string;
  Tags?: Tag[];
  /** Regions whose consumers may connect (cross-region PrivateLink); the service's own region always may. */
  _supportedRegions?: string[];
  /** Allowed principals (ARNs, or '*'), each with its permission id (vpce-svc-perm-…). */
  _allowedPrincipals: { Principal: string; PrincipalType: string; ServicePermissionId: string }[];
  /** The ClientToken of the creating call (idempotent retries answer the same service). */
  _clientToken?: string;
  /**
   * The private DNS name's domain verification: when StartVpcEndpointServicePrivateDnsVerification
   * asked for it (the background check looks up the TXT record from then on) and what the last
   * lookup saw (for `localnet` to explain a pendingVerification).
   */
  _verification?: { startedAt: string; lastCheck?: { at: string; outcome: string } };
}

/**
 * A consumer's endpoint (CreateVpcEndpoint), in the API's VpcEndpoint shape.
 * For an endpoint to an endpoint service, `_service` names where the service
 * configuration is stored (its scope and id): DescribeVpcEndpointConnections
 * on the provider's side reads the endpoints that point at its service.
 */
export interface VpcEndpoint {
  VpcEndpointId: string;
  VpcEndpointType: 'Interface' | 'Gateway' | 'GatewayLoadBalancer';
  VpcId: string;
  ServiceName: string;
  /** As the API spells them: pendingAcceptance | pending | available | deleting | deleted | rejected | failed | expired */
  State: string;
  PolicyDocument?: string;
  RouteTableIds: string[];
  SubnetIds: string[];
  Groups: { GroupId: string; GroupName: string }[];
  IpAddressType?: string;
  DnsOptions?: { DnsRecordIpType?: string; PrivateDnsOnlyForInboundResolverEndpoint?: boolean };
  PrivateDnsEnabled: boolean;
  RequesterManaged: boolean;
  /** The requester-managed interfaces, one per subnet (InterfaceType 'vpc_endpoint'). */
  NetworkInterfaceIds: string[];
  DnsEntries: DnsEntry[];
  CreationTimestamp: string;
  Tags?: Tag[];
  OwnerId: string;
  LastError?: { Message: string; Code: string };
  /** Set for endpoints to an endpoint service (not to an AWS service): where its configuration is stored. */
  _service?: { account: string; region: string; serviceId: string };
  /** The connection's id as the provider sees it (vpce-con-…), set once the service knows the endpoint. */
  _connectionId?: string;
  /** The ClientToken of the creating call (idempotent retries answer the same endpoint). */
  _clientToken?: string;
}
