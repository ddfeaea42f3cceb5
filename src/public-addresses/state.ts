// From the network model, the public address sockets that must exist: for
// every running instance, on each public address (Elastic or auto-assigned)
// mapped onto one of its interfaces, each port the instance maps with a
// `localnet:port:<port>` tag, with the engine's verdict for a client from
// the internet (src/net/reachability/public-address-verdicts.ts). NAT
// gateways' and load balancer nodes' addresses get none: a NAT gateway
// accepts no inbound connection, and a load balancer's listeners are the
// load balancer data plane's. Pure: the model in, the list out.
import type { NetworkModel } from '../net/model/model.ts';
import type { PathVerdict } from '../net/reachability/load-balancer-verdicts.ts';
import { publicAddressVerdict } from '../net/reachability/public-address-verdicts.ts';
import { workloadPorts, type WorkloadTarget } from '../records/workloads.ts';

export interface PublicBinding {
  /** `${publicIp}:${port}`: the socket. */
  key: string;
  /** The public address: a loopback address of LOCALNET_PUBLIC_ADDRESSES, bound as is. */
  publicIp: string;
  port: number;
  /** An Elastic IP (`eip`) or an auto-assigned public address (`public`). */
  kind: 'eip' | 'public';
  instanceId: string;
  eniId: string;
  /** The private address the public one maps to. */
  privateIp: string;
  /** What answers: the instance's workload for the port (an invalid tag resets every connection). */
  workload: WorkloadTarget;
  /** Whether a client from the internet gets through; when not, connections are accepted and never answered. */
  ingress: PathVerdict;
}

export function wantedPublicBindings(model: NetworkModel): PublicBinding[] {
  const out: PublicBinding[] = [];
  for (const inst of model.instances.values()) {
    if (inst.state !== 'running') continue;
    const ports = workloadPorts({ Tags: inst.tags });
    if (!ports.length) continue;
    for (const eniId of inst.eniIds) {
      const eni = model.enis.get(eniId);
      if (!eni) continue;
      for (const pub of eni.publicIps) {
        for (const { port, target } of ports) {
          out.push({
            key: `${pub.publicIp}:${port}`, publicIp: pub.publicIp, port, kind: pub.elastic ? 'eip' : 'public',
            instanceId: inst.id, eniId, privateIp: pub.privateIp, workload: target,
            ingress: publicAddressVerdict(model, eniId, pub.publicIp, port),
          });
        }
      }
    }
  }
  return out;
}
