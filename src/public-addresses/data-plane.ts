// The public address data plane's lifecycle: from the network model, the
// sockets that must exist (bound, re-configured, closed). Reconciled at
// start and after every change to what the model is built from (server.ts),
// so associating, disassociating or releasing an address, stopping or
// starting an instance, or changing a tag, route, NACL or group takes effect
// on the next turn, and a restart brings every socket back.
import type { NetworkModel } from '../net/model/model.ts';
import { PublicSocket } from './public-socket.ts';
import { wantedPublicBindings, type PublicBinding } from './state.ts';
import { Serial } from '../lb/serial.ts';
import { syncSockets } from '../lb/sockets.ts';
import { bindHint } from '../bind-hint.ts';

export interface PublicAddressDataPlaneOptions {
  network(): NetworkModel;
  /** LOCALNET_PUBLIC_ADDRESSES (config.publicAddresses.kind): with `aws` nothing is bound (the addresses are not the host's). */
  mode: 'loopback' | 'aws';
  /** LOCALNET_LB_TIME_SCALE: multiplies the hold of blocked connections and the workload's connect timeout. */
  timeScale: number;
  log(line: string): void;
  /** Makes a socket (tests replace it to exercise the privileged-port offset). */
  socket?(binding: PublicBinding, ctx: { timeScale: number; log(line: string): void }): PublicSocket;
}

export interface PublicSocketStatus {
  /** `eip` (Elastic IP) or `public` (auto-assigned). */
  kind: 'eip' | 'public';
  address: string;
  protocol: 'TCP';
  port: number;
  boundPort: number;
  instanceId: string;
  /** The workload connections go to (host:port), or why none. */
  forwardsTo: string;
  /** Set when clients get no answer: why, and the fix. */
  blocked?: string;
}

export class PublicAddressDataPlane {
  private readonly sockets = new Map<string, PublicSocket>();
  private readonly serial = new Serial(() => this.reconcileNow());
  private closed = false;

  constructor(private readonly opts: PublicAddressDataPlaneOptions) {}

  /** Whether public addresses are the host's (loopback) and so get sockets; false with LOCALNET_PUBLIC_ADDRESSES=aws. */
  get enabled(): boolean {
    return this.opts.mode === 'loopback';
  }

  /** Brings the sockets in line with the model. Calls coalesce: at most one runs, and one more follows when changes arrived meanwhile. */
  reconcile(): Promise<void> {
    if (!this.enabled) return this.serial.idle();
    return this.serial.request();
  }

  private async reconcileNow(): Promise<void> {
    if (this.closed) return;
    try {
      await this.apply(wantedPublicBindings(this.opts.network()));
    } catch (err) {
      this.opts.log(`public addresses: reconcile failed: ${(err as Error).stack ?? err}`);
    }
  }

  private async apply(wanted: PublicBinding[]): Promise<void> {
    const ctx = { timeScale: this.opts.timeScale, log: this.opts.log };
    await syncSockets(this.sockets, new Map(wanted.map((b) => [b.key, b])), {
      create: (b) => this.opts.socket?.(b, ctx) ?? new PublicSocket(b, ctx),
      // A socket stays only while the same interface holds the address: re-associated, it starts afresh.
      keeps: (sock, next) => next.eniId === sock.config.eniId,
      blocked: (b) => (b.ingress.allowed ? undefined : b.ingress.explanation),
      noAnswer: (b, why) => `public addresses: the internet gets no answer on ${b.publicIp} TCP ${b.port} (${b.instanceId}): ${why}`,
      offset: (b, bound) => `public addresses: ${b.publicIp} TCP ${b.port} binds port ${bound} (port ${b.port} is privileged)`,
      cannotBind: (b, err) => `public addresses: cannot bind ${b.publicIp}:${b.port} for ${b.instanceId}: ${err.message}${bindHint(err, b.publicIp)}`,
      log: this.opts.log,
    });
  }

  /**
   * The host port a connection to `port` of public address `ip` must use:
   * the port itself, or the offset port when it is privileged and could not
   * be bound; undefined when nothing is bound there. The ACME server's
   * HTTP-01 and TLS-ALPN-01 validation connects there.
   */
  boundPort(ip: string, port: number): number | undefined {
    const s = this.sockets.get(`${ip}:${port}`);
    return s && s.boundPort > 0 ? s.boundPort : undefined;
  }

  /** Every bound socket, for `localnet status`, the health document and tests. */
  bindings(): PublicSocketStatus[] {
    return [...this.sockets.values()].map((s) => {
      const c = s.config;
      const w = c.workload;
      return {
        kind: c.kind, address: c.publicIp, protocol: 'TCP' as const, port: c.port, boundPort: s.boundPort, instanceId: c.instanceId,
        forwardsTo: w.kind === 'mapped' ? `${w.host.includes(':') ? `[${w.host}]` : w.host}:${w.port}` : w.kind === 'invalid' ? `nothing (${w.reason})` : 'nothing',
        ...(c.ingress.allowed ? {} : { blocked: c.ingress.explanation }),
      };
    }).sort((a, b) => a.address.localeCompare(b.address, undefined, { numeric: true }) || a.port - b.port);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.serial.idle();
    await Promise.all([...this.sockets.values()].map((s) => s.close()));
    this.sockets.clear();
  }
}
