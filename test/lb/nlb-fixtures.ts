// Test fixtures for the NLB data plane: TCP and UDP echo servers on loopback
// (optionally TLS, optionally reading a PROXY v2 header first), a PROXY v2
// parser written from haproxy's proxy-protocol.txt independently of
// src/lb/nlb/proxy-protocol.ts, and clients that say what came back within a
// bounded time (bytes, end, reset, or nothing).
import dgram from 'node:dgram';
import net, { type AddressInfo, type Socket } from 'node:net';
import tls from 'node:tls';

export interface ProxyV2 {
  command: number;
  family: number;
  source?: { address: string; port: number };
  destination?: { address: string; port: number };
  tlvs: { type: number; value: Buffer }[];
}

const SIG = '0d0a0d0a000d0a515549540a';

/** Parses a PROXY v2 header at the start of buf: the header and its length, or undefined when buf holds none (or not all of it yet). */
export function parseProxyV2(buf: Buffer): { header: ProxyV2; length: number } | undefined {
  if (buf.length < 16 || buf.subarray(0, 12).toString('hex') !== SIG) return undefined;
  const len = buf.readUInt16BE(14);
  if (buf.length < 16 + len) return undefined;
  const family = buf[13];
  const body = buf.subarray(16, 16 + len);
  let at = 0;
  let source: ProxyV2['source'];
  let destination: ProxyV2['destination'];
  if (family >> 4 === 1) {
    const ip = (o: number) => [...body.subarray(o, o + 4)].join('.');
    source = { address: ip(0), port: body.readUInt16BE(8) };
    destination = { address: ip(4), port: body.readUInt16BE(10) };
    at = 12;
  } else if (family >> 4 === 2) {
    at = 36;
  }
  const tlvs: ProxyV2['tlvs'] = [];
  while (at + 3 <= body.length) {
    const l = body.readUInt16BE(at + 1);
    tlvs.push({ type: body[at], value: body.subarray(at + 3, at + 3 + l) });
    at += 3 + l;
  }
  return { header: { command: buf[12], family, source, destination, tlvs }, length: 16 + len };
}

export interface EchoServer {
  port: number;
  /** PROXY v2 headers seen, one per connection that sent one. */
  headers: ProxyV2[];
  /** Connections accepted. */
  accepted: number;
  close(): Promise<void>;
}

/**
 * A TCP echo server: answers every byte, ends when the client ends (a
 * half-close test sees its FIN). `proxy`: strips (and records) a PROXY v2
 * header first. `tlsOptions`: TLS on the server side (re-encryption tests).
 */
export async function startTcpEcho(opts: { proxy?: boolean; tlsOptions?: tls.TlsOptions; port?: number; prefix?: string } = {}): Promise<EchoServer> {
  const headers: ProxyV2[] = [];
  const state = { accepted: 0 };
  const sockets = new Set<Socket>();
  const onSocket = (s: Socket) => {
    state.accepted++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    let pending: Buffer | undefined = opts.proxy ? Buffer.alloc(0) : undefined;
    s.on('data', (d: Buffer) => {
      // 'RST' asks the server to reset the connection (reset propagation tests).
      if (d.toString() === 'RST') return void s.resetAndDestroy();
      if (pending) {
        pending = Buffer.concat([pending, d]);
        const parsed = parseProxyV2(pending);
        if (!parsed) return;
        headers.push(parsed.header);
        d = pending.subarray(parsed.length);
        pending = undefined;
        if (!d.length) return;
      }
      s.write(opts.prefix ? Buffer.concat([Buffer.from(opts.prefix), d]) : d);
    });
    s.on('end', () => s.end());
  };
  const server = opts.tlsOptions ? tls.createServer(opts.tlsOptions, onSocket) : net.createServer({ allowHalfOpen: true }, onSocket);
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    headers,
    get accepted() { return state.accepted; },
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

export interface UdpEcho { port: number; close(): void }

/** A UDP echo server answering `udp:<datagram>`; `port` binds a given port (TCP_UDP tests share one port number). */
export async function startUdpEcho(port = 0): Promise<UdpEcho> {
  const s = dgram.createSocket('udp4');
  s.on('message', (m, r) => s.send(Buffer.concat([Buffer.from('udp:'), m]), r.port, r.address));
  await new Promise<void>((res, rej) => { s.once('error', rej); s.bind(port, '127.0.0.1', () => res()); });
  return { port: s.address().port, close: () => s.close() };
}

export type Outcome = { kind: 'data'; data: string; ended: boolean } | { kind: 'reset' } | { kind: 'silent' } | { kind: 'closed' };

/**
 * Connects, sends `send` (ending the write side when `end`), and reports
 * what came back within `ms`: the bytes (and whether the server ended), a
 * reset, a close without bytes, or silence (the connection stays open and
 * nothing arrives: what a dropped SYN looks like from an accepted socket).
 */
export function exchange(host: string, port: number, send: string, opts: { end?: boolean; ms?: number; localAddress?: string; until?: string } = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, localAddress: opts.localAddress, allowHalfOpen: true });
    let data = '';
    let ended = false;
    const finish = (o: Outcome) => { clearTimeout(timer); s.destroy(); resolve(o); };
    const timer = setTimeout(() => finish(data ? { kind: 'data', data, ended } : { kind: 'silent' }), opts.ms ?? 1500);
    s.on('connect', () => { s.write(send); if (opts.end) s.end(); });
    s.on('data', (d) => {
      data += d.toString();
      if (opts.until && data.includes(opts.until) && !opts.end) finish({ kind: 'data', data, ended });
    });
    s.on('end', () => { ended = true; finish({ kind: 'data', data, ended }); });
    s.on('error', (err: NodeJS.ErrnoException) => finish(err.code === 'ECONNRESET' ? { kind: 'reset' } : { kind: 'closed' }));
    s.on('close', () => finish(data ? { kind: 'data', data, ended } : { kind: 'closed' }));
  });
}

/** One UDP request and its answer (undefined when nothing comes back within ms). */
export function udpExchange(host: string, port: number, msg: string, ms = 1000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const timer = setTimeout(() => { s.close(); resolve(undefined); }, ms);
    s.on('message', (m) => { clearTimeout(timer); s.close(); resolve(m.toString()); });
    s.bind(0, '127.0.0.1', () => s.send(msg, port, host));
  });
}
