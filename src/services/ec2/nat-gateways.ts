// NAT gateways. Each holds a requester-managed interface in its subnet (its
// private address) and, when public, an Elastic IP mapped on that interface.
// As on AWS, creation itself rarely fails: a gateway whose VPC has no
// internet gateway, or whose Elastic IP is already in use, is created and
// then reported 'failed' with FailureCode/FailureMessage. The create answer
// says 'pending'; describes say where it ended up. Deleted gateways stay
// describable for an hour, as on AWS.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { associationOf, elasticIpAssociation, setAssociation, type ElasticIp } from './addresses.ts';
import { applyFilters, paginate, type Filter } from './describe.ts';
import { internetGatewayOf } from './internet-gateways.ts';
import { createInterfaceRecord } from './interface-library.ts';
import { all, find, isIdOf, K, malformed, must, newId, remove, save } from './resources.ts';
import { tagsFromSpecs, type TagSpecification } from './tags.ts';
import type { NetworkInterface, Subnet } from './types.ts';
import type { NatGatewayAddress, NatGateway } from '../../records/ec2.ts';
export type { NatGatewayAddress, NatGateway } from '../../records/ec2.ts';

/** NAT gateways per Availability Zone (AWS default quota). */
const MAX_PER_ZONE = 5;
/** How long a deleted gateway is still listed. */
const DELETED_VISIBLE_MS = 60 * 60 * 1000;

function notFound(id: string): AwsError {
  return new AwsError('NatGatewayNotFound', `NAT gateway ${id} was not found`, 400);
}

function mustNat(env: HandlerEnv, id: string | undefined): NatGateway {
  if (id === undefined || id === '') throw new AwsError('MissingParameter', 'The request must contain the parameter NatGatewayId', 400);
  const nat = find<NatGateway>(env, K.natGateway, id);
  if (nat) return nat;
  if (!isIdOf(K.natGateway, id)) throw malformed(K.natGateway, id);
  throw notFound(id);
}

/** Why a gateway cannot come up, as AWS reports it in FailureCode / FailureMessage. */
function failureOf(env: HandlerEnv, subnet: Subnet, connectivity: string, addr: ElasticIp | undefined): { code: string; message: string } | undefined {
  if (connectivity === 'private') return undefined;
  if (!internetGatewayOf(env, subnet.VpcId)) return { code: 'Gateway.NotAttached', message: `Network ${subnet.VpcId} has no Internet gateway attached` };
  if (addr && associationOf(env, addr.AllocationId)) return { code: 'Resource.AlreadyAssociated', message: `Elastic IP address ${addr.AllocationId} is already associated` };
  return undefined;
}

