// The json protocol against the Route 53 Domains model, without sockets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AwsError } from '../../src/aws/errors.ts';
import { newContext } from '../../src/aws/context.ts';
import { loadModel } from '../../src/aws/model.ts';
import { jsonProtocol } from '../../src/aws/protocols/json.ts';
import type { WireRequest } from '../../src/aws/protocols/wire.ts';

const model = loadModel('route53domains');

function req(target: string | undefined, body: string): WireRequest {
  return { method: 'POST', path: '/', query: new URLSearchParams(), headers: target ? { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' } : {}, body: Buffer.from(body) };
}

describe('json protocol', () => {
  it('takes the operation from X-Amz-Target with the model\'s prefix', () => {
    assert.equal(jsonProtocol.operationOf(req('Route53Domains_v20140515.GetDomainDetail', '{}'), model), 'GetDomainDetail');
    assert.equal(jsonProtocol.operationOf(req('CertificateManager.ListCertificates', '{}'), model), undefined);
    assert.equal(jsonProtocol.operationOf(req(undefined, '{}'), model), undefined);
  });

  it('reads the body by shape: timestamps from epoch seconds, required members checked', () => {
    const input = jsonProtocol.parse(req('x', JSON.stringify({ Start: 1700000000, End: 1700000100.5, MaxItems: 5 })), model, 'ViewBilling');
    assert.deepEqual(input, { Start: new Date(1700000000 * 1000), End: new Date(1700000100500), MaxItems: 5 });
    assert.throws(() => jsonProtocol.parse(req('x', '{}'), model, 'GetDomainDetail'), (e: AwsError) => e.code === 'ValidationException' && /domainName/.test(e.message));
    assert.throws(() => jsonProtocol.parse(req('x', '{"DomainName": 5}'), model, 'GetDomainDetail'), (e: AwsError) => e.code === 'SerializationException' && e.status === 400);
  });

  it('answers a malformed body with a 400 SerializationException, never a crash', () => {
    for (const body of ['{', '[]', 'null', '"x"']) {
      assert.throws(() => jsonProtocol.parse(req('x', body), model, 'GetDomainDetail'), (e: AwsError) => e.code === 'SerializationException' && e.status === 400, body);
    }
  });

  it('writes output JSON with timestamps as epoch seconds and errors as __type + x-amzn-ErrorType', () => {
    const ctx = newContext();
    const out = jsonProtocol.serialize(ctx, model, 'ListDomains', { Domains: [{ DomainName: 'a.com', AutoRenew: true, Expiry: new Date('2030-01-01T00:00:00Z') }] });
    assert.equal(out.status, 200);
    assert.equal(out.headers['content-type'], 'application/x-amz-json-1.1');
    assert.deepEqual(JSON.parse(String(out.body)), { Domains: [{ DomainName: 'a.com', AutoRenew: true, Expiry: 1893456000 }] });
    const err = jsonProtocol.serializeError(ctx, model, new AwsError('InvalidInput', 'bad', 400));
    assert.equal(err.status, 400);
    assert.equal(err.headers['x-amzn-errortype'], 'InvalidInput');
    assert.deepEqual(JSON.parse(String(err.body)), { __type: 'InvalidInput', message: 'bad' });
  });
});
