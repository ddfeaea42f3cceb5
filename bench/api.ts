// npm run bench (= bench:api): localnet's API figures next to a reference
// measured in the same run, a bare node:http server started the same way
// (node --import tsx) that answers the SDK with the very bytes localnet
// answered. Measures:
//   - cold start: spawn of `localnet start` (fresh data dir) to the first
//     answered DescribeVpcs, median of --runs;
//   - idle RSS of the process after that first answer and a second of rest;
//   - SDK v3 DescribeVpcs and CreateVpc on loopback, one request in flight
//     (latency) and --concurrency in flight (throughput), a fixed number of
//     requests each, --reps times alternating with the reference (the
//     median of the reps is reported). CreateVpc is limited to 5 VPCs per
//     account and region (the default VPC is one), so every 4 requests act
//     in a fresh account (12-digit access key), warmed first. Every account
//     brings its default VPC, so state grows during the run (reported under
//     the table): CreateVpc's cost depends on how much state there is.
//   - the cost of a write as the estate grows (bench/api/dns-writes.ts): a
//     one-record ChangeResourceRecordSets and concurrent DNS queries, p50 and
//     p99, with --estate-records records against an empty estate, in one
//     localnet (--dns-writes writes at each size).
// Targets (issue 2): cold start < 500 ms, idle RSS < 120 MB, p50 < 2 ms.
// A report, not a test: nothing here fails on a slow figure.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { CreateVpcCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { VERSION } from '../src/version.ts';
import { measureWriteCostInChild, writeCostTable } from './api/dns-writes.ts';
import { load, median, type LoadResult } from './api/load.ts';
import { ec2Client, firstAnswer, rssMb, spawnLocalnet, spawnReference, type Child } from './api/processes.ts';

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    requests: { type: 'string', default: '2000' },
    'create-requests': { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '16' },
    reps: { type: 'string', default: '3' },
    'estate-records': { type: 'string', default: '10000' },
    'dns-writes': { type: 'string', default: '300' },
  },
});
const RUNS = Number(opts.runs);
const REQUESTS = Number(opts.requests);
const CREATES = Number(opts['create-requests']);
const CONCURRENCY = Number(opts.concurrency);
const REPS = Number(opts.reps);
const VPCS_PER_ACCOUNT = 4;

const tmp = mkdtempSync(join(tmpdir(), 'localnet-bench-'));
process.once('exit', () => rmSync(tmp, { recursive: true, force: true }));

const client = ec2Client;

interface Start {
  ms: number;
  rss: number;
}

async function coldStart(spawnIt: () => Promise<Child>): Promise<Start> {
  const child = await spawnIt();
  try {
    const ms = await firstAnswer(child);
    await sleep(1000);
    return { ms, rss: rssMb(child.proc.pid!) };
  } finally {
    await child.stop();
  }
}

/** localnet's own answers to a DescribeVpcs (one default VPC) and a CreateVpc, for the reference to replay. */
async function captureBodies(endpoint: string): Promise<string> {
  const post = async (accessKey: string, form: string) => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: `AWS4-HMAC-SHA256 Credential=${accessKey}/20250101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0` },
      body: form,
    });
    if (!res.ok) throw new Error(`capturing a body: HTTP ${res.status} ${await res.text()}`);
    return res.text();
  };
  const bodies = {
    DescribeVpcs: await post('test', 'Action=DescribeVpcs&Version=2016-11-15'),
    CreateVpc: await post('999999999999', 'Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16'),
  };
  const file = join(tmp, 'bodies.json');
  writeFileSync(file, JSON.stringify(bodies));
  return file;
}

interface Measured {
  describe1: LoadResult;
  describeC: LoadResult;
  create1: LoadResult;
  createC: LoadResult;
}

let accountSeq = 100_000_000_000;
/** Clients in fresh accounts (warmed with one untimed DescribeVpcs, which creates the default VPC), VPCS_PER_ACCOUNT requests each. */
async function accountClients(endpoint: string, base: EC2Client, requests: number): Promise<EC2Client[]> {
  const clients = Array.from({ length: Math.ceil(requests / VPCS_PER_ACCOUNT) }, () => client(endpoint, String(accountSeq++), base));
  await load(clients.length, 8, (i) => clients[i].send(new DescribeVpcsCommand({})));
  return clients;
}

async function measure(endpoint: string): Promise<Measured> {
  const ec2 = client(endpoint);
  await load(200, 1, () => ec2.send(new DescribeVpcsCommand({}))); // warm-up: connections, JIT
  const describe1 = await load(REQUESTS, 1, () => ec2.send(new DescribeVpcsCommand({})));
  const describeC = await load(REQUESTS, CONCURRENCY, () => ec2.send(new DescribeVpcsCommand({})));
  const createIn = (clients: EC2Client[]) => (i: number) => clients[Math.floor(i / VPCS_PER_ACCOUNT)].send(new CreateVpcCommand({ CidrBlock: `10.${i % VPCS_PER_ACCOUNT}.0.0/16` }));
  const seqClients = await accountClients(endpoint, ec2, CREATES);
  const create1 = await load(CREATES, 1, createIn(seqClients));
  const concClients = await accountClients(endpoint, ec2, CREATES);
  const createC = await load(CREATES, CONCURRENCY, createIn(concClients));
  for (const c of [...seqClients, ...concClients]) c.destroy();
  ec2.destroy();
  for (const r of [describe1, describeC, create1, createC]) if (r.errors) console.error(`${endpoint}: ${r.errors} errors, first: ${r.firstError}`);
  return { describe1, describeC, create1, createC };
}

