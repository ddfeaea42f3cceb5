// Where public IPv4 addresses come from (src/services/public-addresses.ts):
// LOCALNET_PUBLIC_ADDRESSES parsed, host addresses only, the `aws` ranges.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { inElasticPool, nextPublicIp, parsePublicAddresses } from '../../src/services/public-addresses.ts';

describe('public address pools', () => {
  it('parses LOCALNET_PUBLIC_ADDRESSES', () => {
    const cases: [string | undefined, string][] = [
      [undefined, '127.78.0.0/16'], ['', '127.78.0.0/16'], ['127.86.0.0/16', '127.86.0.0/16'], ['aws', 'aws'],
    ];
    for (const [value, text] of cases) assert.equal(parsePublicAddresses(value).text, text, String(value));
    for (const bad of ['10.0.0.0/16', '127.78.0.0/24', '127.300.0.0/16', 'AWS', '127.78.1.0/16']) {
      assert.throws(() => parsePublicAddresses(bad), /LOCALNET_PUBLIC_ADDRESSES must be/, bad);
      assert.throws(() => loadConfig({ dataDir: '/tmp/pubip-config' }, { LOCALNET_PUBLIC_ADDRESSES: bad }), /LOCALNET_PUBLIC_ADDRESSES/, bad);
    }
    assert.equal(loadConfig({ dataDir: '/tmp/pubip-config' }, {}).publicAddresses.text, '127.78.0.0/16');
  });

  it('hands out host addresses of the block, skipping .0 and .255, Elastic and auto-assigned alike', () => {
    const mode = parsePublicAddresses('127.86.0.0/16');
    assert.equal(nextPublicIp(new Set(), 'elastic', mode), '127.86.0.1');
    assert.equal(nextPublicIp(new Set(), 'auto', mode), '127.86.0.1');
    const used = new Set(Array.from({ length: 254 }, (_, i) => `127.86.0.${i + 1}`));
    assert.equal(nextPublicIp(used, 'auto', mode), '127.86.1.1');
    assert.equal(inElasticPool('127.86.3.7', mode), true);
    for (const ip of ['127.86.3.0', '127.86.3.255', '127.78.0.1', '203.0.113.5', 'x']) assert.equal(inElasticPool(ip, mode), false, ip);
  });

  it('with `aws`, Elastic IPs from TEST-NET-3 then TEST-NET-2, auto-assigned ones from TEST-NET-1', () => {
    const mode = parsePublicAddresses('aws');
    assert.equal(nextPublicIp(new Set(), 'elastic', mode), '203.0.113.1');
    assert.equal(nextPublicIp(new Set(), 'auto', mode), '192.0.2.1');
    const full = new Set(Array.from({ length: 254 }, (_, i) => `203.0.113.${i + 1}`));
    assert.equal(nextPublicIp(full, 'elastic', mode), '198.51.100.1');
    assert.equal(inElasticPool('198.51.100.9', mode), true);
    assert.equal(inElasticPool('192.0.2.9', mode), false);
  });
});
