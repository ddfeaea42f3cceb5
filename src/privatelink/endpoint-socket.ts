// One endpoint socket: a TCP server on an endpoint interface's loopback
// address and an NLB listener's port. Each accepted connection is relayed to
// the NLB listener from the interface's own address (localAddress), which is
// how the NLB data plane tells PrivateLink traffic apart. When the network
// rules block clients of the consumer VPC, connections are accepted and
// never answered (AWS drops the SYN), then reset after the hold.
import net, { type Socket } from 'node:net';
import { bindWithOffset, listenTcp } from '../lb/bind.ts';
import { BLOCKED_HOLD_MS } from '../lb/listener.ts';
import type { EndpointBinding } from './state.ts';

export interface SocketContext {
  timeScale: number;
  /** The port the NLB listener `port` is bound on (the privileged-port offset applies to it as to us). */
  nlbPort(binding: EndpointBinding, boundPort: number): number;
  log(line: string): void;
}

/** How long a connection to the NLB may take before the client is reset (AWS: the NLB's SYN timeout, about 10 s). */
const CONNECT_TIMEOUT_MS = 10_000;

export class EndpointSocket {
  config: EndpointBinding;
  /** The port actually bound (the listener's, or moved up by PRIVILEGED_PORT_OFFSET). */
  boundPort = 0;
  private readonly tcp: net.Server;
  private readonly sockets = new Set<Socket>();

  constructor(config: EndpointBinding, private readonly ctx: SocketContext) {
    this.config = config;
    this.tcp = net.createServer({ noDelay: true }, (s) => this.accept(s));
  }

  update(config: EndpointBinding): void {
    this.config = config;
  }

  private track(s: Socket): void {
    this.sockets.add(s);
    s.once('close', () => this.sockets.delete(s));
    s.on('error', () => s.destroy());
  }

  private accept(client: Socket): void {
    this.track(client);
    const c = this.config;
    if (!c.ingress.allowed) {
      client.pause();
      const t = setTimeout(() => client.resetAndDestroy(), BLOCKED_HOLD_MS * this.ctx.timeScale);
      client.once('close', () => clearTimeout(t));
      return;
    }
    client.pause();
    const upstream = net.connect({ host: c.nlbAddress, port: this.ctx.nlbPort(c, this.boundPort), localAddress: c.address, noDelay: true });
    this.track(upstream);
    const timer = setTimeout(() => upstream.destroy(new Error('connect timeout')), CONNECT_TIMEOUT_MS * this.ctx.timeScale);
    upstream.once('connect', () => {
      clearTimeout(timer);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    // Whatever ends one side ends the other: a refused or reset NLB connection resets the client, as PrivateLink does.
    upstream.once('close', (hadError) => {
      clearTimeout(timer);
      if (hadError || upstream.connecting) client.resetAndDestroy();
      else client.end();
    });
    client.once('close', (hadError) => (hadError ? upstream.resetAndDestroy() : upstream.end()));
  }

  /** Binds the port, or the offset port when a privileged port is refused (as load balancer listeners do). */
  async listen(): Promise<void> {
    const { address, port } = this.config;
    this.boundPort = await bindWithOffset(port, (p) => listenTcp(this.tcp, address, p));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.tcp.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }
}
