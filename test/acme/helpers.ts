// Shared by the ACME tests: a localnet, public DNS records through Route 53,
// an "instance" (an HTTP server on a loopback address's port 80), and the
// real clients (Certbot, lego) run as a user would, against the directory.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { clientConfig, startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';

export const CERTBOT = '/usr/bin/certbot';
export const LEGO = '/usr/bin/lego';
export const OPENSSL = '/usr/bin/openssl';

/** Why a client's tests cannot run here, or undefined. */
export function missing(bin: string, pkg: string): string | undefined {
  return existsSync(bin) ? undefined : `${bin} is not installed: apt-get install -y ${pkg} (.ci/run does)`;
}

export interface Env {
  ln: TestLocalnet;
  r53: Route53Client;
  zoneId: string;
  root: string;
  tmp: string;
}

export async function acmeEnv(zone: string): Promise<Env> {
  const tmp = mkdtempSync(join(tmpdir(), 'acme-test-'));
  const ln = await startTestLocalnet(join(tmp, 'data'));
  const r53 = new Route53Client(clientConfig(ln));
  const out = await r53.send(new CreateHostedZoneCommand({ Name: zone, CallerReference: `${zone}-${Math.random()}` }));
  return { ln, r53, zoneId: out.HostedZone!.Id!, root: ln.ca.files.root, tmp };
}

export async function upsert(env: Env, name: string, type: 'A' | 'TXT' | 'CAA' | 'CNAME', ...values: string[]): Promise<void> {
  await env.r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: env.zoneId, ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: name, Type: type, TTL: 60, ResourceRecords: values.map((Value) => ({ Value })) } }] } }));
}

/** The "instance": serves files under webroot (certbot --webroot) on address:80, 404 for anything else. */
export async function webrootServer(address: string, webroot: string): Promise<Server> {
  mkdirSync(webroot, { recursive: true });
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    const file = join(webroot, path);
    if (!path.includes('..') && existsSync(file)) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(readFileSync(file));
    } else {
      res.writeHead(404);
      res.end('not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(80, address, () => resolve());
  });
  return server;
}

/** A port that accepts connections and never answers (what a blocked security group looks like on loopback). */
export async function silentServer(address: string, port = 80): Promise<net.Server> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  await new Promise<void>((resolve) => server.listen(port, address, () => resolve()));
  const close = server.close.bind(server);
  server.close = (cb) => {
    sockets.forEach((s) => s.destroy());
    return close(cb);
  };
  return server;
}

export function closeServer(s: { close(cb: () => void): unknown } | undefined): Promise<void> {
  return new Promise((resolve) => (s ? s.close(() => resolve()) : resolve()));
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(bin: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(bin, args, { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/** certbot with its directories under dir, non-interactive, against localnet's directory, trusting localnet's root. */
export function certbot(env: Env, dir: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return run(CERTBOT, [...args, '--config-dir', join(dir, 'config'), '--work-dir', join(dir, 'work'), '--logs-dir', join(dir, 'logs'), '--non-interactive', '--agree-tos', '-m', 'a@example.com', '--server', env.ln.acme.directory, '--no-random-sleep-on-renew'], { ...extraEnv, REQUESTS_CA_BUNDLE: env.root });
}

export function certbotLog(dir: string): string {
  const f = join(dir, 'logs', 'letsencrypt.log');
  return existsSync(f) ? readFileSync(f, 'utf8') : '';
}

/** openssl verify of a leaf with its chain against localnet's root, then a real TLS server with it reached by name. */
export async function assertUsable(root: string, certFile: string, chainFile: string, keyFile: string, name: string): Promise<void> {
  const v = await run(OPENSSL, ['verify', '-CAfile', root, '-untrusted', chainFile, certFile]);
  assert.equal(v.code, 0, `openssl verify: ${v.stdout}${v.stderr}`);
  assert.match(v.stdout, /: OK/);
  const server = tls.createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile, 'utf8') + readFileSync(chainFile, 'utf8') }, (s) => s.end('hello over tls\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  try {
    const got = await new Promise<string>((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port, servername: name, ca: readFileSync(root) }, () => {
        let data = '';
        s.on('data', (d) => (data += d));
        s.on('end', () => resolve(data));
      });
      s.on('error', reject);
    });
    assert.equal(got, 'hello over tls\n');
  } finally {
    await closeServer(server);
  }
}
