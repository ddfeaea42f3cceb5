// Child processes for the API benchmark: localnet (`localnet start`, as a user
// runs it) and the reference server, each on a port picked here so the
// benchmark can poll it from the moment of spawn. Every child is tracked and
// killed by its own pid on exit.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

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

function track(proc: ChildProcess, endpoint: string, spawnedAt: number): Child {
  children.add(proc);
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
      proc.kill('SIGTERM');
      await gone;
    },
  };
}

let built = false;

/** What `npm start` runs: the bundle dist/localnet.mjs (built once per benchmark run), on a fresh data dir and port. */
export async function spawnLocalnet(dataDir: string): Promise<Child> {
  if (!built) {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'inherit' });
    built = true;
  }
  const port = await freePort();
  const spawnedAt = performance.now();
  const proc = spawn(process.execPath, ['dist/localnet.mjs', 'start'], {
    cwd: REPO,
    // DNS views on free ports: port 53 may be taken (another localnet) or privileged.
    env: { ...process.env, LOCALNET_PORT: String(port), LOCALNET_DNS_PORT: '0', LOCALNET_HOST: '127.0.0.1', LOCALNET_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track(proc, `http://127.0.0.1:${port}`, spawnedAt);
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
