// Subnets: inside a VPC block, never overlapping, in one zone. Addresses in a
// subnet are taken exactly when a network interface holds them (instances,
// NAT gateways and load balancers all hold theirs through interfaces), plus
// the five AWS reserves in every subnet.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { containsCidr4, containsIp4, formatCidr4, intToIp, ipToInt, isIpv4, last4, overlaps4, parseCidr4, size4, type Cidr4 } from '../../net/cidr.ts';
import { activeCidrBlocks } from '../../records/vpcs.ts';
import { applyFilters, paginate, type Filter } from './describe.ts';
import { associateDefaultNetworkAcl } from './network-acls.ts';
import { findZone, zonesOf } from './regions.ts';
import { all, allWhere, byIds, find, K, must, newId, remove, save } from './resources.ts';
import { tagsFromSpecs, type TagSpecification } from './tags.ts';
import type { NetworkAcl, RouteTable, Subnet, Vpc } from './types.ts';

const MAX_SUBNETS_PER_VPC = 200;
/** Network, VPC router, DNS, reserved, broadcast. */
const RESERVED = 5;

/** The addresses AWS reserves in a subnet: the first four and the last. */
export function reservedAddresses(cidr: Cidr4): number[] {
  return [cidr.base, cidr.base + 1, cidr.base + 2, cidr.base + 3, last4(cidr)];
}

interface HeldAddresses {
  SubnetId?: string;
  PrivateIpAddresses?: { PrivateIpAddress?: string }[];
}

/** Every address a network interface holds in the subnet. */
export function usedAddresses(env: HandlerEnv, subnetId: string): Set<number> {
  const used = new Set<number>();
  for (const eni of allWhere<HeldAddresses>(env, K.networkInterface, 'SubnetId', subnetId)) {
    for (const a of eni.PrivateIpAddresses ?? []) if (a.PrivateIpAddress) used.add(ipToInt(a.PrivateIpAddress));
  }
  return used;
}

/**
 * Picks a free private address in the subnet, or checks the requested one:
 * inside the subnet (InvalidParameterValue), not reserved, not taken
 * (InvalidIPAddress.InUse). No free address: InsufficientFreeAddressesInSubnet.
 */
export function allocatePrivateIp(env: HandlerEnv, subnet: Subnet, requested?: string, alsoTaken: string[] = []): string {
  const cidr = parseCidr4(subnet.CidrBlock)!;
  const used = usedAddresses(env, subnet.SubnetId);
  for (const a of alsoTaken) used.add(ipToInt(a));
  const reserved = new Set(reservedAddresses(cidr));
  if (requested !== undefined) {
    if (!isIpv4(requested) || !containsIp4(cidr, ipToInt(requested))) {
      throw new AwsError('InvalidParameterValue', `Address ${requested} does not fall within the subnet's address range`, 400);
    }
    const n = ipToInt(requested);
    if (reserved.has(n)) throw new AwsError('InvalidParameterValue', `Address ${requested} is in subnet's reserved address range`, 400);
    if (used.has(n)) throw new AwsError('InvalidIPAddress.InUse', `Address ${requested} is in use.`, 400);
    return requested;
  }
  for (let n = cidr.base + 4; n < last4(cidr); n++) if (!used.has(n)) return intToIp(n);
  throw new AwsError('InsufficientFreeAddressesInSubnet', `There are not enough free addresses in subnet '${subnet.SubnetId}' to satisfy the requested number of instances.`, 400);
}

/** The subnet as Describe shows it: free addresses counted now. */
export function presentSubnet(env: HandlerEnv, s: Subnet): Subnet {
  return { ...s, AvailableIpAddressCount: size4(parseCidr4(s.CidrBlock)!) - RESERVED - usedAddresses(env, s.SubnetId).size };
}

