// An interface endpoint as the destination of an analysis (`localnet why
// i-… vpce-…:443`, or an endpoint interface's private address): which
// interfaces stand for it, which ports to try, and the endpoint leg after the
// walk arrives at one of its interfaces (endpoint-leg.ts).
import { serviceLoadBalancers, serviceOf } from '../model/endpoints.ts';
import type { ModelEni, NetworkModel } from '../model/model.ts';
import type { Block } from './types.ts';
import { interfaceEndpointLeg } from './endpoint-leg.ts';
import type { Walk } from './walk.ts';
import { comp } from './words.ts';

/** The interfaces of an interface endpoint, or why it cannot be a destination. */
export function endpointDestination(snap: NetworkModel, id: string, role: 'source' | 'destination'): ModelEni[] | Block {
  const ep = snap.vpcEndpoints.get(id);
  const block = (code: string, message: string, fix: string): Block => ({ path: 'forward', explanation: { ExplanationCode: code, Component: comp(id), VpcEndpoint: comp(id) }, message, fix });
  if (!ep) return block('NO_SOURCE_OR_DESTINATION', `VPC endpoint ${id} does not exist`, `check the ${role}: ${id} is not a known VPC endpoint`);
  if (role === 'source') return block('NO_SOURCE_OR_DESTINATION', `${id} is a VPC endpoint: traffic starts at clients, not at the endpoint`, 'analyse from an instance or interface to the endpoint');
  if (ep.type !== 'Interface') {
    return block('NO_SOURCE_OR_DESTINATION', `${id} is a ${ep.type} endpoint: a route target, not a destination`, `analyse to an address of ${ep.serviceName} (its prefix list's ranges): the route to ${id} shows on the path`);
  }
  const enis = ep.interfaces.flatMap((i) => snap.enis.get(i.eniId) ?? []);
  if (!enis.length) return block('BAD_STATE', `${id} has no network interfaces (${ep.state})`, `wait until ${id} is available`);
  return enis;
}

/** The ports the endpoint's service listens on (the NLBs' listener ports). */
export function endpointPorts(snap: NetworkModel, id: string): number[] {
  const ep = snap.vpcEndpoints.get(id);
  const service = ep ? serviceOf(snap, ep) : undefined;
  return service ? [...new Set(serviceLoadBalancers(snap, service).flatMap((lb) => lb.listenerPorts))].sort((a, b) => a - b) : [];
}

/** After a walk that arrived at an interface: when it is an endpoint's, the endpoint leg (a hop, or a block). True when the path goes on. */
export function throughInterfaceEndpoint(snap: NetworkModel, w: Walk): boolean {
  const last = w.forward[w.forward.length - 1];
  if (last?.kind !== 'network-interface' || !snap.vpcEndpointByEni.has(last.Component.Id)) return true;
  const eni = snap.enis.get(last.Component.Id)!;
  const leg = interfaceEndpointLeg(snap, eni, w.port);
  if ('hop' in leg) {
    w.forward.push({ ...leg.hop, SequenceNumber: w.forward.length + 1 });
    w.notes.push(...leg.notes);
    return true;
  }
  return w.block('forward', leg.explanation, leg.message, leg.fix);
}
