// `npm start` as a user runs it in the background and stops it: the process
// they signal (npm's) must take localnet down with it, not leave it holding
// its ports (npm runs the script through sh; `exec` makes localnet npm's child).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { REPO } from '../helpers/localnet-process.ts';

async function answers(endpoint: string): Promise<boolean> {
  try {
    return (await fetch(`${endpoint}/_localnet/health`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  it('SIGTERM to the npm process stops localnet and frees its port', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'localnet-npm-start-'));
    const npm = spawn('npm', ['start'], {
      cwd: REPO,
      env: { ...process.env, LOCALNET_PORT: '0', LOCALNET_DNS_PORT: '0', LOCALNET_ACME_PORT: '0', LOCALNET_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      npm.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
      npm.stderr!.resume();
      let endpoint: string | undefined;
      for (let i = 0; i < 600 && !endpoint; i++) {
        endpoint = /AWS API\s+(http:\/\/\S+)/.exec(out)?.[1];
        if (!endpoint) await sleep(100);
      }
      assert.ok(endpoint, `npm start printed no endpoint:\n${out}`);
      assert.equal(await answers(endpoint), true);
      const exited = once(npm, 'exit');
      npm.kill('SIGTERM');
      await exited;
      let up = true;
      for (let i = 0; i < 50 && up; i++) {
        up = await answers(endpoint);
        if (up) await sleep(100);
      }
      if (up) {
        // Do not leave the orphan holding the port (and this test's pipes).
        const { pid } = (await (await fetch(`${endpoint}/_localnet/health`)).json()) as { pid?: number };
        if (pid) process.kill(pid, 'SIGKILL');
      }
      assert.equal(up, false, 'localnet still answers after its npm process was stopped');
    } finally {
      if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
