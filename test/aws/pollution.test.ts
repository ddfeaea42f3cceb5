// Prototype pollution through every protocol: `__proto__`, `constructor` and
// `prototype` as a member, element, map key or operation name get the
// protocol's 400, change nothing, and leave Object.prototype untouched (the
// test harness runs localnet in this process, so a polluted prototype would
// show here and in the next SDK call).
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { ListCertificatesCommand } from '@aws-sdk/client-acm';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { ListHostedZonesCommand } from '@aws-sdk/client-route-53';
import { ElasticLoadBalancingV2Client, DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { clientConfig, ec2Client, startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';
import { acmClient, route53Client } from '../services/acm/clients.ts';

const NS = 'https://route53.amazonaws.com/doc/2013-04-01/';

describe('prototype pollution', () => {
  let ln: TestLocalnet;
  before(async () => (ln = await startTestLocalnet()));
  after(() => ln.stop());
  // Every case leaves the prototype clean, and the SDK's next EC2 call is not a DryRun.
  afterEach(async () => {
    assert.equal(({} as Record<string, unknown>).DryRun, undefined, 'Object.prototype.DryRun');
    assert.equal(Object.keys(Object.prototype).length, 0, `Object.prototype gained ${Object.keys(Object.prototype).join(', ')}`);
    const vpcs = await ec2Client(ln).send(new DescribeVpcsCommand({}));
    assert.equal(vpcs.Vpcs?.length, 1, 'the default VPC, listed for real');
  });

  async function send(body: string, headers: Record<string, string> = {}, path = '/') {
    const res = await fetch(`${ln.endpoint}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
    return { status: res.status, text: await res.text() };
  }

  for (const key of ['__proto__.DryRun', 'constructor.prototype.DryRun', 'Filter.1.__proto__.DryRun', 'prototype']) {
    it(`EC2: ${key}=true is InvalidParameterValue`, async () => {
      const r = await send(`Action=DescribeVpcs&Version=2016-11-15&${key}=true`);
      assert.equal(r.status, 400);
      assert.match(r.text, /<Code>InvalidParameterValue<\/Code>/);
    });
  }

  it('EC2: a write carrying a pollution key creates nothing', async () => {
    const r = await send('Action=CreateVpc&Version=2016-11-15&CidrBlock=10.77.0.0/16&__proto__.DryRun=true');
    assert.equal(r.status, 400);
    const vpcs = await ec2Client(ln).send(new DescribeVpcsCommand({ Filters: [{ Name: 'cidr', Values: ['10.77.0.0/16'] }] }));
    assert.deepEqual(vpcs.Vpcs, []);
  });

  for (const key of ['constructor.prototype.DryRun', '__proto__.DryRun', 'Names.member.__proto__']) {
    it(`ELBv2 (query): ${key}=true is a ValidationError`, async () => {
      const r = await send(`Action=DescribeLoadBalancers&Version=2015-12-01&${key}=true`);
      assert.equal(r.status, 400);
      assert.match(r.text, /<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>ValidationError<\/Code>/);
      const elbv2 = new ElasticLoadBalancingV2Client(clientConfig(ln));
      assert.deepEqual((await elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers, []);
    });
  }

  for (const action of ['constructor', '__proto__', 'hasOwnProperty', 'toString']) {
    it(`Action=${action} names no operation (InvalidAction or an unknown service, never a 200 or a 500)`, async () => {
      const r = await send(`Action=${action}&Version=2016-11-15`, { authorization: 'AWS4-HMAC-SHA256 Credential=test/20261123/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00' });
      assert.equal(r.status, 400);
      assert.match(r.text, /<Code>InvalidAction<\/Code>/);
      // Unsigned, the action cannot be routed to EC2's operations: answered as an unknown EC2 operation.
      const unsigned = await send(`Action=${action}&Version=2016-11-15`);
      assert.ok([400, 501].includes(unsigned.status), `${unsigned.status} ${unsigned.text}`);
    });
  }

  for (const body of ['{"__proto__": {"DryRun": true}}', '{"CertificateStatuses": ["ISSUED"], "Includes": {"constructor": {"prototype": {"DryRun": true}}}}', '{"prototype": 1}']) {
    it(`JSON (ACM): ${body} is a SerializationException`, async () => {
      const res = await fetch(ln.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CertificateManager.ListCertificates' }, body });
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { __type: string }).__type, 'SerializationException');
      assert.deepEqual((await acmClient(ln).send(new ListCertificatesCommand({}))).CertificateSummaryList, []);
    });
  }

  it('JSON: X-Amz-Target naming constructor is an unknown operation', async () => {
    const res = await fetch(ln.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CertificateManager.constructor' }, body: '{}' });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { __type: string }).__type, 'InvalidAction');
  });

  for (const [what, xml] of [
    ['an element named __proto__', `<CreateHostedZoneRequest xmlns="${NS}"><Name>p.example</Name><CallerReference>r1</CallerReference><__proto__><DryRun>true</DryRun></__proto__></CreateHostedZoneRequest>`],
    ['a root named __proto__', `<__proto__ xmlns="${NS}"><Name>p.example</Name><CallerReference>r2</CallerReference></__proto__>`],
    ['an element named constructor', `<CreateHostedZoneRequest xmlns="${NS}"><Name>p.example</Name><CallerReference>r3</CallerReference><HostedZoneConfig><constructor><prototype>x</prototype></constructor></HostedZoneConfig></CreateHostedZoneRequest>`],
  ]) {
    it(`XML (Route 53): ${what} is InvalidInput`, async () => {
      const res = await fetch(`${ln.endpoint}/2013-04-01/hostedzone`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml });
      const text = await res.text();
      assert.equal(res.status, 400, text);
      assert.match(text, /<Code>InvalidInput<\/Code>/);
      assert.deepEqual((await route53Client(ln).send(new ListHostedZonesCommand({}))).HostedZones, []);
    });
  }
});
