// One UDP endpoint socket: datagrams to an endpoint interface's address and
// an NLB UDP listener's port are relayed to the NLB listener, each client
// (address and port) through its own socket bound to the interface's address,
// so the NLB sees the endpoint interface as the source and its answers find
// their way back. A flow idle for 120 s (NLB's UDP idle timeout, times the
// time scale) is forgotten, and the flow table (../lb/udp-flows.ts) is
// bounded. When the network rules block clients of the consumer VPC,
// datagrams are dropped.
import dgram from 'node:dgram';
import { bindUdp, bindWithOffset } from '../lb/bind.ts';
import { UdpFlows, type UdpFlow } from '../lb/udp-flows.ts';
import type { SocketContext } from './endpoint-socket.ts';
import type { EndpointBinding } from './state.ts';

/** NLB forgets a UDP flow after 120 s without traffic. */
const UDP_IDLE_MS = 120_000;

export class UdpEndpointSocket {
  config: EndpointBinding;
  boundPort = 0;
  private readonly socket = dgram.createSocket('udp4');
  private readonly flows: UdpFlows<UdpFlow>;

  constructor(config: EndpointBinding, private readonly ctx: SocketContext) {
    this.config = config;
    this.flows = new UdpFlows(() => UDP_IDLE_MS * ctx.timeScale);
    this.socket.on('message', (msg, from) => this.relay(msg, from));
    this.socket.on('error', (err) => ctx.log(`privatelink: UDP ${config.key}: ${err.message}`));
  }

  update(config: EndpointBinding): void {
    this.config = config;
  }

  private relay(msg: Buffer, from: dgram.RemoteInfo): void {
    const c = this.config;
    if (!c.ingress.allowed) return;
    const key = `${from.address}:${from.port}`;
    let flow = this.flows.use(key);
    if (!flow) {
      const upstream = dgram.createSocket('udp4');
      upstream.on('message', (reply) => {
        this.flows.use(key);
        this.socket.send(reply, from.port, from.address);
      });
      upstream.on('error', () => this.flows.drop(key));
      upstream.bind({ address: c.address, port: 0 });
      flow = { upstream, lastSeen: Date.now() };
      this.flows.add(key, flow);
    }
    flow.upstream.send(msg, this.ctx.nlbPort(c, this.boundPort), c.nlbAddress);
  }

  async listen(): Promise<void> {
    const { address, port } = this.config;
    this.boundPort = await bindWithOffset(port, (p) => bindUdp(this.socket, address, p));
  }

  async close(): Promise<void> {
    this.flows.close();
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
