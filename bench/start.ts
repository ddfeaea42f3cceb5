// npm run bench:start — how long users wait for localnet, as they start it:
//   - `npm start`: spawn (fresh data dir, bundle current) to the first
//     answered EC2 DescribeVpcs;
//   - `npx localnet status` against a running localnet: spawn to exit;
// next to references measured in the same run, interleaved run by run so
// that drift in the machine's speed hits all alike:
//   - `node -e ''`: a bare Node start and exit;
//   - `node dist/localnet.mjs start` / `status`: the bundle with no npm in
//     front of it (what bin/localnet.js runs once the bundle is current);
//   - `npm run env` (npm's built-in script: a shell running env): what npm
//     itself costs before it runs a script;
//   - `npx` of a do-nothing bin in a scratch package whose node_modules is
//     this one's: what npx itself costs before it hands over to our bin.
// Medians of --runs (default 7). Targets (issue "One network model…"):
// npm start < 700 ms, npx localnet status < 500 ms.
// A report, not a test: nothing here fails on a slow figure.
//   npm run bench:start [-- --runs 11]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { VERSION } from '../src/version.ts';
import { median } from './api/load.ts';
import { buildOnce, firstAnswer, localnetEnv, REPO, spawnLocalnet, type Child } from './api/processes.ts';

const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const RUNS = Number(opts.runs);

const tmp = mkdtempSync(join(tmpdir(), 'localnet-bench-start-'));
process.once('exit', () => rmSync(tmp, { recursive: true, force: true }));

/** Spawn to exit of a command in cwd (ms); throws when it fails. */
function timed(command: string[], env: NodeJS.ProcessEnv = process.env, cwd = REPO): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const [file, ...args] = command;
    const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = performance.now() - t0;
      if (code === 0) resolve({ ms, stdout: out });
      else reject(new Error(`${command.join(' ')} exited ${code}:\n${out}`));
    });
  });
}

let coldSeq = 0;
/** Spawn of `command` (a localnet start) to its first answered DescribeVpcs, on a fresh data dir; stops it after. */
async function coldStart(command?: string[]): Promise<number> {
  const child: Child = await spawnLocalnet(join(tmp, `cold-${coldSeq++}`), command);
  try {
    return await firstAnswer(child);
  } finally {
    await child.stop();
  }
}

/** A package with a do-nothing bin and this repository's node_modules, for npx's own cost. */
function npxReferencePackage(): string {
  const dir = join(tmp, 'npx-reference');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'localnet-npx-reference', version: '0.0.0', private: true, type: 'module', bin: { 'localnet-npx-reference': 'bin/noop.js' } }));
  writeFileSync(join(dir, 'bin', 'noop.js'), '#!/usr/bin/env node\n');
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

// ---- run --------------------------------------------------------------
console.error(`localnet ${VERSION} start benchmark: node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${RUNS} runs each, interleaved`);
buildOnce(); // the bundle is current: npm start must not rebuild it

const figures: Record<string, number[]> = {};
const add = (name: string, ms: number) => (figures[name] ??= []).push(ms);

// npm start and its references.
for (let r = 0; r < RUNS; r++) {
  add('node -e', (await timed([process.execPath, '-e', ''])).ms);
  add('node dist start', await coldStart([process.execPath, 'dist/localnet.mjs', 'start']));
  add('npm start', await coldStart(['npm', 'start']));
  add('npm run env', (await timed(['npm', 'run', 'env'])).ms);
  console.error(`  start run ${r + 1}: node -e ${figures['node -e'][r].toFixed(0)} ms, node dist/localnet.mjs start ${figures['node dist start'][r].toFixed(0)} ms, npm start ${figures['npm start'][r].toFixed(0)} ms, npm run env ${figures['npm run env'][r].toFixed(0)} ms`);
}

// npx localnet status and its references, against one running localnet.
const running = await spawnLocalnet(join(tmp, 'running'));
await firstAnswer(running);
const env = localnetEnv(Number(new URL(running.endpoint).port), join(tmp, 'running'));
const npxRef = npxReferencePackage();
await timed(['npx', 'localnet-npx-reference'], env, npxRef); // npx links the package into its cache on first use
await timed(['npx', 'localnet', 'status'], env);
for (let r = 0; r < RUNS; r++) {
  const status = await timed(['npx', 'localnet', 'status'], env);
  if (!status.stdout.includes('running since')) throw new Error(`npx localnet status did not find the running localnet:\n${status.stdout}`);
  add('npx status', status.ms);
  add('node dist status', (await timed([process.execPath, 'dist/localnet.mjs', 'status'], env)).ms);
  add('node bin status', (await timed([process.execPath, 'bin/localnet.js', 'status'], env)).ms);
  add('npx noop', (await timed(['npx', 'localnet-npx-reference'], env, npxRef)).ms);
  add('node -e (status runs)', (await timed([process.execPath, '-e', ''])).ms);
  console.error(`  status run ${r + 1}: npx localnet status ${figures['npx status'][r].toFixed(0)} ms, node bin/localnet.js status ${figures['node bin status'][r].toFixed(0)} ms, npx of a do-nothing bin ${figures['npx noop'][r].toFixed(0)} ms`);
}
await running.stop();

// ---- report -----------------------------------------------------------
const m = (name: string) => median(figures[name]);
const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
const rows: string[][] = [
  ['npm start: spawn to first answered DescribeVpcs', m('npm start').toFixed(0), `< 700: ${mark(m('npm start') < 700)}`],
  ['  reference: node dist/localnet.mjs start (no npm)', m('node dist start').toFixed(0), ''],
  ['  reference: npm run env (npm itself)', m('npm run env').toFixed(0), ''],
  ['  reference: node -e \'\'', m('node -e').toFixed(0), ''],
  ['npx localnet status (localnet running): spawn to exit', m('npx status').toFixed(0), `< 500: ${mark(m('npx status') < 500)}`],
  ['  node bin/localnet.js status (what npx runs)', m('node bin status').toFixed(0), ''],
  ['  reference: node dist/localnet.mjs status', m('node dist status').toFixed(0), ''],
  ['  reference: npx of a do-nothing bin (npx itself)', m('npx noop').toFixed(0), ''],
  ['  reference: node -e \'\' (during the status runs)', m('node -e (status runs)').toFixed(0), ''],
];
const header = [`measure (median of ${RUNS}, ms)`, 'ms', 'target'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
console.log(`\nnode ${process.version}, ${cpus().length} CPUs; every start on a fresh data dir and a free loopback port, DNS on port 0.`);
