// npm run bench:dns — localnet's DNS server next to knot (and the bare Node
// responders) measured by ../shared/bench/dns-baseline.sh in the same run,
// with dnsperf over UDP on loopback, server pinned to CPU 0 and dnsperf to
// CPU 1. Then a 10,000-record zone: index rebuild time and dnsperf qps.
// A report, not a test; not run in CI.
//
//   npm run bench:dns                       # knot, node, node-cached, localnet; 2 reps
//   npm run bench:dns -- --systems knot --reps 1
//   (internal) node --import tsx bench/dns.ts --serve ZONE|big:N PORT
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildSnapshotIndex } from '../src/dns/snapshot-index.ts';
import { startDnsServer } from '../src/dns/server.ts';
import { bigZone, parseZoneFile, snapshotOf } from './dns-zone-file.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const SHARED = process.env.LOCALNET_BENCH_DIR ?? resolve(HERE, '../../shared/bench');
const ZONE_FILE = join(SHARED, 'dns/example.com.zone');
const PORT = 25353;
const BIG_PORT = 25354;
const BIG_RECORDS = 10_000;

const { values: opts } = parseArgs({
  options: {
    serve: { type: 'string' },
    port: { type: 'string' },
    systems: { type: 'string', default: 'knot node node-cached' },
    reps: { type: 'string', default: '2' },
    duration: { type: 'string', default: '12' },
  },
  allowPositionals: true,
});

function snapshotFor(spec: string) {
  if (spec.startsWith('big:')) return snapshotOf('ZBIGBENCH', 'big.example', bigZone('big.example', Number(spec.slice(4))));
  const { origin, sets } = parseZoneFile(readFileSync(spec, 'utf8'));
  return snapshotOf('ZBENCHEXAMPLE', origin, sets);
}

/** Child mode: just serve, until SIGTERM. */
async function serve(spec: string, port: number): Promise<void> {
  const snapshot = snapshotFor(spec);
  const server = await startDnsServer({ host: '127.0.0.1', port, snapshot: () => snapshot, log: (l) => console.error(l) });
  const stop = () => { void server.close().then(() => process.exit(0)); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

function startServer(spec: string, port: number): ChildProcess {
  const node = [process.execPath, '--import', 'tsx', join(HERE, 'dns.ts'), '--serve', spec, '--port', String(port)];
  const argv = have('taskset') ? ['taskset', '-c', '0', ...node] : node;
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit'], cwd: resolve(HERE, '..') });
  return child;
}

async function waitForDns(port: number, name: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (spawnSync('dig', ['+short', '+time=1', '+tries=1', '-p', String(port), '@127.0.0.1', name]).stdout?.toString().trim()) return;
    await sleep(100);
  }
  throw new Error(`DNS server on 127.0.0.1:${port} did not answer`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
}

function rebuildFigures(): void {
  const snap = snapshotFor(`big:${BIG_RECORDS}`);
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    buildSnapshotIndex(snap);
    times.push(performance.now() - t0);
  }
  console.log(`index rebuild, ${BIG_RECORDS}-record zone: median ${median(times).toFixed(1)} ms, best ${Math.min(...times).toFixed(1)} ms (7 runs)`);
}

async function main(): Promise<void> {
  if (opts.serve) return serve(opts.serve, Number(opts.port ?? PORT));

  rebuildFigures();
  if (!have('dnsperf') || !have('knotd') || !have('dig')) {
    if (process.getuid?.() === 0) {
      console.log('installing knot/dnsperf with the shared install-deps.sh (apt, no services started)…');
      spawnSync(join(SHARED, 'install-deps.sh'), { stdio: 'inherit' });
    }
    if (!have('dnsperf') || !have('dig')) { console.log('dnsperf/dig missing (run ../shared/bench/install-deps.sh as root): only the rebuild figure above.'); return; }
  }

  const out = mkdtempSync(join(tmpdir(), 'bench-dns-localnet-'));
  const server = startServer(ZONE_FILE, PORT);
  try {
    await waitForDns(PORT, 'host1.example.com');
    const args = ['--systems', opts.systems!, '--reps', opts.reps!, '--duration', opts.duration!, '--out', out,
      '--extra', `localnet=127.0.0.1:${PORT}`, '--extra-pid', `localnet=${server.pid}`];
    console.log(`running ${join(SHARED, 'dns-baseline.sh')} ${args.join(' ')}`);
    spawnSync(join(SHARED, 'dns-baseline.sh'), args, { stdio: 'inherit' });
  } finally {
    server.kill('SIGTERM');
  }

  const tsv = join(out, 'results.tsv');
  if (existsSync(tsv)) {
    const rows = readFileSync(tsv, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    const qps = (sys: string) => rows.filter((r) => r[0] === sys && r[2] === 'tput').map((r) => Number(r[3]));
    const perCore = (sys: string) => rows.filter((r) => r[0] === sys && r[2] === 'tput' && /^\d+$/.test(r[7]) && Number(r[7]) > 0).map((r) => Number(r[3]) / (Number(r[7]) / 100));
    console.log('\nmax qps (median of reps), pinned: server CPU 0, dnsperf CPU 1');
    for (const sys of [...new Set(rows.map((r) => r[0]))]) console.log(`  ${sys.padEnd(12)} ${median(qps(sys)).toFixed(0).padStart(8)} qps   per server core ${median(perCore(sys)).toFixed(0)}`);
    const knot = median(qps('knot'));
    const ours = median(qps('localnet'));
    if (knot > 0) {
      console.log(`localnet / knot = ${(ours / knot).toFixed(2)}× (raw qps, same run)`);
      const kc = median(perCore('knot'));
      if (kc > 0) console.log(`localnet / knot per server core = ${(median(perCore('localnet')) / kc).toFixed(2)}× (knot is usually limited by dnsperf's core)`);
    }
    console.log(`raw results: ${out}`);
  }

  // The large zone: same server code, 10,000 names, hits and misses.
  const qfile = join(out, 'big-queries.txt');
  const lines: string[] = [];
  for (let i = 0; i < 1000; i++) lines.push(i % 10 === 9 ? `nx${i}.big.example A` : `host${(i * 7919) % BIG_RECORDS}.big.example A`);
  writeFileSync(qfile, `${lines.join('\n')}\n`);
  const big = startServer(`big:${BIG_RECORDS}`, BIG_PORT);
  try {
    await waitForDns(BIG_PORT, 'host1.big.example');
    const pin = have('taskset') ? ['taskset', '-c', '1'] : [];
    const r = spawnSync(pin[0] ?? 'dnsperf', [...pin.slice(1), ...(pin.length ? ['dnsperf'] : []), '-s', '127.0.0.1', '-p', String(BIG_PORT), '-d', qfile, '-l', '10', '-c', '8', '-T', '1', '-q', '200']);
    const text = r.stdout.toString();
    const m = /Queries per second:\s+([\d.]+)/.exec(text);
    console.log(`${BIG_RECORDS}-record zone (90% hits, 10% NXDOMAIN), dnsperf 10 s: ${m ? Number(m[1]).toFixed(0) : '?'} qps`);
  } finally {
    big.kill('SIGTERM');
  }
}

await main();
