// Route 53 presentation values -> dns-packet record data, and back onto the wire.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dnsPacket, { type Answer } from 'dns-packet';
import { recordData } from '../../src/dns/rdata.ts';

const cases: [string, string, unknown][] = [
  ['A', '192.0.2.1', '192.0.2.1'],
  ['AAAA', '2001:db8::1', '2001:db8::1'],
  ['CNAME', 'target.example.com.', 'target.example.com'],
  ['MX', '10 mail.example.com.', { preference: 10, exchange: 'mail.example.com' }],
  ['SRV', '1 5 443 svc.example.com.', { priority: 1, weight: 5, port: 443, target: 'svc.example.com' }],
  ['CAA', '0 issue "amazon.com"', { flags: 0, tag: 'issue', value: 'amazon.com' }],
  ['SOA', 'ns-1.awsdns-01.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400', { mname: 'ns-1.awsdns-01.com', rname: 'awsdns-hostmaster.amazon.com', serial: 1, refresh: 7200, retry: 900, expire: 1209600, minimum: 86400 }],
  ['NAPTR', '100 10 "S" "SIP+D2U" "" _sip._udp.example.com.', { order: 100, preference: 10, flags: 'S', services: 'SIP+D2U', regexp: '', replacement: '_sip._udp.example.com' }],
];

describe('recordData', () => {
  for (const [type, value, expected] of cases) {
    it(`${type} ${value}`, () => {
      const d = recordData(type, value);
      assert.deepEqual(d, expected);
      const wire = dnsPacket.encode({ type: 'response', answers: [{ name: 'x.example.com', type, ttl: 60, data: d } as Answer] });
      assert.ok(wire.length > 12);
    });
  }

  it('TXT: quoted strings, escapes, and strings over 255 bytes split', () => {
    const d = recordData('TXT', '"v=spf1 include:amazonses.com ~all" "say \\"hi\\"" "\\052"') as Buffer[];
    assert.deepEqual(d.map(String), ['v=spf1 include:amazonses.com ~all', 'say "hi"', '*']);
    const long = recordData('TXT', `"${'a'.repeat(300)}"`) as Buffer[];
    assert.deepEqual(long.map((b) => b.length), [255, 45]);
  });

  it('SPF encodes as TXT-shaped rdata of type 99', () => {
    const wire = dnsPacket.encode({ type: 'response', answers: [{ name: 'x.example.com', type: 'SPF', ttl: 60, data: recordData('SPF', '"v=spf1 -all"') } as unknown as Answer] });
    const back = dnsPacket.decode(wire).answers![0] as unknown as { type: string; data: Buffer };
    assert.equal(back.type, 'SPF');
    assert.equal(back.data.subarray(1).toString(), 'v=spf1 -all');
  });

  for (const [type, value] of [['A', '300.1.1.1'], ['AAAA', '10.0.0.1'], ['MX', 'ten mail.example.com'], ['TXT', '"unterminated'], ['CNAME', ''], ['HINFO', 'x']]) {
    it(`rejects ${type} ${JSON.stringify(value)}`, () => assert.throws(() => recordData(type, value)));
  }
});
