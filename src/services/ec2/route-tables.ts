// Route tables: the main table of each VPC, tables you create, and their
// associations. A subnet has at most one explicit association; a subnet
// without one uses the main table implicitly, and AWS lists only explicit
// associations plus the main entry. The routes inside a table live in
// routes.ts.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { activeCidrBlocks, activeIpv6Blocks } from '../../records/vpcs.ts';
import { applyFilters, paginate, type Filter } from './describe.ts';
import type { InternetGateway } from './internet-gateways.ts';
import { all, byIds, find, K, must, newId, remove, save } from './resources.ts';
import { routeState } from './routes.ts';
import { tagsFromSpecs, type TagSpecification } from './tags.ts';
import type { RouteTable, RouteTableAssociation, Subnet, Vpc } from './types.ts';

/** Route tables per VPC (AWS default quota). */
const MAX_TABLES_PER_VPC = 200;

/** A stored table may remember the ClientToken it was created with (idempotent retries). */
type StoredRouteTable = RouteTable & { _clientToken?: string };

/** The VPC's local routes: one per associated CIDR block, IPv4 and IPv6. */
export function localRoutes(vpc: Vpc): RouteTable['Routes'] {
  return [
    ...activeCidrBlocks(vpc).map((b) => ({ DestinationCidrBlock: b, GatewayId: 'local', Origin: 'CreateRouteTable' as const, State: 'active' as const })),
    ...activeIpv6Blocks(vpc).map((b) => ({ DestinationIpv6CidrBlock: b, GatewayId: 'local', Origin: 'CreateRouteTable' as const, State: 'active' as const })),
  ];
}

function newTable(env: HandlerEnv, vpc: Vpc, main: boolean, extra: Partial<StoredRouteTable> = {}): StoredRouteTable {
  const id = newId('rtb');
  return save(env, K.routeTable, {
    RouteTableId: id,
    VpcId: vpc.VpcId,
    OwnerId: env.scope.account,
    Routes: localRoutes(vpc),
    Associations: main ? [{ RouteTableAssociationId: newId('rtbassoc'), RouteTableId: id, Main: true, AssociationState: { State: 'associated' } }] : [],
    PropagatingVgws: [],
    ...extra,
  } satisfies StoredRouteTable);
}

export function createMainRouteTable(env: HandlerEnv, vpc: Vpc): RouteTable {
  return newTable(env, vpc, true);
}

/** The table as Describe shows it: each route's state computed from its target now. */
export function presentRouteTable(env: HandlerEnv, t: RouteTable): RouteTable {
  return { ...t, Routes: t.Routes.map((r) => ({ ...r, State: routeState(env, t.VpcId, r) })) };
}

export function createRouteTable(input: { VpcId: string; TagSpecifications?: TagSpecification[]; ClientToken?: string }, env: HandlerEnv) {
  const vpc = must<Vpc>(env, K.vpc, input.VpcId);
  const tables = all<StoredRouteTable>(env, K.routeTable);
  if (input.ClientToken) {
    const earlier = tables.find((t) => t._clientToken === input.ClientToken);
    if (earlier) {
      if (earlier.VpcId !== vpc.VpcId) throw new AwsError('IdempotentParameterMismatch', 'The client token you have provided is associated with a resource that is already deleted or has different parameters.', 400);
      return { RouteTable: presentRouteTable(env, earlier), ClientToken: input.ClientToken };
    }
  }
  const tags = tagsFromSpecs(input.TagSpecifications, 'route-table');
  if (tables.filter((t) => t.VpcId === vpc.VpcId).length >= MAX_TABLES_PER_VPC) {
    throw new AwsError('RouteTableLimitExceeded', `The maximum number of route tables for VPC '${vpc.VpcId}' has been reached.`, 400);
  }
  const table = newTable(env, vpc, false, { Tags: tags, _clientToken: input.ClientToken });
  return { RouteTable: presentRouteTable(env, table), ClientToken: input.ClientToken };
}

