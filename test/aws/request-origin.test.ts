// Browser requests and DNS rebinding: the pure rule (request-origin.ts) as a
// table, then end to end: a foreign Origin or a foreign Host gets a 403 and
// changes nothing, while what the CLI and SDKs send passes.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { browserRefusal, hostnameOf } from '../../src/aws/request-origin.ts';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';

describe('browserRefusal', () => {
  const allowed: [string, Record<string, string>][] = [
    ['the AWS CLI: no Origin, a loopback Host', { host: '127.0.0.1:4566' }],
    ['no Host at all (HTTP/1.0)', {}],
    ['localhost', { host: 'localhost:4566' }],
    ['a *.localhost name', { host: 'api.localnet.localhost:4566' }],
    ['another loopback address', { host: '127.78.0.9' }],
    ['IPv6 loopback', { host: '[::1]:4566' }],
    ['an AWS endpoint name', { host: 'ec2.us-east-1.amazonaws.com' }],
    ['an upper-case name with a trailing dot', { host: 'LOCALHOST.:4566' }],
    ['127.1 (a browser reads it as 127.0.0.1)', { host: '127.1:4566' }],
    ['a page served from loopback', { host: '127.0.0.1:4566', origin: 'http://127.0.0.1:3000' }],
    ['a page on https://localhost', { host: 'localhost:4566', origin: 'https://localhost:8443' }],
    ['a page on a *.localhost name', { host: 'localhost:4566', origin: 'http://app.localhost:5173' }],
    ['a page on [::1]', { host: '[::1]:4566', origin: 'http://[::1]:8080' }],
    ['same-origin fetch metadata', { host: '127.0.0.1:4566', 'sec-fetch-site': 'same-origin' }],
    ['a tool on the machine (fetch metadata none)', { host: '127.0.0.1:4566', 'sec-fetch-site': 'none' }],
  ];
  for (const [what, headers] of allowed) {
    it(`lets through ${what}`, () => assert.equal(browserRefusal(headers), undefined));
  }

  const refused: [string, Record<string, string>, RegExp][] = [
    ['a page on a foreign origin', { host: '127.0.0.1:4566', origin: 'https://evil.example' }, /web origin 'https:\/\/evil.example'/],
    ['a foreign origin that spells localhost in its name', { host: '127.0.0.1:4566', origin: 'http://localhost.evil.example' }, /web origin/],
    ['a foreign origin on a loopback port trick', { host: '127.0.0.1:4566', origin: 'http://evil.example:4566' }, /web origin/],
    ['the null origin (sandboxed frames, file: pages)', { host: '127.0.0.1:4566', origin: 'null' }, /web origin 'null'/],
    ['a non-http origin', { host: '127.0.0.1:4566', origin: 'chrome-extension://abcdef' }, /web origin/],
    ['a cross-site request without Origin', { host: '127.0.0.1:4566', 'sec-fetch-site': 'cross-site' }, /cross-site/],
    ['DNS rebinding: a hostile name resolving to 127.0.0.1', { host: 'evil.example:4566' }, /host 'evil.example:4566'/],
    ['a name that only ends like an AWS one', { host: 'evilamazonaws.com' }, /host/],
    ['a non-loopback address', { host: '192.168.1.10:4566' }, /host/],
    ['a Host with user info', { host: 'evil@127.0.0.1' }, /host/],
    ['an unparseable Host', { host: '[::1' }, /host/],
  ];
  for (const [what, headers, reason] of refused) {
    it(`refuses ${what}`, () => assert.match(browserRefusal(headers) ?? '(let through)', reason));
  }

  it('accepts the configured host (LOCALNET_HOST), IPv6 included', () => {
    assert.equal(browserRefusal({ host: '127.5.5.5:4566' }, '127.5.5.5'), undefined);
    assert.equal(browserRefusal({ host: '[::1]:4566' }, '::1'), undefined);
  });

  it('normalizes host names as a browser does', () => {
    assert.equal(hostnameOf('127.1:80'), '127.0.0.1');
    assert.equal(hostnameOf('[0:0:0:0:0:0:0:1]:80'), '::1');
    assert.equal(hostnameOf('Example.COM.'), 'example.com');
    assert.equal(hostnameOf('a b'), undefined);
  });
});

