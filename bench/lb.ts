// npm run bench:lb — localnet's load balancer data plane next to nginx and
// HAProxy, measured by ../shared/bench/proxy-baseline.sh in the same run
// (wrk on loopback, the proxy pinned to CPU 0, wrk and the nginx backend
// 127.0.0.1:19000 on CPU 1). localnet runs in a child process with one ALB:
// an HTTP listener and an HTTPS listener (ACM certificate from the local CA,
// TLS 1.3 policy) forwarding to an instance whose port 80 maps to the
// backend. Prints the ratios to nginx and HAProxy. A report, not a test.
//
//   npm run bench:lb                                   # nginx haproxy localnet, 2 reps
//   npm run bench:lb -- --reps 1 --scenarios "http https http-1conn https-1conn"
//   (internal) node --import tsx bench/lb.ts --serve
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { EC2Client } from '@aws-sdk/client-ec2';
import { startLocalnet } from '../src/server.ts';
import { buildNetwork, forward, putCertificate, putListener, putLoadBalancer, putTarget, putTargetGroup, runInstance } from '../test/lb/fixtures.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const SHARED = process.env.LOCALNET_BENCH_DIR ?? resolve(HERE, '../../shared/bench');
const BACKEND_PORT = 19000;
const HTTP_PORT = 28080;
const HTTPS_PORT = 28443;

const { values: opts } = parseArgs({
  options: {
    serve: { type: 'boolean', default: false },
    systems: { type: 'string', default: 'nginx haproxy' },
    scenarios: { type: 'string', default: 'http https http-1conn https-1conn' },
    reps: { type: 'string', default: '2' },
    duration: { type: 'string', default: '10' },
  },
});

/** Child mode: localnet with one load balancer; prints "READY <address>" when it serves. */
async function serve(): Promise<void> {
  const ln = await startLocalnet({ dataDir: mkdtempSync(join(tmpdir(), 'localnet-bench-lb-')), port: 0, dnsPort: 0, acmePort: 0, host: '127.0.0.1', log: () => {} });
  const ec2 = new EC2Client({ endpoint: ln.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const net = await buildNetwork(ec2);
  const instance = await runInstance(ec2, net, { 80: BACKEND_PORT });
  const { arn, address } = putLoadBalancer(ln, net, { name: 'bench' });
  const tg = putTargetGroup(ln, net, { health: { HealthCheckIntervalSeconds: 30 } });
  putTarget(ln, tg, instance);
  const cert = await putCertificate(ln, ['localhost', 'bench.example.com']);
  // The fixture's load balancer security group admits 8080-8099 only; the bench ports need their own rule.
  const { AuthorizeSecurityGroupIngressCommand } = await import('@aws-sdk/client-ec2');
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: net.lbSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: HTTP_PORT, ToPort: HTTPS_PORT, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  putListener(ln, arn, HTTP_PORT, 'HTTP', forward(tg));
  putListener(ln, arn, HTTPS_PORT, 'HTTPS', forward(tg), { default: cert });
  await ln.lb.reconcile();
  console.log(`READY ${address}`);
  const stop = () => void ln.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

interface Row { system: string; scenario: string; rps: number; p50: number; p99: number; cpu: string }

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main(): Promise<void> {
  const script = join(SHARED, 'proxy-baseline.sh');
  if (!existsSync(script)) throw new Error(`${script} not found (set LOCALNET_BENCH_DIR)`);
  const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
  if (!have('wrk') || !have('nginx') || !have('haproxy')) {
    console.log('installing wrk, nginx, haproxy with ../shared/bench/install-deps.sh');
    spawnSync(join(SHARED, 'install-deps.sh'), { stdio: 'inherit' });
  }
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], { stdio: ['ignore', 'pipe', 'inherit'], cwd: resolve(HERE, '..') });
  const address = await new Promise<string>((res, rej) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (l) => (l.startsWith('READY ') ? res(l.slice(6)) : console.log(l)));
    child.once('exit', (code) => rej(new Error(`localnet exited (${code}) before it was ready`)));
  });
  const out = mkdtempSync(join(tmpdir(), 'bench-lb-'));
  try {
    const args = ['--systems', opts.systems!, '--scenarios', opts.scenarios!, '--reps', opts.reps!, '--duration', opts.duration!, '--out', out,
      '--extra', `localnet=${address}:${HTTP_PORT}`, '--extra-tls', `localnet=${address}:${HTTPS_PORT}`, '--extra-pid', `localnet=${child.pid}`];
    console.log(`running ${script} ${args.join(' ')}`);
    spawnSync(script, args, { stdio: 'inherit', env: { ...process.env, BACKEND_PORT: String(BACKEND_PORT) } });
  } finally {
    child.kill('SIGTERM');
  }
  const tsv = join(out, 'results.tsv');
  if (!existsSync(tsv)) return void console.log(`no results in ${out}`);
  const rows: Row[] = readFileSync(tsv, 'utf8').trim().split('\n').slice(1).map((l) => {
    const f = l.split('\t');
    return { system: f[0], scenario: f[2], rps: Number(f[3]), p50: Number(f[5]), p99: Number(f[7]), cpu: f[10] };
  });
  const med = (system: string, scenario: string, k: 'rps' | 'p50' | 'p99') => median(rows.filter((r) => r.system === system && r.scenario === scenario).map((r) => r[k]));
  console.log('\n| scenario | localnet req/s | p50 ms | p99 ms | vs nginx req/s | vs haproxy req/s | p50 vs nginx |');
  console.log('|---|---|---|---|---|---|---|');
  for (const sc of opts.scenarios!.split(/\s+/).filter(Boolean)) {
    const ours = med('localnet', sc, 'rps');
    const ratio = (sys: string) => (Number.isFinite(med(sys, sc, 'rps')) ? `${(ours / med(sys, sc, 'rps')).toFixed(2)}×` : '-');
    const p50ratio = Number.isFinite(med('nginx', sc, 'p50')) ? `${(med('localnet', sc, 'p50') / med('nginx', sc, 'p50')).toFixed(2)}×` : '-';
    console.log(`| ${sc} | ${Math.round(ours)} | ${med('localnet', sc, 'p50').toFixed(3)} | ${med('localnet', sc, 'p99').toFixed(3)} | ${ratio('nginx')} | ${ratio('haproxy')} | ${p50ratio} |`);
  }
  console.log(`\nraw results: ${out}`);
}

if (opts.serve) await serve();
else await main();