export function createSubnet(
  input: { VpcId: string; CidrBlock?: string; AvailabilityZone?: string; AvailabilityZoneId?: string; Ipv6CidrBlock?: string; Ipv6Native?: boolean; TagSpecifications?: TagSpecification[] },
  env: HandlerEnv,
) {
  const vpc = must<Vpc>(env, K.vpc, input.VpcId);
  if (input.CidrBlock === undefined) throw new AwsError('MissingParameter', 'Either \'cidrBlock\' or \'ipv6CidrBlock\' or \'ipv4IpamPoolId\' should be provided.', 400);
  const cidr = parseCidr4(input.CidrBlock);
  if (!cidr) throw new AwsError('InvalidParameterValue', `Value (${input.CidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`, 400);
  if (cidr.prefix < 16 || cidr.prefix > 28) throw new AwsError('InvalidSubnet.Range', `The CIDR '${input.CidrBlock}' is invalid.`, 400);
  const blocks = activeCidrBlocks(vpc).map((b) => parseCidr4(b)!);
  if (!blocks.some((b) => containsCidr4(b, cidr))) throw new AwsError('InvalidSubnet.Range', `The CIDR '${input.CidrBlock}' is invalid.`, 400);
  const siblings = allWhere<Subnet>(env, K.subnet, 'VpcId', vpc.VpcId);
  if (siblings.some((s) => overlaps4(parseCidr4(s.CidrBlock)!, cidr))) throw new AwsError('InvalidSubnet.Conflict', `The CIDR '${input.CidrBlock}' conflicts with another subnet`, 400);
  if (siblings.length >= MAX_SUBNETS_PER_VPC) throw new AwsError('SubnetLimitExceeded', `The maximum number of subnets for VPC '${vpc.VpcId}' has been reached.`, 400);

  const zones = zonesOf(env.scope.region);
  let zone = zones[siblings.length % zones.length];
  if (input.AvailabilityZone !== undefined || input.AvailabilityZoneId !== undefined) {
    const z = findZone(env.scope.region, input.AvailabilityZone, input.AvailabilityZoneId);
    if (!z) {
      const param = input.AvailabilityZone !== undefined ? 'availabilityZone' : 'availabilityZoneId';
      const value = input.AvailabilityZone ?? input.AvailabilityZoneId;
      const valid = zones.map((x) => (param === 'availabilityZone' ? x.ZoneName : x.ZoneId)).join(', ');
      throw new AwsError('InvalidParameterValue', `Value (${value}) for parameter ${param} is invalid. Subnets can currently only be created in the following availability zones: ${valid}.`, 400);
    }
    if (input.AvailabilityZone !== undefined && input.AvailabilityZoneId !== undefined && z.ZoneName !== input.AvailabilityZone) {
      throw new AwsError('InvalidParameterCombination', 'The parameters availabilityZone and availabilityZoneId name different zones.', 400);
    }
    zone = z;
  }
  const tags = tagsFromSpecs(input.TagSpecifications, 'subnet');
  const subnet = createSubnetRecord(env, vpc, cidr, zone.ZoneName, { tags });
  return { Subnet: { ...presentSubnet(env, subnet), State: 'pending' } };
}

