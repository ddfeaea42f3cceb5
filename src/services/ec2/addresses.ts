// Elastic IP addresses. An allocation is stored on its own; its association
// lives on the network interface that holds it (PrivateIpAddresses[i].
// Association, mirrored in the interface's Association for the primary
// address), so an address is associated exactly when some interface says
// so. Public addresses come from localnet's loopback block (the public
// address data plane binds them), or from documentation ranges (RFC 5737)
// with LOCALNET_PUBLIC_ADDRESSES=aws: see src/services/public-addresses.ts.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { inElasticPool, nextPublicIp, poolText } from '../public-addresses.ts';
import { dnsAttributes } from '../../records/vpcs.ts';
import { applyFilters, type Filter } from './describe.ts';
import { internetGatewayOf } from './internet-gateways.ts';
import { all, find, K, must, newId, remove, save } from './resources.ts';
import type { Instance } from './instances.ts';
import { assignAutoPublicIp, interfacesOf, publicAddressesInUse, publicDnsName } from './interface-library.ts';
import { tagsFromSpecs, type TagSpecification } from './tags.ts';
import type { NetworkInterface, PublicIpAssociation, Vpc } from './types.ts';
import type { ElasticIp } from '../../records/ec2.ts';
export type { ElasticIp } from '../../records/ec2.ts';

/** Elastic IPs per region (AWS default quota). */
const MAX_ADDRESSES = 5;
/** A public IPv4 address no one holds (src/services/public-addresses.ts: the loopback block, or AWS-looking ones). */
export function allocatePublicIp(env: HandlerEnv): string {
  const ip = nextPublicIp(publicAddressesInUse(env), 'elastic');
  if (!ip) throw new AwsError('InsufficientAddressCapacity', `There are no free public IPv4 addresses left in localnet's address pool (${poolText('elastic')}).`, 400);
  return ip;
}

/** Where an allocation is associated now: the interface and the index of the private address. */
export function associationOf(env: HandlerEnv, allocationId: string): { eni: NetworkInterface; index: number; assoc: PublicIpAssociation } | undefined {
  for (const eni of all<NetworkInterface>(env, K.networkInterface)) {
    const index = (eni.PrivateIpAddresses ?? []).findIndex((p) => p.Association?.AllocationId === allocationId);
    if (index >= 0) return { eni, index, assoc: eni.PrivateIpAddresses[index].Association! };
  }
  return undefined;
}

/** Maps a public address onto a private address of an interface (replacing what was mapped there). */
export function setAssociation(env: HandlerEnv, eni: NetworkInterface, index: number, assoc: PublicIpAssociation | undefined): void {
  const slot = eni.PrivateIpAddresses[index];
  if (assoc) slot.Association = assoc;
  else delete slot.Association;
  if (slot.Primary) {
    if (assoc) eni.Association = assoc;
    else delete eni.Association;
  }
  save(env, K.networkInterface, eni);
}

/** The Elastic IP association record for an address on an interface of `vpcId`. */
export function elasticIpAssociation(env: HandlerEnv, addr: ElasticIp, vpcId: string): PublicIpAssociation {
  const vpc = find<Vpc>(env, K.vpc, vpcId);
  return {
    PublicIp: addr.PublicIp,
    PublicDnsName: vpc && dnsAttributes(vpc).hostnames ? publicDnsName(env.scope.region, addr.PublicIp) : undefined,
    IpOwnerId: env.scope.account,
    AllocationId: addr.AllocationId,
    AssociationId: newId('eipassoc'),
  };
}

function authFailure(): AwsError {
  return new AwsError('AuthFailure', 'You do not have permission to access the specified resource.', 400);
}

/** The allocation named by AllocationId, or by PublicIp (AuthFailure when the account does not hold it). */
function addressOf(env: HandlerEnv, input: { AllocationId?: string; PublicIp?: string }): ElasticIp {
  if (input.AllocationId !== undefined) return must<ElasticIp>(env, K.address, input.AllocationId);
  if (input.PublicIp !== undefined) {
    const addr = all<ElasticIp>(env, K.address).find((a) => a.PublicIp === input.PublicIp);
    if (!addr) throw authFailure();
    return addr;
  }
  throw new AwsError('MissingParameter', 'Either public IP or allocation id must be specified', 400);
}

