// The UDP half of an NLB listener (UDP and TCP_UDP). UDP has no connection,
// so the NLB keeps flows: each client (address, port) gets its own upstream
// socket to the target chosen for its first datagram, replies from that
// target go back to the client from the listener's socket, and a flow is
// forgotten after the UDP idle timeout (120 s on AWS). The number of flows is
// bounded: past it the flow idle longest is dropped. Datagrams carry no PROXY
// header here (see the README).
import dgram from 'node:dgram';
import { bindUdp } from '../bind.ts';
import type { ProxyContext } from '../proxy.ts';
import { chooseTarget, flowHash } from './flow-hash.ts';
import type { ResolvedNlbListener } from './state.ts';

/** Flows one listener keeps at once; a new one past this drops the one idle longest. */
export const MAX_UDP_FLOWS = 4096;

interface Flow {
  upstream: dgram.Socket;
  host: string;
  port: number;
  lastSeen: number;
}

export class UdpListener {
  private socket?: dgram.Socket;
  /** Insertion order is refreshed on use, so the first entry is the flow idle longest. */
  private readonly flows = new Map<string, Flow>();
  private sweeper?: NodeJS.Timeout;

  constructor(private config: ResolvedNlbListener, private readonly ctx: ProxyContext, private readonly maxFlows = MAX_UDP_FLOWS) {}

  update(config: ResolvedNlbListener): void {
    this.config = config;
  }

  async bind(address: string, port: number): Promise<void> {
    const socket = dgram.createSocket({ type: address.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
    await bindUdp(socket, address, port);
    socket.on('error', (err) => this.ctx.log(`lb: UDP ${address}:${port}: ${err.message}`));
    socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    this.socket = socket;
    this.sweeper = setInterval(() => this.sweep(), Math.min(this.config.udpIdleTimeoutMs, 10_000));
    this.sweeper.unref();
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    // The network rules drop datagrams from the internet: nothing answers.
    if (!this.config.ingress.udp.allowed) return;
    const key = `${rinfo.address}:${rinfo.port}`;
    let flow = this.flows.get(key);
    if (flow) {
      this.flows.delete(key);
      this.flows.set(key, flow);
    } else {
      const opened = this.open(rinfo);
      if (!opened) return;
      flow = opened;
      if (this.flows.size >= this.maxFlows) this.drop(this.flows.keys().next().value!);
      this.flows.set(key, flow);
    }
    flow.lastSeen = Date.now();
    flow.upstream.send(msg, flow.port, flow.host);
  }

  private open(rinfo: dgram.RemoteInfo): Flow | undefined {
    const l = this.config;
    const group = l.groupArn ? this.ctx.state.groups.get(l.groupArn) : undefined;
    if (!group) return undefined;
    const t = chooseTarget(group.targets, this.ctx.health, flowHash(rinfo.address, rinfo.port), group.record.HealthCheckEnabled !== false);
    if (!t || t.traffic.kind !== 'mapped' || !(t.udpPath ?? t.trafficPath).allowed) return undefined;
    const upstream = dgram.createSocket(t.traffic.host.includes(':') ? 'udp6' : 'udp4');
    const flow: Flow = { upstream, host: t.traffic.host, port: t.traffic.port, lastSeen: Date.now() };
    upstream.on('error', () => this.drop(`${rinfo.address}:${rinfo.port}`));
    upstream.on('message', (reply, from) => {
      // Only the target's replies belong to the flow.
      if (from.port !== flow.port) return;
      flow.lastSeen = Date.now();
      this.socket?.send(reply, rinfo.port, rinfo.address);
    });
    // Bound to loopback before anything is sent (datagrams sent meanwhile wait for the bind).
    upstream.bind({ address: t.traffic.host.includes(':') ? '::1' : '127.0.0.1', port: 0 });
    return flow;
  }

  private drop(key: string): void {
    const f = this.flows.get(key);
    if (!f) return;
    this.flows.delete(key);
    f.upstream.close();
  }

  private sweep(): void {
    const oldest = Date.now() - this.config.udpIdleTimeoutMs;
    for (const [key, f] of this.flows) if (f.lastSeen < oldest) this.drop(key);
  }

  /** Flows held (tests). */
  get size(): number {
    return this.flows.size;
  }

  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    for (const key of [...this.flows.keys()]) this.drop(key);
    this.socket?.close();
    this.socket = undefined;
  }
}
