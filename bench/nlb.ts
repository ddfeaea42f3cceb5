// npm run bench:nlb — localnet's NLB data plane next to HAProxy (mode tcp)
// in front of the same backends, measured in the same run. Pinned as the
// shared proxy baselines are (../shared/bench/README.md): the proxy under
// test on CPU 0 (HAProxy `nbthread 1`; localnet is one process), the
// backends and the load generator on CPU 1. Figures:
//   conns/s   new TCP connections through the proxy, each one request/answer
//             exchange then closed (C concurrent loops);
//   MB/s      bytes a backend streams to K clients through the proxy;
//   UDP dgr/s datagrams answered through a UDP listener (W in flight; no
//             HAProxy row: it does not proxy UDP).
// Each figure runs a few seconds per system and rep; the ratio to HAProxy is
// per core (both proxies use one). A report, not a test.
//
//   npm run bench:nlb
//   npm run bench:nlb -- --reps 1 --seconds 2
//   (internal) node --import tsx bench/nlb.ts --serve | --backends
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AuthorizeSecurityGroupIngressCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, ElasticLoadBalancingV2Client, RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startLocalnet } from '../src/server.ts';
import { buildNetwork, runInstance } from '../test/lb/fixtures.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
/** Backends: an exchange server (answers each chunk), a stream source, a UDP echo. */
const EXCHANGE_PORT = 19100;
const STREAM_PORT = 19101;
const UDP_PORT = 19102;
/** localnet's listeners and HAProxy's frontends. */
const NLB = { exchange: 29080, stream: 29081, udp: 29090 };
const HAPROXY = { exchange: 29180, stream: 29181 };
/** A bare Node proxy (net.connect + pipe, nothing else): how much of the gap is Node's own. */
const BARE = { exchange: 29280, stream: 29281 };

const { values: opts } = parseArgs({
  options: {
    serve: { type: 'boolean', default: false },
    backends: { type: 'boolean', default: false },
    bare: { type: 'boolean', default: false },
    reps: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '3' },
    conns: { type: 'string', default: '32' },
    streams: { type: 'string', default: '4' },
    window: { type: 'string', default: '32' },
  },
});
const SECONDS = Number(opts.seconds);

/** Child: the backends (on CPU 1 with the load generator). */
async function backends(): Promise<void> {
  net.createServer((s) => {
    s.on('data', () => s.write('pong'));
    s.on('error', () => s.destroy());
  }).listen(EXCHANGE_PORT, '127.0.0.1');
  const chunk = Buffer.alloc(64 * 1024, 120);
  net.createServer((s) => {
    s.on('error', () => s.destroy());
    const pump = () => { while (!s.destroyed && s.write(chunk)); };
    s.on('drain', pump);
    s.once('data', pump);
  }).listen(STREAM_PORT, '127.0.0.1');
  const u = dgram.createSocket('udp4');
  u.on('message', (m, r) => u.send(m, r.port, r.address));
  u.bind(UDP_PORT, '127.0.0.1', () => console.log('READY'));
}

/** Child: the bare Node TCP proxy. */
function bare(): void {
  for (const [front, back] of [[BARE.exchange, EXCHANGE_PORT], [BARE.stream, STREAM_PORT]]) {
    net.createServer({ noDelay: true }, (c) => {
      const u = net.connect({ host: '127.0.0.1', port: back, noDelay: true });
      c.pipe(u).pipe(c);
      c.on('error', () => u.destroy());
      u.on('error', () => c.destroy());
    }).listen(front, '127.0.0.1');
  }
  console.log('READY');
}