export function createNatGateway(
  input: { SubnetId: string; AllocationId?: string; ConnectivityType?: string; PrivateIpAddress?: string; ClientToken?: string; TagSpecifications?: TagSpecification[]; SecondaryAllocationIds?: string[]; SecondaryPrivateIpAddresses?: string[]; SecondaryPrivateIpAddressCount?: number },
  env: HandlerEnv,
) {
  if (input.ClientToken) {
    const earlier = all<NatGateway>(env, K.natGateway).find((n) => n._clientToken === input.ClientToken);
    if (earlier) {
      if (earlier.SubnetId !== input.SubnetId || earlier.NatGatewayAddresses[0]?.AllocationId !== input.AllocationId) {
        throw new AwsError('IdempotentParameterMismatch', 'The client token you have provided is associated with a resource that is already deleted or has different parameters.', 400);
      }
      return { ClientToken: input.ClientToken, NatGateway: earlier };
    }
  }
  const subnet = must<Subnet>(env, K.subnet, input.SubnetId);
  const connectivity = input.ConnectivityType ?? 'public';
  if (connectivity !== 'public' && connectivity !== 'private') {
    throw new AwsError('InvalidParameterValue', `Value (${connectivity}) for parameter connectivityType is invalid. Valid values are: public, private.`, 400);
  }
  if (input.SecondaryAllocationIds?.length || input.SecondaryPrivateIpAddresses?.length || input.SecondaryPrivateIpAddressCount) {
    throw new AwsError('InvalidParameterValue', 'localnet does not emulate secondary NAT gateway addresses.', 400);
  }
  let addr: ElasticIp | undefined;
  if (connectivity === 'public') {
    if (input.AllocationId === undefined) throw new AwsError('MissingParameter', 'The request must contain the parameter AllocationId for a public NAT gateway.', 400);
    addr = must<ElasticIp>(env, K.address, input.AllocationId);
  } else if (input.AllocationId !== undefined) {
    throw new AwsError('InvalidParameterCombination', 'An Elastic IP address cannot be assigned to a private NAT gateway.', 400);
  }
  const tags = tagsFromSpecs(input.TagSpecifications, 'natgateway');
  const inZone = all<NatGateway>(env, K.natGateway).filter((n) => n.State !== 'deleted' && n.State !== 'failed' && find<Subnet>(env, K.subnet, n.SubnetId)?.AvailabilityZone === subnet.AvailabilityZone);
  if (inZone.length >= MAX_PER_ZONE) throw new AwsError('NatGatewayLimitExceeded', 'The maximum number of NAT gateways has been reached.', 400);

  const id = newId('nat');
  const nat: NatGateway = {
    NatGatewayId: id,
    SubnetId: subnet.SubnetId,
    VpcId: subnet.VpcId,
    State: 'available',
    ConnectivityType: connectivity,
    CreateTime: new Date().toISOString(),
    NatGatewayAddresses: [],
    Tags: tags,
    _clientToken: input.ClientToken,
  };
  let failure = failureOf(env, subnet, connectivity, addr);
  let eni: NetworkInterface | undefined;
  if (!failure) {
    try {
      eni = createInterfaceRecord(env, subnet, { interfaceType: 'nat_gateway', description: `Interface for NAT Gateway ${id}`, privateIp: input.PrivateIpAddress, requesterManaged: true, requesterId: 'amazon-nat-gateway' });
    } catch (err) {
      if (!(err instanceof AwsError) || err.code !== 'InsufficientFreeAddressesInSubnet') throw err;
      failure = { code: 'InsufficientFreeAddressesInSubnet', message: 'Subnet has insufficient free addresses to create this NAT gateway' };
    }
  }
  if (failure || !eni) {
    nat.State = 'failed';
    nat.FailureCode = failure!.code;
    nat.FailureMessage = failure!.message;
    nat.NatGatewayAddresses = [{ AllocationId: addr?.AllocationId, IsPrimary: true, Status: 'failed', FailureMessage: failure!.message }];
  } else {
    eni.Status = 'in-use';
    save(env, K.networkInterface, eni);
    const address: NatGatewayAddress = { AllocationId: addr?.AllocationId, NetworkInterfaceId: eni.NetworkInterfaceId, PrivateIp: eni.PrivateIpAddress, IsPrimary: true, Status: 'succeeded' };
    if (addr) {
      const assoc = elasticIpAssociation(env, addr, subnet.VpcId);
      setAssociation(env, eni, 0, assoc);
      address.PublicIp = addr.PublicIp;
      address.AssociationId = assoc.AssociationId;
    }
    nat.NatGatewayAddresses = [address];
  }
  save(env, K.natGateway, nat);
  // AWS answers while the gateway is still being provisioned.
  return {
    ClientToken: input.ClientToken,
    NatGateway: { ...nat, State: 'pending', FailureCode: undefined, FailureMessage: undefined, NatGatewayAddresses: nat.NatGatewayAddresses.map((a) => ({ AllocationId: a.AllocationId, NetworkInterfaceId: a.NetworkInterfaceId, PrivateIp: a.PrivateIp, IsPrimary: a.IsPrimary, Status: 'associating' })) },
  };
}

export function deleteNatGateway(input: { NatGatewayId: string }, env: HandlerEnv) {
  const nat = mustNat(env, input.NatGatewayId);
  if (nat.State === 'deleted') return { NatGatewayId: nat.NatGatewayId };
  // Its interface goes (freeing the private address); the Elastic IP stays allocated, now unassociated.
  for (const a of nat.NatGatewayAddresses) {
    if (a.NetworkInterfaceId && find<NetworkInterface>(env, K.networkInterface, a.NetworkInterfaceId)) remove(env, K.networkInterface, a.NetworkInterfaceId);
    delete a.AssociationId;
    if (a.Status === 'succeeded') a.Status = 'disassociating';
  }
  nat.State = 'deleted';
  nat.DeleteTime = new Date().toISOString();
  save(env, K.natGateway, nat);
  return { NatGatewayId: nat.NatGatewayId };
}

export const NAT_GATEWAY_FILTERS = {
  'nat-gateway-id': (n: NatGateway) => n.NatGatewayId,
  state: (n: NatGateway) => n.State,
  'subnet-id': (n: NatGateway) => n.SubnetId,
  'vpc-id': (n: NatGateway) => n.VpcId,
};

/** Deleted gateways drop out of listings an hour after deletion. */
function stillListed(n: NatGateway, now: number): boolean {
  return n.State !== 'deleted' || now - Date.parse(n.DeleteTime ?? '') < DELETED_VISIBLE_MS;
}

export function describeNatGateways(input: { NatGatewayIds?: string[]; Filter?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const now = Date.now();
  let items: NatGateway[];
  if (input.NatGatewayIds?.length) {
    items = input.NatGatewayIds.map((id) => {
      const nat = find<NatGateway>(env, K.natGateway, id);
      if (!nat || !stillListed(nat, now)) throw notFound(id);
      return nat;
    });
  } else {
    items = all<NatGateway>(env, K.natGateway).filter((n) => stillListed(n, now));
  }
  const { page, NextToken } = paginate(applyFilters(items, input.Filter, NAT_GATEWAY_FILTERS), input, { min: 5, max: 1000 });
  return { NatGateways: page, NextToken };
}

export const natGatewayHandlers = {
  CreateNatGateway: createNatGateway,
  DeleteNatGateway: deleteNatGateway,
  DescribeNatGateways: describeNatGateways,
} satisfies Handlers;
