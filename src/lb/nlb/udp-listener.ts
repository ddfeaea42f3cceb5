// The UDP half of an NLB listener (UDP and TCP_UDP). UDP has no connection,
// so the NLB keeps flows: each client (address, port) gets its own upstream
// socket to the target chosen for its first datagram, replies from that
// target go back to the client from the listener's socket, and a flow is
// forgotten after the UDP idle timeout (120 s on AWS); the flow table
// (../udp-flows.ts) is bounded. Datagrams carry no PROXY header here (see the
// README).
import dgram from 'node:dgram';
import { bindUdp } from '../bind.ts';
import type { ProxyContext } from '../proxy.ts';
import { MAX_UDP_FLOWS, UdpFlows, type UdpFlow } from '../udp-flows.ts';
import { chooseTarget, flowHash } from './flow-hash.ts';
import type { ResolvedNlbListener } from './state.ts';

interface Flow extends UdpFlow {
  host: string;
  port: number;
}

export class UdpListener {
  private socket?: dgram.Socket;
  private readonly flows: UdpFlows<Flow>;

  constructor(private config: ResolvedNlbListener, private readonly ctx: ProxyContext, maxFlows = MAX_UDP_FLOWS) {
    this.flows = new UdpFlows<Flow>(() => this.config.udpIdleTimeoutMs, maxFlows);
  }

  update(config: ResolvedNlbListener): void {
    this.config = config;
  }

  async bind(address: string, port: number): Promise<void> {
    const socket = dgram.createSocket({ type: address.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
    await bindUdp(socket, address, port);
    socket.on('error', (err) => this.ctx.log(`lb: UDP ${address}:${port}: ${err.message}`));
    socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    this.socket = socket;
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    // The network rules drop datagrams from the internet: nothing answers.
    if (!this.config.ingress.udp.allowed) return;
    const key = `${rinfo.address}:${rinfo.port}`;
    let flow = this.flows.use(key);
    if (!flow) {
      flow = this.open(rinfo);
      if (!flow) return;
      this.flows.add(key, flow);
    }
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
    upstream.on('error', () => this.flows.drop(`${rinfo.address}:${rinfo.port}`));
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

  /** Flows held (tests). */
  get size(): number {
    return this.flows.size;
  }

  close(): void {
    this.flows.close();
    this.socket?.close();
    this.socket = undefined;
  }
}
