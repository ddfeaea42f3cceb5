// Network interfaces: the holders of every private address in a subnet, and
// of the public addresses mapped to them. Instances, NAT gateways and load
// balancers hold their addresses through interfaces, so allocation,
// AvailableIpAddressCount and public addresses all look here.
import { randomBytes } from 'node:crypto';
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv } from '../../aws/service.ts';
import { intToIp, ipToInt } from '../../net/cidr.ts';
import { applyFilters, paginate, type Filter } from './describe.ts';
import { byIds, find, K, must, newId, remove, save } from './resources.ts';
import { allocatePrivateIp } from './subnets.ts';
import { tagsFromSpecs, type TagSpecification } from './tags.ts';
import type { NetworkInterface, PublicIpAssociation, Subnet, Vpc } from './types.ts';

/** The private DNS name EC2 gives an address: ip-10-0-1-5.ec2.internal in us-east-1, ip-....REGION.compute.internal elsewhere. */
export function privateDnsName(region: string, ip: string): string {
  const host = `ip-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/** The public DNS name EC2 gives a public address: ec2-192-0-2-10.compute-1.amazonaws.com in us-east-1, ec2-....REGION.compute.amazonaws.com elsewhere. */
export function publicDnsName(region: string, ip: string): string {
  const host = `ec2-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.compute-1.amazonaws.com` : `${host}.${region}.compute.amazonaws.com`;
}

function macAddress(): string {
  const b = randomBytes(5);
  return ['02', ...[...b].map((x) => x.toString(16).padStart(2, '0'))].join(':');
}

/** Max security groups on one interface (the default quota). */
const MAX_GROUPS = 5;

export interface InterfaceOptions {
  description?: string;
  interfaceType?: string;
  privateIp?: string;
  /** Secondary private addresses asked for by address. */
  secondaryIps?: string[];
  /** How many more secondary addresses to pick. */
  secondaryCount?: number;
  groups?: NetworkInterface['Groups'];
  requesterManaged?: boolean;
  requesterId?: string;
  tags?: NetworkInterface['TagSet'];
}

/**
 * Picks the interface's addresses: those asked for first (so an automatic pick
 * never takes one of them), then the automatic ones.
 */
function allocateAddresses(env: HandlerEnv, subnet: Subnet, opts: InterfaceOptions): { primary: string; secondaries: string[] } {
  const taken: string[] = [];
  const take = (requested?: string) => {
    const ip = allocatePrivateIp(env, subnet, requested, taken);
    taken.push(ip);
    return ip;
  };
  const primaryAsked = opts.privateIp !== undefined ? take(opts.privateIp) : undefined;
  const secondaries = (opts.secondaryIps ?? []).map((ip) => take(ip));
  const primary = primaryAsked ?? take();
  for (let i = 0; i < (opts.secondaryCount ?? 0); i++) secondaries.push(take());
  return { primary, secondaries };
}

/** Creates an interface in the subnet holding a new (or the requested) private address. */
export function createInterfaceRecord(env: HandlerEnv, subnet: Subnet, opts: InterfaceOptions = {}): NetworkInterface {
  const { primary, secondaries } = allocateAddresses(env, subnet, opts);
  const dns = privateDnsName(env.scope.region, primary);
  return save(env, K.networkInterface, {
    NetworkInterfaceId: newId('eni'),
    SubnetId: subnet.SubnetId,
    VpcId: subnet.VpcId,
    AvailabilityZone: subnet.AvailabilityZone,
    OwnerId: env.scope.account,
    Description: opts.description ?? '',
    InterfaceType: opts.interfaceType ?? 'interface',
    MacAddress: macAddress(),
    PrivateIpAddress: primary,
    PrivateDnsName: dns,
    PrivateIpAddresses: [
      { Primary: true, PrivateIpAddress: primary, PrivateDnsName: dns },
      ...secondaries.map((ip) => ({ Primary: false, PrivateIpAddress: ip, PrivateDnsName: privateDnsName(env.scope.region, ip) })),
    ],
    Groups: opts.groups ?? [],
    SourceDestCheck: true,
    Status: 'available',
    RequesterManaged: opts.requesterManaged ?? false,
    RequesterId: opts.requesterId,
    Ipv6Addresses: [],
    TagSet: opts.tags,
  } satisfies NetworkInterface);
}

interface StoredGroup {
  GroupId: string;
  GroupName: string;
  VpcId?: string;
}

/** The VPC's default security group, if the store has one. */
export function defaultGroupOf(env: HandlerEnv, vpcId: string): NetworkInterface['Groups'] {
  const g = env.store.list<StoredGroup>(K.securityGroup.kind, env.scope).find((s) => s.VpcId === vpcId && s.GroupName === 'default');
  return g ? [{ GroupId: g.GroupId, GroupName: g.GroupName }] : [];
}

/** Security groups named by id: they must exist, sit in the interface's VPC, and be at most five. */
export function resolveGroups(env: HandlerEnv, vpcId: string, subnetId: string, ids: string[]): NetworkInterface['Groups'] {
  const unique = [...new Set(ids)];
  if (unique.length > MAX_GROUPS) throw new AwsError('SecurityGroupsPerInterfaceLimitExceeded', 'The maximum number of security groups per interface has been reached.', 400);
  return unique.map((id) => {
    const g = env.store.get<StoredGroup>(K.securityGroup.kind, env.scope, id);
    if (!g) throw new AwsError('InvalidGroup.NotFound', `The security group '${id}' does not exist`, 400);
    if (g.VpcId !== vpcId) throw new AwsError('InvalidParameter', `Security group ${id} and subnet ${subnetId} belong to different networks.`, 400);
    return { GroupId: g.GroupId, GroupName: g.GroupName };
  });
}

// Auto-assigned public addresses come from TEST-NET-1 (192.0.2.0/24), apart
// from Elastic IPs, so an address says at a glance which kind it is.
const PUBLIC_POOL_BASE = ipToInt('192.0.2.0');
const PUBLIC_POOL_SIZE = 256;

/** Every public address an interface holds anywhere (public addresses are global, not per account). */
function publicAddressesInUse(env: HandlerEnv): Set<string> {
  const used = new Set<string>();
  for (const { value: eni } of env.store.listAll<NetworkInterface>(K.networkInterface.kind)) {
    if (eni.Association?.PublicIp) used.add(eni.Association.PublicIp);
    for (const a of eni.PrivateIpAddresses ?? []) if (a.Association?.PublicIp) used.add(a.Association.PublicIp);
  }
  return used;
}

/**
 * Maps a new auto-assigned public address to the interface's primary private
 * address (not saved). `avoid` keeps a restarted instance from getting back the
 * address it just gave up, as on AWS where a start brings a different address.
 */
export function assignAutoPublicIp(env: HandlerEnv, eni: NetworkInterface, avoid: string[] = []): void {
  const used = publicAddressesInUse(env);
  for (const ip of avoid) used.add(ip);
  let ip: string | undefined;
  for (let n = PUBLIC_POOL_BASE + 1; n < PUBLIC_POOL_BASE + PUBLIC_POOL_SIZE - 1 && !ip; n++) if (!used.has(intToIp(n))) ip = intToIp(n);
  if (!ip) throw new AwsError('InsufficientAddressCapacity', 'localnet has no free auto-assigned public IPv4 address left (192.0.2.0/24 is in use); release some or use Elastic IPs.', 400);
  const assoc: PublicIpAssociation = { PublicIp: ip, PublicDnsName: publicDnsName(env.scope.region, ip), IpOwnerId: 'amazon' };
  eni.Association = assoc;
  eni.PrivateIpAddresses = eni.PrivateIpAddresses.map((a) => (a.Primary ? { ...a, Association: { ...assoc } } : a));
}

/** Drops an auto-assigned public address (an Elastic IP association stays). Not saved. */
export function releaseAutoPublicIp(eni: NetworkInterface): void {
  if (eni.Association && !eni.Association.AllocationId) delete eni.Association;
  eni.PrivateIpAddresses = eni.PrivateIpAddresses.map((a) => {
    if (!a.Association || a.Association.AllocationId) return a;
    const { Association: _dropped, ...rest } = a;
    return rest;
  });
}

/**
 * Deletes an interface. Elastic IP associations live on the interface
 * (addresses.ts), so whatever was mapped to it is disassociated with it.
 */
export function deleteInterfaceRecord(env: HandlerEnv, eni: NetworkInterface): void {
  remove(env, K.networkInterface, eni.NetworkInterfaceId);
}

/** Attaches an interface to an instance (not saved). */
export function attachInterface(eni: NetworkInterface, instanceId: string, ownerId: string, deviceIndex: number, deleteOnTermination: boolean): void {
  eni.Attachment = {
    AttachmentId: newId('eni-attach'),
    InstanceId: instanceId,
    InstanceOwnerId: ownerId,
    DeviceIndex: deviceIndex,
    Status: 'attached',
    AttachTime: new Date().toISOString(),
    DeleteOnTermination: deleteOnTermination,
  };
  eni.Status = 'in-use';
}

/** The interfaces attached to an instance, by device index. */
export function interfacesOf(env: HandlerEnv, instanceId: string): NetworkInterface[] {
  return env.store
    .list<NetworkInterface>(K.networkInterface.kind, env.scope)
    .filter((e) => e.Attachment?.InstanceId === instanceId)
    .sort((a, b) => a.Attachment!.DeviceIndex - b.Attachment!.DeviceIndex);
}

/** The interface as the API shows it: public DNS names exist only while the VPC has DNS hostnames on. */
export function presentInterface(env: HandlerEnv, eni: NetworkInterface): NetworkInterface {
  const vpc = find<Vpc>(env, K.vpc, eni.VpcId);
  const hostnames = vpc?._attributes.EnableDnsHostnames ?? false;
  const withDns = (a?: PublicIpAssociation) => (a ? { ...a, PublicDnsName: hostnames ? publicDnsName(env.scope.region, a.PublicIp) : '' } : undefined);
  const out: NetworkInterface = {
    ...eni,
    Association: withDns(eni.Association),
    PrivateIpAddresses: eni.PrivateIpAddresses.map((a) => ({ ...a, Association: withDns(a.Association) })),
  };
  if (!out.Association) delete out.Association;
  return out;
}

// ---- API operations -------------------------------------------------------

const INTERFACE_TYPES = ['interface', 'efa', 'efa-only', 'trunk', 'branch'];

export function createNetworkInterface(
  input: {
    SubnetId: string;
    Description?: string;
    PrivateIpAddress?: string;
    PrivateIpAddresses?: { Primary?: boolean; PrivateIpAddress?: string }[];
    SecondaryPrivateIpAddressCount?: number;
    Groups?: string[];
    InterfaceType?: string;
    TagSpecifications?: TagSpecification[];
  },
  env: HandlerEnv,
) {
  const subnet = must<Subnet>(env, K.subnet, input.SubnetId);
  const listed = input.PrivateIpAddresses ?? [];
  const primaries = listed.filter((a) => a.Primary);
  if (primaries.length > 1) throw new AwsError('InvalidParameterValue', 'Only one primary private IP address can be specified.', 400);
  if (primaries.length === 1 && input.PrivateIpAddress !== undefined && primaries[0].PrivateIpAddress !== input.PrivateIpAddress) {
    throw new AwsError('InvalidParameterCombination', 'The primary private IP address in privateIpAddresses does not match privateIpAddress.', 400);
  }
  for (const a of listed) if (!a.PrivateIpAddress) throw new AwsError('MissingParameter', 'The request must contain the parameter privateIpAddresses.privateIpAddress', 400);
  const count = input.SecondaryPrivateIpAddressCount;
  if (count !== undefined && count < 1) throw new AwsError('InvalidParameterValue', `Value (${count}) for parameter secondaryPrivateIpAddressCount is invalid. Expected a positive integer.`, 400);
  if (input.InterfaceType !== undefined && !INTERFACE_TYPES.includes(input.InterfaceType)) {
    throw new AwsError('InvalidParameterValue', `Value (${input.InterfaceType}) for parameter interfaceType is invalid.`, 400);
  }
  const groups = input.Groups?.length ? resolveGroups(env, subnet.VpcId, subnet.SubnetId, input.Groups) : defaultGroupOf(env, subnet.VpcId);
  const tags = tagsFromSpecs(input.TagSpecifications, 'network-interface');
  const eni = createInterfaceRecord(env, subnet, {
    description: input.Description,
    interfaceType: input.InterfaceType,
    privateIp: input.PrivateIpAddress ?? primaries[0]?.PrivateIpAddress,
    secondaryIps: listed.filter((a) => !a.Primary).map((a) => a.PrivateIpAddress!),
    secondaryCount: count,
    groups,
    tags,
  });
  return { NetworkInterface: presentInterface(env, eni) };
}

export function deleteNetworkInterface(input: { NetworkInterfaceId: string }, env: HandlerEnv) {
  const eni = must<NetworkInterface>(env, K.networkInterface, input.NetworkInterfaceId);
  if (eni.Attachment || eni.Status === 'in-use') throw new AwsError('InvalidNetworkInterface.InUse', `The network interface '${eni.NetworkInterfaceId}' is currently in use.`, 400);
  if (eni.RequesterManaged) throw new AwsError('OperationNotPermitted', `You do not have permission to delete the requester-managed network interface '${eni.NetworkInterfaceId}'.`, 400);
  deleteInterfaceRecord(env, eni);
  return {};
}

export const INTERFACE_FILTERS = {
  'addresses.private-ip-address': (e: NetworkInterface) => e.PrivateIpAddresses.map((a) => a.PrivateIpAddress),
  'addresses.primary': (e: NetworkInterface) => e.PrivateIpAddresses.map((a) => String(a.Primary)),
  'addresses.association.public-ip': (e: NetworkInterface) => e.PrivateIpAddresses.map((a) => a.Association?.PublicIp),
  'addresses.association.owner-id': (e: NetworkInterface) => e.PrivateIpAddresses.map((a) => a.Association?.IpOwnerId),
  'association.allocation-id': (e: NetworkInterface) => e.Association?.AllocationId,
  'association.association-id': (e: NetworkInterface) => e.Association?.AssociationId,
  'association.ip-owner-id': (e: NetworkInterface) => e.Association?.IpOwnerId,
  'association.public-ip': (e: NetworkInterface) => e.Association?.PublicIp,
  'association.public-dns-name': (e: NetworkInterface) => e.Association?.PublicDnsName,
  'attachment.attachment-id': (e: NetworkInterface) => e.Attachment?.AttachmentId,
  'attachment.attach-time': (e: NetworkInterface) => e.Attachment?.AttachTime,
  'attachment.delete-on-termination': (e: NetworkInterface) => (e.Attachment ? String(e.Attachment.DeleteOnTermination) : undefined),
  'attachment.device-index': (e: NetworkInterface) => (e.Attachment ? String(e.Attachment.DeviceIndex) : undefined),
  'attachment.instance-id': (e: NetworkInterface) => e.Attachment?.InstanceId,
  'attachment.instance-owner-id': (e: NetworkInterface) => e.Attachment?.InstanceOwnerId,
  'attachment.status': (e: NetworkInterface) => e.Attachment?.Status,
  'availability-zone': (e: NetworkInterface) => e.AvailabilityZone,
  description: (e: NetworkInterface) => e.Description,
  'group-id': (e: NetworkInterface) => e.Groups.map((g) => g.GroupId),
  'group-name': (e: NetworkInterface) => e.Groups.map((g) => g.GroupName),
  'interface-type': (e: NetworkInterface) => e.InterfaceType,
  'ipv6-addresses.ipv6-address': (e: NetworkInterface) => e.Ipv6Addresses.map((a) => a.Ipv6Address),
  'mac-address': (e: NetworkInterface) => e.MacAddress,
  'network-interface-id': (e: NetworkInterface) => e.NetworkInterfaceId,
  'owner-id': (e: NetworkInterface) => e.OwnerId,
  'private-dns-name': (e: NetworkInterface) => e.PrivateDnsName,
  'private-ip-address': (e: NetworkInterface) => e.PrivateIpAddress,
  'requester-id': (e: NetworkInterface) => e.RequesterId,
  'requester-managed': (e: NetworkInterface) => String(e.RequesterManaged),
  'source-dest-check': (e: NetworkInterface) => String(e.SourceDestCheck),
  status: (e: NetworkInterface) => e.Status,
  'subnet-id': (e: NetworkInterface) => e.SubnetId,
  'vpc-id': (e: NetworkInterface) => e.VpcId,
};

export function describeNetworkInterfaces(input: { NetworkInterfaceIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const stored = byIds<NetworkInterface>(env, K.networkInterface, input.NetworkInterfaceIds) ?? env.store.list<NetworkInterface>(K.networkInterface.kind, env.scope);
  const items = stored.map((e) => presentInterface(env, e));
  const { page, NextToken } = paginate(applyFilters(items, input.Filters, INTERFACE_FILTERS), input, { min: 5, max: 1000 }, !!input.NetworkInterfaceIds?.length);
  return { NetworkInterfaces: page, NextToken };
}

interface InstanceLike {
  InstanceId: string;
  OwnerId?: string;
  Placement: { AvailabilityZone: string };
  State: { Name: string };
}

export function attachNetworkInterface(input: { NetworkInterfaceId: string; InstanceId: string; DeviceIndex: number; NetworkCardIndex?: number }, env: HandlerEnv) {
  const eni = must<NetworkInterface>(env, K.networkInterface, input.NetworkInterfaceId);
  const instance = must<InstanceLike>(env, K.instance, input.InstanceId);
  if (!['running', 'stopped'].includes(instance.State.Name)) {
    throw new AwsError('IncorrectInstanceState', `The instance '${instance.InstanceId}' is not in a state from which it can be attached to a network interface.`, 400);
  }
  if (eni.Attachment) throw new AwsError('InvalidNetworkInterface.InUse', `Interface: [${eni.NetworkInterfaceId}] in use.`, 400);
  if (eni.AvailabilityZone !== instance.Placement.AvailabilityZone) {
    throw new AwsError('InvalidParameterCombination', 'You may not attach a network interface to an instance if they are not in the same availability zone', 400);
  }
  if (input.DeviceIndex < 0) throw new AwsError('InvalidParameterValue', `Value (${input.DeviceIndex}) for parameter deviceIndex is invalid.`, 400);
  if (input.NetworkCardIndex !== undefined && input.NetworkCardIndex !== 0) {
    throw new AwsError('InvalidParameterValue', `Value (${input.NetworkCardIndex}) for parameter networkCardIndex is invalid. The instance has one network card.`, 400);
  }
  if (interfacesOf(env, instance.InstanceId).some((e) => e.Attachment!.DeviceIndex === input.DeviceIndex)) {
    throw new AwsError('InvalidParameterValue', `Instance '${instance.InstanceId}' already has an interface attached at device index '${input.DeviceIndex}'.`, 400);
  }
  attachInterface(eni, instance.InstanceId, instance.OwnerId ?? env.scope.account, input.DeviceIndex, false);
  save(env, K.networkInterface, eni);
  return { AttachmentId: eni.Attachment!.AttachmentId, NetworkCardIndex: 0 };
}

function byAttachment(env: HandlerEnv, attachmentId: string): NetworkInterface {
  if (!/^eni-attach-([0-9a-f]{8}|[0-9a-f]{17})$/.test(attachmentId)) {
    throw new AwsError('InvalidNetworkInterfaceAttachmentId.Malformed', `Invalid id: "${attachmentId}" (expecting "eni-attach-...")`, 400);
  }
  const eni = env.store.list<NetworkInterface>(K.networkInterface.kind, env.scope).find((e) => e.Attachment?.AttachmentId === attachmentId);
  if (!eni) throw new AwsError('InvalidAttachmentID.NotFound', `Interface attachment '${attachmentId}' does not exist`, 400);
  return eni;
}

export function detachNetworkInterface(input: { AttachmentId: string; Force?: boolean }, env: HandlerEnv) {
  const eni = byAttachment(env, input.AttachmentId);
  if (eni.Attachment!.DeviceIndex === 0 && eni.Attachment!.InstanceId) {
    throw new AwsError('OperationNotPermitted', 'The network interface at device index 0 and networkCard index 0 cannot be detached.', 400);
  }
  if (eni.RequesterManaged || !eni.Attachment!.InstanceId) {
    throw new AwsError('OperationNotPermitted', `The network interface '${eni.NetworkInterfaceId}' is managed by AWS and cannot be detached.`, 400);
  }
  delete eni.Attachment;
  eni.Status = 'available';
  save(env, K.networkInterface, eni);
  return {};
}

export function modifyNetworkInterfaceAttribute(
  input: {
    NetworkInterfaceId: string;
    Description?: { Value?: string };
    SourceDestCheck?: { Value?: boolean };
    Groups?: string[];
    Attachment?: { AttachmentId?: string; DeleteOnTermination?: boolean };
  },
  env: HandlerEnv,
) {
  const eni = must<NetworkInterface>(env, K.networkInterface, input.NetworkInterfaceId);
  const given = (['Description', 'SourceDestCheck', 'Groups', 'Attachment'] as const).filter((k) => input[k] !== undefined);
  if (given.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter description, sourceDestCheck, groupSet or attachment', 400);
  if (given.length > 1) throw new AwsError('InvalidParameterCombination', 'Only one attribute can be modified at a time', 400);
  if (input.Description) eni.Description = input.Description.Value ?? '';
  if (input.SourceDestCheck) {
    if (input.SourceDestCheck.Value === undefined) throw new AwsError('MissingParameter', 'The request must contain the parameter sourceDestCheck.value', 400);
    eni.SourceDestCheck = input.SourceDestCheck.Value;
  }
  if (input.Groups) {
    if (input.Groups.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter groupSet', 400);
    eni.Groups = resolveGroups(env, eni.VpcId, eni.SubnetId, input.Groups);
  }
  if (input.Attachment) {
    if (!eni.Attachment || eni.Attachment.AttachmentId !== input.Attachment.AttachmentId) {
      throw new AwsError('InvalidAttachmentID.NotFound', `Interface attachment '${input.Attachment.AttachmentId ?? ''}' does not exist`, 400);
    }
    if (input.Attachment.DeleteOnTermination !== undefined) eni.Attachment.DeleteOnTermination = input.Attachment.DeleteOnTermination;
  }
  save(env, K.networkInterface, eni);
  return {};
}

export function describeNetworkInterfaceAttribute(input: { NetworkInterfaceId: string; Attribute?: string }, env: HandlerEnv) {
  const eni = presentInterface(env, must<NetworkInterface>(env, K.networkInterface, input.NetworkInterfaceId));
  const base = { NetworkInterfaceId: eni.NetworkInterfaceId };
  switch (input.Attribute) {
    case 'description':
      return { ...base, Description: { Value: eni.Description } };
    case 'sourceDestCheck':
      return { ...base, SourceDestCheck: { Value: eni.SourceDestCheck } };
    case 'groupSet':
      return { ...base, Groups: eni.Groups };
    case 'attachment':
      return { ...base, Attachment: eni.Attachment };
    case 'associatePublicIpAddress':
      return { ...base, AssociatePublicIpAddress: !!eni.Association && !eni.Association.AllocationId };
    default:
      throw new AwsError('InvalidParameterValue', `Value (${input.Attribute ?? ''}) for parameter attribute is invalid. Unknown attribute.`, 400);
  }
}

export function assignPrivateIpAddresses(input: { NetworkInterfaceId: string; PrivateIpAddresses?: string[]; SecondaryPrivateIpAddressCount?: number; AllowReassignment?: boolean }, env: HandlerEnv) {
  const eni = must<NetworkInterface>(env, K.networkInterface, input.NetworkInterfaceId);
  const asked = input.PrivateIpAddresses ?? [];
  const count = input.SecondaryPrivateIpAddressCount;
  if (!asked.length && count === undefined) throw new AwsError('MissingParameter', 'The request must contain the parameter privateIpAddress or secondaryPrivateIpAddressCount', 400);
  if (asked.length && count !== undefined) throw new AwsError('InvalidParameterCombination', 'The parameters privateIpAddress and secondaryPrivateIpAddressCount cannot be used together.', 400);
  if (count !== undefined && count < 1) throw new AwsError('InvalidParameterValue', `Value (${count}) for parameter secondaryPrivateIpAddressCount is invalid. Expected a positive integer.`, 400);
  const subnet = must<Subnet>(env, K.subnet, eni.SubnetId);
  // With AllowReassignment an address held by another interface in the subnet moves here.
  if (input.AllowReassignment) {
    for (const ip of asked) {
      const holder = env.store.list<NetworkInterface>(K.networkInterface.kind, env.scope).find((e) => e.SubnetId === subnet.SubnetId && e.NetworkInterfaceId !== eni.NetworkInterfaceId && e.PrivateIpAddresses.some((a) => a.PrivateIpAddress === ip && !a.Primary));
      if (holder) {
        holder.PrivateIpAddresses = holder.PrivateIpAddresses.filter((a) => a.PrivateIpAddress !== ip);
        save(env, K.networkInterface, holder);
      }
    }
  }
  const taken = eni.PrivateIpAddresses.map((a) => a.PrivateIpAddress);
  const added: string[] = [];
  const take = (requested?: string) => {
    const ip = allocatePrivateIp(env, subnet, requested, [...taken, ...added]);
    added.push(ip);
  };
  for (const ip of asked) take(ip);
  for (let i = 0; i < (count ?? 0); i++) take();
  eni.PrivateIpAddresses = [...eni.PrivateIpAddresses, ...added.map((ip) => ({ Primary: false, PrivateIpAddress: ip, PrivateDnsName: privateDnsName(env.scope.region, ip) }))];
  save(env, K.networkInterface, eni);
  return { NetworkInterfaceId: eni.NetworkInterfaceId, AssignedPrivateIpAddresses: added.map((ip) => ({ PrivateIpAddress: ip })) };
}

export function unassignPrivateIpAddresses(input: { NetworkInterfaceId: string; PrivateIpAddresses?: string[] }, env: HandlerEnv) {
  const eni = must<NetworkInterface>(env, K.networkInterface, input.NetworkInterfaceId);
  const asked = input.PrivateIpAddresses ?? [];
  if (!asked.length) throw new AwsError('MissingParameter', 'The request must contain the parameter privateIpAddress', 400);
  for (const ip of asked) {
    const held = eni.PrivateIpAddresses.find((a) => a.PrivateIpAddress === ip);
    if (!held) throw new AwsError('InvalidParameterValue', `Some of the specified addresses are not assigned to interface ${eni.NetworkInterfaceId}`, 400);
    if (held.Primary) throw new AwsError('InvalidParameterValue', `The primary private IP address ${ip} cannot be unassigned from interface ${eni.NetworkInterfaceId}`, 400);
  }
  eni.PrivateIpAddresses = eni.PrivateIpAddresses.filter((a) => !asked.includes(a.PrivateIpAddress));
  save(env, K.networkInterface, eni);
  return {};
}
