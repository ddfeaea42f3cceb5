// One client connection (plain TCP or decrypted TLS): requests parsed with
// llhttp, answered in order (pipelined requests wait their turn), each
// routed by proxy.ts and either answered here (ALB's own pages, redirects,
// fixed responses) or handed to forward.ts, which exchanges it with a
// target. Malformed requests get ALB's 400 in their turn and the connection
// closes; nothing here can throw out of a socket callback.
//
// Memory per connection is bounded in every state by reading from the client
// only while what it sends has somewhere to go: the socket is paused while a
// pipelined request waits its turn, while the target cannot take more of a
// body (or there is no target connection yet), while a refused request waits
// for its answer, and no request is started while answers the client does
// not read fill the socket's buffer. What is held is then at most one read
// (64 KB; 16 KB over TLS) beyond MAX_PENDING_BODY and the socket's buffer.
import type { Socket } from 'node:net';
import { closeParser, newParser, METHODS, type Parser } from './http-parser.ts';
import { forward, type ClientSide, type Req } from './forward.ts';
import { checkHead } from './head-checks.ts';

export type { Req } from './forward.ts';
import { LINE_LIMIT, route, type ProxyContext } from './proxy.ts';
import { errorPage, reason } from './responses.ts';
import { hostWithoutPort, type RequestFacts } from './rules.ts';
import type { ResolvedListener } from './state.ts';

/** ALB: request line plus headers at most 64 KB. */
export const MAX_HEADER_BYTES = 64 * 1024;
/**
 * Body bytes held for a request with no target connection to take them (a
 * target the network rules cut off, until the 504; a request waiting behind
 * another): past this the client is not read until they can go.
 */
export const MAX_PENDING_BODY = 64 * 1024;

