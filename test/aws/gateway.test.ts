// The wire as a client sees it: raw HTTP requests against the one endpoint.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';

const SIGV4 = (service: string, region = 'us-east-1', key = 'test') =>
  `AWS4-HMAC-SHA256 Credential=${key}/20261123/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`;

describe('gateway', () => {
  let ln: TestLocalnet;
  before(async () => {
    ln = await startTestLocalnet();
  });
  after(() => ln.stop());

  async function post(body: string, headers: Record<string, string> = {}) {
    const res = await fetch(ln.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
    return { status: res.status, text: await res.text(), headers: res.headers };
  }

  it('answers an EC2 query with the EC2 response envelope and a request id', async () => {
    const r = await post('Action=DescribeVpcs&Version=2016-11-15', { authorization: SIGV4('ec2') });
    assert.equal(r.status, 200);
    assert.match(r.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<DescribeVpcsResponse xmlns="http:\/\/ec2.amazonaws.com\/doc\/2016-11-15\/"><requestId>[0-9a-f-]{36}<\/requestId><vpcSet><item>/);
  });

  it('routes unsigned form requests by Action and Version', async () => {
    const r = await post('Action=DescribeAvailabilityZones&Version=2016-11-15');
    assert.equal(r.status, 200);
    assert.match(r.text, /<zoneName>us-east-1a<\/zoneName>/);
  });

  it('renders EC2 errors as <Response><Errors> with RequestID', async () => {
    const r = await post('Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0/8', { authorization: SIGV4('ec2') });
    assert.equal(r.status, 400);
    assert.match(r.text, /<Response><Errors><Error><Code>InvalidVpc.Range<\/Code><Message>The CIDR '10.0.0.0\/8' is invalid.<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>/);
  });

  it('rejects unknown parameters, missing required ones and bad types with EC2 codes', async () => {
    const auth = { authorization: SIGV4('ec2') };
    assert.match((await post('Action=DescribeVpcs&Version=2016-11-15&Bogus=1', auth)).text, /<Code>UnknownParameter<\/Code><Message>The parameter Bogus is not recognized<\/Message>/);
    assert.match((await post('Action=CreateSubnet&Version=2016-11-15&CidrBlock=10.0.0.0/24', auth)).text, /<Code>MissingParameter<\/Code><Message>The request must contain the parameter VpcId<\/Message>/);
    assert.match((await post('Action=DescribeVpcs&Version=2016-11-15&MaxResults=ten', auth)).text, /<Code>InvalidParameterValue<\/Code>/);
    assert.match((await post('Action=DescribeVpcs&Version=2016-11-15&VpcId=a&VpcId.1=b', auth)).text, /<Code>InvalidParameterValue<\/Code>/);
  });

  it('answers InvalidAction for an operation EC2 does not have and MissingAction without one', async () => {
    const a = await post('Action=FlyToTheMoon&Version=2016-11-15', { authorization: SIGV4('ec2') });
    assert.equal(a.status, 400);
    assert.match(a.text, /<Code>InvalidAction<\/Code>/);
    const m = await post('Version=2016-11-15', { authorization: SIGV4('ec2') });
    assert.equal(m.status, 400);
    assert.match(m.text, /<Code>MissingAction<\/Code>/);
  });

  it('answers 501 naming the operation for a real EC2 operation not emulated yet', async () => {
    const r = await post('Action=CreateTransitGateway&Version=2016-11-15', { authorization: SIGV4('ec2') });
    assert.equal(r.status, 501);
    assert.match(r.text, /<Code>NotImplemented<\/Code><Message>localnet does not emulate the EC2 operation CreateTransitGateway yet/);
  });

  it('answers 501 for a real AWS service localnet does not emulate, in its protocol family', async () => {
    const sqs = await fetch(ln.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables', authorization: SIGV4('dynamodb') }, body: '{}' });
    assert.equal(sqs.status, 501);
    const body = (await sqs.json()) as { __type: string; message: string };
    assert.equal(body.__type, 'NotImplemented');
    assert.match(body.message, /DynamoDB operation ListTables/);
    const unknown = await post('Action=Foo&Version=2099-01-01', { authorization: SIGV4('nosuchservice') });
    assert.equal(unknown.status, 501);
    assert.match(unknown.text, /UnknownService/);
  });

  it('answers 400 to a request it cannot attribute to any service', async () => {
    const r = await fetch(`${ln.endpoint}/`, { method: 'GET' });
    assert.equal(r.status, 400);
  });

  it('takes the account from a 12-digit access key and the region from the scope', async () => {
    const a = await post('Action=DescribeVpcs&Version=2016-11-15', { authorization: SIGV4('ec2', 'eu-west-1', '123456789012') });
    assert.match(a.text, /<ownerId>123456789012<\/ownerId>/);
    const z = await post('Action=DescribeAvailabilityZones&Version=2016-11-15', { authorization: SIGV4('ec2', 'ap-northeast-2') });
    assert.deepEqual([...z.text.matchAll(/<zoneName>([^<]+)<\/zoneName>/g)].map((m) => m[1]), ['ap-northeast-2a', 'ap-northeast-2b', 'ap-northeast-2c', 'ap-northeast-2d']);
  });

  it('survives malformed input: bad percent-encoding, binary bodies, huge keys', async () => {
    for (const body of ['Action=DescribeVpcs&Version=2016-11-15&%E0%A4%A=1', '\u0000\u0001\u0002', `Action=DescribeVpcs&Version=2016-11-15&${'A.'.repeat(5000)}=1`, 'Action=DescribeVpcs&Version=2016-11-15&Filter.0.Name=x']) {
      const r = await post(body, { authorization: SIGV4('ec2') });
      assert.ok(r.status >= 400 && r.status < 600, `status ${r.status}`);
      assert.doesNotMatch(r.text, /at .*\.ts:\d+/, 'no stack trace on the wire');
    }
    const ok = await post('Action=DescribeVpcs&Version=2016-11-15', { authorization: SIGV4('ec2') });
    assert.equal(ok.status, 200);
  });

  it('serves health and reset under /_localnet/', async () => {
    const h = (await (await fetch(`${ln.endpoint}/_localnet/health`)).json()) as { status: string; endpoint: string };
    assert.equal(h.status, 'running');
    assert.equal(h.endpoint, ln.endpoint);
    await post('Action=CreateVpc&Version=2016-11-15&CidrBlock=10.9.0.0/16', { authorization: SIGV4('ec2') });
    assert.equal((await fetch(`${ln.endpoint}/_localnet/reset`, { method: 'POST' })).status, 200);
    const after = await post('Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=cidr&Filter.1.Value.1=10.9.0.0/16', { authorization: SIGV4('ec2') });
    assert.doesNotMatch(after.text, /10\.9\.0\.0/);
  });
});
