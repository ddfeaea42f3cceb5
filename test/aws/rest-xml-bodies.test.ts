// Hostile Route 53 XML bodies through raw HTTP: DOCTYPEs (entities, external
// entities), deep nesting, unsafe element names and a wrong root element get
// Route 53's 400s (MalformedInput "Could not parse XML", "X is not valid,
// expected ...Request", InvalidInput), never a 500, and change nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ListHostedZonesCommand } from '@aws-sdk/client-route-53';
import { startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';
import { route53Client } from '../services/acm/clients.ts';

const NS = 'https://route53.amazonaws.com/doc/2013-04-01/';
const zone = (inner: string, root = 'CreateHostedZoneRequest') => `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">${inner}</${root}>`;

describe('Route 53 XML bodies', () => {
  let ln: TestLocalnet;
  before(async () => (ln = await startTestLocalnet()));
  after(() => ln.stop());

  async function createZone(body: string) {
    const res = await fetch(`${ln.endpoint}/2013-04-01/hostedzone`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
    const text = await res.text();
    return { status: res.status, code: /<Code>([^<]+)<\/Code>/.exec(text)?.[1], message: /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? '', text };
  }

  const cases: [string, string, string, RegExp][] = [
    ['a DOCTYPE with an internal entity', `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "entity.example">]>${zone('<Name>&x;</Name><CallerReference>d1</CallerReference>').replace(/^<\?xml[^>]*>\n/, '')}`, 'MalformedInput', /DOCTYPE/],
    ['an external entity', `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${zone('<Name>&x;</Name><CallerReference>d2</CallerReference>').replace(/^<\?xml[^>]*>\n/, '')}`, 'MalformedInput', /DOCTYPE/],
    ['entity expansion (billion laughs)', `<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>${zone('<Name>&c;</Name><CallerReference>d3</CallerReference>').replace(/^<\?xml[^>]*>\n/, '')}`, 'MalformedInput', /DOCTYPE/],
    ['10,000 nested elements', zone(`<HostedZoneConfig>${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</HostedZoneConfig><Name>n.example</Name><CallerReference>d4</CallerReference>`), 'MalformedInput', /nested/],
    ['an element named __proto__', zone('<Name>p.example</Name><CallerReference>d5</CallerReference><__proto__><Name>x</Name></__proto__>'), 'InvalidInput', /__proto__/],
    ['a root element of another operation', zone('<Name>w.example</Name><CallerReference>d6</CallerReference>', 'ChangeResourceRecordSetsRequest'), 'MalformedInput', /^ChangeResourceRecordSetsRequest is not valid, expected CreateHostedZoneRequest$/],
    ['text that is not XML', 'Name=x.example', 'MalformedInput', /Could not parse XML/],
    ['two root elements', `${zone('<Name>a.example</Name><CallerReference>d7</CallerReference>')}<Other/>`, 'MalformedInput', /Could not parse XML/],
  ];
  for (const [what, body, code, message] of cases) {
    it(`answers ${what} with ${code} 400`, async () => {
      const r = await createZone(body);
      assert.equal(r.status, 400, r.text);
      assert.equal(r.code, code, r.text);
      assert.match(r.message, message);
      assert.match(r.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ErrorResponse xmlns="https:\/\/route53.amazonaws.com\/doc\/2013-04-01\/"><Error><Type>Sender<\/Type>/);
    });
  }

  it('created no zone from any of them, and still takes a well-formed body', async () => {
    const r53 = route53Client(ln);
    assert.deepEqual((await r53.send(new ListHostedZonesCommand({}))).HostedZones, []);
    const ok = await createZone(zone('<Name>ok.example</Name><CallerReference>ok</CallerReference>'));
    assert.equal(ok.status, 201, ok.text);
    assert.equal((await r53.send(new ListHostedZonesCommand({}))).HostedZones?.length, 1);
  });

  it('reads the root element under a namespace prefix', async () => {
    const body = `<r53:CreateHostedZoneRequest xmlns:r53="${NS}"><r53:Name>prefixed.example</r53:Name><r53:CallerReference>px</r53:CallerReference></r53:CreateHostedZoneRequest>`;
    assert.equal((await createZone(body)).status, 201);
  });
});
