// One client connection (plain TCP or decrypted TLS): requests parsed with
// llhttp, answered in order (pipelined requests wait their turn), each
// routed by proxy.ts and either answered here (ALB's own pages, redirects,
// fixed responses) or handed to forward.ts, which exchanges it with a
// target. Malformed requests get ALB's 400 and the connection closes;
// nothing here can throw out of a socket callback.
import type { Socket } from 'node:net';
import { closeParser, newParser, METHODS, type Parser } from './http-parser.ts';
import { forward, type ClientSide, type Req } from './forward.ts';

export type { Req } from './forward.ts';
import { LINE_LIMIT, route, type ProxyContext } from './proxy.ts';
import { errorPage, reason } from './responses.ts';
import { hostWithoutPort, type RequestFacts } from './rules.ts';
import type { ResolvedListener } from './state.ts';

/** ALB: request line plus headers at most 64 KB. */
export const MAX_HEADER_BYTES = 64 * 1024;

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

export class ClientConnection implements ClientSide {
  /** Requests in arrival order; the first is being answered. */
  private readonly queue: Req[] = [];
  private partial: string[] = [];
  private partialUrl = '';
  private clientEnded = false;
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
        if (!headers) {
          headers = this.partial;
          url = this.partialUrl;
          this.partial = [];
          this.partialUrl = '';
        }
        let chunked = false;
        let length = false;
        for (let i = 0; i < headers.length; i += 2) {
          const n = headers[i];
          if (n.length === 17 && n.toLowerCase() === 'transfer-encoding') chunked = true;
          else if (n.length === 14 && n.toLowerCase() === 'content-length') length = headers[i + 1] !== '0';
        }
        const r: Req = {
          method: METHODS[method] ?? 'GET', url: url ?? '/', headers, keepAlive: keepAlive && !upgrade, http11: minor === 1,
          chunked, hasBody: chunked || length, complete: false, responded: false, pending: [],
        };
        this.queue.push(r);
        if (this.queue.length === 1) this.start(r);
        else socket.pause(); // pipelined: read on once the earlier answers are out
        return 0;
      },
      body: (b) => {
        const r = this.queue[this.queue.length - 1];
        if (!r) return;
        if (r.relay) r.relay.upload(b);
        else if (!r.responded) r.pending.push(Buffer.from(b));
      },
      complete: () => {
        const r = this.queue[this.queue.length - 1];
        if (!r) return;
        r.complete = true;
        r.relay?.uploaded();
        if (r.responded) this.next(r);
      },
    });

    socket.on('data', (d: Buffer) => {
      if (this.closed) return;
      const ret = this.parser.execute(d);
      // Smuggling attempts (Content-Length with Transfer-Encoding, conflicting lengths), oversized heads, garbage: 400.
      if (ret instanceof Error) this.rawError(400);
    });
    socket.on('end', () => {
      // Half-closed by the client: answer what is in flight, then close.
      this.clientEnded = true;
      if (this.queue.length === 0) socket.end();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.shutdown());
    // ALB closes a client connection idle for the idle timeout.
    socket.setTimeout(listener().idleTimeoutMs, () => {
      if (this.queue.length === 0) socket.destroy();
    });
  }

  private rawError(status: number): void {
    if (this.closed) return;
    const body = errorPage(status);
    this.socket.end(`HTTP/1.1 ${status} ${reason(status)}\r\nServer: awselb/2.0\r\nDate: ${httpDate()}\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    this.shutdown();
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
    if (!keepAlive) {
      this.socket.end();
      this.shutdown();
      return;
    }
    if (r.complete) this.next(r);
  }

  private next(r: Req): void {
    const queue = this.queue;
    if (queue[0] !== r) return;
    queue.shift();
    if (queue.length > 0) this.start(queue[0]);
    else if (this.clientEnded) this.socket.end();
    if (queue.length <= 1 && !this.closed) this.socket.resume();
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
