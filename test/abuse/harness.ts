// The abuse suite's target: a real `localnet start` in a child process on its
// own data directory and loopback blocks, with the DNS address from its banner
// and its resident memory read from /proc (Linux) or ps. Each *.abuse.ts file
// runs bounded attack loops against one target, then checks that the process
// still answers and that its RSS stayed under a stated bound.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLocalnetProcess, type LocalnetProcess } from '../helpers/localnet-process.ts';

/** The RSS every abuse file asserts after its attacks, unless it states its own. */
export const RSS_BOUND_MB = 250;

export interface AbuseTarget {
  proc: LocalnetProcess;
  pid: number;
  endpoint: string;
  /** The public DNS view's address and port, from the banner. */
  dns: { address: string; port: number };
  dataDir: string;
  /** Resident set size of the localnet process now, in MB. */
  rssMb(): number;
  /** Samples RSS every 100 ms while fn runs; resolves with fn's result and the peak. */
  peakDuring<T>(fn: () => Promise<T>): Promise<{ result: T; peakMb: number }>;
  /** A cheap API call answered (EC2 DescribeRegions through the query protocol). */
  answers(): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * Starts localnet for one abuse file. lbBlock: the file's own loopback block
 * for load balancers (127.9x.0.0/16) so files never collide.
 */
export async function startAbuseTarget(lbBlock: string, env: NodeJS.ProcessEnv = {}): Promise<AbuseTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), 'localnet-abuse-'));
  const proc = await startLocalnetProcess(dataDir, { LOCALNET_LB_ADDRESSES: lbBlock, LOCALNET_LB_TIME_SCALE: '0.05', ...env });
  const m = /DNS\s+(\S+):(\d+)/.exec(proc.stdout());
  const pid = proc.child.pid!;
  const rssMb = () => readRssMb(pid);
  return {
    proc,
    pid,
    endpoint: proc.endpoint,
    dns: { address: m?.[1] ?? '127.0.0.1', port: Number(m?.[2] ?? 0) },
    dataDir,
    rssMb,
    async peakDuring(fn) {
      let peakMb = rssMb();
      let done = false;
      const sampler = (async () => {
        while (!done) {
          peakMb = Math.max(peakMb, rssMb());
          await sleep(100);
        }
      })();
      try {
        const result = await fn();
        return { result, peakMb: Math.max(peakMb, rssMb()) };
      } finally {
        done = true;
        await sampler;
      }
    },
    async answers() {
      try {
        const res = await fetch(proc.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'Action=DescribeRegions&Version=2016-11-15',
          signal: AbortSignal.timeout(5000),
        });
        return res.status === 200 && (await res.text()).includes('DescribeRegionsResponse');
      } catch {
        return false;
      }
    },
    async stop() {
      await proc.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function readRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    const kb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    return kb / 1024;
  }
}
