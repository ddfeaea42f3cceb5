// The localnet CLI as a user runs it: `node --import tsx src/cli/main.ts ...`
// in child processes. startLocalnetProcess runs `localnet start` on a free
// port (LOCALNET_PORT=0) and reads the endpoint it prints.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { EC2Client } from '@aws-sdk/client-ec2';

// Load balancers and public addresses bind loopback blocks of this test
// process's own (./slot.ts), apart from other test processes and from a
// localnet a user runs on the defaults.
import './slot.ts';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CLI = ['--import', 'tsx', 'src/cli/main.ts'];

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one localnet command to completion in exactly this environment; stdin is not a terminal. */
export function localnetCli(args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 60_000): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [...CLI, ...args], { cwd: REPO, env, timeout: timeoutMs }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
    child.stdin?.end();
  });
}

export interface LocalnetProcess {
  child: ChildProcess;
  endpoint: string;
  /** Everything `localnet start` printed on stdout so far. */
  stdout(): string;
  /** SIGTERM, then waits for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash would; waits until the process is gone. */
  kill9(): Promise<void>;
}

/** Runs `localnet start` with LOCALNET_PORT=0 on dataDir; resolves once it printed its endpoint. cli: node's arguments before `start` (default: the sources through tsx). */
export async function startLocalnetProcess(dataDir: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 20_000, cli: string[] = CLI): Promise<LocalnetProcess> {
  const child = spawn(process.execPath, [...cli, 'start'], {
    cwd: REPO,
    // DNS on free ports too: tests run beside other localnets, and port 53 may be taken or privileged.
    env: { ...process.env, LOCALNET_PORT: '0', LOCALNET_DNS_PORT: '0', LOCALNET_ACME_PORT: '0', LOCALNET_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = once(child, 'exit');

  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`localnet start printed no endpoint within ${timeoutMs} ms:\n${out}${err}`)), timeoutMs);
    const check = () => {
      const m = /AWS API\s+(http:\/\/\S+)/.exec(out);
      if (m) done(m[1]);
    };
    const onExit = (code: number | null) => fail(new Error(`localnet start exited (${code}) before it was ready:\n${out}${err}`));
    function done(url: string) {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.off('exit', onExit);
      resolve(url);
    }
    function fail(e: Error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    }
    child.stdout!.on('data', check);
    child.on('exit', onExit);
  });

  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    endpoint,
    stdout: () => out,
    stop: async () => {
      if (alive()) child.kill('SIGTERM');
      const [code] = await exited;
      return code as number | null;
    },
    kill9: async () => {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** An SDK v3 EC2 client for an endpoint; a 12-digit access key id acts as that account. */
export function ec2At(endpoint: string, accessKeyId = 'test'): EC2Client {
  return new EC2Client({ endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'test' }, maxAttempts: 1 });
}
