// Connections to targets: a keep-alive pool per workload address (last idle
// connection first, so few stay warm) and one request/response exchange at a
// time on each. Failures map to ALB's codes: refused / reset / malformed
// answer -> 502, no connection within the connect timeout or no answer
// within the idle timeout -> 504. A pooled connection the target closed
// meanwhile is retried once on a fresh one when the request had no body.
import net, { type Socket } from 'node:net';
import tls from 'node:tls';
import { closeParser, newParser, type Parser } from './http-parser.ts';

export interface ExchangeHandlers {
  /** The response head (1xx interim answers are not passed on). */
  head(status: number, message: string, headers: string[], keepAlive: boolean): void;
  body(b: Buffer): boolean;
  end(): void;
  /** Before the head: ALB's status; after it: the client's connection must be cut (status 0). */
  fail(status: 502 | 504 | 0, why: string): void;
}

const MAX_RESPONSE_HEAD = 64 * 1024;

class Conn {
  readonly socket: Socket;
  readonly parser: Parser;
  ex?: Exchange;
  reused = false;
  connected = false;
  dead = false;

  constructor(readonly pool: Pool) {
    const s = pool.tls
      ? tls.connect({ host: pool.host, port: pool.port, rejectUnauthorized: false, servername: net.isIP(pool.host) ? undefined : pool.host })
      : net.connect({ host: pool.host, port: pool.port, noDelay: true });
    this.socket = s;
    s.setNoDelay(true);
    s.once(pool.tls ? 'secureConnect' : 'connect', () => {
      this.connected = true;
      this.ex?.connected();
    });
    s.on('data', (d: Buffer) => {
      if (this.dead) return;
      const ex = this.ex;
      if (!ex) return void this.kill();
      const r = this.parser.execute(d);
      if (r instanceof Error) ex.failed(502, `malformed response (${(r as NodeJS.ErrnoException).code ?? r.message})`, false);
    });
    s.on('end', () => {
      // A close-delimited body ends here.
      if (!this.dead && this.ex?.headSeen) this.parser.finish();
      this.kill();
    });
    s.on('error', (err: NodeJS.ErrnoException) => {
      this.ex?.failed(err.code === 'ETIMEDOUT' ? 504 : 502, err.code ?? err.message, err.code === 'ECONNRESET' || err.code === 'EPIPE');
      this.kill();
    });
    s.on('close', () => {
      this.ex?.failed(502, 'the target closed the connection', true);
      this.kill();
    });
    s.on('timeout', () => {
      this.ex?.failed(504, 'no answer within the idle timeout', false);
      this.kill();
    });
    this.parser = newParser('response', MAX_RESPONSE_HEAD, {
      headers: (_maj, _min, headers, _m, _u, status, message, _up, keepAlive) => {
        const ex = this.ex;
        if (!ex || status < 200) return 0; // 1xx interim answers are not passed on
        ex.headSeen = true;
        ex.keepAlive = keepAlive;
        ex.h.head(status, message, headers ?? [], keepAlive);
        return ex.isHead ? 1 : 0;
      },
      body: (b) => {
        const ex = this.ex;
        if (ex && !ex.h.body(b)) {
          this.socket.pause();
          ex.resumeUpstream = () => this.socket.resume();
        }
      },
      complete: () => {
        const ex = this.ex;
        if (!ex || !ex.headSeen) return;
        ex.finished(this);
      },
    });
  }

  kill(): void {
    if (this.dead) return;
    this.dead = true;
    this.pool.forget(this);
    this.socket.destroy();
    closeParser(this.parser);
  }
}

/** The pools map's key for a workload address. */
export function poolKey(host: string, port: number, tls: boolean): string {
  return `${tls ? 's' : ''}${host}:${port}`;
}

export class Pool {
  private readonly idle: Conn[] = [];
  private readonly all = new Set<Conn>();
  private retired = false;
  constructor(readonly host: string, readonly port: number, readonly tls: boolean) {}

  acquire(): Conn {
    for (;;) {
      const c = this.idle.pop();
      if (!c) break;
      if (c.dead || c.socket.destroyed) continue;
      c.reused = true;
      return c;
    }
    const c = new Conn(this);
    this.all.add(c);
    return c;
  }

  release(c: Conn): void {
    c.ex = undefined;
    c.socket.setTimeout(0);
    // The last body piece may have paused it for a slow client.
    c.socket.resume();
    if (c.dead) return;
    if (this.retired) return void c.kill();
    this.idle.push(c);
  }

  /** No target uses this address any more: idle connections close now, busy ones when their exchange ends. */
  retire(): void {
    this.retired = true;
    for (const c of [...this.idle]) c.kill();
  }

  forget(c: Conn): void {
    this.all.delete(c);
    const i = this.idle.indexOf(c);
    if (i >= 0) this.idle.splice(i, 1);
  }

  destroy(): void {
    for (const c of [...this.all]) c.kill();
  }
}

export interface ExchangeOptions {
  pool: Pool;
  /** The request head, ending with the blank line. */
  head: string;
  hasBody: boolean;
  isHead: boolean;
  idleMs: number;
  connectMs: number;
}

/** One request to a target and its answer. Write the body with write(); end() after the last piece. */
export class Exchange {
  headSeen = false;
  keepAlive = false;
  isHead: boolean;
  resumeUpstream?: () => void;
  private conn!: Conn;
  private done = false;
  private retried = false;
  private bodySent = false;
  private connectTimer?: NodeJS.Timeout;

  constructor(private readonly o: ExchangeOptions, readonly h: ExchangeHandlers) {
    this.isHead = o.isHead;
    this.attach();
  }

  private attach(): void {
    const c = this.o.pool.acquire();
    this.conn = c;
    c.ex = this;
    if (c.connected) this.connected();
    else this.connectTimer = setTimeout(() => this.failed(504, 'no connection within the connect timeout', false), this.o.connectMs);
    c.socket.write(this.o.head);
  }

  /** The connection is up: from now on the idle timeout counts. */
  connected(): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
    this.conn.socket.setTimeout(this.o.idleMs);
  }

  write(b: Buffer | string): boolean {
    this.bodySent = true;
    return this.conn.socket.write(b);
  }

  /** Calls fn when the target connection can take more request body. */
  onDrain(fn: () => void): void {
    this.conn.socket.once('drain', fn);
  }

  finished(c: Conn): void {
    if (this.done) return;
    this.done = true;
    if (this.connectTimer) clearTimeout(this.connectTimer);
    if (this.keepAlive) this.o.pool.release(c);
    else c.kill();
    this.h.end();
  }

  failed(status: 502 | 504, why: string, retryable: boolean): void {
    if (this.done) return;
    if (this.connectTimer) clearTimeout(this.connectTimer);
    const old = this.conn;
    old.ex = undefined;
    old.kill();
    if (!this.headSeen && retryable && old.reused && !this.retried && !this.o.hasBody && !this.bodySent) {
      this.retried = true;
      this.attach();
      return;
    }
    this.done = true;
    this.h.fail(this.headSeen ? 0 : status, why);
  }

  /** The client went away: drop the target connection (it may be mid-answer). */
  abort(): void {
    if (this.done) return;
    this.done = true;
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.conn.ex = undefined;
    this.conn.kill();
  }
}
