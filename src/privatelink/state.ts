// From the network model, the endpoint sockets that must exist: for every
// interface endpoint to an endpoint service, on each of its interfaces'
// loopback address, each port (TCP, UDP) a listener of the service's Network
// Load Balancer accepts, with the network verdict for clients of the consumer VPC
// (src/net/reachability/endpoint-verdicts.ts). Pure: the model in, the list
// out.
import { endpointExists, serviceLoadBalancers, serviceOf } from '../net/model/endpoints.ts';
import type { NetworkModel } from '../net/model/model.ts';
import type { RLoadBalancer } from '../net/model/types.ts';
import { endpointIngressVerdict } from '../net/reachability/endpoint-verdicts.ts';
import type { PathVerdict } from '../net/reachability/load-balancer-verdicts.ts';

/** NLB listener protocols carried over TCP, and over UDP. */
const TCP_PROTOCOLS = new Set(['TCP', 'TLS', 'TCP_UDP']);
const UDP_PROTOCOLS = new Set(['UDP', 'TCP_UDP']);

export interface EndpointBinding {
  /** `${protocol} ${address}:${port}`: the socket. */
  key: string;
  endpointId: string;
  vpcId: string;
  eniId: string;
  /** The endpoint interface's loopback address: bound here, and the source address of connections to the NLB. */
  address: string;
  port: number;
  protocol: 'TCP' | 'UDP';
  /** The provider's load balancer that takes the connections. */
  nlbArn: string;
  nlbName: string;
  /** The NLB's loopback address (its listeners bind there). */
  nlbAddress: string;
  /** Whether a client of the consumer VPC gets through; when not, connections are accepted and never answered. */
  ingress: PathVerdict;
}

function held(code: string, component: string, explanation: string): PathVerdict {
  return { allowed: false, code, component, explanation };
}

export function wantedBindings(model: NetworkModel): EndpointBinding[] {
  const out: EndpointBinding[] = [];
  for (const ep of model.vpcEndpoints.values()) {
    if (ep.type !== 'Interface' || !endpointExists(ep)) continue;
    // Before acceptance AWS creates the interfaces but passes no traffic.
    if (ep.state !== 'available' && ep.state !== 'pendingAcceptance' && ep.state !== 'pending') continue;
    const service = serviceOf(model, ep);
    if (!service) continue;
    // `${protocol} ${port}` -> the first of the service's NLBs that listens there.
    const ports = new Map<string, { protocol: 'TCP' | 'UDP'; port: number; lb: RLoadBalancer }>();
    for (const lb of serviceLoadBalancers(model, service)) {
      if (lb.type !== 'network' || !lb.address) continue;
      for (const l of lb.listeners) {
        for (const protocol of ['TCP', 'UDP'] as const) {
          const carried = protocol === 'TCP' ? TCP_PROTOCOLS.has(l.protocol) : UDP_PROTOCOLS.has(l.protocol);
          if (carried && !ports.has(`${protocol} ${l.port}`)) ports.set(`${protocol} ${l.port}`, { protocol, port: l.port, lb });
        }
      }
    }
    for (const iface of ep.interfaces) {
      if (!iface.address) continue;
      for (const { protocol, port, lb } of ports.values()) {
        const ingress = ep.state === 'available'
          ? endpointIngressVerdict(model, ep, iface.eniId, port, protocol === 'TCP' ? 'tcp' : 'udp')
          : held('BAD_STATE', ep.id, `${ep.id} is ${ep.state}: no traffic passes until the provider accepts it (aws ec2 accept-vpc-endpoint-connections --service-id ${service.id} --vpc-endpoint-ids ${ep.id})`);
        out.push({
          key: `${protocol} ${iface.address}:${port}`, endpointId: ep.id, vpcId: ep.vpcId, eniId: iface.eniId, address: iface.address, port, protocol,
          nlbArn: lb.arn, nlbName: lb.name, nlbAddress: lb.address!, ingress,
        });
      }
    }
  }
  return out;
}
