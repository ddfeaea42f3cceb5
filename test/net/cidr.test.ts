import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cidrsOverlap, containsCidr4, formatCidr4, formatCidr6, formatIpv6, parseCidr4, parseCidr6, parseIpv6 } from '../../src/net/cidr.ts';

describe('IPv4 CIDRs', () => {
  const cases: [string, string | undefined][] = [
    ['10.0.0.0/16', '10.0.0.0/16'],
    ['100.68.0.18/18', '100.68.0.0/18'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['255.255.255.255/32', '255.255.255.255/32'],
    ['10.0.0.0/33', undefined],
    ['10.0.0/16', undefined],
    ['256.0.0.0/8', undefined],
    ['010.0.0.0/8', undefined],
    ['10.0.0.0', undefined],
    ['', undefined],
  ];
  for (const [input, want] of cases) {
    it(`parses ${JSON.stringify(input)} as ${want ?? 'invalid'}`, () => {
      const c = parseCidr4(input);
      assert.equal(c ? formatCidr4(c) : undefined, want);
    });
  }

  it('tells containment and overlap', () => {
    const p = (s: string) => parseCidr4(s)!;
    assert.equal(containsCidr4(p('10.0.0.0/16'), p('10.0.1.0/24')), true);
    assert.equal(containsCidr4(p('10.0.0.0/16'), p('10.0.0.0/16')), true);
    assert.equal(containsCidr4(p('10.0.1.0/24'), p('10.0.0.0/16')), false);
    assert.equal(cidrsOverlap('10.0.0.0/16', '10.0.255.0/24'), true);
    assert.equal(cidrsOverlap('10.0.0.0/16', '10.1.0.0/16'), false);
    assert.equal(cidrsOverlap('10.0.0.0/8', '2600::/56'), false);
  });
});

describe('IPv6 CIDRs', () => {
  it('parses and compresses addresses (RFC 5952)', () => {
    assert.equal(formatIpv6(parseIpv6('2600:1f18:0:0:0:0:0:1')!), '2600:1f18::1');
    assert.equal(formatIpv6(parseIpv6('::')!), '::');
    assert.equal(formatIpv6(parseIpv6('1:0:0:2:0:0:0:3')!), '1:0:0:2::3');
    assert.equal(parseIpv6('1::2::3'), undefined);
    assert.equal(parseIpv6('12345::'), undefined);
    assert.equal(parseIpv6('1:2:3:4:5:6:7'), undefined);
  });

  it('clears host bits and tests overlap', () => {
    assert.equal(formatCidr6(parseCidr6('2600:1f18:abcd:12ff::1/56')!), '2600:1f18:abcd:1200::/56');
    assert.equal(cidrsOverlap('2600:1f18:abcd:1200::/56', '2600:1f18:abcd:1234::/64'), true);
    assert.equal(cidrsOverlap('2600:1f18:abcd:1200::/56', '2600:1f18:abcd:1300::/64'), false);
  });
});
