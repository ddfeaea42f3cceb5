// Forwarding one request to the target the balancer chose: ALB's answers
// when the target cannot be reached (502 for a port where nothing listens,
// 504 when the network rules drop the packets), the request head and body
// sent over a pooled connection (upstream.ts), and the target's answer
// relayed to the client, re-framed for it (chunked to HTTP/1.1 clients when
// the length is unknown). One Relay object per forwarded request carries
// the whole exchange, so the hot path allocates no closures.
import type { Socket } from 'node:net';
import type { InFlight } from './balancer.ts';
import { CONNECT_TIMEOUT_MS, upstreamHead, type ForwardOutcome, type ProxyContext } from './proxy.ts';
import type { ResolvedListener } from './state.ts';
import { Exchange, Pool, poolKey, type ExchangeHandlers } from './upstream.ts';

/** The keep-alive pool for a workload address (created on first use; the data plane owns and retires them). */
function poolFor(ctx: ProxyContext, host: string, port: number, tls: boolean): Pool {
  const key = poolKey(host, port, tls);
  let p = ctx.pools.get(key);
  if (!p) {
    p = new Pool(host, port, tls);
    ctx.pools.set(key, p);
  }
  return p;
}

/** One request of the connection, from its head until its answer is out and its body read. */
export interface Req {
  method: string;
  url: string;
  headers: string[];
  keepAlive: boolean;
  http11: boolean;
  chunked: boolean;
  hasBody: boolean;
  complete: boolean;
  responded: boolean;
  /** Body pieces that arrived before the request was started (pipelining) or forwarded. */
  pending: Buffer[];
  /** Set while the request is forwarded to a target: takes the body, is aborted when the client goes. */
  relay?: Relay;
}

/** What forwarding needs of the client's connection (connection.ts's ClientConnection). */
export interface ClientSide {
  readonly socket: Socket;
  readonly ctx: ProxyContext;
  readonly clientIp: string;
  readonly closed: boolean;
  readonly uncork: () => void;
  page(r: Req, status: number, extra?: string, forceClose?: boolean): void;
  responded(r: Req, keepAlive: boolean): void;
  shutdown(): void;
}

/** Sends r to the outcome's target and relays the answer; `expectContinue` when the client sent Expect: 100-continue. */
export function forward(c: ClientSide, r: Req, l: ResolvedListener, out: ForwardOutcome, expectContinue: boolean): void {
  const { target } = out;
  const dest = target.traffic;
  // An unmapped or unusable port is a port where nothing listens: connection refused.
  if (dest.kind !== 'mapped') return c.page(r, 502);
  const ctx = c.ctx;
  const relay = new Relay(c, r, out.setCookies, out.load);
  if (!target.trafficPath.allowed) {
    // Security groups / NACLs drop the SYN: ALB gives up connecting after 10 s.
    const t = setTimeout(() => {
      relay.release();
      c.page(r, 504);
    }, CONNECT_TIMEOUT_MS * ctx.timeScale);
    c.socket.once('close', () => {
      clearTimeout(t);
      relay.release();
    });
    return;
  }
  // ALB answers Expect: 100-continue itself.
  if (expectContinue && !r.complete) c.socket.write('HTTP/1.1 100 Continue\r\n\r\n');
  relay.ex = new Exchange(
    {
      pool: poolFor(ctx, dest.host, dest.port, out.tls),
      head: upstreamHead(l, r.method, r.url, r.headers, c.clientIp, r.chunked),
      hasBody: r.hasBody,
      isHead: r.method === 'HEAD',
      idleMs: l.idleTimeoutMs,
      connectMs: CONNECT_TIMEOUT_MS * ctx.timeScale,
    },
    relay,
  );
  r.relay = relay;
  if (!r.hasBody) return;
  for (const b of r.pending) relay.upload(b);
  r.pending = [];
  if (r.complete) relay.uploaded();
}