describe('browser requests end to end', () => {
  let ln: TestLocalnet;
  before(async () => (ln = await startTestLocalnet()));
  after(() => ln.stop());

  /** A raw request with exactly these headers (fetch would not let a test set Host). */
  function raw(method: string, path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; text: string; headers: Record<string, string | string[] | undefined> }> {
    const url = new URL(ln.endpoint);
    return new Promise((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, method, path, headers: { ...headers, 'content-length': Buffer.byteLength(body) }, setHost: !('host' in headers) }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, text, headers: res.headers }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const vpcCount = async () => (await ec2Client(ln).send(new DescribeVpcsCommand({}))).Vpcs!.length;

  it('refuses a form POST from a foreign page (a CORS simple request) and creates nothing', async () => {
    const before = await vpcCount();
    const r = await raw('POST', '/', { ...form, origin: 'https://evil.example' }, 'Action=CreateVpc&Version=2016-11-15&CidrBlock=10.66.0.0/16');
    assert.equal(r.status, 403);
    assert.match(r.text, /<ErrorResponse><Error><Type>Sender<\/Type><Code>AccessDenied<\/Code><Message>requests from the web origin/);
    assert.equal(r.headers.connection, 'close');
    assert.equal(await vpcCount(), before);
  });

  it('refuses reads from a foreign page too, in the caller\'s protocol', async () => {
    const ec2 = await raw('GET', '/?Action=DescribeVpcs&Version=2016-11-15', { origin: 'https://evil.example', authorization: 'AWS4-HMAC-SHA256 Credential=test/20261123/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00' });
    assert.equal(ec2.status, 403);
    assert.match(ec2.text, /<Response><Errors><Error><Code>AccessDenied<\/Code>/);
    const json = await raw('POST', '/', { origin: 'https://evil.example', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CertificateManager.ListCertificates' }, '{}');
    assert.equal(json.status, 403);
    assert.equal((JSON.parse(json.text) as { __type: string }).__type, 'AccessDeniedException');
    const r53 = await raw('GET', '/2013-04-01/hostedzone', { 'sec-fetch-site': 'cross-site' });
    assert.equal(r53.status, 403);
    assert.match(r53.text, /<Code>AccessDenied<\/Code>/);
  });

  it('refuses /_localnet/reset from a foreign page or a rebound name, and keeps the state', async () => {
    await ec2Client(ln).send(new DescribeVpcsCommand({}));
    const before = await vpcCount();
    assert.ok(before > 0);
    for (const headers of [{ origin: 'https://evil.example' }, { host: 'rebind.evil.example:4566' }, { 'sec-fetch-site': 'cross-site' }] as Record<string, string>[]) {
      const r = await raw('POST', '/_localnet/reset', headers);
      assert.equal(r.status, 403, JSON.stringify(headers));
      assert.equal((JSON.parse(r.text) as { code: string }).code, 'AccessDenied');
    }
    const health = await raw('GET', '/_localnet/health', { origin: 'https://evil.example' });
    assert.equal(health.status, 403, 'reads of localnet\'s own endpoints leak state too');
    assert.equal(await vpcCount(), before);
  });

  it('refuses DNS rebinding: a Host that is not loopback or AWS', async () => {
    const r = await raw('POST', '/', { ...form, host: 'evil.example:4566' }, 'Action=DescribeVpcs&Version=2016-11-15');
    assert.equal(r.status, 403);
    assert.match(r.text, /host 'evil.example:4566'/);
  });

  it('answers what the AWS CLI sends: no Origin, a loopback or AWS Host, any method', async () => {
    for (const host of [new URL(ln.endpoint).host, 'localhost', 'ec2.us-east-1.amazonaws.com']) {
      const r = await raw('POST', '/', { ...form, host, 'user-agent': 'aws-cli/2.15.0 Python/3.11', authorization: 'AWS4-HMAC-SHA256 Credential=test/20261123/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00' }, 'Action=DescribeVpcs&Version=2016-11-15');
      assert.equal(r.status, 200, `${host}: ${r.text}`);
    }
    const page = await raw('POST', '/', { ...form, origin: 'http://localhost:3000' }, 'Action=DescribeVpcs&Version=2016-11-15');
    assert.equal(page.status, 200, 'a page served from this machine');
  });
});
