// localnet reset: wipe all state, through the running localnet when there is
// one (so its data plane follows), else in the data directory itself.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Config } from '../config.ts';
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
  for (const f of ['localnet.db', 'localnet.db-wal', 'localnet.db-shm']) rmSync(join(config.dataDir, f), { force: true });
  console.log(`Wiped all state in ${config.dataDir}.`);
  return 0;
}
