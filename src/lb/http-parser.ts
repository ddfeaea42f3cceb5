// Node's own HTTP/1.1 parser (llhttp, the one node:http uses), reached
// directly: the data plane parses requests and responses on raw sockets and
// writes heads itself, which skips node:http's IncomingMessage /
// ServerResponse / ClientRequest / Agent layers on the hot path (about half
// the CPU of a request in a node:http proxy). llhttp keeps its strictness:
// Content-Length with Transfer-Encoding, duplicate lengths and oversized
// heads are parse errors.
import { createRequire } from 'node:module';

export interface Parser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(data: Buffer): number | Error;
  finish(): Error | undefined;
  close(): void;
  free(): void;
  remove?(): void;
  [key: number]: unknown;
}

interface ParserModule {
  HTTPParser: {
    new (): Parser;
    REQUEST: number;
    RESPONSE: number;
    kOnHeaders: number;
    kOnHeadersComplete: number;
    kOnBody: number;
    kOnMessageComplete: number;
    kOnExecute: number;
  };
  methods: string[];
}

const mod = createRequire(import.meta.url)('_http_common') as ParserModule;
export const HTTPParser = mod.HTTPParser;
/** Method names by llhttp's method number. */
export const METHODS = mod.methods;

/** (versionMajor, versionMinor, flat headers or undefined when delivered through kOnHeaders, method, url, status, statusMessage, upgrade, keepAlive) */
export type HeadersComplete = (major: number, minor: number, headers: string[] | undefined, method: number, url: string | undefined, status: number, statusMessage: string, upgrade: boolean, keepAlive: boolean) => number | void;

export function newParser(type: 'request' | 'response', maxHeaderSize: number, on: { headers: HeadersComplete; body(b: Buffer): void; complete(): void; partial?(headers: string[], url: string): void }): Parser {
  const p = new HTTPParser();
  p.initialize(type === 'request' ? HTTPParser.REQUEST : HTTPParser.RESPONSE, {}, maxHeaderSize, 0);
  p[HTTPParser.kOnHeadersComplete] = on.headers;
  p[HTTPParser.kOnBody] = on.body;
  p[HTTPParser.kOnMessageComplete] = on.complete;
  p[HTTPParser.kOnHeaders] = on.partial ?? (() => {});
  p[HTTPParser.kOnExecute] = () => {};
  return p;
}

/**
 * Frees a parser on the next turn: closing it from inside one of its own
 * callbacks (a response completes, the connection is dropped) would free
 * native memory llhttp is still executing on.
 */
export function closeParser(p: Parser): void {
  setImmediate(() => {
    try {
      p.close();
    } catch {
      // already closed
    }
  });
}
