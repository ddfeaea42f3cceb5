// The harness itself: a target starts, answers, and reports a plausible RSS.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RSS_BOUND_MB, startAbuseTarget, type AbuseTarget } from './harness.ts';

let t: AbuseTarget;
before(async () => (t = await startAbuseTarget('127.90.0.0/16')));
after(() => t?.stop());

test('the abuse target answers the API and reports its resident memory', async () => {
  assert.equal(await t.answers(), true);
  assert.ok(t.dns.port > 0, 'the banner names the DNS port');
  const { peakMb } = await t.peakDuring(async () => {
    for (let i = 0; i < 20; i++) assert.equal(await t.answers(), true);
  });
  assert.ok(peakMb > 10 && peakMb < RSS_BOUND_MB, `RSS ${peakMb} MB`);
});
