// DNS validation end to end: the validation CNAME goes into a public hosted
// zone through Route 53, localnet's validator finds it through a real query to
// the public DNS view, and the local CA issues. Then real TLS with the result.
// Also the pitfalls (private zone, undelegated public zone, CAA) and a restart.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DescribeCertificateCommand, GetCertificateCommand, RequestCertificateCommand, type ACMClient } from '@aws-sdk/client-acm';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, type Route53Client } from '@aws-sdk/client-route-53';
import { CreateVpcCommand } from '@aws-sdk/client-ec2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { certificateMaterial } from '../../../src/services/acm/index.ts';
import { acmClient, rejects, route53Client, waitForStatus } from './clients.ts';

const scope = { account: '000000000000', region: 'us-east-1' };

async function zone(r53: Route53Client, name: string, vpcId?: string): Promise<string> {
  const out = await r53.send(new CreateHostedZoneCommand({ Name: name, CallerReference: `${name}-${Math.random()}`, VPC: vpcId ? { VPCId: vpcId, VPCRegion: 'us-east-1' } : undefined }));
  return out.HostedZone!.Id!;
}

async function upsert(r53: Route53Client, zoneId: string, name: string, type: 'CNAME' | 'CAA', value: string): Promise<void> {
  await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: name, Type: type, TTL: 60, ResourceRecords: [{ Value: value }] } }] } }));
}

async function requestDns(acm: ACMClient, domain: string, sans: string[] = []) {
  const { CertificateArn } = await acm.send(new RequestCertificateCommand({ DomainName: domain, SubjectAlternativeNames: sans, ValidationMethod: 'DNS' }));
  const c = (await acm.send(new DescribeCertificateCommand({ CertificateArn }))).Certificate!;
  return { arn: CertificateArn!, record: c.DomainValidationOptions![0].ResourceRecord! };
}

async function why(ln: TestLocalnet, arn: string): Promise<string> {
  const res = await fetch(`${ln.endpoint}/_localnet/acm/why?arn=${encodeURIComponent(arn)}`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { lines: string[] }).lines.join('\n');
}

/** Waits long enough for several validator rounds. */
const rounds = () => new Promise((r) => setTimeout(r, 1500));

