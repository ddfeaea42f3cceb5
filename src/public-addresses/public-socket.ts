// One public address socket: a TCP server on a public address (a loopback
// address of LOCALNET_PUBLIC_ADDRESSES) and a port the instance maps. Each
// accepted connection is relayed to the instance's workload, bytes both ways,
// a half-close passed on as a half-close and a reset as a reset. When the
// network rules block the internet, connections are accepted and never
// answered (AWS drops the SYN), then reset after the hold (60 s × time
// scale), so the client sees a timeout as on AWS.
import net, { type Socket } from 'node:net';
import { bindWithOffset, listenTcp } from '../lb/bind.ts';
import { BLOCKED_HOLD_MS } from '../lb/listener.ts';
import { relay, reset } from '../lb/nlb/tcp-relay.ts';
import type { PublicBinding } from './state.ts';

export interface PublicSocketContext {
  timeScale: number;
  log(line: string): void;
}

/** How long the workload may take to accept before the client is reset (a SYN that gets no answer). */
const CONNECT_TIMEOUT_MS = 10_000;

export class PublicSocket {
  config: PublicBinding;
  /** The port actually bound (the instance's port, or moved up by PRIVILEGED_PORT_OFFSET). */
  boundPort = 0;
  private readonly tcp: net.Server;
  private readonly sockets = new Set<Socket>();

  constructor(config: PublicBinding, private readonly ctx: PublicSocketContext) {
    this.config = config;
    this.tcp = net.createServer({ noDelay: true, pauseOnConnect: true, allowHalfOpen: true }, (s) => this.accept(s));
  }

  update(config: PublicBinding): void {
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
      const t = setTimeout(() => reset(client), BLOCKED_HOLD_MS * this.ctx.timeScale);
      client.once('close', () => clearTimeout(t));
      return;
    }
    // An invalid tag: nothing listens there, as on an instance whose port is closed.
    if (c.workload.kind !== 'mapped') return reset(client);
    const upstream = net.connect({ host: c.workload.host, port: c.workload.port, noDelay: true, allowHalfOpen: true });
    this.track(upstream);
    const timer = setTimeout(() => upstream.destroy(new Error('connect timeout')), CONNECT_TIMEOUT_MS * this.ctx.timeScale);
    const failed = () => {
      clearTimeout(timer);
      reset(client);
    };
    upstream.once('error', failed);
    upstream.once('close', failed);
    upstream.once('connect', () => {
      clearTimeout(timer);
      upstream.off('error', failed);
      upstream.off('close', failed);
      // No idle timeout: an internet gateway forgets no flow.
      relay(client, upstream, 0);
      client.resume();
    });
    client.once('close', () => {
      if (upstream.connecting) reset(upstream);
    });
  }

  /** Binds the port, or the offset port when a privileged port is refused (as load balancer listeners do). */
  async listen(): Promise<void> {
    const { publicIp, port } = this.config;
    this.boundPort = await bindWithOffset(port, (p) => this.bind(publicIp, p));
  }

  /** Binds exactly `port` (tests of the offset path call it through listen with a bind that refuses). */
  protected bind(address: string, port: number): Promise<void> {
    return listenTcp(this.tcp, address, port);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.tcp.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }
}