/** Stores a subnet (already validated) and associates it with the VPC's default network ACL. */
export function createSubnetRecord(env: HandlerEnv, vpc: Vpc, cidr: Cidr4, zoneName: string, opts: { tags?: Subnet['Tags']; defaultForAz?: boolean } = {}): Subnet {
  const zone = findZone(env.scope.region, zoneName)!;
  const id = newId('subnet');
  const subnet: Subnet = {
    SubnetId: id,
    SubnetArn: `arn:aws:ec2:${env.scope.region}:${env.scope.account}:subnet/${id}`,
    VpcId: vpc.VpcId,
    OwnerId: env.scope.account,
    CidrBlock: formatCidr4(cidr),
    AvailabilityZone: zone.ZoneName,
    AvailabilityZoneId: zone.ZoneId,
    AvailableIpAddressCount: size4(cidr) - RESERVED,
    DefaultForAz: opts.defaultForAz ?? false,
    // Default subnets give instances public addresses; subnets you create do not.
    MapPublicIpOnLaunch: opts.defaultForAz ?? false,
    MapCustomerOwnedIpOnLaunch: false,
    AssignIpv6AddressOnCreation: false,
    EnableDns64: false,
    Ipv6Native: false,
    State: 'available',
    Ipv6CidrBlockAssociationSet: [],
    PrivateDnsNameOptionsOnLaunch: { HostnameType: 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    Tags: opts.tags,
  };
  save(env, K.subnet, subnet);
  associateDefaultNetworkAcl(env, vpc.VpcId, id);
  return subnet;
}

export const SUBNET_FILTERS = {
  'availability-zone': (s: Subnet) => s.AvailabilityZone,
  'availability-zone-id': (s: Subnet) => s.AvailabilityZoneId,
  'available-ip-address-count': (s: Subnet) => String(s.AvailableIpAddressCount),
  'cidr-block': (s: Subnet) => s.CidrBlock,
  cidr: (s: Subnet) => s.CidrBlock,
  cidrBlock: (s: Subnet) => s.CidrBlock,
  'default-for-az': (s: Subnet) => String(s.DefaultForAz),
  defaultForAz: (s: Subnet) => String(s.DefaultForAz),
  'ipv6-cidr-block-association.ipv6-cidr-block': (s: Subnet) => s.Ipv6CidrBlockAssociationSet.map((a) => a.Ipv6CidrBlock),
  'ipv6-cidr-block-association.association-id': (s: Subnet) => s.Ipv6CidrBlockAssociationSet.map((a) => a.AssociationId),
  'ipv6-cidr-block-association.state': (s: Subnet) => s.Ipv6CidrBlockAssociationSet.map((a) => a.Ipv6CidrBlockState.State),
  'ipv6-native': (s: Subnet) => String(s.Ipv6Native),
  'map-public-ip-on-launch': (s: Subnet) => String(s.MapPublicIpOnLaunch),
  'owner-id': (s: Subnet) => s.OwnerId,
  state: (s: Subnet) => s.State,
  'subnet-arn': (s: Subnet) => s.SubnetArn,
  'subnet-id': (s: Subnet) => s.SubnetId,
  'vpc-id': (s: Subnet) => s.VpcId,
};

export function describeSubnets(input: { SubnetIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const items = (byIds<Subnet>(env, K.subnet, input.SubnetIds) ?? all<Subnet>(env, K.subnet)).map((s) => presentSubnet(env, s));
  const { page, NextToken } = paginate(applyFilters(items, input.Filters, SUBNET_FILTERS), input, { min: 5, max: 1000 }, !!input.SubnetIds?.length);
  return { Subnets: page, NextToken };
}

export function deleteSubnet(input: { SubnetId: string }, env: HandlerEnv) {
  const subnet = must<Subnet>(env, K.subnet, input.SubnetId);
  const holders = allWhere<HeldAddresses>(env, K.networkInterface, 'SubnetId', subnet.SubnetId);
  const nats = env.store.list<{ SubnetId?: string; State?: string }>(K.natGateway.kind, env.scope).filter((n) => n.SubnetId === subnet.SubnetId && n.State !== 'deleted' && n.State !== 'failed');
  if (holders.length || nats.length) throw new AwsError('DependencyViolation', `The subnet '${subnet.SubnetId}' has dependencies and cannot be deleted.`, 400);
  // The subnet's explicit route table association and its ACL association go with it.
  for (const t of all<RouteTable>(env, K.routeTable)) {
    const kept = t.Associations.filter((a) => a.SubnetId !== subnet.SubnetId);
    if (kept.length !== t.Associations.length) save(env, K.routeTable, { ...t, Associations: kept });
  }
  for (const acl of all<NetworkAcl>(env, K.networkAcl)) {
    const kept = acl.Associations.filter((a) => a.SubnetId !== subnet.SubnetId);
    if (kept.length !== acl.Associations.length) save(env, K.networkAcl, { ...acl, Associations: kept });
  }
  remove(env, K.subnet, subnet.SubnetId);
  return {};
}

type BoolValue = { Value?: boolean };

export function modifySubnetAttribute(
  input: { SubnetId: string; MapPublicIpOnLaunch?: BoolValue; AssignIpv6AddressOnCreation?: BoolValue; MapCustomerOwnedIpOnLaunch?: BoolValue; EnableDns64?: BoolValue; PrivateDnsHostnameTypeOnLaunch?: string; EnableResourceNameDnsARecordOnLaunch?: BoolValue; EnableResourceNameDnsAAAARecordOnLaunch?: BoolValue },
  env: HandlerEnv,
) {
  const subnet = must<Subnet>(env, K.subnet, input.SubnetId);
  const flags = ['MapPublicIpOnLaunch', 'AssignIpv6AddressOnCreation', 'MapCustomerOwnedIpOnLaunch', 'EnableDns64'] as const;
  const given = flags.filter((f) => input[f] !== undefined);
  const dnsGiven = input.PrivateDnsHostnameTypeOnLaunch !== undefined || input.EnableResourceNameDnsARecordOnLaunch !== undefined || input.EnableResourceNameDnsAAAARecordOnLaunch !== undefined;
  if (given.length === 0 && !dnsGiven) throw new AwsError('MissingParameter', 'The request must contain the parameter MapPublicIpOnLaunch or another subnet attribute', 400);
  if (given.length > 1) throw new AwsError('InvalidParameterCombination', 'Only one attribute can be modified at a time', 400);
  for (const f of given) {
    const v = input[f]!.Value;
    if (v === undefined) throw new AwsError('MissingParameter', `The request must contain the parameter ${f}.Value`, 400);
    if (f === 'AssignIpv6AddressOnCreation' && v && subnet.Ipv6CidrBlockAssociationSet.length === 0) {
      throw new AwsError('InvalidParameterValue', `Invalid value 'true' for assignIpv6AddressOnCreation. Cannot set assignIpv6AddressOnCreation to true unless the subnet (${subnet.SubnetId}) has an IPv6 CIDR block associated with it.`, 400);
    }
    subnet[f] = v;
  }
  if (input.PrivateDnsHostnameTypeOnLaunch !== undefined) {
    if (!['ip-name', 'resource-name'].includes(input.PrivateDnsHostnameTypeOnLaunch)) throw new AwsError('InvalidParameterValue', `Value (${input.PrivateDnsHostnameTypeOnLaunch}) for parameter PrivateDnsHostnameTypeOnLaunch is invalid.`, 400);
    subnet.PrivateDnsNameOptionsOnLaunch.HostnameType = input.PrivateDnsHostnameTypeOnLaunch;
  }
  if (input.EnableResourceNameDnsARecordOnLaunch?.Value !== undefined) subnet.PrivateDnsNameOptionsOnLaunch.EnableResourceNameDnsARecord = input.EnableResourceNameDnsARecordOnLaunch.Value;
  if (input.EnableResourceNameDnsAAAARecordOnLaunch?.Value !== undefined) subnet.PrivateDnsNameOptionsOnLaunch.EnableResourceNameDnsAAAARecord = input.EnableResourceNameDnsAAAARecordOnLaunch.Value;
  save(env, K.subnet, subnet);
  return {};
}

export function subnetOf(env: HandlerEnv, id: string): Subnet | undefined {
  return find<Subnet>(env, K.subnet, id);
}

export const subnetHandlers = {
  CreateSubnet: createSubnet,
  DeleteSubnet: deleteSubnet,
  DescribeSubnets: describeSubnets,
  ModifySubnetAttribute: modifySubnetAttribute,
} satisfies Handlers;
