// The flow table of a UDP relay (an NLB UDP listener, a PrivateLink endpoint
// interface): UDP has no connection, so each client (address, port) keeps its
// own upstream socket until the flow has been idle for the UDP idle timeout
// (120 s on AWS). The table is bounded: a new flow past the limit drops the
// one idle longest, so a flood of source ports costs a fixed number of sockets.
import type dgram from 'node:dgram';

/** Flows one relay keeps at once. */
export const MAX_UDP_FLOWS = 4096;

export interface UdpFlow {
  upstream: dgram.Socket;
  lastSeen: number;
}

export class UdpFlows<F extends UdpFlow> {
  /** Insertion order is refreshed on use, so the first entry is the flow idle longest. */
  private readonly flows = new Map<string, F>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly idleMs: () => number, private readonly max = MAX_UDP_FLOWS) {
    this.sweeper = setInterval(() => this.sweep(), Math.max(50, Math.min(idleMs(), 10_000)));
    this.sweeper.unref();
  }

  /** The flow of a client, marked as just used. */
  use(key: string): F | undefined {
    const flow = this.flows.get(key);
    if (!flow) return undefined;
    this.flows.delete(key);
    this.flows.set(key, flow);
    flow.lastSeen = Date.now();
    return flow;
  }

  add(key: string, flow: F): void {
    if (this.flows.size >= this.max) this.drop(this.flows.keys().next().value!);
    flow.lastSeen = Date.now();
    this.flows.set(key, flow);
  }

  drop(key: string): void {
    const flow = this.flows.get(key);
    if (!flow) return;
    this.flows.delete(key);
    flow.upstream.close();
  }

  private sweep(): void {
    const oldest = Date.now() - this.idleMs();
    for (const [key, f] of this.flows) if (f.lastSeen < oldest) this.drop(key);
  }

  get size(): number {
    return this.flows.size;
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const key of [...this.flows.keys()]) this.drop(key);
  }
}
