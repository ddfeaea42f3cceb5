// One localnet per data directory: a second start on a directory another
// localnet holds is refused with a message naming the first, which keeps
// answering; once the first closes the directory is free again. And writers
// sharing one database wait for each other instead of failing (write
// transactions begin IMMEDIATE), also in two processes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { startLocalnet } from '../../src/server.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { DataDirInUseError } from '../../src/store/lock.ts';
import { ec2Client } from '../helpers/localnet.ts';

const tmp = mkdtempSync(join(tmpdir(), 'localnet-lock-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const start = (dataDir: string) => startLocalnet({ dataDir, port: 0, dnsPort: 0, acmePort: 0, host: '127.0.0.1', log: () => {} });

describe('one localnet per data directory', () => {
  it('refuses a second start on the same directory, naming the running one; the first keeps answering; after it closes a start succeeds', async () => {
    const dataDir = join(tmp, 'shared');
    const first = await start(dataDir);
    try {
      await assert.rejects(start(dataDir), (err: Error) => {
        assert.ok(err instanceof DataDirInUseError, String(err));
        assert.equal(err.message, `localnet is already running at ${first.endpoint} (pid ${process.pid}, data dir ${dataDir}); \`localnet status\` shows it`);
        return true;
      });
      const { Vpcs } = await ec2Client(first).send(new DescribeVpcsCommand({}));
      assert.equal(Vpcs?.length, 1, 'the first still answers');
    } finally {
      await first.close();
    }
    const again = await start(dataDir);
    await again.close();
  });

  it('lets localnets on different directories run side by side', async () => {
    const a = await start(join(tmp, 'a'));
    const b = await start(join(tmp, 'b'));
    await b.close();
    await a.close();
  });
});

describe('write transactions on a shared database', () => {
  it('two writer processes doing read-then-write transactions neither fail nor lose an update', async () => {
    const file = join(tmp, 'counter.db');
    openSqliteStore(file).close(); // migrated once, before the race
    const COUNT = 2000;
    const at = Date.now() + 3000; // both processes loaded by then
    const writer = fileURLToPath(new URL('./counter-writer.ts', import.meta.url));
    const run = () =>
      new Promise<{ failed: number; firstError?: string }>((resolve, reject) => {
        execFile(process.execPath, ['--import', 'tsx', writer, file, String(COUNT), String(at)], { timeout: 60_000 }, (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout))));
      });
    const results = await Promise.all([run(), run()]);
    for (const r of results) assert.equal(r.failed, 0, `a writer failed: ${r.firstError}`);
    const store = openSqliteStore(file);
    assert.equal(store.get<{ n: number }>('test:counter', { account: '111111111111', region: 'us-east-1' }, 'c')?.n, 2 * COUNT);
    store.close();
  });
});
