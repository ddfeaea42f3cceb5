// How CLI commands find and ask the running localnet: LOCALNET_ENDPOINT, else
// the configured host and port. Requests go through node:http with the
// connection closed after the answer rather than through fetch: loading
// fetch (undici) and waiting for its idle keep-alive socket cost a one-shot
// command a few hundred milliseconds.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { Config } from '../config.ts';

export function endpointOf(config: Config): string {
  if (process.env.LOCALNET_ENDPOINT) return process.env.LOCALNET_ENDPOINT.replace(/\/$/, '');
  return configuredEndpoint(config);
}

/** The endpoint of the configured host and port (LOCALNET_HOST, LOCALNET_PORT), whatever LOCALNET_ENDPOINT says. */
export function configuredEndpoint(config: Config): string {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}`;
}

export interface LocalnetResponse {
  status: number;
  statusText: string;
  ok: boolean;
  headers: IncomingHttpHeaders;
  text(): string;
  json<T = any>(): T;
}

export interface LocalnetRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Gives up (rejects) when the connection stays silent this long; default 10 s. */
  timeoutMs?: number;
}

/** One request to localnet (http: or https:); rejects when nothing answers. */
export async function localnetRequest(url: string | URL, opts: LocalnetRequestOptions = {}): Promise<LocalnetResponse> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
  const headers: Record<string, string | number> = { ...opts.headers, connection: 'close' };
  if (opts.body !== undefined) headers['content-length'] = Buffer.byteLength(opts.body);
  return new Promise((resolve, reject) => {
    const req = send(target, { method: opts.method ?? 'GET', headers, agent: false, timeout: opts.timeoutMs ?? 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        resolve({ status, statusText: res.statusMessage ?? '', ok: status >= 200 && status < 300, headers: res.headers, text: () => body, json: () => JSON.parse(body) });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${target.origin} said nothing for ${opts.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The running localnet's health document, or undefined when nothing answers. */
export async function health(endpoint: string): Promise<Record<string, any> | undefined> {
  try {
    const res = await localnetRequest(`${endpoint}/_localnet/health`, { timeoutMs: 2000 });
    if (!res.ok) return undefined;
    return res.json<Record<string, any>>();
  } catch {
    return undefined;
  }
}
