// The ACME server's HTTPS face: a loopback listener with a certificate from
// the local CA (localhost and the listen address), routing each resource to
// AcmeService, a Replay-Nonce and Link: index on every response, errors as
// application/problem+json. Bodies are JWS (application/jose+json); GET is
// only for the directory, newNonce and (for curl) certificates.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, privateKeyToPem } from '../pki/keys.ts';
import type { LocalCa } from '../pki/ca.ts';
import type { Verified } from './jws.ts';
import type { Nonces } from './nonces.ts';
import { AcmeProblem, problem } from './problems.ts';
import type { AcmeService, Reply } from './service.ts';

const MAX_BODY = 64 * 1024;

export interface HttpOptions {
  host: string;
  port: number;
  ca: LocalCa;
  service: AcmeService;
  nonces: Nonces;
  meta: Record<string, unknown>;
  log?(line: string): void;
}

type Route = { method: 'POST'; re: RegExp; key: 'jwk' | 'kid' | 'either'; run(v: Verified, m: RegExpExecArray): Reply | Promise<Reply> };

export async function listenHttps(o: HttpOptions): Promise<{ server: Server; port: number }> {
  const keys = await generateKeyPair('EC_prime256v1');
  const names = o.host === 'localhost' || /^[\d.]+$/.test(o.host) || o.host.includes(':') ? ['localhost'] : ['localhost', o.host];
  const ips = [...new Set(['127.0.0.1', ...(/^[\d.]+$/.test(o.host) || o.host.includes(':') ? [o.host] : [])])];
  const cert = await o.ca.sign({ names, ipAddresses: ips, publicKey: keys.publicKey, rsa: false, validityDays: 90 });
  const s = o.service;
  const routes: Route[] = [
    { method: 'POST', re: /^\/acme\/new-acct$/, key: 'jwk', run: (v) => s.newAccount(v) },
    { method: 'POST', re: /^\/acme\/acct\/([\w-]+)$/, key: 'kid', run: (v, m) => s.updateAccount(v, m[1]) },
    { method: 'POST', re: /^\/acme\/acct\/([\w-]+)\/orders$/, key: 'kid', run: (v, m) => s.accountOrders(v, m[1]) },
    { method: 'POST', re: /^\/acme\/key-change$/, key: 'kid', run: (v) => s.keyChange(v) },
    { method: 'POST', re: /^\/acme\/new-order$/, key: 'kid', run: (v) => s.newOrder(v) },
    { method: 'POST', re: /^\/acme\/order\/([\w-]+)$/, key: 'kid', run: (v, m) => s.getOrder(v, m[1]) },
    { method: 'POST', re: /^\/acme\/order\/([\w-]+)\/finalize$/, key: 'kid', run: (v, m) => s.finalize(v, m[1]) },
    { method: 'POST', re: /^\/acme\/authz\/([\w-]+)$/, key: 'kid', run: (v, m) => s.authz(v, m[1]) },
    { method: 'POST', re: /^\/acme\/chall\/([\w-]+)\/([\w-]+)$/, key: 'kid', run: (v, m) => s.challenge(v, m[1], m[2]) },
    { method: 'POST', re: /^\/acme\/cert\/([0-9a-f]+)$/, key: 'kid', run: (v, m) => s.certificate(v, m[1]) },
    { method: 'POST', re: /^\/acme\/revoke-cert$/, key: 'either', run: (v) => s.revoke(v) },
  ];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (r: Reply) => {
      const headers: Record<string, string | string[]> = { 'Replay-Nonce': o.nonces.issue(), 'Cache-Control': 'no-store', Link: [`<${s.url('/directory')}>;rel="index"`, ...(r.links ?? [])] };
      if (r.location) headers.Location = r.location;
      if (r.retryAfter !== undefined) headers['Retry-After'] = String(r.retryAfter);
      if (r.raw) {
        res.writeHead(r.status, { ...headers, 'Content-Type': r.raw.contentType });
        res.end(req.method === 'HEAD' ? undefined : r.raw.text);
      } else if (r.body !== undefined) {
        res.writeHead(r.status, { ...headers, 'Content-Type': 'application/json' });
        res.end(req.method === 'HEAD' ? undefined : JSON.stringify(r.body, null, 2));
      } else {
        res.writeHead(r.status, headers);
        res.end();
      }
    };
    try {
      if (path === '/directory' || path === '/directory/') {
        if (req.method !== 'GET' && req.method !== 'HEAD') throw problem('malformed', 'Method not allowed', 405);
        const r = { status: 200, body: s.directory(o.meta) };
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=0, no-cache' });
        res.end(req.method === 'HEAD' ? undefined : JSON.stringify(r.body, null, 2));
        return;
      }
      if (path === '/acme/new-nonce') {
        if (req.method === 'HEAD') return send({ status: 200 });
        if (req.method === 'GET') return send({ status: 204 });
        throw problem('malformed', 'Method not allowed', 405);
      }
      const certGet = /^\/acme\/cert\/([0-9a-f]+)$/.exec(path);
      if (certGet && req.method === 'GET') return send(s.certificate(undefined, certGet[1]));
      const route = routes.find((r) => r.re.test(path));
      if (!route) throw problem('malformed', `No such resource: ${path}`, 404);
      if (req.method !== 'POST') throw problem('malformed', 'Method not allowed', 405);
      const type = String(req.headers['content-type'] ?? '').split(';')[0].trim();
      if (type !== 'application/jose+json') throw problem('malformed', 'Invalid Content-Type header on POST. Content-Type must be "application/jose+json"', 415);
      const body = await readBody(req);
      const verified = await s.verify(body, path, route.key);
      send(await route.run(verified, route.re.exec(path)!));
    } catch (err) {
      if (err instanceof AcmeProblem) {
        const headers: Record<string, string> = { 'Replay-Nonce': o.nonces.issue(), 'Cache-Control': 'no-store', 'Content-Type': 'application/problem+json', Link: `<${s.url('/directory')}>;rel="index"`, ...err.headers };
        if (err.retryAfter !== undefined) headers['Retry-After'] = String(err.retryAfter);
        res.writeHead(err.status, headers);
        res.end(JSON.stringify(err.document(), null, 2));
        return;
      }
      o.log?.(`internal error: acme ${req.method} ${path}: ${(err as Error)?.stack ?? err}`);
      res.writeHead(500, { 'Replay-Nonce': o.nonces.issue(), 'Content-Type': 'application/problem+json' });
      res.end(JSON.stringify(problem('serverInternal', 'The server experienced an internal error', 500).document()));
    }
  };

  const server = createServer({ key: await privateKeyToPem(keys.privateKey), cert: cert.certificatePem + cert.chainPem, keepAliveTimeout: 30_000 }, (req, res) => void handle(req, res));
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(problem('malformed', 'Request body too large', 413));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
