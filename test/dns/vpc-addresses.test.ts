// VPC view addresses: deterministic, loopback, stable across restarts, and a
// new VPC never moves an existing one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assignVpcAddresses, preferredVpcAddress } from '../../src/dns/vpc-addresses.ts';
import { resolverIpFor } from '../../src/dns/snapshot-index.ts';

const ids = Array.from({ length: 300 }, (_, i) => `vpc-${i.toString(16).padStart(17, '0')}`);

describe('VPC view addresses', () => {
  it('are in 127.53.0.0/16, distinct, and the same on every run', () => {
    const a = assignVpcAddresses(ids);
    const b = assignVpcAddresses([...ids].reverse());
    assert.deepEqual([...a.entries()].sort(), [...b.entries()].sort());
    assert.equal(new Set(a.values()).size, ids.length);
    for (const addr of a.values()) {
      const m = /^127\.53\.(\d+)\.(\d+)$/.exec(addr);
      assert.ok(m && Number(m[1]) <= 255 && Number(m[2]) <= 255, addr);
      assert.notEqual(addr, '127.53.255.255');
    }
    assert.equal(a.get(ids[0]), preferredVpcAddress(ids[0]));
  });

  it('probe on collision and keep earlier assignments', () => {
    const before = new Map([['vpc-b', preferredVpcAddress('vpc-a')]]); // vpc-b holds vpc-a's slot
    const after = assignVpcAddresses(['vpc-a', 'vpc-b'], before);
    assert.equal(after.get('vpc-b'), preferredVpcAddress('vpc-a'));
    assert.notEqual(after.get('vpc-a'), after.get('vpc-b'));
  });

  it('resolver IP is the primary CIDR base + 2', () => {
    assert.equal(resolverIpFor('10.0.0.0/16'), '10.0.0.2');
    assert.equal(resolverIpFor('172.31.0.0/16'), '172.31.0.2');
    assert.equal(resolverIpFor('10.0.255.254/31'), '10.1.0.0');
    assert.equal(resolverIpFor(undefined), undefined);
  });
});