export function deleteRouteTable(input: { RouteTableId: string }, env: HandlerEnv) {
  const table = must<RouteTable>(env, K.routeTable, input.RouteTableId);
  // The main table and any table still associated with a subnet or gateway have dependencies.
  if (table.Associations.length > 0) throw new AwsError('DependencyViolation', `The routeTable '${table.RouteTableId}' has dependencies and cannot be deleted.`, 400);
  remove(env, K.routeTable, table.RouteTableId);
  return {};
}

/** The table holding an association, and the association itself. */
function findAssociation(env: HandlerEnv, associationId: string): { table: RouteTable; assoc: RouteTableAssociation } {
  for (const table of all<RouteTable>(env, K.routeTable)) {
    const assoc = table.Associations.find((a) => a.RouteTableAssociationId === associationId);
    if (assoc) return { table, assoc };
  }
  throw new AwsError('InvalidAssociationID.NotFound', `The association ID '${associationId}' does not exist`, 400);
}

export function associateRouteTable(input: { RouteTableId: string; SubnetId?: string; GatewayId?: string }, env: HandlerEnv) {
  const table = must<RouteTable>(env, K.routeTable, input.RouteTableId);
  if ((input.SubnetId === undefined) === (input.GatewayId === undefined)) {
    throw new AwsError('InvalidParameterCombination', 'Exactly one of subnetId and gatewayId must be specified', 400);
  }
  const tables = all<RouteTable>(env, K.routeTable);
  const conflict = () => new AwsError('Resource.AlreadyAssociated', `the specified association for route table ${table.RouteTableId} conflicts with an existing association`, 400);
  let assoc: RouteTableAssociation;
  if (input.SubnetId !== undefined) {
    const subnet = must<Subnet>(env, K.subnet, input.SubnetId);
    if (subnet.VpcId !== table.VpcId) throw new AwsError('InvalidParameterValue', `Route table ${table.RouteTableId} and subnet ${subnet.SubnetId} belong to different networks`, 400);
    if (tables.some((t) => t.Associations.some((a) => a.SubnetId === subnet.SubnetId))) throw conflict();
    assoc = { RouteTableAssociationId: newId('rtbassoc'), RouteTableId: table.RouteTableId, Main: false, SubnetId: subnet.SubnetId, AssociationState: { State: 'associated' } };
  } else {
    // Edge association: an internet gateway attached to the table's VPC routes its inbound traffic by this table.
    const id = input.GatewayId!;
    const igw = id.startsWith('igw-') ? find<InternetGateway>(env, K.internetGateway, id) : undefined;
    if (!igw) throw new AwsError('InvalidGatewayID.NotFound', `The gateway ID '${id}' does not exist`, 400);
    if (!igw.Attachments.some((a) => a.VpcId === table.VpcId)) throw new AwsError('InvalidParameterValue', `Route table ${table.RouteTableId} and gateway ${id} belong to different networks`, 400);
    if (tables.some((t) => t.Associations.some((a) => a.GatewayId === id))) throw conflict();
    assoc = { RouteTableAssociationId: newId('rtbassoc'), RouteTableId: table.RouteTableId, Main: false, GatewayId: id, AssociationState: { State: 'associated' } };
  }
  table.Associations.push(assoc);
  save(env, K.routeTable, table);
  return { AssociationId: assoc.RouteTableAssociationId, AssociationState: { State: 'associated' } };
}

export function disassociateRouteTable(input: { AssociationId: string }, env: HandlerEnv) {
  const { table, assoc } = findAssociation(env, input.AssociationId);
  if (assoc.Main) throw new AwsError('InvalidParameterValue', `cannot disassociate the main route table association ${assoc.RouteTableAssociationId}`, 400);
  // The subnet falls back to the main table implicitly: nothing else to write.
  table.Associations = table.Associations.filter((a) => a !== assoc);
  save(env, K.routeTable, table);
  return {};
}

/**
 * Moves an association to another table of the same VPC under a new id.
 * Replacing the main association is how a VPC's main table changes.
 */
