// One view's sockets: UDP and TCP on the same loopback address and port.
// UDP answers from the view's answer cache when it can; TCP (RFC 7766: 2-byte
// length framing, several queries per connection) always answers in full,
// within the limits of tcp-connection.ts (buffers, deadlines) and
// tcp-admission.ts (which connection makes room for a new one).
import dgram from 'node:dgram';
import net from 'node:net';
import { AnswerCache } from './answer-cache.ts';
import { respond } from './respond.ts';
import type { SnapshotIndex } from './snapshot-index.ts';
import { connectionToEvict } from './tcp-admission.ts';
import { TcpDnsConnection } from './tcp-connection.ts';

export interface ListenerHost {
  /** The current index (rebuilt first if state changed since the last query). */
  current(): SnapshotIndex;
  log(line: string): void;
}

export class ViewListener {
  readonly cache = new AnswerCache();
  private udp?: dgram.Socket;
  private tcp?: net.Server;
  private conns = new Set<TcpDnsConnection>();
  port = 0;

  constructor(readonly view: string, readonly address: string, private host: ListenerHost) {}

  /** Binds UDP then TCP on the same port; with port 0 retries until the kernel's UDP port is also free for TCP. */
  async listen(port: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const udp = await this.bindUdp(port);
      const udpPort = udp.address().port;
      try {
        this.tcp = await this.bindTcp(udpPort);
        this.udp = udp;
        this.port = udpPort;
        return;
      } catch (e) {
        udp.close();
        if (port !== 0 || attempt >= 5) throw e;
      }
    }
  }

  private bindUdp(port: number): Promise<dgram.Socket> {
    const sock = dgram.createSocket({ type: this.address.includes(':') ? 'udp6' : 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
    return new Promise((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(port, this.address, () => {
        sock.off('error', reject);
        sock.on('error', (e) => this.host.log(`dns: UDP ${this.address}: ${e.message}`));
        sock.on('message', (msg, rinfo) => this.onUdp(sock, msg, rinfo));
        resolve(sock);
      });
    });
  }

  private onUdp(sock: dgram.Socket, msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const key = this.cache.key(msg);
    if (key !== undefined) {
      const hit = this.cache.get(key);
      if (hit) {
        // The id comes from the query itself; the rest is the cached answer.
        // One copied buffer sends faster than a two-buffer list.
        const out = Buffer.allocUnsafe(hit.length + 2);
        out[0] = msg[0];
        out[1] = msg[1];
        hit.copy(out, 2);
        sock.send(out, rinfo.port, rinfo.address);
        return;
      }
    }
    const out = respond(this.host.current(), this.view, msg, 'udp', (l) => this.host.log(l));
    if (!out) return;
    if (key !== undefined && out.cacheable) this.cache.set(key, out.wire);
    sock.send(out.wire, rinfo.port, rinfo.address);
  }

  private bindTcp(port: number): Promise<net.Server> {
    const server = net.createServer((c) => this.onTcp(c));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: this.address, exclusive: true }, () => {
        server.off('error', reject);
        server.on('error', (e) => this.host.log(`dns: TCP ${this.address}: ${e.message}`));
        resolve(server);
      });
    });
  }

  private onTcp(socket: net.Socket): void {
    const evict = connectionToEvict(this.conns, socket.remoteAddress ?? '');
    if (evict) {
      this.conns.delete(evict);
      evict.close();
    }
    const conn = new TcpDnsConnection(socket, (msg) => respond(this.host.current(), this.view, msg, 'tcp', (l) => this.host.log(l))?.wire ?? null);
    this.conns.add(conn);
    socket.on('close', () => this.conns.delete(conn));
  }

  async close(): Promise<void> {
    for (const c of this.conns) c.close();
    await Promise.all([
      new Promise<void>((r) => (this.udp ? this.udp.close(() => r()) : r())),
      new Promise<void>((r) => (this.tcp ? this.tcp.close(() => r()) : r())),
    ]);
  }
}
