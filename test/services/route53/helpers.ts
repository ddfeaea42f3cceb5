// Route 53 test helpers: SDK clients for an account, and error assertions.
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

export { rejects } from '../../helpers/errors.ts';

let n = 0;
/** A fresh CallerReference. */
export function ref(): string {
  return `ref-${Date.now()}-${n++}`;
}