/** Each figure's median over the reps. */
function medianOf(reps: Measured[]): Measured {
  const pick = (key: keyof Measured): LoadResult => {
    const rs = reps.map((r) => r[key]);
    return { ...rs[0], rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), errors: rs.reduce((n, r) => n + r.errors, 0) };
  };
  return { describe1: pick('describe1'), describeC: pick('describeC'), create1: pick('create1'), createC: pick('createC') };
}

// ---- run --------------------------------------------------------------
console.error(`localnet ${VERSION} API benchmark: node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'})`);
console.error(`cold start: ${RUNS} runs each; DescribeVpcs ${REQUESTS} and CreateVpc ${CREATES} requests at 1 and ${CONCURRENCY} in flight, ${REPS} reps`);

const starts: { localnet: Start[]; reference: Start[] } = { localnet: [], reference: [] };
for (let r = 0; r < RUNS; r++) {
  // Interleaved, so drift in the machine's speed hits both alike.
  starts.localnet.push(await coldStart(() => spawnLocalnet(join(tmp, `cold-${r}`))));
  starts.reference.push(await coldStart(() => spawnReference()));
  console.error(`  cold start run ${r + 1}: localnet ${starts.localnet[r].ms.toFixed(0)} ms, reference ${starts.reference[r].ms.toFixed(0)} ms`);
}

const ln = await spawnLocalnet(join(tmp, 'load'));
await firstAnswer(ln);
const ref = await spawnReference(await captureBodies(ln.endpoint));
await firstAnswer(ref);
const refReps: Measured[] = [];
const lnReps: Measured[] = [];
for (let r = 0; r < REPS; r++) {
  console.error(`  load rep ${r + 1}/${REPS}: reference, then localnet`);
  refReps.push(await measure(ref.endpoint));
  lnReps.push(await measure(ln.endpoint));
}
const refFigures = medianOf(refReps);
const lnFigures = medianOf(lnReps);
const loadedRss = rssMb(ln.proc.pid!);
await ref.stop();
await ln.stop();
console.error(`  write cost: empty estate, then ${opts['estate-records']} records (${opts['dns-writes']} writes each)`);
const writeCost = await measureWriteCostInChild(Number(opts['estate-records']), Number(opts['dns-writes']));

// ---- report -----------------------------------------------------------
const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const rows: string[][] = [];
const row = (measureName: string, a: number, b: number, digits: number, target = '') => rows.push([measureName, fmt(a, digits), fmt(b, digits), `${fmt(a / b, 2)}×`, target]);
const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');

const coldMs = median(starts.localnet.map((s) => s.ms));
const idle = median(starts.localnet.map((s) => s.rss));
const p50 = lnFigures.describe1.p50;
row(`cold start to first answered DescribeVpcs, median of ${RUNS} (ms)`, coldMs, median(starts.reference.map((s) => s.ms)), 0, `< 500: ${mark(coldMs < 500)}`);
row('idle RSS after start (MB)', idle, median(starts.reference.map((s) => s.rss)), 1, `< 120: ${mark(idle < 120)}`);
for (const [name, key1, keyC] of [['DescribeVpcs', 'describe1', 'describeC'], ['CreateVpc', 'create1', 'createC']] as const) {
  const [l1, r1, lc, rc] = [lnFigures[key1], refFigures[key1], lnFigures[keyC], refFigures[keyC]];
  row(`${name}, 1 in flight: p50 (ms)`, l1.p50, r1.p50, 2, name === 'DescribeVpcs' ? `< 2: ${mark(p50 < 2)}` : '');
  row(`${name}, 1 in flight: p99 (ms)`, l1.p99, r1.p99, 2);
  row(`${name}, 1 in flight: req/s`, l1.rps, r1.rps, 0);
  row(`${name}, ${CONCURRENCY} in flight: req/s`, lc.rps, rc.rps, 0);
  row(`${name}, ${CONCURRENCY} in flight: p50 / p99 (ms)`, lc.p50, rc.p50, 2);
  rows[rows.length - 1][1] += ` / ${fmt(lc.p99)}`;
  rows[rows.length - 1][2] += ` / ${fmt(rc.p99)}`;
}
rows.push(['RSS after the load runs (MB)', fmt(loadedRss, 1), '', '', '']);

const header = ['measure', 'localnet', 'reference (bare node:http)', 'localnet ÷ reference', 'target'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
// localnet's state at the end: per rep two CreateVpc phases, each in ceil(CREATES/4) fresh accounts,
// plus the DescribeVpcs account ('test' = the default account) and the account of the captured CreateVpc.
const lnAccounts = REPS * 2 * Math.ceil(CREATES / VPCS_PER_ACCOUNT) + 2;
console.log(`\nSDK v3 EC2 client in this process, servers in child processes, all on 127.0.0.1; load figures are medians of ${REPS} reps; node ${process.version}, ${cpus().length} CPUs.`);
console.log(`localnet ended with ${lnAccounts} accounts and ${lnAccounts + REPS * 2 * CREATES + 1} VPCs (each account has its default VPC).`);
console.log(`\nThe cost of a write as the estate grows (public zones of 500 records; the writes go to a small private zone, the queries to its VPC's view):\n`);
console.log(writeCostTable(writeCost));