/** Child: localnet with one NLB (no security groups) in front of an instance whose ports map to the backends. */
async function serve(): Promise<void> {
  const ln = await startLocalnet({ dataDir: mkdtempSync(join(tmpdir(), 'nlb-bench-')), port: 0, dnsPort: 0, acmePort: 0, host: '127.0.0.1', log: () => {} });
  const cfg = { endpoint: ln.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const ec2 = new EC2Client(cfg);
  const elb = new ElasticLoadBalancingV2Client(cfg);
  const net = await buildNetwork(ec2);
  // The NLB has no security groups and preserves client IPs: the target's group admits the clients.
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: net.appSg, IpPermissions: ['tcp', 'udp'].map((p) => ({ IpProtocol: p, FromPort: 7000, ToPort: 7002, IpRanges: [{ CidrIp: '0.0.0.0/0' }] })) }));
  const instance = await runInstance(ec2, net, { 7000: EXCHANGE_PORT, 7001: STREAM_PORT, 7002: UDP_PORT });
  const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'bench-nlb', Type: 'network', Subnets: net.publicSubnets }))).LoadBalancers![0];
  const forward = async (protocol: 'TCP' | 'UDP', port: number, targetPort: number) => {
    const tg = (await elb.send(new CreateTargetGroupCommand({ Name: `t${port}`, Protocol: protocol, Port: targetPort, VpcId: net.vpcId, TargetType: 'instance', HealthCheckProtocol: 'TCP', HealthCheckPort: '7000' }))).TargetGroups![0].TargetGroupArn!;
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: instance }] }));
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: protocol, Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }] }));
  };
  await forward('TCP', NLB.exchange, 7000);
  await forward('TCP', NLB.stream, 7001);
  await forward('UDP', NLB.udp, 7002);
  await ln.lb.reconcile();
  const b = ln.lb.bindings().find((x) => x.port === NLB.exchange)!;
  console.log(`READY ${b.address}`);
  const stop = () => void ln.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function pinned(cpu: number, cmd: string, args: string[]): ChildProcess {
  const taskset = spawnSync('sh', ['-c', 'command -v taskset']).status === 0;
  return taskset ? spawn('taskset', ['-c', String(cpu), cmd, ...args], { stdio: ['ignore', 'pipe', 'inherit'], cwd: resolve(HERE, '..') }) : spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], cwd: resolve(HERE, '..') });
}

function ready(child: ChildProcess): Promise<string> {
  return new Promise((res, rej) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (l) => (l.startsWith('READY') ? res(l.slice(6)) : console.log(l)));
    child.once('exit', (code) => rej(new Error(`child exited (${code}) before it was ready`)));
  });
}

/** New connections per second: `conns` loops of connect → 'ping' → 'pong' → close. */
function connectionRate(host: string, port: number): Promise<number> {
  return new Promise((resolve) => {
    let done = 0;
    let errors = 0;
    const until = Date.now() + SECONDS * 1000;
    let running = Number(opts.conns);
    const loop = () => {
      if (Date.now() >= until) {
        if (--running === 0) resolve(done / SECONDS);
        return;
      }
      const s = net.connect({ host, port, noDelay: true });
      s.once('connect', () => s.write('ping'));
      s.once('data', () => { done++; s.destroy(); loop(); });
      s.once('error', () => { errors++; s.destroy(); if (errors > 1000) running = 1; loop(); });
    };
    for (let i = 0; i < running; i++) loop();
  });
}

/** MB/s the stream backend delivers to `streams` clients through the proxy. */
function throughput(host: string, port: number): Promise<number> {
  return new Promise((resolve) => {
    let bytes = 0;
    const sockets: net.Socket[] = [];
    for (let i = 0; i < Number(opts.streams); i++) {
      const s = net.connect({ host, port }, () => s.write('go'));
      s.on('data', (d) => (bytes += d.length));
      s.on('error', () => s.destroy());
      sockets.push(s);
    }
    // The first half second is warm-up.
    let start = 0;
    setTimeout(() => { start = bytes; }, 500);
    setTimeout(() => {
      for (const s of sockets) s.destroy();
      resolve((bytes - start) / (SECONDS - 0.5) / 1e6);
    }, SECONDS * 1000);
  });
}

/** Datagrams answered per second with `window` in flight. */
function udpRate(host: string, port: number): Promise<number> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const msg = Buffer.alloc(64, 97);
    let answered = 0;
    let stopped = false;
    s.on('message', () => { answered++; if (!stopped) s.send(msg, port, host); });
    s.bind(0, '127.0.0.1', () => {
      for (let i = 0; i < Number(opts.window); i++) s.send(msg, port, host);
      // Lost datagrams would shrink the window: top it up every 50 ms.
      const refill = setInterval(() => { for (let i = 0; i < 4; i++) s.send(msg, port, host); }, 50);
      setTimeout(() => { stopped = true; clearInterval(refill); s.close(); resolve(answered / SECONDS); }, SECONDS * 1000);
    });
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc (NaN where there is none). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

