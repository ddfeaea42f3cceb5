// src/dns/README.md lists each view's handler chain exactly as view-chain.ts
// declares it (the order is the policy, so the documentation must not drift).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { VIEW_CHAINS } from '../../src/dns/view-chain.ts';

describe('src/dns/README.md', () => {
  const readme = readFileSync(new URL('../../src/dns/README.md', import.meta.url), 'utf8');
  for (const [view, label] of [['public', 'public'], ['vpc', 'VPC']] as const) {
    it(`lists the ${view} view's chain as declared`, () => {
      const line = readme.split('\n').find((l) => l.startsWith(`- ${label}: `));
      assert.ok(line, `no "- ${label}: ..." line`);
      const listed = [...line.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]);
      assert.deepEqual(listed, VIEW_CHAINS[view].map((h) => h.name));
    });
  }
});
