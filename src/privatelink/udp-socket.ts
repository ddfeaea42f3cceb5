// One UDP endpoint socket: datagrams to an endpoint interface's address and
// an NLB UDP listener's port are relayed to the NLB listener, each client
// (address and port) through its own socket bound to the interface's address,
// so the NLB sees the endpoint interface as the source and its answers find
// their way back. A flow idle for 120 s (NLB's UDP idle timeout, times the
// time scale) is forgotten. When the network rules block clients of the
// consumer VPC, datagrams are dropped.
import dgram from 'node:dgram';
import { bindUdp, bindWithOffset } from '../lb/bind.ts';
import type { SocketContext } from './endpoint-socket.ts';
import type { EndpointBinding } from './state.ts';

/** NLB forgets a UDP flow after 120 s without traffic. */
const UDP_IDLE_MS = 120_000;

interface Flow { upstream: dgram.Socket; timer: NodeJS.Timeout }

export class UdpEndpointSocket {
  config: EndpointBinding;
  boundPort = 0;
  private readonly socket = dgram.createSocket('udp4');
  private readonly flows = new Map<string, Flow>();

  constructor(config: EndpointBinding, private readonly ctx: SocketContext) {
    this.config = config;
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
    let flow = this.flows.get(key);
    if (!flow) {
      const upstream = dgram.createSocket('udp4');
      upstream.on('message', (reply) => {
        this.touch(key);
        this.socket.send(reply, from.port, from.address);
      });
      upstream.on('error', () => this.forget(key));
      upstream.bind({ address: c.address, port: 0 });
      flow = { upstream, timer: this.idleTimer(key) };
      this.flows.set(key, flow);
    } else {
      this.touch(key);
    }
    flow.upstream.send(msg, this.ctx.nlbPort(c, this.boundPort), c.nlbAddress);
  }

  private idleTimer(key: string): NodeJS.Timeout {
    const t = setTimeout(() => this.forget(key), UDP_IDLE_MS * this.ctx.timeScale);
    t.unref();
    return t;
  }

  private touch(key: string): void {
    const flow = this.flows.get(key);
    if (!flow) return;
    clearTimeout(flow.timer);
    flow.timer = this.idleTimer(key);
  }

  private forget(key: string): void {
    const flow = this.flows.get(key);
    if (!flow) return;
    clearTimeout(flow.timer);
    flow.upstream.close();
    this.flows.delete(key);
  }

  async listen(): Promise<void> {
    const { address, port } = this.config;
    this.boundPort = await bindWithOffset(port, (p) => bindUdp(this.socket, address, p));
  }

  async close(): Promise<void> {
    for (const key of [...this.flows.keys()]) this.forget(key);
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
