// Routes inside a route table: CreateRoute, ReplaceRoute, DeleteRoute, the
// checks AWS makes on a route's destination and target, and the state
// (active | blackhole) a route has right now. State is never stored: it is
// computed from the target whenever a table is described, so detaching a
// gateway or terminating an instance turns its routes into blackholes
// without touching any table.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { containsCidr4, containsCidr6, formatCidr4, formatCidr6, parseCidr4, parseCidr6 } from '../../net/cidr.ts';
import type { Instance, NatGateway, VpcEndpoint, VpcPeeringConnection } from '../../records/ec2.ts';
import { peeringAt } from '../../records/peering.ts';
import { activeCidrBlocks, activeIpv6Blocks } from '../../records/vpcs.ts';
import type { InternetGateway } from './internet-gateways.ts';
import { interfacesOf } from './interface-library.ts';
import { all, find, K, must, save } from './resources.ts';
import type { NetworkInterface, Route, RouteTable, Subnet, Vpc } from './types.ts';

/** Non-propagated routes per table (AWS default quota; local routes count). */
const MAX_ROUTES = 50;
/** AWS keeps this range for its own services; no route may point into it. */
const RESERVED_RANGE = parseCidr4('169.254.168.0/22')!;

type DestinationKey = 'DestinationCidrBlock' | 'DestinationIpv6CidrBlock' | 'DestinationPrefixListId';

export interface RouteInput {
  RouteTableId: string;
  DestinationCidrBlock?: string;
  DestinationIpv6CidrBlock?: string;
  DestinationPrefixListId?: string;
  GatewayId?: string;
  NatGatewayId?: string;
  InstanceId?: string;
  NetworkInterfaceId?: string;
  VpcPeeringConnectionId?: string;
  EgressOnlyInternetGatewayId?: string;
  TransitGatewayId?: string;
  VpcEndpointId?: string;
  LocalGatewayId?: string;
  CarrierGatewayId?: string;
  CoreNetworkArn?: string;
  LocalTarget?: boolean;
}

interface Destination {
  key: DestinationKey;
  /** Canonical form (host bits cleared), as AWS stores it. */
  value: string;
  /** How InvalidRoute.NotFound names the destination. */
  label: string;
}

/** Instance states in which an instance forwards nothing. */
const DOWN_INSTANCE_STATES = ['shutting-down', 'terminated', 'stopping', 'stopped'];

/** The connection as it stands now (a pending request past its expiration time has expired). Peerings may live in the other side's account, so look them up in every scope. */
function findPeering(env: HandlerEnv, id: string): VpcPeeringConnection | undefined {
  const stored = env.store.get<VpcPeeringConnection>(K.peering.kind, env.scope, id) ?? env.store.listAll<VpcPeeringConnection>(K.peering.kind).find((p) => p.value.VpcPeeringConnectionId === id)?.value;
  return stored && peeringAt(stored);
}

