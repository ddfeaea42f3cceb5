// One NLB listener: a TCP server (TCP, TLS, TCP_UDP) and/or a UDP socket
// (UDP, TCP_UDP) on the load balancer's loopback address and the listener's
// port (moved up by PRIVILEGED_PORT_OFFSET when it cannot be bound, as the
// ALB's). Each TCP connection: blocked by the network rules → accepted and
// never answered; a TLS listener terminates TLS first (SNI, SSL policy,
// ALPN); then a target is chosen by flow hash, the target's workload is
// connected (TLS again for a TLS target group, certificates not verified), a
// PROXY v2 header is written when the group asks for one, and the bytes are
// relayed both ways.
import net, { type Socket } from 'node:net';
import tls, { type SecureContext } from 'node:tls';
import { pickCertificate } from '../../pki/coverage.ts';
import { bindWithOffset, listenTcp } from '../bind.ts';
import { BLOCKED_HOLD_MS, tlsPolicy, type SecureContexts } from '../listener.ts';
import { CONNECT_TIMEOUT_MS, type ProxyContext } from '../proxy.ts';
import type { ResolvedGroup } from '../state.ts';
import { chooseTarget } from './flow-hash.ts';
import { privateLinkOf, type PrivateLinkFlow } from './privatelink.ts';
import { plainAddress, proxyV2Header } from './proxy-protocol.ts';
import type { ResolvedNlbListener } from './state.ts';
import { ReusedReads, reset, relay } from './tcp-relay.ts';
import { UdpListener } from './udp-listener.ts';

export class NlbListenerSocket {
  config: ResolvedNlbListener;
  boundPort = 0;
  private readonly tcp?: net.Server;
  private udp?: UdpListener;
  private readonly sockets = new Set<Socket>();
  /** TCP: each connection is its own flow, so turns stand in for a flow hash (no getpeername per connection). */
  private turn = 0;

  constructor(config: ResolvedNlbListener, private readonly ctx: ProxyContext, private readonly contexts: SecureContexts) {
    this.config = config;
    if (config.protocol !== 'UDP') this.tcp = net.createServer({ noDelay: true, allowHalfOpen: true }, (s) => this.accept(s));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const l = this.config;
    // The remote address costs a getpeername: asked only when an endpoint interface could be the client.
    const pl = l.privateLink.size ? privateLinkOf(l, plainAddress(socket.remoteAddress)) : undefined;
    const admitted = pl ? pl.verdict : l.ingress.tcp;
    if (!admitted.allowed) return this.hold(socket);
    if (l.protocol !== 'TLS') return this.forward(socket, socket, pl);
    const secure = new tls.TLSSocket(socket, {
      isServer: true,
      secureContext: this.contextForHost(''),
      SNICallback: (name, cb) => cb(null, this.contextForHost(name)),
      ...(l.alpn.length ? { ALPNProtocols: l.alpn } : {}),
    });
    secure.on('error', () => reset(socket));
    // A client that never finishes the handshake is idle like any other flow.
    socket.setTimeout(l.idleTimeoutMs, () => reset(socket));
    secure.once('secure', () => {
      socket.setTimeout(0);
      this.forward(secure, socket, pl);
    });
  }

  /** The network rules drop this client: read nothing, answer nothing, reset after the hold (a client's own timeout comes first). */
  private hold(socket: Socket): void {
    socket.pause();
    const t = setTimeout(() => reset(socket), BLOCKED_HOLD_MS * this.ctx.timeScale);
    socket.once('close', () => clearTimeout(t));
  }

  /** SNI as the ALB's: the first certificate covering the name, the default first; the default otherwise. */
  private contextForHost(name: string): SecureContext | undefined {
    const l = this.config;
    const candidates = l.defaultCertificate ? [l.defaultCertificate, ...l.sniCertificates] : l.sniCertificates;
    const c = (name ? pickCertificate(candidates, name) : undefined) ?? l.defaultCertificate;
    return c ? this.contexts.get(c, tlsPolicy(l.sslPolicy)) : undefined;
  }

  /** `client` carries the bytes (the TLS socket for TLS listeners); `raw` is the TCP connection (addresses, resets). */
  private forward(client: Socket, raw: Socket, pl: PrivateLinkFlow | undefined): void {
    const l = this.config;
    const group = l.groupArn ? this.ctx.state.groups.get(l.groupArn) : undefined;
    this.turn = (this.turn + 1) >>> 0;
    const target = group ? chooseTarget(group.targets, this.ctx.health, this.turn, group.record.HealthCheckEnabled !== false) : undefined;
    // No target, or its port maps to nothing: the flow is refused (RST), as a target that is not listening would.
    if (!group || !target || target.traffic.kind !== 'mapped') return reset(raw);
    const path = pl ? target.privateLinkPath ?? target.trafficPath : target.trafficPath;
    if (!path.allowed) {
      // The target's security group or NACL drops the packets: nothing answers until the connect timeout.
      client.pause();
      const t = setTimeout(() => reset(raw), CONNECT_TIMEOUT_MS * this.ctx.timeScale);
      raw.once('close', () => clearTimeout(t));
      return;
    }
    const tlsTarget = group.record.Protocol === 'TLS';
    // Plain targets read into a reused buffer; a TLS target's socket is read by TLS itself.
    const reads = tlsTarget ? undefined : new ReusedReads();
    const upstream = net.connect({ host: target.traffic.host, port: target.traffic.port, allowHalfOpen: true, noDelay: true, ...(reads ? { onread: reads.onread } : {}) });
    if (proxyProtocolOn(group)) {
      upstream.write(proxyV2Header({ transport: 'tcp', source: { address: plainAddress(raw.remoteAddress), port: raw.remotePort ?? 0 }, destination: { address: l.address, port: l.port }, vpcEndpointId: pl?.endpointId }));
    }
    const toTarget = tlsTarget ? tls.connect({ socket: upstream, rejectUnauthorized: false }) : upstream;
    // No connection within the connect timeout: both sides reset (the socket's own timer, cleared once connected).
    upstream.setTimeout(CONNECT_TIMEOUT_MS * this.ctx.timeScale, () => { reset(upstream); reset(raw); });
    toTarget.once(tlsTarget ? 'secureConnect' : 'connect', () => upstream.setTimeout(0));
    relay(client, toTarget, l.idleTimeoutMs, reads);
  }

  update(config: ResolvedNlbListener): void {
    this.config = config;
    this.udp?.update(config);
  }

  async listen(): Promise<void> {
    const { address, port } = this.config;
    this.boundPort = await bindWithOffset(port, (p) => this.bind(address, p));
  }

  /** The TCP socket and, for UDP and TCP_UDP, the UDP one on the same port (both or neither). */
  private async bind(address: string, port: number): Promise<void> {
    if (this.tcp) await listenTcp(this.tcp, address, port);
    if (this.config.protocol === 'UDP' || this.config.protocol === 'TCP_UDP') {
      const udp = new UdpListener(this.config, this.ctx);
      try {
        await udp.bind(address, port);
      } catch (err) {
        await new Promise<void>((r) => (this.tcp?.listening ? this.tcp.close(() => r()) : r()));
        throw err;
      }
      this.udp = udp;
    }
  }

  async close(): Promise<void> {
    this.udp?.close();
    if (!this.tcp?.listening) return;
    await new Promise<void>((resolve) => {
      this.tcp!.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }
}

function proxyProtocolOn(g: ResolvedGroup): boolean {
  return g.record._attributes?.['proxy_protocol_v2.enabled'] === 'true';
}