let dateSecond = 0;
let dateText = '';
/** The Date header, formatted once a second (a pure cache: safe to share between data planes). */
export function httpDate(): string {
  const now = Date.now();
  const s = Math.floor(now / 1000);
  if (s !== dateSecond) {
    dateSecond = s;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}


export function serveConnection(socket: Socket, listener: () => ResolvedListener, ctx: ProxyContext): void {
  new ClientConnection(socket, listener, ctx);
}

/** Stands in the queue for bytes llhttp refused between two requests: answered 400 in its turn. */
function malformed(): Req {
  return {
    method: 'GET', url: '/', headers: [], keepAlive: false, http11: true, chunked: false, hasBody: false, complete: true, responded: false,
    started: false, pending: [], pendingBytes: 0, reject: 400,
  };
}

export class ClientConnection implements ClientSide {
  /** Requests in arrival order; the first is being answered. */
  private readonly queue: Req[] = [];
  private partial: string[] = [];
  private partialUrl = '';
  private clientEnded = false;
  /** llhttp refused the stream: nothing after the error is parsed. */
  private broken = false;
  private readonly parser: Parser;
  closed = false;
  readonly clientIp: string;
  /** Bound once: every answer corks the socket and uncorks it on the next tick. */
  readonly uncork: () => void;

  constructor(readonly socket: Socket, private readonly listener: () => ResolvedListener, readonly ctx: ProxyContext) {
    this.clientIp = socket.remoteAddress ?? '';
    this.uncork = () => socket.uncork();
    this.parser = newParser('request', MAX_HEADER_BYTES, {
      partial: (h, u) => {
        this.partial.push(...h);
        this.partialUrl += u;
      },
      headers: (_maj, minor, headers, method, url, _s, _m, upgrade, keepAlive) => {
        // Closed from an earlier callback of the same read: the rest of the read is dropped.
        if (this.closed) return 0;
        if (!headers) {
          headers = this.partial;
          url = this.partialUrl;
          this.partial = [];
          this.partialUrl = '';
        }
        const head = checkHead(headers, minor === 1);
        this.queue.push({
          method: METHODS[method] ?? 'GET', url: url ?? '/', headers, keepAlive: keepAlive && !upgrade, http11: minor === 1,
          chunked: head.chunked, hasBody: head.hasBody, complete: false, responded: false, started: false, pending: [], pendingBytes: 0, reject: head.reject,
        });
        this.advance();
        return 0;
      },
      body: (b) => {
        const r = this.queue[this.queue.length - 1];
        if (!r || r.responded || this.closed) return;
        if (r.relay) return r.relay.upload(b);
        // No target connection takes it yet: held, up to a bound.
        r.pending.push(Buffer.from(b));
        r.pendingBytes += b.length;
        if (r.pendingBytes >= MAX_PENDING_BODY) socket.pause();
      },
      complete: () => {
        const r = this.queue[this.queue.length - 1];
        if (!r || this.closed) return;
        r.complete = true;
        r.relay?.uploaded();
        if (r.responded) this.next(r);
      },
    });

    socket.on('data', (d: Buffer) => {
      if (this.closed || this.broken) return;
      const ret = this.parser.execute(d);
      // Smuggling attempts (Content-Length with Transfer-Encoding, conflicting lengths), bad chunk sizes, oversized heads, garbage: 400.
      if (ret instanceof Error) this.parseError();
    });
    // The client reads its answers again: requests held back for it can start.
    socket.on('drain', () => this.advance());
    socket.on('end', () => {
      // Half-closed by the client: answer what is in flight, then close.
      this.clientEnded = true;
      if (this.queue.length === 0) socket.end();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.shutdown());
    // ALB closes a client connection idle for the idle timeout.
    socket.setTimeout(listener().idleTimeoutMs, () => {
      if (this.waitsOnClient()) socket.destroy();
    });
  }

  /**
   * Nothing but the client can move this connection on: no request, or the
   * first one not started (the client reads no answers), answered (the rest
   * of its body is awaited) or waiting for its first chunk. Otherwise a
   * target exchange or the 504 timer of a cut-off target has its own clock.
   */
  private waitsOnClient(): boolean {
    const r = this.queue[0];
    return !r || !r.started || r.responded || (r.relay !== undefined && r.relay.ex === undefined);
  }

  /**
   * llhttp refused what follows the last complete request: in a request's
   * body, that request is refused (its target connection, if any, dropped
   * before the body was complete, so the target never has a whole request);
   * between requests, a 400 takes its place in the queue. Either way the
   * answer goes out in order and the connection closes after it.
   */
  private parseError(): void {
    this.broken = true;
    this.socket.pause();
    const last = this.queue[this.queue.length - 1];
    if (!last || last.complete) {
      this.queue.push(malformed());
      return this.advance();
    }
    if (!last.reject) last.reject = 400;
    if (!last.started) return;
    const relay = last.relay;
    last.relay = undefined;
    relay?.abort();
    if (last.responded) {
      // Its answer is out (the rest of its body was being dropped): close after it.
      this.socket.end();
      return this.shutdown();
    }
    if (relay?.answering) {
      // Its answer is partly out: all that is left is to cut the connection.
      this.socket.destroy();
      return this.shutdown();
    }
    this.page(last, 400, '', true);
  }

  /** The connection is done (closed, cut, or answered with Connection: close): forwarded requests are dropped. */
  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const r of this.queue) r.relay?.abort();
    this.queue.length = 0;
    closeParser(this.parser);
  }

  /** The answer to r is out: start the next request once r's body has been read. */
  responded(r: Req, keepAlive: boolean): void {
    r.responded = true;
    r.pending = [];
    r.pendingBytes = 0;
    if (!keepAlive) {
      this.socket.end();
      this.shutdown();
      return;
    }
    if (r.complete) this.next(r);
    // The rest of r's body is read and dropped.
    else this.flow();
  }

  private next(r: Req): void {
    const queue = this.queue;
    if (queue[0] !== r) return;
    queue.shift();
    if (queue.length === 0 && this.clientEnded) this.socket.end();
    this.advance();
  }

  /** Starts the first request once earlier answers have left (not while the client leaves them unread), then reads on if it may. */
  private advance(): void {
    if (this.closed) return;
    const r = this.queue[0];
    if (r && !r.started && !this.socket.writableNeedDrain) {
      r.started = true;
      this.start(r);
    }
    this.flow();
  }

  /** Reads from the client only while what it sends has somewhere to go (see the top of the file). */
  flow(): void {
    if (this.closed) return;
    const q = this.queue;
    const r = q[0];
    const hold = q.length > 1 || (r !== undefined && (
      r.reject !== 0 || this.broken
      || (r.relay ? r.relay.uploadBlocked : !r.responded && r.pendingBytes >= MAX_PENDING_BODY)
    ));
    if (hold) this.socket.pause();
    else this.socket.resume();
  }

  /** One of ALB's own pages (error, redirect with `extra` = its Location line). */
  page(r: Req, status: number, extra = '', forceClose = false): void {
    if (this.closed) return;
    const keep = r.keepAlive && !forceClose;
    const body = errorPage(status);
    const socket = this.socket;
    socket.cork();
    process.nextTick(this.uncork);
    socket.write(`HTTP/1.1 ${status} ${reason(status)}\r\nServer: awselb/2.0\r\nDate: ${httpDate()}\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\n${extra}Connection: ${keep ? 'keep-alive' : 'close'}\r\n\r\n`);
    if (r.method !== 'HEAD') socket.write(body);
    this.responded(r, keep);
  }

  private start(r: Req): void {
    // Refused from its head alone (Host, transfer codings) or by llhttp: the target never sees it.
    if (r.reject) return this.page(r, r.reject, '', true);
    const l = this.listener();
    if (r.method === 'TRACE') return this.page(r, 405);
    if (r.url.length > LINE_LIMIT) return this.page(r, 400, '', true);
    const lower: Record<string, string> = {};
    for (let i = 0; i < r.headers.length; i += 2) {
      const v = r.headers[i + 1];
      if (v.length > LINE_LIMIT) return this.page(r, 400, '', true);
      const n = r.headers[i].toLowerCase();
      // Repeated headers join with ', ' (cookies with '; ', as HTTP/2 and browsers split them).
      lower[n] = lower[n] === undefined ? v : `${lower[n]}${n === 'cookie' ? '; ' : ', '}${v}`;
    }
    const q = r.url.indexOf('?');
    const facts: RequestFacts = {
      host: hostWithoutPort(lower.host),
      path: q < 0 ? r.url : r.url.slice(0, q),
      query: q < 0 ? '' : r.url.slice(q + 1),
      method: r.method,
      headers: lower,
      sourceIp: this.clientIp,
    };
    const out = route(this.ctx, l, facts);
    if (out.kind === 'page') return this.page(r, out.status, out.location ? `Location: ${out.location}\r\n` : '');
    if (out.kind === 'fixed') {
      const body = Buffer.from(out.body);
      const socket = this.socket;
      socket.cork();
      process.nextTick(this.uncork);
      socket.write(`HTTP/1.1 ${out.status} ${reason(out.status)}\r\nServer: awselb/2.0\r\nDate: ${httpDate()}\r\nContent-Type: ${out.contentType}\r\nContent-Length: ${body.length}\r\nConnection: ${r.keepAlive ? 'keep-alive' : 'close'}\r\n\r\n`);
      if (r.method !== 'HEAD') socket.write(body);
      return this.responded(r, r.keepAlive);
    }
    forward(this, r, l, out, lower.expect?.toLowerCase() === '100-continue');
  }
}
