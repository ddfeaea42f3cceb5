// The zone index on its own: building is fast enough to redo on every change,
// and bad values are reported instead of breaking queries.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ZoneIndex, type LookupContext } from '../../src/dns/zone-index.ts';
import { rs, zone } from './fixtures.ts';

const ctx: LookupContext = { loadBalancers: new Map(), random: Math.random };

function bigZone(n: number) {
  return zone('ZBIG', 'big.test', Array.from({ length: n }, (_, i) => rs(`host${i}.r${i % 50}.big.test`, 'A', [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`])));
}

describe('ZoneIndex', () => {
  it('builds a 10,000-record zone fast enough to rebuild on every change', () => {
    const z = bigZone(10_000);
    // Best of five: the machine is shared, one slow run says little; an
    // accidental O(n^2) would make every run take seconds.
    let ms = Infinity;
    let ix!: ZoneIndex;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      ix = new ZoneIndex(z);
      ms = Math.min(ms, performance.now() - t0);
    }
    assert.equal(ix.recordCount, 10_000 + 1 + 4);
    assert.ok(ms < 200, `took ${ms.toFixed(1)} ms`);
    const r = ix.lookup('host9999.r49.big.test', 'A', 'host9999.r49.big.test', ctx);
    assert.equal(r.kind, 'records');
    assert.equal(ix.lookup('r7.big.test', 'A', 'r7.big.test', ctx).kind, 'nodata');
    assert.equal(ix.lookup('nohost.r7.big.test', 'A', 'x', ctx).kind, 'nxdomain');
  });

  it('reports values it cannot serve and serves the rest', () => {
    const ix = new ZoneIndex(zone('ZBAD', 'bad.test', [
      rs('a.bad.test', 'A', ['10.0.0.1', 'not-an-ip']),
      rs('b.bad.test', 'AAAA', ['10.0.0.1']),
      rs('c.other.test', 'A', ['10.0.0.3']),
    ]));
    assert.equal(ix.problems.length, 3);
    const a = ix.lookup('a.bad.test', 'A', 'a.bad.test', ctx);
    assert.equal(a.kind === 'records' && a.rrs.length, 1);
    assert.equal(ix.lookup('b.bad.test', 'AAAA', 'b.bad.test', ctx).kind, 'nxdomain');
  });

  it('decodes a name still carrying the \\052 escape as a wildcard', () => {
    const ix = new ZoneIndex(zone('ZESC', 'esc.test', [rs('\\052.esc.test', 'A', ['10.0.0.9'])]));
    assert.equal(ix.lookup('anything.esc.test', 'A', 'anything.esc.test', ctx).kind, 'records');
  });

  it('a zone without an SOA still answers negatives with Route 53 default SOA values', () => {
    const ix = new ZoneIndex({ id: 'ZNOSOA', name: 'nosoa.test', private: true, vpcs: [], records: [] });
    assert.equal(ix.negativeSoa.type, 'SOA');
    assert.equal((ix.negativeSoa as { ttl: number }).ttl, 900);
  });

  it('alias loops in a zone end without records', () => {
    const ix = new ZoneIndex(zone('ZLOOP', 'loop.test', [
      rs('a.loop.test', 'A', [], { alias: { dnsName: 'b.loop.test', hostedZoneId: 'ZLOOP', evaluateTargetHealth: false } }),
      rs('b.loop.test', 'A', [], { alias: { dnsName: 'a.loop.test', hostedZoneId: 'ZLOOP', evaluateTargetHealth: false } }),
    ]));
    assert.equal(ix.lookup('a.loop.test', 'A', 'a.loop.test', ctx).kind, 'nodata');
  });
});