export function allocateAddress(input: { Domain?: string; Address?: string; PublicIpv4Pool?: string; NetworkBorderGroup?: string; TagSpecifications?: TagSpecification[] }, env: HandlerEnv) {
  // EC2-Classic is retired: 'standard' is accepted and allocates a VPC address, as AWS now does.
  if (input.Domain !== undefined && input.Domain !== 'vpc' && input.Domain !== 'standard') {
    throw new AwsError('InvalidParameterValue', `Value (${input.Domain}) for parameter domain is invalid.`, 400);
  }
  if (input.PublicIpv4Pool !== undefined && input.PublicIpv4Pool !== 'amazon') {
    throw new AwsError('InvalidPublicIpv4PoolID.NotFound', `The publicIpv4Pool ID '${input.PublicIpv4Pool}' does not exist`, 400);
  }
  if (input.NetworkBorderGroup !== undefined && input.NetworkBorderGroup !== env.scope.region) {
    throw new AwsError('InvalidParameterValue', `The network border group '${input.NetworkBorderGroup}' is invalid.`, 400);
  }
  const tags = tagsFromSpecs(input.TagSpecifications, 'elastic-ip');
  if (all(env, K.address).length >= MAX_ADDRESSES) throw new AwsError('AddressLimitExceeded', 'The maximum number of addresses has been reached.', 400);
  let ip: string;
  if (input.Address !== undefined) {
    // Recovering a specific address: it must be one of ours and free.
    if (!inElasticPool(input.Address) || publicAddressesInUse(env).has(input.Address)) {
      throw new AwsError('InvalidAddress.NotFound', `Address '${input.Address}' not found.`, 400);
    }
    ip = input.Address;
  } else {
    ip = allocatePublicIp(env);
  }
  const addr = save(env, K.address, {
    AllocationId: newId('eipalloc'),
    PublicIp: ip,
    Domain: 'vpc',
    PublicIpv4Pool: 'amazon',
    NetworkBorderGroup: env.scope.region,
    Tags: tags,
  } satisfies ElasticIp);
  return { PublicIp: addr.PublicIp, AllocationId: addr.AllocationId, PublicIpv4Pool: addr.PublicIpv4Pool, NetworkBorderGroup: addr.NetworkBorderGroup, Domain: addr.Domain };
}

/** The interface an AssociateAddress call names: the given one, or the instance's primary interface. */
function targetInterface(env: HandlerEnv, input: { InstanceId?: string; NetworkInterfaceId?: string }): NetworkInterface {
  if (input.NetworkInterfaceId !== undefined) {
    const eni = must<NetworkInterface>(env, K.networkInterface, input.NetworkInterfaceId);
    if (input.InstanceId !== undefined && eni.Attachment?.InstanceId !== input.InstanceId) {
      throw new AwsError('InvalidParameterCombination', `Network interface ${eni.NetworkInterfaceId} is not attached to instance ${input.InstanceId}`, 400);
    }
    return eni;
  }
  if (input.InstanceId === undefined) throw new AwsError('MissingParameter', 'Either instance ID or network interface ID must be specified', 400);
  const inst = must<Instance>(env, K.instance, input.InstanceId);
  const state = inst.State?.Name;
  if (state !== undefined && state !== 'running' && state !== 'stopped') {
    throw new AwsError('IncorrectInstanceState', `The instance '${inst.InstanceId}' is not in a valid state for this operation.`, 400);
  }
  const primary = interfacesOf(env, inst.InstanceId).find((e) => (e.Attachment?.DeviceIndex ?? 0) === 0);
  if (!primary) throw new AwsError('IncorrectInstanceState', `The instance '${inst.InstanceId}' has no primary network interface.`, 400);
  return primary;
}

export function associateAddress(input: { AllocationId?: string; PublicIp?: string; InstanceId?: string; NetworkInterfaceId?: string; PrivateIpAddress?: string; AllowReassociation?: boolean }, env: HandlerEnv) {
  const addr = addressOf(env, input);
  const eni = targetInterface(env, input);
  // Interfaces AWS manages for a service (NAT gateways, load balancers) take addresses only through that service.
  if (eni.RequesterManaged) throw authFailure();
  const index = input.PrivateIpAddress === undefined
    ? eni.PrivateIpAddresses.findIndex((p) => p.Primary)
    : eni.PrivateIpAddresses.findIndex((p) => p.PrivateIpAddress === input.PrivateIpAddress);
  if (index < 0) {
    throw new AwsError('InvalidParameterValue', `The private IP address ${input.PrivateIpAddress} is not assigned to network interface ${eni.NetworkInterfaceId}.`, 400);
  }
  if (!internetGatewayOf(env, eni.VpcId)) throw new AwsError('Gateway.NotAttached', `Network ${eni.VpcId} is not attached to any internet gateway`, 400);
  const current = associationOf(env, addr.AllocationId);
  if (current) {
    const same = current.eni.NetworkInterfaceId === eni.NetworkInterfaceId && current.index === index;
    if (!same && input.AllowReassociation !== true) {
      throw new AwsError('Resource.AlreadyAssociated', `resource ${addr.AllocationId} is already associated with associate-id ${current.assoc.AssociationId}`, 400);
    }
    if (current.eni.RequesterManaged) throw authFailure();
    setAssociation(env, current.eni, current.index, undefined);
  }
  // Whatever was mapped on the target address (another Elastic IP or an auto-assigned public IP) is replaced.
  const fresh = find<NetworkInterface>(env, K.networkInterface, eni.NetworkInterfaceId)!;
  const assoc = elasticIpAssociation(env, addr, fresh.VpcId);
  setAssociation(env, fresh, index, assoc);
  return { AssociationId: assoc.AssociationId };
}

