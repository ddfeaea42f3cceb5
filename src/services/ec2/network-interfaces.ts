// Network interfaces as the API sees them: CreateNetworkInterface,
// DeleteNetworkInterface, DescribeNetworkInterfaces, attach and detach,
// attributes, secondary private addresses. Making, addressing and attaching
// an interface is the interface library's (interface-library.ts), shared
// with instances, NAT gateways and ELBv2.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { applyFilters, paginate, type Filter } from './describe.ts';
import { attachInterface, createInterfaceRecord, defaultGroupOf, deleteInterfaceRecord, detachInterface, interfacesOf, presentInterface, privateDnsName, resolveGroups } from './interface-library.ts';
import { byIds, K, must, save } from './resources.ts';
import { allocatePrivateIp } from './subnets.ts';
import { tagsFromSpecs, type TagSpecification } from './tags.ts';
import type { NetworkInterface, Subnet } from './types.ts';

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
  detachInterface(eni);
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

export const networkInterfaceHandlers = {
  CreateNetworkInterface: createNetworkInterface,
  DeleteNetworkInterface: deleteNetworkInterface,
  DescribeNetworkInterfaces: describeNetworkInterfaces,
  AttachNetworkInterface: attachNetworkInterface,
  DetachNetworkInterface: detachNetworkInterface,
  ModifyNetworkInterfaceAttribute: modifyNetworkInterfaceAttribute,
  DescribeNetworkInterfaceAttribute: describeNetworkInterfaceAttribute,
  AssignPrivateIpAddresses: assignPrivateIpAddresses,
  UnassignPrivateIpAddresses: unassignPrivateIpAddresses,
} satisfies Handlers;
