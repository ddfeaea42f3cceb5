// The endpoint data plane's lifecycle: from the network model, the endpoint
// sockets that must exist (bound, re-configured, closed). Reconciled at start
// and after every change to what the model is built from (server.ts), so a
// restart brings everything back.
import type { NetworkModel } from '../net/model/model.ts';
import { EndpointSocket, type SocketContext } from './endpoint-socket.ts';
import { wantedBindings, type EndpointBinding } from './state.ts';
import { UdpEndpointSocket } from './udp-socket.ts';
import { Serial } from '../lb/serial.ts';
import { syncSockets } from '../lb/sockets.ts';
import { bindHint } from '../bind-hint.ts';

export interface EndpointDataPlaneOptions {
  network(): NetworkModel;
  /** LOCALNET_LB_TIME_SCALE: multiplies the hold of blocked connections and the connect timeout. */
  timeScale: number;
  /**
   * The port the NLB listener `port` on `nlbAddress` is bound on, when the NLB
   * data plane knows it; undefined falls back to the rule every listener
   * follows here: offset exactly when this process had to offset its own.
   */
  nlbBoundPort?(nlbAddress: string, port: number): number | undefined;
  log(line: string): void;
}

export interface EndpointSocketStatus {
  endpoint: string;
  protocol: string;
  port: number;
  address: string;
  boundPort: number;
  /** The NLB listener connections go to (name, address:port). */
  forwardsTo: string;
  /** Set when clients get no answer: why, and the fix. */
  blocked?: string;
}

export class EndpointDataPlane {
  private readonly sockets = new Map<string, EndpointSocket | UdpEndpointSocket>();
  private readonly ctx: SocketContext;
  private readonly serial = new Serial(() => this.reconcileNow());
  private closed = false;

  constructor(private readonly opts: EndpointDataPlaneOptions) {
    this.ctx = {
      timeScale: opts.timeScale,
      nlbPort: (b, boundPort) => opts.nlbBoundPort?.(b.nlbAddress, b.port) ?? boundPort,
      log: opts.log,
    };
  }

  /** Brings the sockets in line with the model. Calls coalesce: at most one runs, and one more follows when changes arrived meanwhile. */
  reconcile(): Promise<void> {
    return this.serial.request();
  }

  private async reconcileNow(): Promise<void> {
    if (this.closed) return;
    try {
      await this.apply(wantedBindings(this.opts.network()));
    } catch (err) {
      this.opts.log(`privatelink: reconcile failed: ${(err as Error).stack ?? err}`);
    }
  }

  private async apply(wanted: EndpointBinding[]): Promise<void> {
    await syncSockets<EndpointBinding, EndpointSocket | UdpEndpointSocket>(this.sockets, new Map(wanted.map((b) => [b.key, b])), {
      create: (b) => (b.protocol === 'UDP' ? new UdpEndpointSocket(b, this.ctx) : new EndpointSocket(b, this.ctx)),
      blocked: (b) => (b.ingress.allowed ? undefined : b.ingress.explanation),
      noAnswer: (b, why) => `privatelink: clients of ${b.vpcId} get no answer on ${b.protocol} ${b.port} of ${b.endpointId}: ${why}`,
      offset: (b, bound) => `privatelink: ${b.endpointId} ${b.protocol} ${b.port} binds ${b.address}:${bound} (port ${b.port} is privileged)`,
      cannotBind: (b, err) => `privatelink: cannot bind ${b.address}:${b.port} for ${b.endpointId}: ${err.message}${bindHint(err, b.address)}`,
      log: this.opts.log,
    });
  }

  /** Every bound endpoint socket, for `localnet status` and tests. */
  bindings(): EndpointSocketStatus[] {
    return [...this.sockets.values()].map((s) => {
      const c = s.config;
      return {
        endpoint: c.endpointId, protocol: c.protocol, port: c.port, address: c.address, boundPort: s.boundPort,
        forwardsTo: `${c.nlbName} ${c.nlbAddress}:${this.ctx.nlbPort(c, s.boundPort)}`,
        ...(c.ingress.allowed ? {} : { blocked: c.ingress.explanation }),
      };
    }).sort((a, b) => a.endpoint.localeCompare(b.endpoint) || a.address.localeCompare(b.address) || a.port - b.port);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.serial.idle();
    await Promise.all([...this.sockets.values()].map((s) => s.close()));
    this.sockets.clear();
  }
}