/**
 * One forwarded request: the client's body towards the target (upload,
 * uploaded) and the target's answer towards the client (the
 * ExchangeHandlers). Holds the target's in-flight count (least outstanding
 * requests) from creation until the exchange ends, fails or is aborted.
 */
export class Relay implements ExchangeHandlers {
  ex!: Exchange;
  private chunkedOut = false;
  private keep: boolean;

  constructor(private readonly c: ClientSide, private readonly r: Req, private readonly setCookies: readonly string[], private load: InFlight | undefined) {
    this.keep = r.keepAlive;
    if (load) load.n++;
  }

  /** The request no longer counts as outstanding on its target (idempotent). */
  release(): void {
    const load = this.load;
    if (load) {
      load.n--;
      this.load = undefined;
    }
  }

  /** A piece of the client's body: re-framed chunked when the client's was; the client pauses while the target is slow to read. */
  upload(b: Buffer): void {
    const ex = this.ex;
    let ok: boolean;
    if (this.r.chunked) {
      // Every write happens; the last one tells whether the socket's buffer is full.
      ex.write(`${b.length.toString(16)}\r\n`);
      ex.write(b);
      ok = ex.write('\r\n');
    } else ok = ex.write(b);
    if (!ok) {
      const socket = this.c.socket;
      socket.pause();
      ex.onDrain(() => socket.resume());
    }
  }

  /** The client's body is complete. */
  uploaded(): void {
    if (this.r.chunked) this.ex.write('0\r\n\r\n');
  }

  /** The client went away: the target connection is dropped. */
  abort(): void {
    this.ex?.abort();
    this.release();
  }

  head(status: number, message: string, headers: string[]): void {
    const r = this.r;
    let head = `HTTP/1.1 ${status} ${message}\r\n`;
    let length = false;
    for (let i = 0; i < headers.length; i += 2) {
      const n = headers[i];
      const lower = n.toLowerCase();
      if (lower === 'connection' || lower === 'keep-alive' || lower === 'transfer-encoding' || lower === 'proxy-connection') continue;
      if (lower === 'content-length') length = true;
      head += `${n}: ${headers[i + 1]}\r\n`;
    }
    for (const cookie of this.setCookies) head += `Set-Cookie: ${cookie}\r\n`;
    const bodyless = r.method === 'HEAD' || status === 204 || status === 304;
    if (!length && !bodyless) {
      // Unknown length: chunked to HTTP/1.1 clients, close-delimited to HTTP/1.0 ones.
      if (r.http11) {
        this.chunkedOut = true;
        head += 'Transfer-Encoding: chunked\r\n';
      } else this.keep = false;
    }
    // Head and the body pieces parsed from the same read leave in one write (one syscall).
    const socket = this.c.socket;
    socket.cork();
    process.nextTick(this.c.uncork);
    socket.write(`${head}Connection: ${this.keep ? 'keep-alive' : 'close'}\r\n\r\n`);
  }

  body(b: Buffer): boolean {
    const c = this.c;
    if (c.closed) return true;
    const socket = c.socket;
    let ok: boolean;
    if (this.chunkedOut) {
      socket.write(`${b.length.toString(16)}\r\n`);
      socket.write(b);
      ok = socket.write('\r\n');
    } else ok = socket.write(b);
    if (!ok) socket.once('drain', () => this.ex.resumeUpstream?.());
    return ok;
  }

  end(): void {
    const { c, r } = this;
    this.release();
    // Body pieces still arriving after the answer are dropped.
    r.relay = undefined;
    if (c.closed) return;
    if (this.chunkedOut) c.socket.write('0\r\n\r\n');
    c.responded(r, this.keep);
  }

  fail(status: 502 | 504 | 0): void {
    const { c, r } = this;
    this.release();
    r.relay = undefined;
    if (c.closed) return;
    if (status === 0) {
      // Headers already went out: the client's connection is cut, as ALB does.
      c.socket.destroy();
      c.shutdown();
      return;
    }
    c.page(r, status, '', !r.complete);
  }
}
