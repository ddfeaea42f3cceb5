// The stored EC2 resources. Each is the API's own shape (model member names),
// so Describe* return them as stored; members starting with '_' are
// localnet's bookkeeping and never reach the wire (the serializer writes only
// what the model names).
import type { Tag } from './describe.ts';

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

/** The per-account-and-region bookkeeping record: whether defaults exist yet. */
export interface Ec2Defaults {
  defaultVpcId?: string;
  dhcpOptionsId: string;
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
  TagSet?: import('./describe.ts').Tag[];
}
