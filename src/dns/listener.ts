// One view's sockets: UDP and TCP on the same loopback address and port.
// UDP answers from the view's answer cache when it can; TCP (RFC 7766: 2-byte
// length framing, several queries per connection) always answers in full.
import dgram from 'node:dgram';
import net from 'node:net';
import { AnswerCache } from './answer-cache.ts';
import { respond } from './respond.ts';
import type { SnapshotIndex } from './snapshot-index.ts';

export interface ListenerHost {
  /** The current index (rebuilt first if state changed since the last query). */
  current(): SnapshotIndex;
  log(line: string): void;
}

/** An idle TCP connection is closed after this long. */
const TCP_IDLE_MS = 10_000;
const TCP_MAX_CONNECTIONS = 256;

export class ViewListener {
  readonly cache = new AnswerCache();
  private udp?: dgram.Socket;
  private tcp?: net.Server;
  private conns = new Set<net.Socket>();
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
    server.maxConnections = TCP_MAX_CONNECTIONS;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: this.address, exclusive: true }, () => {
        server.off('error', reject);
        server.on('error', (e) => this.host.log(`dns: TCP ${this.address}: ${e.message}`));
        resolve(server);
      });
    });
  }

  private onTcp(c: net.Socket): void {
    this.conns.add(c);
    c.setNoDelay(true);
    c.setTimeout(TCP_IDLE_MS, () => c.destroy());
    c.on('error', () => c.destroy());
    c.on('close', () => this.conns.delete(c));
    let pending: Buffer = Buffer.alloc(0);
    c.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 2) {
        const len = pending.readUInt16BE(0);
        if (pending.length < 2 + len) break;
        const msg = pending.subarray(2, 2 + len);
        pending = pending.subarray(2 + len);
        // No header means the framing itself is off: the stream is garbage, close it.
        if (msg.length < 12) { c.destroy(); return; }
        const out = respond(this.host.current(), this.view, msg, 'tcp', (l) => this.host.log(l));
        if (!out) continue; // a response sent to us: ignore it, keep the connection
        const frame = Buffer.allocUnsafe(2 + out.wire.length);
        frame.writeUInt16BE(out.wire.length, 0);
        out.wire.copy(frame, 2);
        c.write(frame);
      }
    });
  }

  async close(): Promise<void> {
    for (const c of this.conns) c.destroy();
    await Promise.all([
      new Promise<void>((r) => (this.udp ? this.udp.close(() => r()) : r())),
      new Promise<void>((r) => (this.tcp ? this.tcp.close(() => r()) : r())),
    ]);
  }
}