function parseDestination(input: RouteInput): Destination {
  const given = (['DestinationCidrBlock', 'DestinationIpv6CidrBlock', 'DestinationPrefixListId'] as const).filter((k) => input[k] !== undefined);
  if (given.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter destinationCidrBlock or destinationIpv6CidrBlock or destinationPrefixListId', 400);
  if (given.length > 1) throw new AwsError('InvalidParameterCombination', 'Only one of destinationCidrBlock, destinationIpv6CidrBlock and destinationPrefixListId may be specified', 400);
  const key = given[0];
  const raw = input[key]!;
  if (key === 'DestinationCidrBlock') {
    const c = parseCidr4(raw);
    if (!c) throw new AwsError('InvalidParameterValue', `Value (${raw}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`, 400);
    return { key, value: formatCidr4(c), label: `destination-cidr-block ${formatCidr4(c)}` };
  }
  if (key === 'DestinationIpv6CidrBlock') {
    const c = parseCidr6(raw);
    if (!c) throw new AwsError('InvalidParameterValue', `Value (${raw}) for parameter destinationIpv6CidrBlock is invalid. This is not a valid CIDR block.`, 400);
    return { key, value: formatCidr6(c), label: `destination-ipv6-cidr-block ${formatCidr6(c)}` };
  }
  return { key, value: raw, label: `destination-prefix-list-id ${raw}` };
}

/** What a route points at, as the Route members that name it. */
type Target = Pick<Route, 'GatewayId' | 'NatGatewayId' | 'InstanceId' | 'InstanceOwnerId' | 'NetworkInterfaceId' | 'VpcPeeringConnectionId'> & { kind: 'local' | 'igw' | 'nat' | 'instance' | 'eni' | 'peering' };

const TARGET_PARAMS = ['GatewayId', 'NatGatewayId', 'InstanceId', 'NetworkInterfaceId', 'VpcPeeringConnectionId', 'EgressOnlyInternetGatewayId', 'TransitGatewayId', 'VpcEndpointId', 'LocalGatewayId', 'CarrierGatewayId', 'CoreNetworkArn'] as const;

function differentNetworks(table: RouteTable, what: string, id: string): AwsError {
  return new AwsError('InvalidParameterValue', `route table ${table.RouteTableId} and ${what} ${id} belong to different networks`, 400);
}

/** Resolves and checks the one target of a CreateRoute/ReplaceRoute: it exists and belongs to the table's VPC. */
function resolveTarget(env: HandlerEnv, table: RouteTable, input: RouteInput, operation: 'CreateRoute' | 'ReplaceRoute'): Target {
  const given = TARGET_PARAMS.filter((k) => input[k] !== undefined && input[k] !== '');
  if (input.LocalTarget === true) {
    if (operation === 'CreateRoute' || given.length > 0) throw new AwsError('InvalidParameterCombination', 'localTarget cannot be combined with another target', 400);
    return { kind: 'local', GatewayId: 'local' };
  }
  if (given.length === 0) {
    throw new AwsError('MissingParameter', 'The request must contain exactly one of gatewayId, natGatewayId, instanceId, networkInterfaceId, vpcPeeringConnectionId, egressOnlyInternetGatewayId, transitGatewayId, vpcEndpointId, localGatewayId, carrierGatewayId or coreNetworkArn', 400);
  }
  if (given.length > 1) throw new AwsError('InvalidParameterCombination', `More than one target specified: ${given.map((g) => g.charAt(0).toLowerCase() + g.slice(1)).join(', ')}`, 400);
  const param = given[0];
  const id = input[param]!;
  switch (param) {
    case 'GatewayId': {
      if (id === 'local') {
        if (operation === 'CreateRoute') throw new AwsError('InvalidParameterValue', 'Value (local) for parameter gatewayId is invalid. A route to the local target is created with the VPC; use ReplaceRoute to restore it.', 400);
        return { kind: 'local', GatewayId: 'local' };
      }
      // Virtual private gateways and gateway endpoints are not emulated, so only internet gateways can exist.
      const igw = id.startsWith('igw-') ? find<InternetGateway>(env, K.internetGateway, id) : undefined;
      if (!igw) throw new AwsError('InvalidGatewayID.NotFound', `The gateway ID '${id}' does not exist`, 400);
      if (!igw.Attachments.some((a) => a.VpcId === table.VpcId)) throw differentNetworks(table, 'network gateway', id);
      return { kind: 'igw', GatewayId: id };
    }
    case 'NatGatewayId': {
      const nat = find<NatGateway>(env, K.natGateway, id);
      if (!nat || nat.State === 'deleted' || nat.State === 'deleting' || nat.State === 'failed') {
        throw new AwsError('InvalidNatGatewayID.NotFound', `The natGateway ID '${id}' does not exist`, 400);
      }
      if (nat.VpcId !== table.VpcId) throw differentNetworks(table, 'NAT gateway', id);
      return { kind: 'nat', NatGatewayId: id };
    }
    case 'InstanceId': {
      const inst = find<Instance>(env, K.instance, id);
      if (!inst || inst.State.Name === 'terminated') throw new AwsError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`, 400);
      const enis = interfacesOf(env, id);
      if (enis.length > 1) throw new AwsError('InvalidInstanceID', `There are multiple interfaces attached to instance '${id}'. Please specify an interface ID for the operation instead.`, 400);
      if ((enis[0]?.VpcId ?? inst.VpcId) !== table.VpcId) throw differentNetworks(table, 'instance', id);
      return { kind: 'instance', InstanceId: id, InstanceOwnerId: env.scope.account, NetworkInterfaceId: enis[0]?.NetworkInterfaceId };
    }
    case 'NetworkInterfaceId': {
      const eni = must<NetworkInterface>(env, K.networkInterface, id);
      if (eni.VpcId !== table.VpcId) throw differentNetworks(table, 'interface', id);
      const instanceId = eni.Attachment?.InstanceId;
      return { kind: 'eni', NetworkInterfaceId: id, InstanceId: instanceId, InstanceOwnerId: instanceId ? env.scope.account : undefined };
    }
    case 'VpcPeeringConnectionId': {
      const pcx = findPeering(env, id);
      if (!pcx || ['deleted', 'rejected', 'failed', 'expired'].includes(pcx.Status.Code)) {
        throw new AwsError('InvalidVpcPeeringConnectionID.NotFound', `The vpcPeeringConnection ID '${id}' does not exist`, 400);
      }
      if (pcx.RequesterVpcInfo.VpcId !== table.VpcId && pcx.AccepterVpcInfo.VpcId !== table.VpcId) throw differentNetworks(table, 'VPC peering connection', id);
      return { kind: 'peering', VpcPeeringConnectionId: id };
    }
    // Egress-only gateways, transit gateways, endpoints, local and carrier gateways and
    // Cloud WAN are not emulated: none can exist, so AWS's not-found answer is the truthful one.
    case 'EgressOnlyInternetGatewayId':
      throw new AwsError('InvalidGatewayID.NotFound', `The eigw ID '${id}' does not exist`, 400);
    case 'TransitGatewayId':
      throw new AwsError('InvalidTransitGatewayID.NotFound', `The transitGateway ID '${id}' does not exist.`, 400);
    case 'VpcEndpointId':
      throw new AwsError('InvalidVpcEndpointId.NotFound', `The Vpc Endpoint Id '${id}' does not exist`, 400);
    case 'LocalGatewayId':
      throw new AwsError('InvalidLocalGatewayID.NotFound', `The localGateway ID '${id}' does not exist`, 400);
    case 'CarrierGatewayId':
      throw new AwsError('InvalidCarrierGatewayID.NotFound', `The CarrierGateway ID '${id}' does not exist`, 400);
    default:
      throw new AwsError('InvalidParameterValue', `Value (${id}) for parameter coreNetworkArn is invalid.`, 400);
  }
}

/** The VPC blocks of the destination's family, and the subnet blocks a more specific route may name exactly. */
function blocksOf(env: HandlerEnv, vpc: Vpc, v6: boolean): { vpcBlocks: string[]; subnetBlocks: string[] } {
  const subnets = all<Subnet>(env, K.subnet).filter((s) => s.VpcId === vpc.VpcId);
  if (v6) {
    return {
      vpcBlocks: activeIpv6Blocks(vpc),
      subnetBlocks: subnets.flatMap((s) => s.Ipv6CidrBlockAssociationSet.map((a) => a.Ipv6CidrBlock)),
    };
  }
  return {
    vpcBlocks: activeCidrBlocks(vpc),
    subnetBlocks: subnets.map((s) => s.CidrBlock),
  };
}

function within(outer: string, inner: string, v6: boolean): boolean {
  if (v6) return containsCidr6(parseCidr6(outer)!, parseCidr6(inner)!);
  return containsCidr4(parseCidr4(outer)!, parseCidr4(inner)!);
}

function sameCidr(a: string, b: string, v6: boolean): boolean {
  return within(a, b, v6) && within(b, a, v6);
}

/**
 * The rules about the local route (AWS-BEHAVIOUR §2): a destination inside a
 * VPC block is allowed only when it is exactly a subnet's block and the
 * target is a NAT gateway or a network interface (middlebox routing); the
 * local route itself may be pointed at those too, or back at 'local'.
 */
function checkLocalRules(env: HandlerEnv, table: RouteTable, dest: Destination, target: Target): void {
  if (dest.key === 'DestinationPrefixListId') return;
  const v6 = dest.key === 'DestinationIpv6CidrBlock';
  if (!v6 && containsCidr4(RESERVED_RANGE, parseCidr4(dest.value)!)) {
    throw new AwsError('InvalidParameterValue', `The destination CIDR block ${dest.value} is in the reserved range 169.254.168.0/22 and cannot be used in a route.`, 400);
  }
  const vpc = must<Vpc>(env, K.vpc, table.VpcId);
  const { vpcBlocks, subnetBlocks } = blocksOf(env, vpc, v6);
  const isLocalDestination = vpcBlocks.some((b) => sameCidr(b, dest.value, v6));
  const insideVpc = vpcBlocks.some((b) => within(b, dest.value, v6));
  const middlebox = target.kind === 'nat' || target.kind === 'eni';
  if (target.kind === 'local') {
    if (!isLocalDestination) throw new AwsError('InvalidParameterValue', `The route to ${dest.value} is not a local route; only the local route of a VPC CIDR block can target local.`, 400);
    return;
  }
  if (!insideVpc) return;
  if (!isLocalDestination && !subnetBlocks.some((b) => sameCidr(b, dest.value, v6))) {
    throw new AwsError('InvalidParameterValue', "Route destination doesn't match any subnet CIDR blocks.", 400);
  }
  if (!middlebox) {
    throw new AwsError('InvalidParameterValue', `The destination CIDR block ${dest.value} is equal to or more specific than one of this VPC's CIDR blocks. This route can target only a network interface or a NAT gateway.`, 400);
  }
}

function routeDestination(r: Route, key: DestinationKey): string | undefined {
  return r[key];
}

function withTarget(dest: Destination, target: Target, origin: Route['Origin']): Route {
  const { kind: _kind, ...members } = target;
  const route: Route = { [dest.key]: dest.value, ...members, Origin: origin, State: 'active' };
  for (const k of Object.keys(route) as (keyof Route)[]) if (route[k] === undefined) delete route[k];
  return route;
}

export function createRoute(input: RouteInput, env: HandlerEnv) {
  const table = must<RouteTable>(env, K.routeTable, input.RouteTableId);
  const dest = parseDestination(input);
  if (dest.key === 'DestinationPrefixListId') throw new AwsError('InvalidPrefixListID.NotFound', `The prefix list ID '${dest.value}' does not exist.`, 400);
  const target = resolveTarget(env, table, input, 'CreateRoute');
  if (table.Routes.some((r) => routeDestination(r, dest.key) === dest.value)) {
    throw new AwsError('RouteAlreadyExists', `The route identified by ${dest.value} already exists.`, 400);
  }
  checkLocalRules(env, table, dest, target);
  if (table.Routes.filter((r) => r.Origin !== 'EnableVgwRoutePropagation').length >= MAX_ROUTES) {
    throw new AwsError('RouteLimitExceeded', 'The maximum number of routes has been reached.', 400);
  }
  table.Routes.push(withTarget(dest, target, 'CreateRoute'));
  save(env, K.routeTable, table);
  return { Return: true };
}

export function replaceRoute(input: RouteInput, env: HandlerEnv) {
  const table = must<RouteTable>(env, K.routeTable, input.RouteTableId);
  const dest = parseDestination(input);
  const i = table.Routes.findIndex((r) => routeDestination(r, dest.key) === dest.value);
  if (i < 0) throw new AwsError('InvalidParameterValue', `There is no route defined for '${dest.value}' in the route table. Use CreateRoute instead.`, 400);
  const target = resolveTarget(env, table, input, 'ReplaceRoute');
  checkLocalRules(env, table, dest, target);
  // A route keeps its origin: the local route stays the one created with the table.
  table.Routes[i] = withTarget(dest, target, table.Routes[i].Origin);
  save(env, K.routeTable, table);
  return {};
}

export function deleteRoute(input: Pick<RouteInput, 'RouteTableId' | 'DestinationCidrBlock' | 'DestinationIpv6CidrBlock' | 'DestinationPrefixListId'>, env: HandlerEnv) {
  const table = must<RouteTable>(env, K.routeTable, input.RouteTableId);
  const dest = parseDestination(input);
  const route = table.Routes.find((r) => routeDestination(r, dest.key) === dest.value);
  if (!route) throw new AwsError('InvalidRoute.NotFound', `no route with ${dest.label} in route table ${table.RouteTableId}`, 400);
  if (route.Origin === 'CreateRouteTable') throw new AwsError('InvalidParameterValue', `cannot remove local route ${dest.value} in route table ${table.RouteTableId}`, 400);
  table.Routes = table.Routes.filter((r) => r !== route);
  save(env, K.routeTable, table);
  return {};
}

function instanceUp(env: HandlerEnv, instanceId: string): boolean {
  const inst = find<Instance>(env, K.instance, instanceId);
  return !!inst && !DOWN_INSTANCE_STATES.includes(inst.State.Name);
}

/** Whether traffic matching the route reaches its target now: 'blackhole' when the target is gone or unusable. */
export function routeState(env: HandlerEnv, vpcId: string, r: Route): Route['State'] {
  const up = (ok: boolean) => (ok ? 'active' : 'blackhole');
  if (r.GatewayId === 'local') return 'active';
  if (r.GatewayId?.startsWith('vpce-')) {
    // A gateway endpoint's route to its service's prefix list.
    return up(find<VpcEndpoint>(env, K.vpcEndpoint, r.GatewayId)?.State === 'available');
  }
  if (r.GatewayId !== undefined) {
    const igw = find<InternetGateway>(env, K.internetGateway, r.GatewayId);
    return up(!!igw?.Attachments.some((a) => a.VpcId === vpcId && a.State === 'available'));
  }
  if (r.NatGatewayId !== undefined) {
    const nat = find<NatGateway>(env, K.natGateway, r.NatGatewayId);
    return up(nat?.State === 'available' || nat?.State === 'pending');
  }
  if (r.VpcPeeringConnectionId !== undefined) return up(findPeering(env, r.VpcPeeringConnectionId)?.Status.Code === 'active');
  if (r.NetworkInterfaceId !== undefined) {
    const eni = find<NetworkInterface>(env, K.networkInterface, r.NetworkInterfaceId);
    if (!eni) return 'blackhole';
    // An interface forwards only while something uses it: an instance that is up, or an AWS service (NAT, load balancer).
    const instanceId = eni.Attachment?.InstanceId;
    if (instanceId) return up(instanceUp(env, instanceId));
    return up(eni.RequesterManaged);
  }
  if (r.InstanceId !== undefined) return up(instanceUp(env, r.InstanceId));
  return 'blackhole';
}

export const routeHandlers = {
  CreateRoute: createRoute,
  ReplaceRoute: replaceRoute,
  DeleteRoute: deleteRoute,
} satisfies Handlers;
