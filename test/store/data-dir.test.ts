// The data directory is private to the user: localnet creates it 0700 and
// its database (with the WAL and SHM files) and key files 0600, and tightens
// a directory and files it finds readable by other users, saying so.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { CreateVpcCommand } from '@aws-sdk/client-ec2';
import { startLocalnet } from '../../src/server.ts';
import { ec2Client } from '../helpers/localnet.ts';

const tmp = mkdtempSync(join(tmpdir(), 'localnet-modes-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;
const start = (dataDir: string, logs: string[]) => startLocalnet({ dataDir, port: 0, dnsPort: 0, acmePort: 0, host: '127.0.0.1', log: (l) => logs.push(l) });

/** Every path under the data directory that must be the user's alone, with its mode. */
const PRIVATE: [string, number][] = [
  ['.', 0o700],
  ['localnet.db', 0o600],
  ['localnet.db-wal', 0o600],
  ['localnet.db-shm', 0o600],
  ['localnet.lock', 0o600],
  ['localnet.pid', 0o600],
  ['ca', 0o700],
  ['ca/root.key', 0o600],
  ['ca/intermediate.key', 0o600],
  ['ca/acme-intermediate.key', 0o600],
];

describe('data directory modes', () => {
  it('creates a new data directory 0700 and every secret file in it 0600 (database, WAL, SHM, lock, CA keys)', async () => {
    const dataDir = join(tmp, 'fresh', 'data');
    const logs: string[] = [];
    const ln = await start(dataDir, logs);
    try {
      await ec2Client(ln).send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' })); // a write: the WAL exists
      for (const [path, want] of PRIVATE) assert.equal(mode(join(dataDir, path)).toString(8), want.toString(8), path);
      assert.deepEqual(logs.filter((l) => l.includes('other users')), [], 'nothing to tighten in a new directory');
    } finally {
      await ln.close();
    }
  });

  it('tightens an existing 0755 directory and 0644 database, WAL, SHM and key files, with one notice line each', async () => {
    const dataDir = join(tmp, 'loose');
    mkdirSync(join(dataDir, 'ca'), { recursive: true });
    // A database and WAL as an earlier localnet left them: readable by everyone.
    const db = new Database(join(dataDir, 'localnet.db'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    // While a connection is open the WAL and SHM files stay, as after a kill -9 of an earlier localnet.
    for (const f of ['localnet.db', 'localnet.db-wal', 'localnet.db-shm']) chmodSync(join(dataDir, f), 0o644);
    after(() => db.close());
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'ca'), 0o755);

    const logs: string[] = [];
    const ln = await start(dataDir, logs);
    try {
      for (const [path, want] of PRIVATE) assert.equal(mode(join(dataDir, path)).toString(8), want.toString(8), path);
      assert.ok(logs.includes(`localnet: data directory ${dataDir} was readable by other users (0755); now 0700`), logs.join('\n'));
      for (const f of ['localnet.db', 'localnet.db-wal', 'localnet.db-shm']) assert.ok(logs.includes(`localnet: file ${join(dataDir, f)} was readable by other users (0644); now 0600`), logs.join('\n'));
      assert.ok(logs.includes(`localnet: directory ${join(dataDir, 'ca')} was readable by other users (0755); now 0700`), logs.join('\n'));
    } finally {
      await ln.close();
    }
  });

  it('tightens CA key files left readable (the certificates stay as they are: they are public)', async () => {
    const dataDir = join(tmp, 'keys');
    let ln = await start(dataDir, []);
    await ln.close();
    chmodSync(join(dataDir, 'ca', 'root.key'), 0o644);
    const rootPem = mode(join(dataDir, 'ca', 'root.pem'));
    const logs: string[] = [];
    ln = await start(dataDir, logs);
    await ln.close();
    assert.equal(mode(join(dataDir, 'ca', 'root.key')), 0o600);
    assert.equal(mode(join(dataDir, 'ca', 'root.pem')), rootPem);
    assert.deepEqual(logs.filter((l) => l.includes('other users')), [`localnet: file ${join(dataDir, 'ca', 'root.key')} was readable by other users (0644); now 0600`]);
  });

  it('leaves other files of the directory alone (config.json is the user\'s)', async () => {
    const dataDir = join(tmp, 'config');
    mkdirSync(dataDir, { mode: 0o700 });
    writeFileSync(join(dataDir, 'config.json'), '{}', { mode: 0o644 });
    chmodSync(join(dataDir, 'config.json'), 0o644);
    const ln = await start(dataDir, []);
    await ln.close();
    assert.equal(mode(join(dataDir, 'config.json')), 0o644);
  });
});