export function replaceRouteTableAssociation(input: { AssociationId: string; RouteTableId: string }, env: HandlerEnv) {
  const { table: from, assoc } = findAssociation(env, input.AssociationId);
  const to = must<RouteTable>(env, K.routeTable, input.RouteTableId);
  if (to.VpcId !== from.VpcId) throw new AwsError('InvalidParameterValue', `Route table ${to.RouteTableId} and association ${assoc.RouteTableAssociationId} belong to different networks`, 400);
  from.Associations = from.Associations.filter((a) => a !== assoc);
  save(env, K.routeTable, from);
  // Re-read: `to` may be the table just saved.
  const target = find<RouteTable>(env, K.routeTable, to.RouteTableId)!;
  const moved: RouteTableAssociation = { ...assoc, RouteTableAssociationId: newId('rtbassoc'), RouteTableId: target.RouteTableId };
  target.Associations.push(moved);
  save(env, K.routeTable, target);
  return { NewAssociationId: moved.RouteTableAssociationId, AssociationState: { State: 'associated' } };
}

const routesOf = (t: RouteTable) => t.Routes;

export const ROUTE_TABLE_FILTERS = {
  'association.route-table-association-id': (t: RouteTable) => t.Associations.map((a) => a.RouteTableAssociationId),
  'association.route-table-id': (t: RouteTable) => t.Associations.map((a) => a.RouteTableId),
  'association.subnet-id': (t: RouteTable) => t.Associations.map((a) => a.SubnetId),
  'association.gateway-id': (t: RouteTable) => t.Associations.map((a) => a.GatewayId),
  'association.main': (t: RouteTable) => t.Associations.map((a) => String(a.Main)),
  'owner-id': (t: RouteTable) => t.OwnerId,
  'route-table-id': (t: RouteTable) => t.RouteTableId,
  'route.destination-cidr-block': (t: RouteTable) => routesOf(t).map((r) => r.DestinationCidrBlock),
  'route.destination-ipv6-cidr-block': (t: RouteTable) => routesOf(t).map((r) => r.DestinationIpv6CidrBlock),
  'route.destination-prefix-list-id': (t: RouteTable) => routesOf(t).map((r) => r.DestinationPrefixListId),
  'route.egress-only-internet-gateway-id': (t: RouteTable) => routesOf(t).map((r) => r.EgressOnlyInternetGatewayId),
  'route.gateway-id': (t: RouteTable) => routesOf(t).map((r) => r.GatewayId),
  'route.instance-id': (t: RouteTable) => routesOf(t).map((r) => r.InstanceId),
  'route.nat-gateway-id': (t: RouteTable) => routesOf(t).map((r) => r.NatGatewayId),
  'route.transit-gateway-id': (t: RouteTable) => routesOf(t).map((r) => r.TransitGatewayId),
  'route.origin': (t: RouteTable) => routesOf(t).map((r) => r.Origin),
  'route.state': (t: RouteTable) => routesOf(t).map((r) => r.State),
  'route.vpc-peering-connection-id': (t: RouteTable) => routesOf(t).map((r) => r.VpcPeeringConnectionId),
  'vpc-id': (t: RouteTable) => t.VpcId,
};

export function describeRouteTables(input: { RouteTableIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const items = (byIds<RouteTable>(env, K.routeTable, input.RouteTableIds) ?? all<RouteTable>(env, K.routeTable)).map((t) => presentRouteTable(env, t));
  const { page, NextToken } = paginate(applyFilters(items, input.Filters, ROUTE_TABLE_FILTERS), input, { min: 5, max: 100 }, !!input.RouteTableIds?.length);
  return { RouteTables: page, NextToken };
}

export const routeTableHandlers = {
  CreateRouteTable: createRouteTable,
  DeleteRouteTable: deleteRouteTable,
  DescribeRouteTables: describeRouteTables,
  AssociateRouteTable: associateRouteTable,
  DisassociateRouteTable: disassociateRouteTable,
  ReplaceRouteTableAssociation: replaceRouteTableAssociation,
} satisfies Handlers;
