// localnet curl [CURL OPTIONS...] URL: curl as the internet sees a name.
// The host is resolved in localnet's public DNS view, the port is the one
// localnet really bound (port + 10000 for 80/443 when it runs without root),
// and the certificate is checked against localnet's root — so the same
// command works as root and as an ordinary user, on any machine.
import { spawn } from 'node:child_process';
import { isIP } from 'node:net';
import type { Config } from '../config.ts';
import { writeCombinedBundle } from '../pki/bundle.ts';
import { endpointOf, health, localnetRequest } from './endpoint.ts';

export const CURL_USAGE = 'localnet curl [CURL OPTIONS...] URL';

/** Where address:port is really bound: a load balancer listener or a public address, from the health document. */
export function boundPortOf(h: Record<string, any>, address: string, port: number): { port: number; what: string } | undefined {
  for (const [key, where] of Object.entries((h.ports ?? {}) as Record<string, string | number>)) {
    const m = /^lb (\S+) \S+ (\d+)$/.exec(key);
    if (!m || Number(m[2]) !== port || typeof where !== 'string') continue;
    const i = where.lastIndexOf(':');
    if (where.slice(0, i) === address) return { port: Number(where.slice(i + 1)), what: `load balancer ${m[1]}` };
  }
  const pub = ((h.publicAddresses ?? []) as { address: string; port: number; boundPort: number; instanceId: string }[]).find((p) => p.address === address && p.port === port);
  return pub ? { port: pub.boundPort, what: `public address of ${pub.instanceId}` } : undefined;
}

export async function curlCommand(config: Config, args: string[]): Promise<number> {
  const url = [...args].reverse().find((a) => /^https?:\/\//i.test(a));
  if (!url) {
    console.error(`usage: ${CURL_USAGE}`);
    return 2;
  }
  const endpoint = endpointOf(config);
  const h = await health(endpoint);
  if (!h) {
    console.error(`localnet is not running at ${endpoint} (start it with: npm start, or localnet start)`);
    return 1;
  }
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  let address = host;
  if (!isIP(host)) {
    const q = new URL(`${endpoint}/_localnet/dns/query`);
    q.searchParams.set('name', host);
    q.searchParams.set('type', 'A');
    const answer = (await localnetRequest(q, { timeoutMs: 5000 })).json<{ answers?: string[]; rcode?: string }>();
    const a = (answer.answers ?? []).map((line) => /\sA\s+(\d+\.\d+\.\d+\.\d+)$/.exec(line)?.[1]).find(Boolean);
    if (!a) {
      console.error(`localnet curl: ${host} has no A record in the public view (${answer.rcode ?? 'no answer'}); localnet dig ${host} says why`);
      return 6; // curl's own code for "could not resolve host"
    }
    address = a;
  }
  const bound = boundPortOf(h, address, port);
  const to = bound?.port ?? port;
  console.error(`localnet: ${host}:${port} -> ${address}:${to}${bound ? ` (${bound.what})` : ''}`);
  const bundle = writeCombinedBundle(h.ca.root as string).file;
  const bin = process.env.LOCALNET_CURL ?? 'curl';
  return new Promise((resolve) => {
    const child = spawn(bin, ['--cacert', bundle, '--connect-to', `${u.hostname}:${port}:${address}:${to}`, ...args], { stdio: 'inherit' });
    child.on('error', (err) => {
      console.error(`localnet: could not run curl (${bin}): ${err.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