/** A figure and the CPU seconds the proxy spent on it (per-core comparison on a shared machine). */
async function measured(pid: number | undefined, run: () => Promise<number>): Promise<{ value: number; cpu: number }> {
  const before = cpuSeconds(pid);
  const value = await run();
  return { value, cpu: cpuSeconds(pid) - before };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main(): Promise<void> {
  if (spawnSync('sh', ['-c', 'command -v taskset']).status === 0) spawnSync('taskset', ['-pc', '1', String(process.pid)], { stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'nlb-bench-haproxy-'));
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(cfg, [
    'global', '    nbthread 1', '    maxconn 8192', 'defaults', '    mode tcp', '    timeout connect 5s', '    timeout client 60s', '    timeout server 60s',
    `listen exchange`, `    bind 127.0.0.1:${HAPROXY.exchange}`, `    server s1 127.0.0.1:${EXCHANGE_PORT}`,
    `listen stream`, `    bind 127.0.0.1:${HAPROXY.stream}`, `    server s1 127.0.0.1:${STREAM_PORT}`, '',
  ].join('\n'));
  const children: ChildProcess[] = [];
  try {
    const back = pinned(1, process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--backends']);
    children.push(back);
    await ready(back);
    const ln = pinned(0, process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve']);
    children.push(ln);
    const address = await ready(ln);
    const hap = pinned(0, '/usr/sbin/haproxy', ['-db', '-f', cfg]);
    children.push(hap);
    const node = pinned(0, process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--bare']);
    children.push(node);
    await ready(node);
    await new Promise((r) => setTimeout(r, 500));
    type M = { value: number; cpu: number };
    const rows: Record<string, Record<string, M[]>> = { localnet: { conns: [], mbps: [], udp: [] }, haproxy: { conns: [], mbps: [] }, node: { conns: [], mbps: [] } };
    for (let rep = 0; rep < Number(opts.reps); rep++) {
      rows.localnet.conns.push(await measured(ln.pid, () => connectionRate(address, NLB.exchange)));
      rows.haproxy.conns.push(await measured(hap.pid, () => connectionRate('127.0.0.1', HAPROXY.exchange)));
      rows.node.conns.push(await measured(node.pid, () => connectionRate('127.0.0.1', BARE.exchange)));
      rows.localnet.mbps.push(await measured(ln.pid, () => throughput(address, NLB.stream)));
      rows.haproxy.mbps.push(await measured(hap.pid, () => throughput('127.0.0.1', HAPROXY.stream)));
      rows.node.mbps.push(await measured(node.pid, () => throughput('127.0.0.1', BARE.stream)));
      rows.localnet.udp.push(await measured(ln.pid, () => udpRate(address, NLB.udp)));
    }
    const f = (x: number) => (x >= 100 ? Math.round(x).toString() : x.toFixed(1));
    // Per core: the figure divided by the share of one core the proxy used while it ran (the machine is shared).
    const perCore = (ms: M[], seconds: number) => median(ms.map((m) => m.value / Math.max(m.cpu / seconds, 0.01)));
    const value = (ms: M[]) => median(ms.map((m) => m.value));
    const busy = (ms: M[], seconds: number) => `${Math.round(median(ms.map((m) => m.cpu / seconds)) * 100)}%`;
    console.log(`\nNLB bench: ${opts.reps} reps × ${SECONDS} s per figure; proxies on CPU 0, load and backends on CPU 1 (medians)\n`);
    console.log('| figure | localnet NLB | HAProxy (mode tcp) | ratio | localnet per core | HAProxy per core | ratio per core | bare Node proxy per core |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const [k, name] of [['conns', `TCP connections/s (${opts.conns} loops)`], ['mbps', `TCP throughput MB/s (${opts.streams} streams)`]] as const) {
      const secs = SECONDS;
      const [ours, theirs] = [rows.localnet[k], rows.haproxy[k]];
      console.log(`| ${name} | ${f(value(ours))} (CPU ${busy(ours, secs)}) | ${f(value(theirs))} (CPU ${busy(theirs, secs)}) | ${(value(ours) / value(theirs)).toFixed(2)}× | ${f(perCore(ours, secs))} | ${f(perCore(theirs, secs))} | ${(perCore(ours, secs) / perCore(theirs, secs)).toFixed(2)}× | ${f(perCore(rows.node[k], secs))} (${(perCore(ours, secs) / perCore(rows.node[k], secs)).toFixed(2)}× of it) |`);
    }
    console.log(`| UDP datagrams/s (${opts.window} in flight) | ${f(value(rows.localnet.udp))} (CPU ${busy(rows.localnet.udp, SECONDS)}) | - | - | ${f(perCore(rows.localnet.udp, SECONDS))} | - | - | - |`);
  } finally {
    for (const c of children.reverse()) c.kill('SIGTERM');
  }
}

if (opts.serve) await serve();
else if (opts.backends) await backends();
else if (opts.bare) bare();
else await main();
