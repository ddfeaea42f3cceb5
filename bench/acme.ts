// npm run bench:acme — what a Certbot user waits for, against localnet's
// ACME server and against Debian's Pebble (Let's Encrypt's test server),
// measured in the same run, interleaved run by run:
//   - `certbot certonly --webroot` from spawn to the certificate on disk
//     (fresh config dir each run: new account, new order, HTTP-01 validated
//     for real from the public DNS view in both cases: Pebble's VA resolves
//     through -dnsserver pointed at localnet's public view, and fetches from
//     the same webroot server on port 80);
//   - orders/s of a bounded lego loop (one account, --http.webroot, one
//     `lego run` per order) against each.
// Pebble runs with PEBBLE_VA_NOSLEEP=1 (no artificial validation delay) and
// PEBBLE_AUTHZREUSE=0; its HTTPS certificate comes from localnet's CA, so
// REQUESTS_CA_BUNDLE is the same root for both. Target (issue "Public
// addresses you can reach, and an ACME server…"): localnet not slower than
// Pebble. A report, not a test.
//   npm run bench:acme [-- --runs 5 --orders 10]
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { generateKeyPair, privateKeyToPem } from '../src/pki/keys.ts';
import { startLocalnet } from '../src/server.ts';

const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '5' }, orders: { type: 'string', default: '10' } } });
const RUNS = Number(opts.runs);
const ORDERS = Number(opts.orders);
const NAME = 'www.bench.example';
const ADDRESS = '127.88.30.1';

for (const bin of ['/usr/bin/certbot', '/usr/bin/lego', '/usr/bin/pebble']) {
  if (!existsSync(bin)) {
    console.error(`${bin} is missing: apt-get install -y certbot lego pebble`);
    process.exit(2);
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'acme-bench-'));
const children: ChildProcess[] = [];
process.once('exit', () => {
  for (const c of children) c.kill();
  rmSync(tmp, { recursive: true, force: true });
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timed(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${file} ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}

async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

const ln = await startLocalnet({ dataDir: join(tmp, 'data'), port: 0, dnsPort: 0, acmePort: 0, host: '127.0.0.1', acmeDuplicateCertLimit: 1_000_000, log: () => {} });
const r53 = new Route53Client({ endpoint: ln.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const zone = await r53.send(new CreateHostedZoneCommand({ Name: 'bench.example', CallerReference: 'bench' }));
await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zone.HostedZone!.Id!, ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: NAME, Type: 'A', TTL: 60, ResourceRecords: [{ Value: ADDRESS }] } }] } }));

// The "instance": a webroot served on the A record's address, port 80.
const webroot = join(tmp, 'webroot');
mkdirSync(webroot, { recursive: true });
const web = createHttpServer((req, res) => {
  const file = join(webroot, (req.url ?? '/').split('?')[0]);
  if (!file.includes('..') && existsSync(file)) res.end(readFileSync(file));
  else {
    res.writeHead(404);
    res.end();
  }
});
await new Promise<void>((r) => web.listen(80, ADDRESS, () => r()));

// Pebble, with an HTTPS certificate from localnet's CA and localnet's public view as its DNS.
const keys = await generateKeyPair('EC_prime256v1');
const cert = await ln.ca.sign({ names: ['localhost'], ipAddresses: ['127.0.0.1'], publicKey: keys.publicKey, rsa: false, validityDays: 30 });
writeFileSync(join(tmp, 'pebble-cert.pem'), cert.certificatePem + cert.chainPem);
writeFileSync(join(tmp, 'pebble-key.pem'), await privateKeyToPem(keys.privateKey));
const pebblePort = await freePort();
writeFileSync(join(tmp, 'pebble.json'), JSON.stringify({ pebble: { listenAddress: `127.0.0.1:${pebblePort}`, managementListenAddress: `127.0.0.1:${await freePort()}`, certificate: join(tmp, 'pebble-cert.pem'), privateKey: join(tmp, 'pebble-key.pem'), httpPort: 80, tlsPort: 443, ocspResponderURL: '', externalAccountBindingRequired: false } }));
const dns = ln.dns.views().find((v) => v.view === 'public')!;
const pebble = spawn('/usr/bin/pebble', ['-config', join(tmp, 'pebble.json'), '-dnsserver', `${dns.address}:${dns.port}`], { env: { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_AUTHZREUSE: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
children.push(pebble);
await new Promise<void>((resolve, reject) => {
  let out = '';
  const on = (d: Buffer) => {
    out += d;
    if (out.includes('Listening on')) resolve();
  };
  pebble.stdout!.on('data', on);
  pebble.stderr!.on('data', on);
  pebble.on('exit', (code) => reject(new Error(`pebble exited ${code}: ${out}`)));
});
const servers = { localnet: ln.acme.directory, pebble: `https://127.0.0.1:${pebblePort}/dir` };
const trust = { REQUESTS_CA_BUNDLE: ln.ca.files.root, LEGO_CA_CERTIFICATES: ln.ca.files.root };

const certbotMs: Record<string, number[]> = { localnet: [], pebble: [] };
let run = 0;
for (let i = 0; i < RUNS; i++) {
  for (const [which, directory] of Object.entries(servers)) {
    const dir = join(tmp, `certbot-${run++}`);
    const ms = await timed('/usr/bin/certbot', ['certonly', '--webroot', '-w', webroot, '-d', NAME, '--config-dir', join(dir, 'c'), '--work-dir', join(dir, 'w'), '--logs-dir', join(dir, 'l'), '--non-interactive', '--agree-tos', '-m', 'a@example.com', '--server', directory], trust);
    if (!existsSync(join(dir, 'c', 'live', NAME, 'fullchain.pem'))) throw new Error(`no certificate from ${which}`);
    certbotMs[which].push(ms);
  }
}

const legoRate: Record<string, number> = {};
for (const [which, directory] of Object.entries(servers)) {
  const path = join(tmp, `lego-${which}`);
  const t0 = performance.now();
  for (let i = 0; i < ORDERS; i++) await timed('/usr/bin/lego', ['--server', directory, '--email', 'a@example.com', '--accept-tos', '--path', path, '--domains', NAME, '--http', '--http.webroot', webroot, 'run'], trust);
  legoRate[which] = ORDERS / ((performance.now() - t0) / 1000);
}

const l = median(certbotMs.localnet);
const p = median(certbotMs.pebble);
console.log(`certbot certonly --webroot, spawn to certificate on disk (median of ${RUNS})`);
console.log(`  localnet  ${l.toFixed(0)} ms   (runs: ${certbotMs.localnet.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`  pebble    ${p.toFixed(0)} ms   (runs: ${certbotMs.pebble.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`  ratio localnet/pebble ${(l / p).toFixed(2)}  (target: <= 1)`);
console.log(`lego run --http.webroot, ${ORDERS} orders in a loop (one account)`);
console.log(`  localnet  ${legoRate.localnet.toFixed(2)} orders/s`);
console.log(`  pebble    ${legoRate.pebble.toFixed(2)} orders/s`);

pebble.kill();
await new Promise((r) => web.close(r));
await ln.close();
process.exit(0);
