// A socket that relays each accepted TCP connection to one place: a public
// address to the instance's workload, an endpoint interface to its NLB
// listener. Shared behaviour: a client the network rules block is accepted
// and never answered (AWS drops the SYN), then reset after the hold (60 s ×
// time scale), so it sees a timeout as on AWS; a target that does not accept
// within the connect timeout, refuses or resets, resets the client; once
// connected, bytes flow both ways with half-closes and resets passed on.
import net, { type Socket } from 'node:net';
import { bindWithOffset, listenTcp } from './bind.ts';
import { BLOCKED_HOLD_MS } from './listener.ts';
import { relay, reset } from './nlb/tcp-relay.ts';

/** The port a socket listens on and whether the network rules let clients in. */
export interface RelayBinding {
  port: number;
  ingress: { allowed: boolean };
}

/** Where an accepted connection goes (`localAddress`: the source it connects from). */
export interface RelayTarget {
  host: string;
  port: number;
  localAddress?: string;
}

/** How long the target may take to accept before the client is reset (a SYN that gets no answer). */
const CONNECT_TIMEOUT_MS = 10_000;

export abstract class RelaySocket<B extends RelayBinding> {
  config: B;
  /** The port actually bound (the binding's, or moved up when privileged). */
  boundPort = 0;
  private readonly tcp: net.Server;
  private readonly sockets = new Set<Socket>();

  constructor(config: B, private readonly timeScale: number) {
    this.config = config;
    this.tcp = net.createServer({ noDelay: true, pauseOnConnect: true, allowHalfOpen: true }, (s) => this.accept(s));
  }

  /** The loopback address the socket binds. */
  protected abstract listenAddress(config: B): string;

  /** Where a connection accepted under `config` goes; undefined: nothing answers there (the client is reset). */
  protected abstract target(config: B): RelayTarget | undefined;

  update(config: B): void {
    this.config = config;
  }

  private track(s: Socket): void {
    this.sockets.add(s);
    s.once('close', () => this.sockets.delete(s));
    s.on('error', () => s.destroy());
  }

  private accept(client: Socket): void {
    this.track(client);
    if (!this.config.ingress.allowed) {
      const t = setTimeout(() => reset(client), BLOCKED_HOLD_MS * this.timeScale);
      client.once('close', () => clearTimeout(t));
      return;
    }
    const to = this.target(this.config);
    if (!to) return reset(client);
    const upstream = net.connect({ host: to.host, port: to.port, localAddress: to.localAddress, noDelay: true, allowHalfOpen: true });
    this.track(upstream);
    const timer = setTimeout(() => upstream.destroy(new Error('connect timeout')), CONNECT_TIMEOUT_MS * this.timeScale);
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
      // No idle timeout here: an internet gateway forgets no flow, and the NLB behind an endpoint keeps its own.
      relay(client, upstream, 0);
      client.resume();
    });
    client.once('close', () => {
      if (upstream.connecting) reset(upstream);
    });
  }

  /** Binds the port, or the offset port when a privileged port is refused (as load balancer listeners do). */
  async listen(): Promise<void> {
    const address = this.listenAddress(this.config);
    this.boundPort = await bindWithOffset(this.config.port, (p) => this.bind(address, p));
  }

  /** Binds exactly `port` (tests of the offset path override it with a bind that refuses). */
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
