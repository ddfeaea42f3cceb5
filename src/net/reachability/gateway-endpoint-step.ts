// A gateway endpoint on a path (a VPC_ENDPOINT component, `vpce-…`): a
// route whose destination is the service's prefix list sends the packet to
// the endpoint, which hands it to the AWS service (S3, DynamoDB); the reply
// comes back the same way. walk.ts takes this step when a route names one.
import type { NetworkModel } from '../model/model.ts';
import type { RRoute, RSubnet, RVpcEndpoint } from '../model/types.ts';
import type { Block, Hop } from './types.ts';
import { comp, routeShape } from './words.ts';

type NewHop = Omit<Hop, 'SequenceNumber'>;
type Blocked = Omit<Block, 'path'>;

export function endpointComp(ep: RVpcEndpoint) {
  return { Id: ep.id, Name: ep.serviceName };
}

export function badState(ep: RVpcEndpoint, fix: string): Blocked {
  return { explanation: { ExplanationCode: 'BAD_STATE', Component: endpointComp(ep), VpcEndpoint: endpointComp(ep), State: ep.state }, message: `${ep.id} is ${ep.state}, not available`, fix };
}

/** A route to a gateway endpoint: the endpoint hop, or why the packet is dropped. */
export function gatewayEndpointStep(snap: NetworkModel, endpointId: string, route: RRoute, subnet: RSubnet, tableId: string): { hop: NewHop } | Blocked {
  const ep = snap.vpcEndpoints.get(endpointId);
  if (!ep) {
    return { explanation: { ExplanationCode: 'BAD_STATE_ROUTE', Component: comp(endpointId), RouteTableRoute: routeShape(route) }, message: `the route's target ${endpointId} does not exist`, fix: `remove the route from ${tableId}, or create a gateway endpoint with it (aws ec2 create-vpc-endpoint --vpc-endpoint-type Gateway --route-table-ids ${tableId})` };
  }
  if (ep.state !== 'available') return badState(ep, `create a new gateway endpoint to ${ep.serviceName}`);
  if (ep.vpcId !== subnet.vpcId) {
    return { explanation: { ExplanationCode: 'BAD_STATE_ROUTE', Component: endpointComp(ep), VpcEndpoint: endpointComp(ep), RouteTableRoute: routeShape(route) }, message: `${ep.id} belongs to ${ep.vpcId}, not ${subnet.vpcId}`, fix: `create a gateway endpoint in ${subnet.vpcId}` };
  }
  return { hop: { kind: 'vpc-endpoint', Component: endpointComp(ep), ServiceName: ep.serviceName, Vpc: comp(ep.vpcId), note: `gateway endpoint ${ep.id} → ${ep.serviceName}${route.DestinationPrefixListId ? ` (prefix list ${route.DestinationPrefixListId})` : ''}` } };
}
