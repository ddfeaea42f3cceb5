// The data directory and the cost of writes under abuse (issue 17 items 5
// and 8), against a real `localnet start`:
//   - another start on the same data directory, again and again: each is
//     refused (exit code 1, naming the running one) and the target answers;
//   - an estate of 10,000 records, then one-record Route 53 writes with DNS
//     queries running beside them: a write costs what it touched, so write
//     p50 stays within 3× of the same writes on an empty estate (it was
//     ~13×: every write rebuilt every zone's index, blocking the event loop),
//     and RSS stays under the bound.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { measureWriteCost } from '../../bench/api/dns-writes.ts';
import { localnetCli } from '../helpers/localnet-process.ts';
import { RSS_BOUND_MB, startAbuseTarget, type AbuseTarget } from './harness.ts';

let t: AbuseTarget;
before(async () => (t = await startAbuseTarget('127.94.0.0/16')));
after(() => t?.stop());

test('repeated starts on the running localnet\'s data directory are refused and change nothing', async () => {
  const env = { ...process.env, LOCALNET_PORT: '0', LOCALNET_DNS_PORT: '0', LOCALNET_ACME_PORT: '0', LOCALNET_DATA_DIR: t.dataDir, LOCALNET_LB_ADDRESSES: '127.94.0.0/16' };
  for (let i = 0; i < 3; i++) {
    const second = await localnetCli(['start'], env, 20_000);
    assert.equal(second.code, 1, second.stdout + second.stderr);
    assert.match(second.stderr, new RegExp(`^localnet is already running at ${t.endpoint} \\(pid ${t.pid}, data dir `));
    assert.equal(await t.answers(), true);
  }
});

test('a one-record write at 10,000 records costs about what it costs on an empty estate; DNS keeps answering; RSS bounded', async () => {
  const { result, peakMb } = await t.peakDuring(() => measureWriteCost(t.endpoint, 10_000, 200));
  const ratio = result.large.write.p50 / result.empty.write.p50;
  console.error(`write p50 ${result.large.write.p50.toFixed(2)} ms at 10,000 records vs ${result.empty.write.p50.toFixed(2)} ms empty (${ratio.toFixed(2)}×); p99 ${result.large.write.p99.toFixed(2)} vs ${result.empty.write.p99.toFixed(2)} ms; DNS while writing p99 ${result.large.query.p99.toFixed(2)} vs ${result.empty.query.p99.toFixed(2)} ms; peak RSS ${peakMb.toFixed(0)} MB`);
  assert.ok(ratio < 3, `write p50 ${ratio.toFixed(2)}× the empty estate's`);
  assert.ok(result.large.query.count > 0, 'DNS answered during the writes');
  assert.equal(await t.answers(), true);
  assert.ok(peakMb < RSS_BOUND_MB, `peak RSS ${peakMb.toFixed(0)} MB`);
});
