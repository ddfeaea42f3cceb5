// Test files run in parallel processes (npm test: --test-concurrency), and
// each localnet a test starts binds load balancers and public addresses on
// loopback blocks of its own. A process claims a free slot (a directory under
// the system temp dir, holding its pid; a dead holder's slot is taken over)
// and takes the blocks of that slot, so two test processes — of this suite or
// of another checkout running beside it — never bind the same address.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SLOTS = 20;
const root = join(tmpdir(), 'localnet-test-slots');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function claim(): number {
  mkdirSync(root, { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    for (let i = 0; i < SLOTS; i++) {
      const dir = join(root, String(i));
      try {
        mkdirSync(dir);
      } catch {
        let holder = NaN;
        try {
          holder = Number(readFileSync(join(dir, 'pid'), 'utf8'));
        } catch { /* being written, or gone */ }
        if (Number.isNaN(holder) || alive(holder)) continue;
        rmSync(dir, { recursive: true, force: true });
        try {
          mkdirSync(dir);
        } catch {
          continue;
        }
      }
      writeFileSync(join(dir, 'pid'), String(process.pid));
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      return i;
    }
  }
  throw new Error(`no free test slot under ${root}: more than ${SLOTS} test processes at once?`);
}

/** This process's slot (0-19). */
export const SLOT = claim();
// Load balancers (and endpoint interfaces) 127.140-159.0.0/16, public addresses 127.160-179.0.0/16.
process.env.LOCALNET_LB_ADDRESSES = `127.${140 + SLOT}.0.0/16`;
process.env.LOCALNET_PUBLIC_ADDRESSES = process.env.LOCALNET_PUBLIC_ADDRESSES === 'aws' ? 'aws' : `127.${160 + SLOT}.0.0/16`;

/** The first two octets of this process's load balancer block (127.x), for addresses tests build or expect. */
export const LB_PREFIX = `127.${140 + SLOT}`;

/** A public address of this process's block, as the API answers it. */
export const PUBLIC_IP = new RegExp(`^127\\.${160 + SLOT}\\.\\d+\\.\\d+$`);
