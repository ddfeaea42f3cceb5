// One client connection (plain TCP or decrypted TLS): requests parsed with
// llhttp, answered in order (pipelined requests wait their turn), each
// routed by proxy.ts and either answered here or exchanged with a target
// over a pooled connection. Malformed requests get ALB's 400 and the
// connection closes; nothing here can throw out of a socket callback.
import type { Socket } from 'node:net';
import { closeParser, newParser, METHODS } from './http-parser.ts';
import { CONNECT_TIMEOUT_MS, LINE_LIMIT, route, upstreamHead, type ProxyContext } from './proxy.ts';
import { errorPage, reason } from './responses.ts';
import { hostWithoutPort, type RequestFacts } from './rules.ts';
import type { ResolvedListener, ResolvedTarget } from './state.ts';
import { Exchange, Pool } from './upstream.ts';

/** ALB: request line plus headers at most 64 KB. */
export const MAX_HEADER_BYTES = 64 * 1024;

let dateSecond = 0;
let dateText = '';
function httpDate(): string {
  const now = Date.now();
  const s = Math.floor(now / 1000);
  if (s !== dateSecond) {
    dateSecond = s;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

interface Req {
  method: string;
  url: string;
  headers: string[];
  keepAlive: boolean;
  http11: boolean;
  chunked: boolean;
  hasBody: boolean;
  complete: boolean;
  responded: boolean;
  /** Body pieces that arrived before the request was started (pipelining) or connected. */
  pending: Buffer[];
  sink?: (b: Buffer) => void;
  onComplete?: () => void;
  exchange?: Exchange;
}

function poolFor(ctx: ProxyContext, host: string, port: number, tls: boolean): Pool {
  const key = `${tls ? 's' : ''}${host}:${port}`;
  let p = ctx.pools.get(key);
  if (!p) {
    p = new Pool(host, port, tls);
    ctx.pools.set(key, p);
  }
  return p;
}

export function serveConnection(socket: Socket, listener: () => ResolvedListener, ctx: ProxyContext): void {
  const queue: Req[] = [];
  let partial: string[] = [];
  let partialUrl = '';
  let closed = false;
  const clientIp = socket.remoteAddress ?? '';
  const uncork = () => socket.uncork();

  const parser = newParser('request', MAX_HEADER_BYTES, {
    partial: (h, u) => {
      partial.push(...h);
      partialUrl += u;
    },
    headers: (_maj, minor, headers, method, url, _s, _m, upgrade, keepAlive) => {
      if (!headers) {
        headers = partial;
        url = partialUrl;
        partial = [];
        partialUrl = '';
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
      queue.push(r);
      if (queue.length === 1) start(r);
      else socket.pause(); // pipelined: read on once the earlier answers are out
      return 0;
    },
    body: (b) => {
      const r = queue[queue.length - 1];
      if (!r) return;
      if (r.sink) r.sink(b);
      else if (!r.responded) r.pending.push(Buffer.from(b));
    },
    complete: () => {
      const r = queue[queue.length - 1];
      if (!r) return;
      r.complete = true;
      r.onComplete?.();
      if (r.responded) next(r);
    },
  });

  const rawError = (status: number) => {
    if (closed) return;
    const body = errorPage(status);
    socket.end(`HTTP/1.1 ${status} ${reason(status)}\r\nServer: awselb/2.0\r\nDate: ${httpDate()}\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    shutdown();
  };

  const shutdown = () => {
    if (closed) return;
    closed = true;
    for (const r of queue) r.exchange?.abort();
    queue.length = 0;
    closeParser(parser);
  };

  socket.on('data', (d: Buffer) => {
    if (closed) return;
    const ret = parser.execute(d);
    // Smuggling attempts (Content-Length with Transfer-Encoding, conflicting lengths), oversized heads, garbage: 400.
    if (ret instanceof Error) rawError(400);
  });
  let clientEnded = false;
  socket.on('end', () => {
    // Half-closed by the client: answer what is in flight, then close.
    clientEnded = true;
    if (queue.length === 0) socket.end();
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', shutdown);
  // ALB closes a client connection idle for the idle timeout.
  socket.setTimeout(listener().idleTimeoutMs, () => {
    if (queue.length === 0) socket.destroy();
  });

  /** The answer to r is out: start the next request once r's body has been read. */
  function responded(r: Req, keepAlive: boolean): void {
    r.responded = true;
    r.pending = [];
    if (!keepAlive) {
      socket.end();
      shutdown();
      return;
    }
    if (r.complete) next(r);
  }

  function next(r: Req): void {
    if (queue[0] !== r) return;
    queue.shift();
    if (queue.length > 0) start(queue[0]);
    else if (clientEnded) socket.end();
    if (queue.length <= 1 && !closed) socket.resume();
  }

  function page(r: Req, status: number, extra = '', forceClose = false): void {
    if (closed) return;
    const keep = r.keepAlive && !forceClose;
    const body = errorPage(status);
    socket.cork();
    process.nextTick(uncork);
    socket.write(`HTTP/1.1 ${status} ${reason(status)}\r\nServer: awselb/2.0\r\nDate: ${httpDate()}\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\n${extra}Connection: ${keep ? 'keep-alive' : 'close'}\r\n\r\n`);
    if (r.method !== 'HEAD') socket.write(body);
    responded(r, keep);
  }

  function start(r: Req): void {
    const l = listener();
    if (r.method === 'TRACE') return page(r, 405);
    if (r.url.length > LINE_LIMIT) return page(r, 400, '', true);
    const lower: Record<string, string> = {};
    for (let i = 0; i < r.headers.length; i += 2) {
      const v = r.headers[i + 1];
      if (v.length > LINE_LIMIT) return page(r, 400, '', true);
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
      sourceIp: clientIp,
    };
    const out = route(ctx, l, facts);
    if (out.kind === 'page') return page(r, out.status, out.location ? `Location: ${out.location}\r\n` : '');
    if (out.kind === 'fixed') {
      const body = Buffer.from(out.body);
      socket.cork();
      process.nextTick(uncork);
      socket.write(`HTTP/1.1 ${out.status} ${reason(out.status)}\r\nServer: awselb/2.0\r\nDate: ${httpDate()}\r\nContent-Type: ${out.contentType}\r\nContent-Length: ${body.length}\r\nConnection: ${r.keepAlive ? 'keep-alive' : 'close'}\r\n\r\n`);
      if (r.method !== 'HEAD') socket.write(body);
      return responded(r, r.keepAlive);
    }
    forward(r, l, out.target, out.tls, out.setCookies, lower.expect?.toLowerCase() === '100-continue');
  }

  function forward(r: Req, l: ResolvedListener, target: ResolvedTarget, tls: boolean, setCookies: string[], expectContinue: boolean): void {
    const dest = target.traffic;
    // An unmapped or unusable port is a port where nothing listens: connection refused.
    if (dest.kind !== 'mapped') return page(r, 502);
    if (!target.trafficPath.allowed) {
      // Security groups / NACLs drop the SYN: ALB gives up connecting after 10 s.
      const t = setTimeout(() => page(r, 504), CONNECT_TIMEOUT_MS * ctx.timeScale);
      socket.once('close', () => clearTimeout(t));
      return;
    }
    // ALB answers Expect: 100-continue itself.
    if (expectContinue && !r.complete) socket.write('HTTP/1.1 100 Continue\r\n\r\n');
    let chunkedOut = false;
    let keep = r.keepAlive;
    const ex = new Exchange(
      {
        pool: poolFor(ctx, dest.host, dest.port, tls),
        head: upstreamHead(l, r.method, r.url, r.headers, clientIp, r.chunked),
        hasBody: r.hasBody,
        isHead: r.method === 'HEAD',
        idleMs: l.idleTimeoutMs,
        connectMs: CONNECT_TIMEOUT_MS * ctx.timeScale,
      },
      {
        head: (status, message, headers) => {
          let head = `HTTP/1.1 ${status} ${message}\r\n`;
          let length = false;
          for (let i = 0; i < headers.length; i += 2) {
            const n = headers[i];
            const lower = n.toLowerCase();
            if (lower === 'connection' || lower === 'keep-alive' || lower === 'transfer-encoding' || lower === 'proxy-connection') continue;
            if (lower === 'content-length') length = true;
            head += `${n}: ${headers[i + 1]}\r\n`;
          }
          for (const c of setCookies) head += `Set-Cookie: ${c}\r\n`;
          const bodyless = r.method === 'HEAD' || status === 204 || status === 304;
          if (!length && !bodyless) {
            // Unknown length: chunked to HTTP/1.1 clients, close-delimited to HTTP/1.0 ones.
            if (r.http11) {
              chunkedOut = true;
              head += 'Transfer-Encoding: chunked\r\n';
            } else keep = false;
          }
          // Head and the body pieces parsed from the same read leave in one write (one syscall).
          socket.cork();
          process.nextTick(uncork);
          socket.write(`${head}Connection: ${keep ? 'keep-alive' : 'close'}\r\n\r\n`);
        },
        body: (b) => {
          if (closed) return true;
          const ok = chunkedOut ? socket.write(`${b.length.toString(16)}\r\n`) && socket.write(b) && socket.write('\r\n') : socket.write(b);
          if (!ok) socket.once('drain', () => ex.resumeUpstream?.());
          return ok;
        },
        end: () => {
          r.exchange = undefined;
          if (closed) return;
          if (chunkedOut) socket.write('0\r\n\r\n');
          responded(r, keep);
        },
        fail: (status) => {
          r.exchange = undefined;
          if (closed) return;
          if (status === 0) {
            // Headers already went out: the client's connection is cut, as ALB does.
            socket.destroy();
            shutdown();
            return;
          }
          page(r, status, '', !r.complete);
        },
      },
    );
    r.exchange = ex;
    if (!r.hasBody) return;
    const send = (b: Buffer) => {
      const ok = r.chunked ? ex.write(`${b.length.toString(16)}\r\n`) && ex.write(b) && ex.write('\r\n') : ex.write(b);
      if (!ok) {
        socket.pause();
        ex.onDrain(() => socket.resume());
      }
    };
    for (const b of r.pending) send(b);
    r.pending = [];
    r.sink = send;
    const finish = () => {
      if (r.chunked) ex.write('0\r\n\r\n');
    };
    if (r.complete) finish();
    else r.onComplete = finish;
  }
}
