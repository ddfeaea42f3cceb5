// localnet reset: wipe all state, through the running localnet when there is
// one (so its data plane follows), else in the data directory itself.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Config } from '../config.ts';
import { DataDirInUseError, lockDataDir, type DataDirLock } from '../store/lock.ts';
import { endpointOf, health, localnetRequest } from './endpoint.ts';

export async function resetCommand(config: Config, yes: boolean): Promise<number> {
  if (!yes) {
    if (!process.stdin.isTTY) {
      console.error('localnet reset wipes all state; pass --yes to confirm when not at a terminal.');
      return 2;
    }
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await rl.question(`Wipe all localnet state in ${config.dataDir}? [y/N] `);
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      console.log('Nothing changed.');
      return 1;
    }
  }
  const endpoint = endpointOf(config);
  if (await health(endpoint)) {
    const res = await localnetRequest(`${endpoint}/_localnet/reset`, { method: 'POST' });
    if (!res.ok) throw new Error(`reset failed: HTTP ${res.status}`);
    console.log(`Wiped all state of the localnet running at ${endpoint}.`);
    return 0;
  }
  if (!existsSync(config.dataDir)) {
    console.log(`Nothing to wipe: ${config.dataDir} does not exist.`);
    return 0;
  }
  // No localnet answers at the configured endpoint, but one may run on this
  // directory at another port: its lock says so, and its files stay.
  let lock: DataDirLock;
  try {
    lock = lockDataDir(config.dataDir);
  } catch (err) {
    if (!(err instanceof DataDirInUseError)) throw err;
    const at = err.holder?.endpoint;
    console.error(`${err.message}${at ? `; reset it through its API: LOCALNET_ENDPOINT=${at} localnet reset` : ''}`);
    return 1;
  }
  try {
    for (const f of ['localnet.db', 'localnet.db-wal', 'localnet.db-shm']) rmSync(join(config.dataDir, f), { force: true });
  } finally {
    lock.release();
  }
  console.log(`Wiped all state in ${config.dataDir}.`);
  return 0;
}
