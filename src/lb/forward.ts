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
import { Exchange, Pool, poolKey, type ExchangeHandlers, type ExchangeOptions } from './upstream.ts';

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
  /** Its turn has come: routed, answered or forwarded. */
  started: boolean;
  /** Body pieces that arrived before the request was started (pipelining) or forwarded; at most about MAX_PENDING_BODY (connection.ts). */
  pending: Buffer[];
  pendingBytes: number;
  /** ALB answers this status itself instead of routing (a refused head, or llhttp refused its body); 0 when routed. */
  reject: 0 | 400 | 501;
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
  /** Reads from the client again if nothing holds it back. */
  flow(): void;
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
      // A body still coming is not read on: the connection closes after the answer.
      c.page(r, 504, '', !r.complete);
    }, CONNECT_TIMEOUT_MS * ctx.timeScale);
    c.socket.once('close', () => {
      clearTimeout(t);
      relay.release();
    });
    return;
  }
  // ALB answers Expect: 100-continue itself.
  if (expectContinue && !r.complete) c.socket.write('HTTP/1.1 100 Continue\r\n\r\n');
  relay.exchange = {
    pool: poolFor(ctx, dest.host, dest.port, out.tls),
    head: upstreamHead(l, r.method, r.url, r.headers, c.clientIp, r.chunked),
    hasBody: r.hasBody,
    isHead: r.method === 'HEAD',
    idleMs: l.idleTimeoutMs,
    connectMs: CONNECT_TIMEOUT_MS * ctx.timeScale,
  };
  r.relay = relay;
  const pending = r.pending;
  r.pending = [];
  r.pendingBytes = 0;
  for (const b of pending) relay.upload(b);
  if (r.complete) relay.uploaded();
  // A chunked body waits for its first chunk: llhttp has then accepted the
  // first size line, so a request refused for a bad chunk size sends the
  // target nothing. (A bad size further on drops the target connection
  // before the body is complete.)
  else if (!r.chunked) relay.open();
}

/**
 * One forwarded request: the client's body towards the target (upload,
 * uploaded) and the target's answer towards the client (the
 * ExchangeHandlers). Holds the target's in-flight count (least outstanding
 * requests) from creation until the exchange ends, fails or is aborted.
 */
export class Relay implements ExchangeHandlers {
  /** The request to the target, once opened. */
  ex?: Exchange;
  /** What open() sends (set by forward). */
  exchange?: ExchangeOptions;
  /** The target connection's buffer is full: the client is not read until it drains. */
  uploadBlocked = false;
  /** The answer's head went to the client: an error now can only cut the connection. */
  answering = false;
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

  /** Sends the request head to the target (once). */
  open(): Exchange {
    if (!this.ex) {
      this.ex = new Exchange(this.exchange!, this);
      this.exchange = undefined;
    }
    return this.ex;
  }

  /** A piece of the client's body: re-framed chunked when the client's was; the client pauses while the target is slow to read. */
  upload(b: Buffer): void {
    const ex = this.open();
    let ok: boolean;
    if (this.r.chunked) {
      // Every write happens; the last one tells whether the socket's buffer is full.
      ex.write(`${b.length.toString(16)}\r\n`);
      ex.write(b);
      ok = ex.write('\r\n');
    } else ok = ex.write(b);
    if (!ok && !this.uploadBlocked) {
      // Covers a target connection still connecting too: its writes wait in the same buffer.
      this.uploadBlocked = true;
      this.c.socket.pause();
      ex.onDrain(() => {
        this.uploadBlocked = false;
        this.c.flow();
      });
    }
  }

  /** The client's body is complete. */
  uploaded(): void {
    const ex = this.open();
    if (this.r.chunked) ex.write('0\r\n\r\n');
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
    this.answering = true;
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
    if (!ok) socket.once('drain', () => this.ex?.resumeUpstream?.());
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
