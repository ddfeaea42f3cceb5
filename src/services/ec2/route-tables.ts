// Route tables: the main table of each VPC, explicit subnet associations,
// routes to gateways, NAT gateways, peerings, instances and interfaces.
import type { HandlerEnv } from '../../aws/service.ts';
import { K, newId, save } from './resources.ts';
import type { RouteTable, Vpc } from './types.ts';

/** The VPC's local routes: one per associated CIDR block, IPv4 and IPv6. */
export function localRoutes(vpc: Vpc): RouteTable['Routes'] {
  return [
    ...vpc.CidrBlockAssociationSet.filter((a) => a.CidrBlockState.State === 'associated').map((a) => ({ DestinationCidrBlock: a.CidrBlock, GatewayId: 'local', Origin: 'CreateRouteTable' as const, State: 'active' as const })),
    ...(vpc.Ipv6CidrBlockAssociationSet ?? []).filter((a) => a.Ipv6CidrBlockState.State === 'associated').map((a) => ({ DestinationIpv6CidrBlock: a.Ipv6CidrBlock, GatewayId: 'local', Origin: 'CreateRouteTable' as const, State: 'active' as const })),
  ];
}

export function createMainRouteTable(env: HandlerEnv, vpc: Vpc): RouteTable {
  const id = newId('rtb');
  return save(env, K.routeTable, {
    RouteTableId: id,
    VpcId: vpc.VpcId,
    OwnerId: env.scope.account,
    Routes: localRoutes(vpc),
    Associations: [{ RouteTableAssociationId: newId('rtbassoc'), RouteTableId: id, Main: true, AssociationState: { State: 'associated' } }],
    PropagatingVgws: [],
  } satisfies RouteTable);
}
