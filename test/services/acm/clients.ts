// ACM and Route 53 clients for the ACM tests, and small helpers shared by them.
import assert from 'node:assert/strict';
import { ACMClient, DescribeCertificateCommand, type CertificateDetail } from '@aws-sdk/client-acm';
import { Route53Client } from '@aws-sdk/client-route-53';
import { clientConfig, type ClientOptions } from '../../helpers/localnet.ts';
import type { Localnet } from '../../../src/server.ts';

export function acmClient(ln: Localnet, opts?: ClientOptions): ACMClient {
  return new ACMClient(clientConfig(ln, opts));
}

export function route53Client(ln: Localnet, opts?: ClientOptions): Route53Client {
  return new Route53Client(clientConfig(ln, opts));
}

export { rejects } from '../../helpers/errors.ts';

/** Polls DescribeCertificate until the status is reached (bounded). */
export async function waitForStatus(acm: ACMClient, arn: string, status: string, timeoutMs = 10_000): Promise<CertificateDetail> {
  const deadline = Date.now() + timeoutMs;
  let last: CertificateDetail | undefined;
  while (Date.now() < deadline) {
    last = (await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!;
    if (last.Status === status) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`certificate ${arn} did not reach ${status} within ${timeoutMs} ms (status ${last?.Status})`);
}

export async function approveEmail(ln: Localnet, arn: string): Promise<{ status: string }> {
  const res = await fetch(`${ln.endpoint}/_localnet/acm/approve`, { method: 'POST', body: JSON.stringify({ arn }) });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as { status: string };
}