export function disassociateAddress(input: { AssociationId?: string; PublicIp?: string }, env: HandlerEnv) {
  let found: { eni: NetworkInterface; index: number } | undefined;
  if (input.AssociationId !== undefined) {
    for (const eni of all<NetworkInterface>(env, K.networkInterface)) {
      const index = (eni.PrivateIpAddresses ?? []).findIndex((p) => p.Association?.AssociationId === input.AssociationId && p.Association?.AllocationId !== undefined);
      if (index >= 0) found = { eni, index };
    }
    if (!found) throw new AwsError('InvalidAssociationID.NotFound', `The association ID '${input.AssociationId}' does not exist`, 400);
  } else if (input.PublicIp !== undefined) {
    const addr = addressOf(env, { PublicIp: input.PublicIp });
    found = associationOf(env, addr.AllocationId);
    // Disassociating an address that is not associated succeeds and changes nothing.
    if (!found) return {};
  } else {
    throw new AwsError('MissingParameter', 'Either public IP or association id must be specified', 400);
  }
  if (found.eni.RequesterManaged) throw authFailure();
  setAssociation(env, found.eni, found.index, undefined);
  regainAutoPublicIp(env, found.eni, found.index);
  return {};
}

/**
 * A running instance launched with an auto-assigned public address gets a new
 * one when the Elastic IP on its primary address is taken away, as on AWS.
 */
function regainAutoPublicIp(env: HandlerEnv, eni: NetworkInterface, index: number): void {
  const attachment = eni.Attachment;
  if (!eni.PrivateIpAddresses[index]?.Primary || attachment?.DeviceIndex !== 0 || !attachment.InstanceId) return;
  const instance = find<Instance>(env, K.instance, attachment.InstanceId);
  if (!instance?._autoPublicIp || instance.State.Name !== 'running') return;
  assignAutoPublicIp(env, eni);
  save(env, K.networkInterface, eni);
}

export function releaseAddress(input: { AllocationId?: string; PublicIp?: string; NetworkBorderGroup?: string }, env: HandlerEnv) {
  if (input.AllocationId === undefined && input.PublicIp !== undefined) {
    addressOf(env, { PublicIp: input.PublicIp });
    throw new AwsError('InvalidParameterValue', 'You must specify an allocation id when releasing a VPC elastic IP address', 400);
  }
  const addr = addressOf(env, input);
  if (associationOf(env, addr.AllocationId)) throw new AwsError('InvalidIPAddress.InUse', `The address with allocation id [${addr.AllocationId}] is in use.`, 400);
  remove(env, K.address, addr.AllocationId);
  return {};
}

/** The address as Describe shows it: its association read from the interface that holds it. */
interface PresentedAddress extends ElasticIp {
  AssociationId?: string;
  InstanceId?: string;
  NetworkInterfaceId?: string;
  NetworkInterfaceOwnerId?: string;
  PrivateIpAddress?: string;
}

function presentAddress(env: HandlerEnv, addr: ElasticIp): PresentedAddress {
  const at = associationOf(env, addr.AllocationId);
  if (!at) return addr;
  return {
    ...addr,
    AssociationId: at.assoc.AssociationId,
    InstanceId: at.eni.Attachment?.InstanceId,
    NetworkInterfaceId: at.eni.NetworkInterfaceId,
    NetworkInterfaceOwnerId: at.eni.OwnerId,
    PrivateIpAddress: at.eni.PrivateIpAddresses[at.index].PrivateIpAddress,
  };
}

export const ADDRESS_FILTERS = {
  'allocation-id': (a: PresentedAddress) => a.AllocationId,
  'association-id': (a: PresentedAddress) => a.AssociationId,
  domain: (a: PresentedAddress) => a.Domain,
  'instance-id': (a: PresentedAddress) => a.InstanceId,
  'network-border-group': (a: PresentedAddress) => a.NetworkBorderGroup,
  'network-interface-id': (a: PresentedAddress) => a.NetworkInterfaceId,
  'network-interface-owner-id': (a: PresentedAddress) => a.NetworkInterfaceOwnerId,
  'private-ip-address': (a: PresentedAddress) => a.PrivateIpAddress,
  'public-ip': (a: PresentedAddress) => a.PublicIp,
  'public-ipv4-pool': (a: PresentedAddress) => a.PublicIpv4Pool,
};

export function describeAddresses(input: { PublicIps?: string[]; AllocationIds?: string[]; Filters?: Filter[] }, env: HandlerEnv) {
  let items = all<ElasticIp>(env, K.address);
  if (input.AllocationIds?.length) items = input.AllocationIds.map((id) => must<ElasticIp>(env, K.address, id));
  if (input.PublicIps?.length) {
    for (const ip of input.PublicIps) if (!items.some((a) => a.PublicIp === ip)) throw new AwsError('InvalidAddress.NotFound', `Address '${ip}' not found.`, 400);
    items = items.filter((a) => input.PublicIps!.includes(a.PublicIp));
  }
  return { Addresses: applyFilters(items.map((a) => presentAddress(env, a)), input.Filters, ADDRESS_FILTERS) };
}

export const addressHandlers = {
  AllocateAddress: allocateAddress,
  AssociateAddress: associateAddress,
  DisassociateAddress: disassociateAddress,
  ReleaseAddress: releaseAddress,
  DescribeAddresses: describeAddresses,
} satisfies Handlers;
