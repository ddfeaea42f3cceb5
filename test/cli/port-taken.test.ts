// A second `localnet start` on a port that is taken says what holds it: another
// localnet (its endpoint, pid and data directory) or some other program.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { localnetCli, startLocalnetProcess } from '../helpers/localnet-process.ts';

describe('localnet start on a taken port', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'localnet-port-taken-'));
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('another localnet (other data directory): named, with its pid and data directory', async () => {
    const first = await startLocalnetProcess(dir(), { LOCALNET_LB_ADDRESSES: '127.97.0.0/16' });
    try {
      const port = new URL(first.endpoint).port;
      const second = dir();
      const r = await localnetCli(['start'], { ...process.env, LOCALNET_PORT: port, LOCALNET_DNS_PORT: '0', LOCALNET_ACME_PORT: '0', LOCALNET_DATA_DIR: second, LOCALNET_LB_ADDRESSES: '127.98.0.0/16' }, 30_000);
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`localnet is already running at http://127\\.0\\.0\\.1:${port} \\(pid ${first.child.pid}, data dir ${first.stdout().match(/data\s+(\S+)/)![1].replace(/[/.]/g, '\\$&')}\\); \`localnet status\` shows it`));
      assert.doesNotMatch(r.stderr, /EADDRINUSE|dns:/, 'nothing else was bound or logged before the refusal');
    } finally {
      await first.stop();
    }
  });

  it('a start that fails after binding its port (an unreadable CA) exits with the error instead of holding the port', async () => {
    const data = dir();
    writeFileSync(join(data, 'ca'), 'not a directory');
    const r = await localnetCli(['start'], { ...process.env, LOCALNET_PORT: '0', LOCALNET_DNS_PORT: '0', LOCALNET_ACME_PORT: '0', LOCALNET_DATA_DIR: data }, 20_000);
    assert.equal(r.code, 1, `exit code ${r.code} (-1: still running when the test gave up)`);
    assert.match(r.stderr, /localnet: EEXIST: file already exists, mkdir '.*ca'/);
  });

  it('another program: says so and how to choose another port', async () => {
    const other = http.createServer((_q, s) => s.end('not localnet'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      const port = (other.address() as AddressInfo).port;
      const r = await localnetCli(['start'], { ...process.env, LOCALNET_PORT: String(port), LOCALNET_DNS_PORT: '0', LOCALNET_ACME_PORT: '0', LOCALNET_DATA_DIR: dir(), LOCALNET_LB_ADDRESSES: '127.98.0.0/16' }, 30_000);
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`localnet: port ${port} on 127\\.0\\.0\\.1 is taken by another program; stop it or choose another port \\(LOCALNET_PORT=`));
    } finally {
      other.close();
    }
  });
});
