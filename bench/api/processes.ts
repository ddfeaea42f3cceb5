// Child processes for the API and start benchmarks: localnet (`localnet
// start`, as a user runs it) and the reference server, each on a port picked
// here so the benchmark can poll it from the moment of spawn. Every child is
// tracked and killed by its own pid (or its own process group) on exit.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** Live children; `group` ones were spawned detached and are signalled as a process group (npm, sh, node). */
const children = new Map<ChildProcess, { group: boolean }>();
process.once('exit', () => {
  for (const [c, { group }] of children) if (c.exitCode === null && c.signalCode === null) signal(c, 'SIGKILL', group);
});

function signal(proc: ChildProcess, sig: NodeJS.Signals, group: boolean): void {
  try {
    if (group) process.kill(-proc.pid!, sig);
    else proc.kill(sig);
  } catch {
    // already gone
  }
}

/** A loopback port where nothing listens right now. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export interface Child {
  proc: ChildProcess;
  endpoint: string;
  /** When spawn() was called (performance.now()). */
  spawnedAt: number;
  stop(): Promise<void>;
}

function track(proc: ChildProcess, endpoint: string, spawnedAt: number, group = false): Child {
  children.set(proc, { group });
  let log = '';
  proc.stdout?.setEncoding('utf8').on('data', (d: string) => (log = (log + d).slice(-4000)));
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => (log = (log + d).slice(-4000)));
  proc.once('exit', (code, signal) => {
    children.delete(proc);
    if (code && code !== 0) console.error(`child ${proc.pid} exited ${code ?? signal}:\n${log}`);
  });
  return {
    proc,
    endpoint,
    spawnedAt,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const gone = new Promise<void>((r) => proc.once('exit', () => r()));
      signal(proc, 'SIGTERM', group);
      await gone;
    },
  };
}

let built = false;

/** Builds the bundle dist/localnet.mjs, once per benchmark run. */
export function buildOnce(): void {
  if (built) return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'inherit' });
  built = true;
}

/** The environment of a localnet on `port` with its state in dataDir. */
export function localnetEnv(port: number, dataDir: string): NodeJS.ProcessEnv {
  // DNS views on free ports: port 53 may be taken (another localnet) or privileged.
  return { ...process.env, LOCALNET_PORT: String(port), LOCALNET_DNS_PORT: '0', LOCALNET_HOST: '127.0.0.1', LOCALNET_DATA_DIR: dataDir };
}

/**
 * Starts localnet on a fresh port with its state in dataDir. By default the
 * bundle directly (`node dist/localnet.mjs start`, built once per run);
 * `command` runs something else that starts it (`npm start`), in its own
 * process group so that stop() ends every process it started.
 */
export async function spawnLocalnet(dataDir: string, command?: string[]): Promise<Child> {
  if (!command) buildOnce();
  const [file, ...args] = command ?? [process.execPath, 'dist/localnet.mjs', 'start'];
  const port = await freePort();
  const spawnedAt = performance.now();
  const proc = spawn(file, args, { cwd: REPO, env: localnetEnv(port, dataDir), stdio: ['ignore', 'pipe', 'pipe'], detached: !!command });
  return track(proc, `http://127.0.0.1:${port}`, spawnedAt, !!command);
}

export function ec2Client(endpoint: string, accessKeyId = 'test', base?: EC2Client): EC2Client {
  return new EC2Client({ endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'test' }, maxAttempts: 1, ...(base ? { requestHandler: base.config.requestHandler } : {}) });
}

/** Polls DescribeVpcs from spawn on until it answers; ms from spawn to the first answer. */
export async function firstAnswer(child: Child): Promise<number> {
  const ec2 = ec2Client(child.endpoint);
  const MAX_TRIES = 4000; // 5 ms apart: gives up after ~20 s (more when a try itself is slow)
  try {
    for (let i = 0; i < MAX_TRIES; i++) {
      try {
        await ec2.send(new DescribeVpcsCommand({}));
        return performance.now() - child.spawnedAt;
      } catch (err: any) {
        if (child.proc.exitCode !== null) throw new Error(`${child.endpoint}: process exited (${child.proc.exitCode}) before answering`);
        if (err?.code !== 'ECONNREFUSED' && err?.code !== 'ECONNRESET') throw err;
        await sleep(5);
      }
    }
  } finally {
    ec2.destroy();
  }
  throw new Error(`${child.endpoint} did not answer within ${MAX_TRIES} tries`);
}

/** The bare node:http reference server (through the same tsx loader), answering bodiesFile's bodies. */
export async function spawnReference(bodiesFile = ''): Promise<Child> {
  const port = await freePort();
  const spawnedAt = performance.now();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bench/api/reference-server.ts', bodiesFile, String(port)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  return track(proc, `http://127.0.0.1:${port}`, spawnedAt);
}

/** Resident set size of a process in MB, from /proc/PID/status (VmRSS). */
export function rssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) / 1024;
}