describe('ACM DNS validation through the public view', () => {
  let ln: TestLocalnet;
  let acm: ACMClient;
  let r53: Route53Client;
  let issuedArn: string;
  let pendingArn: string;
  let rootPem: string;
  before(async () => {
    ln = await startTestLocalnet();
    acm = acmClient(ln);
    r53 = route53Client(ln);
    const health = (await (await fetch(`${ln.endpoint}/_localnet/health`)).json()) as { ca: { root: string } };
    rootPem = readFileSync(health.ca.root, 'utf8');
  });
  after(() => ln.stop());

  it('issues once the CNAME is in the delegated public zone, signed by the local CA with every name', async () => {
    const { arn, record } = await requestDns(acm, 'shop.example.com', ['*.shop.example.com', 'api.example.com']);
    issuedArn = arn;
    const zoneId = await zone(r53, 'example.com');
    await upsert(r53, zoneId, 'shop.example.com', 'CAA', '0 issue "amazon.com"');
    await upsert(r53, zoneId, record.Name!, 'CNAME', record.Value!);
    await rounds();
    const half = (await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!;
    assert.equal(half.Status, 'PENDING_VALIDATION', 'api.example.com is not validated yet');
    assert.deepEqual(half.DomainValidationOptions!.map((v) => v.ValidationStatus), ['SUCCESS', 'SUCCESS', 'PENDING_VALIDATION']);
    const api = half.DomainValidationOptions![2].ResourceRecord!;
    await upsert(r53, zoneId, api.Name!, 'CNAME', api.Value!);
    const c = await waitForStatus(acm, arn, 'ISSUED', 10_000);
    assert.ok(c.DomainValidationOptions!.every((v) => v.ValidationStatus === 'SUCCESS'));
    assert.equal(c.Issuer, 'localnet');

    const { Certificate, CertificateChain } = await acm.send(new GetCertificateCommand({ CertificateArn: arn }));
    const leaf = new X509Certificate(Certificate!);
    const intermediate = new X509Certificate(CertificateChain!);
    const root = new X509Certificate(rootPem);
    assert.ok(leaf.checkIssued(intermediate) && leaf.verify(intermediate.publicKey), 'leaf signed by the intermediate');
    assert.ok(intermediate.checkIssued(root) && intermediate.verify(root.publicKey), 'intermediate signed by the root');
    assert.equal(leaf.subject, 'CN=shop.example.com');
    assert.equal(leaf.subjectAltName, 'DNS:shop.example.com, DNS:*.shop.example.com, DNS:api.example.com');
    assert.deepEqual(leaf.keyUsage, ['1.3.6.1.5.5.7.3.1']);
    assert.equal(leaf.ca, false);
    for (const host of ['shop.example.com', 'www.shop.example.com', 'api.example.com']) assert.ok(leaf.checkHost(host), host);
    for (const host of ['a.b.shop.example.com', 'example.com', 'www.example.com']) assert.equal(leaf.checkHost(host), undefined, host);
  });

  it('serves real TLS with the issued certificate: a client trusting only the local root accepts it', async () => {
    const material = certificateMaterial(ln.store, scope, issuedArn)!;
    assert.ok(material.privateKeyPem.includes('PRIVATE KEY'));
    const server = tls.createServer({ key: material.privateKeyPem, cert: material.certificatePem + material.chainPem }, (s) => s.end('hello over tls\n'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const connect = (servername: string, ca?: string[]) =>
      new Promise<string>((resolve, reject) => {
        const s = tls.connect({ host: '127.0.0.1', port, servername, ca }, () => {
          let data = '';
          s.on('data', (d) => (data += d));
          s.on('end', () => resolve(data));
        });
        s.on('error', reject);
      });
    try {
      assert.equal(await connect('www.shop.example.com', [rootPem]), 'hello over tls\n');
      assert.equal(await connect('shop.example.com', [rootPem]), 'hello over tls\n');
      await assert.rejects(connect('a.b.shop.example.com', [rootPem]), /ERR_TLS_CERT_ALTNAME_INVALID|does not match/);
      await assert.rejects(connect('www.shop.example.com'), /unable to get local issuer certificate|self.signed|UNABLE_TO_GET_ISSUER_CERT/);
    } finally {
      server.close();
    }
  });

  it('stays pending while the record is only in a private hosted zone, and says why', async () => {
    const { arn, record } = await requestDns(acm, 'registry.internal-corp.net');
    pendingArn = arn;
    const { Vpc } = await ec2Client(ln).send(new CreateVpcCommand({ CidrBlock: '10.40.0.0/16' }));
    const zoneId = await zone(r53, 'internal-corp.net', Vpc!.VpcId);
    await upsert(r53, zoneId, record.Name!, 'CNAME', record.Value!);
    await rounds();
    const c = (await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!;
    assert.equal(c.Status, 'PENDING_VALIDATION');
    await rejects(acm.send(new GetCertificateCommand({ CertificateArn: arn })), 'RequestInProgressException');
    const text = await why(ln, arn);
    assert.match(text, /only in private hosted zone internal-corp\.net/);
    assert.match(text, new RegExp(`visible only inside ${Vpc!.VpcId}; ACM validates from the public internet`));
    assert.match(text, /last public DNS lookup .*(REFUSED|NXDOMAIN|refused)/);
  });

  it('stays pending while the record is in a public zone that is not the delegated one', async () => {
    const { arn, record } = await requestDns(acm, 'www.twice.org');
    const delegated = await zone(r53, 'twice.org');
    const shadow = await zone(r53, 'twice.org');
    await upsert(r53, shadow, record.Name!, 'CNAME', record.Value!);
    await rounds();
    assert.equal((await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!.Status, 'PENDING_VALIDATION');
    const text = await why(ln, arn);
    assert.match(text, new RegExp(`public hosted zone twice\\.org \\(${shadow.replace('/hostedzone/', '')}\\), which is not the zone the internet is delegated to`));
    assert.match(text, new RegExp(`the delegated zone is public hosted zone twice\\.org \\(${delegated.replace('/hostedzone/', '')}\\)`));
    await upsert(r53, delegated, record.Name!, 'CNAME', record.Value!);
    await waitForStatus(acm, arn, 'ISSUED', 10_000);
  });

  it('fails with CAA_ERROR when CAA records do not allow Amazon, though the names validated', async () => {
    const { arn, record } = await requestDns(acm, 'caa.example.dev');
    const zoneId = await zone(r53, 'example.dev');
    await upsert(r53, zoneId, 'example.dev', 'CAA', '0 issue "letsencrypt.org"');
    await upsert(r53, zoneId, record.Name!, 'CNAME', record.Value!);
    const c = await waitForStatus(acm, arn, 'FAILED', 10_000);
    assert.equal(c.FailureReason, 'CAA_ERROR');
    assert.equal(c.DomainValidationOptions![0].ValidationStatus, 'SUCCESS');
    assert.match(await why(ln, arn), /CAA records at example\.dev do not allow Amazon/);
  });

  it('keeps the CA and every certificate across a restart; the root does not change', async () => {
    const before = (await acm.send(new GetCertificateCommand({ CertificateArn: issuedArn }))).Certificate;
    const fingerprint = ln.ca.rootFingerprint;
    ln = await ln.restart();
    acm = acmClient(ln);
    assert.equal(ln.ca.rootFingerprint, fingerprint);
    assert.equal(readFileSync(ln.ca.files.root, 'utf8'), rootPem);
    assert.equal((await acm.send(new GetCertificateCommand({ CertificateArn: issuedArn }))).Certificate, before);
    assert.ok(certificateMaterial(ln.store, scope, issuedArn)?.privateKeyPem);
    assert.equal((await acm.send(new DescribeCertificateCommand({ CertificateArn: pendingArn }))).Certificate!.Status, 'PENDING_VALIDATION');
    // A certificate issued after the restart chains to the same root.
    const { arn, record } = await requestDns(acm, 'after.example.com');
    const zones = route53Client(ln);
    const list = await zones.send(new CreateHostedZoneCommand({ Name: 'after.example.com', CallerReference: 'after' }));
    await upsert(zones, list.HostedZone!.Id!, record.Name!, 'CNAME', record.Value!);
    await waitForStatus(acm, arn, 'ISSUED', 10_000);
    const chain = (await acm.send(new GetCertificateCommand({ CertificateArn: arn }))).CertificateChain!;
    assert.ok(new X509Certificate(chain).verify(new X509Certificate(rootPem).publicKey));
  });
});
