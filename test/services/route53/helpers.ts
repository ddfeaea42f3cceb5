// Route 53 test helpers: SDK clients for an account, and error assertions.
import assert from 'node:assert/strict';
import { Route53Client } from '@aws-sdk/client-route-53';
import { Route53DomainsClient } from '@aws-sdk/client-route-53-domains';
import { clientConfig, type ClientOptions } from '../../helpers/localnet.ts';
import type { Localnet } from '../../../src/server.ts';

export function route53Client(ln: Localnet, opts?: ClientOptions): Route53Client {
  return new Route53Client(clientConfig(ln, opts));
}

export function domainsClient(ln: Localnet, opts?: ClientOptions): Route53DomainsClient {
  return new Route53DomainsClient(clientConfig(ln, { region: 'us-east-1', ...opts }));
}

export async function rejects(p: Promise<unknown>, code: string, message?: RegExp, status?: number): Promise<any> {
  let caught: any;
  await assert.rejects(p, (err: any) => {
    assert.equal(err.name, code, `expected ${code}, got ${err.name}: ${err.message}`);
    if (message) assert.match(err.message, message);
    if (status) assert.equal(err.$metadata?.httpStatusCode, status);
    caught = err;
    return true;
  });
  return caught;
}

let n = 0;
/** A fresh CallerReference. */
export function ref(): string {
  return `ref-${Date.now()}-${n++}`;
}
