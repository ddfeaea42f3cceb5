// UDP answers never exceed 1,232 bytes (DNS Flag Day 2020), whatever EDNS size
// the client claims: a 40-byte query must not buy a 30 KB answer (an
// amplifier). The zone is made through the Route 53 SDK against a running
// localnet; the same question over TCP gets the whole answer.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand } from '@aws-sdk/client-route-53';
import dnsPacket from 'dns-packet';
import { startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';
import { route53Client } from '../services/route53/helpers.ts';
import { query, tcpExchange, udpExchange } from './client.ts';

const NAME = 'many.amplify.example';
/** 200 TXT strings of ~100 bytes: about 21 KB of answer. */
const VALUES = Array.from({ length: 200 }, (_, i) => `"txt-${String(i).padStart(3, '0')}-${'a'.repeat(90)}"`);

describe('UDP answer size', () => {
  let ln: TestLocalnet;
  let address: string;
  let port: number;

  before(async () => {
    ln = await startTestLocalnet();
    const r53 = route53Client(ln);
    const zone = await r53.send(new CreateHostedZoneCommand({ Name: 'amplify.example', CallerReference: `udp-size-${Date.now()}` }));
    await r53.send(new ChangeResourceRecordSetsCommand({
      HostedZoneId: zone.HostedZone!.Id!,
      ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: { Name: NAME, Type: 'TXT', TTL: 300, ResourceRecords: VALUES.map((Value) => ({ Value })) } }] },
    }));
    await ln.dns.ready();
    ({ address, port } = ln.dns.views().find((v) => v.view === 'public')!);
  });
  after(() => ln?.stop());

  it('a query claiming EDNS 65535 gets at most 1232 bytes with TC set, from the resolver and from the answer cache', async () => {
    const msg = query(NAME, 'TXT', { edns: 65535 });
    for (const attempt of ['first (resolved)', 'second (cached)']) {
      const wire = await udpExchange(address, port, msg);
      assert.ok(wire, `a UDP answer (${attempt})`);
      assert.ok(wire.length <= 1232, `${attempt}: ${wire.length} bytes over UDP`);
      const p = dnsPacket.decode(wire);
      assert.ok((p.flags! & dnsPacket.TRUNCATED_RESPONSE) !== 0, `${attempt}: TC set`);
      assert.equal(p.answers!.length, 0);
      assert.equal(p.additionals!.filter((a) => a.type === 'OPT').length, 1, 'the OPT record stays');
    }
  });

  it('a client size below 1232 is still respected, an answer that fits is sent whole', async () => {
    const small = dnsPacket.decode((await udpExchange(address, port, query(NAME, 'TXT', { edns: 800 })))!);
    assert.ok((small.flags! & dnsPacket.TRUNCATED_RESPONSE) !== 0);
    const fits = dnsPacket.decode((await udpExchange(address, port, query('amplify.example', 'SOA', { edns: 65535 })))!);
    assert.equal(fits.flags! & dnsPacket.TRUNCATED_RESPONSE, 0);
    assert.equal(fits.answers!.length, 1);
  });

  it('the same question over TCP gets every record', async () => {
    const [wire] = await tcpExchange(address, port, [query(NAME, 'TXT', { edns: 65535 })]);
    assert.ok(wire.length > 20_000, `${wire.length} bytes over TCP`);
    const p = dnsPacket.decode(wire);
    assert.equal(p.flags! & dnsPacket.TRUNCATED_RESPONSE, 0);
    assert.equal(p.answers!.length, VALUES.length);
  });
});
