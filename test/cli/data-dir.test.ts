// `localnet start` and its data directory, as a user runs it: the directory
// and its secret files are private to the user; a second start on the same
// directory is refused (exit code 1, naming the running one) and the first
// keeps answering; after a kill -9 of the first, a new start succeeds (the
// lock dies with its process).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { CreateVpcCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { ec2At, localnetCli, startLocalnetProcess, type LocalnetProcess } from '../helpers/localnet-process.ts';

const tmp = mkdtempSync(join(tmpdir(), 'localnet-cli-datadir-'));
const running: LocalnetProcess[] = [];
after(async () => {
  for (const p of running) await p.kill9();
  rmSync(tmp, { recursive: true, force: true });
});

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

it('creates the data directory 0700 and the database, WAL and SHM 0600', async () => {
  const dataDir = join(tmp, 'new', 'data');
  const ln = await startLocalnetProcess(dataDir);
  running.push(ln);
  await ec2At(ln.endpoint).send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
  assert.equal(mode(dataDir), '700');
  for (const f of ['localnet.db', 'localnet.db-wal', 'localnet.db-shm', 'ca/root.key']) assert.equal(mode(join(dataDir, f)), '600', f);
  assert.equal(await ln.stop(), 0);
});

it('refuses a second start on the same data directory, naming the first, which keeps answering; after kill -9 of the first a start succeeds', async () => {
  const dataDir = join(tmp, 'shared');
  const first = await startLocalnetProcess(dataDir);
  running.push(first);
  const env = { ...process.env, LOCALNET_PORT: '0', LOCALNET_DNS_PORT: '0', LOCALNET_ACME_PORT: '0', LOCALNET_DATA_DIR: dataDir };
  const second = await localnetCli(['start'], env, 20_000);
  assert.equal(second.code, 1, second.stdout + second.stderr);
  assert.equal(second.stderr.trim(), `localnet is already running at ${first.endpoint} (pid ${first.child.pid}, data dir ${dataDir}); \`localnet status\` shows it`);
  assert.equal(second.stdout, '', 'no banner from the refused start');
  const { Vpcs } = await ec2At(first.endpoint).send(new DescribeVpcsCommand({}));
  assert.equal(Vpcs?.length, 1, 'the first still answers');

  await first.kill9();
  const third = await startLocalnetProcess(dataDir);
  running.push(third);
  const again = await ec2At(third.endpoint).send(new DescribeVpcsCommand({}));
  assert.equal(again.Vpcs?.length, 1);
  assert.equal(await third.stop(), 0);
});
