// The rest-xml protocol against the Route 53 model, without sockets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AwsError } from '../../src/aws/errors.ts';
import { newContext } from '../../src/aws/context.ts';
import { loadModel } from '../../src/aws/model.ts';
import { restXmlProtocol } from '../../src/aws/protocols/rest-xml.ts';
import type { WireRequest } from '../../src/aws/protocols/wire.ts';

const model = loadModel('route53');
const NS = 'https://route53.amazonaws.com/doc/2013-04-01/';

function req(method: string, url: string, body = '', headers: Record<string, string> = {}): WireRequest {
  const u = new URL(url, 'http://localhost');
  return { method, path: u.pathname, query: u.searchParams, headers, body: Buffer.from(body) };
}

describe('rest-xml protocol', () => {
  it('routes by method + requestUri template, tolerating a trailing slash', () => {
    const cases: [string, string, string | undefined][] = [
      ['POST', '/2013-04-01/hostedzone', 'CreateHostedZone'],
      ['GET', '/2013-04-01/hostedzone', 'ListHostedZones'],
      ['GET', '/2013-04-01/hostedzone/Z123', 'GetHostedZone'],
      ['DELETE', '/2013-04-01/hostedzone/Z123', 'DeleteHostedZone'],
      ['POST', '/2013-04-01/hostedzone/Z123', 'UpdateHostedZoneComment'],
      ['POST', '/2013-04-01/hostedzone/Z123/rrset/', 'ChangeResourceRecordSets'],
      ['POST', '/2013-04-01/hostedzone/Z123/rrset', 'ChangeResourceRecordSets'],
      ['GET', '/2013-04-01/hostedzone/Z123/rrset', 'ListResourceRecordSets'],
      ['GET', '/2013-04-01/hostedzonecount', 'GetHostedZoneCount'],
      ['GET', '/2013-04-01/hostedzonesbyname', 'ListHostedZonesByName'],
      ['POST', '/2013-04-01/tags/hostedzone', 'ListTagsForResources'],
      ['POST', '/2013-04-01/tags/hostedzone/Z1', 'ChangeTagsForResource'],
      ['GET', '/2013-04-01/change/C1', 'GetChange'],
      ['PATCH', '/2013-04-01/hostedzone', undefined],
      ['GET', '/2013-04-01/nothing', undefined],
    ];
    for (const [method, path, op] of cases) assert.equal(restXmlProtocol.operationOf(req(method, path), model), op, `${method} ${path}`);
  });

  it('reads uri labels (percent-decoded), query strings and the XML body by locationName', () => {
    const r = req('GET', '/2013-04-01/hostedzone/Z%2F1/rrset?name=www.example.com&type=A&maxitems=5');
    assert.deepEqual(restXmlProtocol.parse(r, model, 'ListResourceRecordSets'), { HostedZoneId: 'Z/1', StartRecordName: 'www.example.com', StartRecordType: 'A', MaxItems: '5' });
    const body = `<?xml version="1.0" encoding="UTF-8"?><ChangeResourceRecordSetsRequest xmlns="${NS}"><ChangeBatch><Comment>c &amp; d</Comment><Changes><Change><Action>CREATE</Action><ResourceRecordSet><Name>a.example.com</Name><Type>TXT</Type><TTL>60</TTL><Weight>5</Weight><SetIdentifier>x</SetIdentifier><ResourceRecords><ResourceRecord><Value>"v=1"</Value></ResourceRecord><ResourceRecord><Value>"0012"</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`;
    const input = restXmlProtocol.parse(req('POST', '/2013-04-01/hostedzone/Z1/rrset/', body), model, 'ChangeResourceRecordSets');
    assert.deepEqual(input, {
      HostedZoneId: 'Z1',
      ChangeBatch: {
        Comment: 'c & d',
        Changes: [{ Action: 'CREATE', ResourceRecordSet: { Name: 'a.example.com', Type: 'TXT', TTL: 60, Weight: 5, SetIdentifier: 'x', ResourceRecords: [{ Value: '"v=1"' }, { Value: '"0012"' }] } }],
      },
    });
  });

  it('answers malformed XML with a 400 MalformedInput (as Route 53 does) and missing required members with InvalidInput', () => {
    assert.throws(() => restXmlProtocol.parse(req('POST', '/2013-04-01/hostedzone', '<CreateHostedZoneRequest><Name>x'), model, 'CreateHostedZone'), (e: AwsError) => e.code === 'MalformedInput' && e.status === 400);
    assert.throws(
      () => restXmlProtocol.parse(req('POST', '/2013-04-01/hostedzone', `<CreateHostedZoneRequest xmlns="${NS}"><Name>x.com</Name></CreateHostedZoneRequest>`), model, 'CreateHostedZone'),
      (e: AwsError) => e.code === 'InvalidInput' && /callerReference/.test(e.message),
    );
    assert.throws(
      () => restXmlProtocol.parse(req('POST', '/2013-04-01/hostedzone/Z1/rrset/', `<ChangeResourceRecordSetsRequest><ChangeBatch><Changes><Change><Action>CREATE</Action><ResourceRecordSet><Name>a</Name><Type>A</Type><TTL>x</TTL></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`), model, 'ChangeResourceRecordSets'),
      (e: AwsError) => e.code === 'InvalidInput' && /TTL/.test(e.message),
    );
  });

  it('serializes <OperationResponse xmlns>, list member names, header members and the model status code', () => {
    const out = restXmlProtocol.serialize(newContext(), model, 'CreateHostedZone', {
      HostedZone: { Id: '/hostedzone/Z1', Name: 'a.com.', CallerReference: 'r', Config: { PrivateZone: false }, ResourceRecordSetCount: 2 },
      ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date('2024-01-02T03:04:05Z') },
      DelegationSet: { NameServers: ['ns-1.awsdns-00.com', 'ns-2.awsdns-00.net'] },
      Location: 'https://route53.amazonaws.com/2013-04-01/hostedzone/Z1',
    });
    assert.equal(out.status, 201);
    assert.equal(out.headers.Location, 'https://route53.amazonaws.com/2013-04-01/hostedzone/Z1');
    const body = String(out.body);
    assert.match(body, new RegExp(`<CreateHostedZoneResponse xmlns="${NS}">`));
    assert.match(body, /<NameServers><NameServer>ns-1\.awsdns-00\.com<\/NameServer><NameServer>ns-2\.awsdns-00\.net<\/NameServer><\/NameServers>/);
    assert.match(body, /<SubmittedAt>2024-01-02T03:04:05.000Z<\/SubmittedAt>/);
    assert.doesNotMatch(body, /<Location>/);
  });

  it('renders errors as <ErrorResponse> with the status, and message lists for InvalidChangeBatch', () => {
    const ctx = newContext();
    const out = restXmlProtocol.serializeError(ctx, model, new AwsError('NoSuchHostedZone', 'No hosted zone found with ID: Z1 <&>', 404));
    assert.equal(out.status, 404);
    assert.equal(out.body, `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>NoSuchHostedZone</Code><Message>No hosted zone found with ID: Z1 &lt;&amp;&gt;</Message></Error><RequestId>${ctx.requestId}</RequestId></ErrorResponse>`);
    const batch = Object.assign(new AwsError('InvalidChangeBatch', '[a, b]', 400), { messages: ['a', 'b'] });
    assert.match(String(restXmlProtocol.serializeError(ctx, model, batch).body), /<Message>\[a, b\]<\/Message><messages><Message>a<\/Message><Message>b<\/Message><\/messages>/);
  });
});
