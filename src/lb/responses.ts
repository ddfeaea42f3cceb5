// What the load balancer itself answers: ALB's small error pages (nginx-style
// HTML, `Server: awselb/2.0`), redirect Locations built from the
// #{protocol} #{host} #{port} #{path} #{query} keywords, fixed responses.
// Pure, apart from writeError which writes to a socket or response.
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

const REASONS: Record<number, string> = {
  301: 'Moved Permanently', 302: 'Found', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  408: 'Request Timeout', 413: 'Request Entity Too Large', 414: 'Request-URI Too Large', 431: 'Request Header Fields Too Large', 460: 'Client Closed',
  463: 'Bad Request', 500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out',
};

export function reason(status: number): string {
  return REASONS[status] ?? 'Unknown';
}

const pages = new Map<number, Buffer>();

/** The body ALB sends with its own status codes (cached per status: built once). */
export function errorPage(status: number): Buffer {
  let p = pages.get(status);
  if (!p) {
    const title = `${status} ${reason(status)}`;
    p = Buffer.from(`<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`);
    pages.set(status, p);
  }
  return p;
}

/** Sends an ALB-generated page on a response that has not started. */
export function sendPage(res: ServerResponse, status: number, extra?: Record<string, string>): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorPage(status);
  res.writeHead(status, { server: 'awselb/2.0', 'content-type': 'text/html', 'content-length': body.length, ...extra });
  res.end(body);
}

/** Writes a whole error response on a raw socket (parse errors, before node:http has a response) and closes it. */
export function writeRawError(socket: Socket, status: number): void {
  if (!socket.writable) return void socket.destroy();
  const body = errorPage(status);
  socket.end(`HTTP/1.1 ${status} ${reason(status)}\r\nServer: awselb/2.0\r\nDate: ${new Date().toUTCString()}\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
}

export interface RedirectConfig {
  Protocol?: string;
  Port?: string;
  Host?: string;
  Path?: string;
  Query?: string;
  StatusCode?: string;
}

export interface RedirectSource {
  /** 'http' | 'https', as the client connected. */
  protocol: string;
  host: string;
  port: number;
  /** The request path, with its leading '/'. */
  path: string;
  query: string;
}

function fill(template: string, src: RedirectSource, proto: string): string {
  return template
    .replace(/#\{protocol\}/g, proto)
    .replace(/#\{host\}/g, src.host)
    .replace(/#\{port\}/g, String(src.port))
    // #{path} is the original path without its leading '/': the default Path is '/#{path}'.
    .replace(/#\{path\}/g, src.path.startsWith('/') ? src.path.slice(1) : src.path)
    .replace(/#\{query\}/g, src.query);
}

/**
 * The Location of a redirect action. Unset components keep the original
 * (#{protocol}, #{host}, #{port}, /#{path}, #{query}). ALB writes the port
 * explicitly, also when it is the protocol's default (https://host:443/).
 */
export function redirectLocation(cfg: RedirectConfig, src: RedirectSource): { status: number; location: string } {
  const proto = fill(cfg.Protocol ?? '#{protocol}', src, src.protocol).toLowerCase();
  const host = fill(cfg.Host ?? '#{host}', src, proto);
  const port = fill(cfg.Port ?? '#{port}', src, proto);
  let path = fill(cfg.Path ?? '/#{path}', src, proto);
  if (!path.startsWith('/')) path = `/${path}`;
  const query = fill(cfg.Query ?? '#{query}', src, proto);
  return { status: cfg.StatusCode === 'HTTP_302' ? 302 : 301, location: `${proto}://${host}:${port}${path}${query ? `?${query}` : ''}` };
}
