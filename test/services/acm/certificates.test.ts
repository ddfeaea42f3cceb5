// RequestCertificate, DescribeCertificate, ListCertificates, GetCertificate,
// DeleteCertificate, RenewCertificate, UpdateCertificateOptions, tags and
// account configuration through the SDK v3 ACM client. Issuance here goes
// through EMAIL approval; DNS validation has its own file.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddTagsToCertificateCommand,
  DeleteCertificateCommand,
  DescribeCertificateCommand,
  GetAccountConfigurationCommand,
  GetCertificateCommand,
  ListCertificatesCommand,
  ListTagsForCertificateCommand,
  PutAccountConfigurationCommand,
  RemoveTagsFromCertificateCommand,
  RenewCertificateCommand,
  RequestCertificateCommand,
  UpdateCertificateOptionsCommand,
  type ACMClient,
} from '@aws-sdk/client-acm';
import { startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { addCertificateUser, removeCertificateUser } from '../../../src/services/acm/index.ts';
import { acmClient, approveEmail, rejects, waitForStatus } from './clients.ts';

describe('ACM certificates', () => {
  let ln: TestLocalnet;
  let acm: ACMClient;
  const scope = { account: '000000000000', region: 'us-east-1' };
  before(async () => {
    ln = await startTestLocalnet();
    acm = acmClient(ln);
  });
  after(() => ln.stop());

  const request = (input: Partial<ConstructorParameters<typeof RequestCertificateCommand>[0]> & { DomainName: string }) =>
    acm.send(new RequestCertificateCommand({ ValidationMethod: 'DNS', ...input }));
  const describeCert = async (arn: string) => (await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!;

  it('requests a DNS-validated certificate: one CNAME shared by a name and its wildcard, pending', async () => {
    const { CertificateArn } = await request({ DomainName: 'app.example.org', SubjectAlternativeNames: ['*.app.example.org', 'api.example.org'], Tags: [{ Key: 'team', Value: 'web' }] });
    assert.match(CertificateArn!, /^arn:aws:acm:us-east-1:000000000000:certificate\/[0-9a-f-]{36}$/);
    const c = await describeCert(CertificateArn!);
    assert.equal(c.Status, 'PENDING_VALIDATION');
    assert.equal(c.Type, 'AMAZON_ISSUED');
    assert.equal(c.KeyAlgorithm, 'RSA_2048');
    assert.deepEqual(c.SubjectAlternativeNames, ['app.example.org', '*.app.example.org', 'api.example.org']);
    assert.equal(c.RenewalEligibility, 'INELIGIBLE');
    assert.deepEqual(c.InUseBy, []);
    assert.equal(c.Serial, undefined);
    const [apex, wild, api] = c.DomainValidationOptions!;
    for (const v of [apex, wild, api]) {
      assert.equal(v.ValidationStatus, 'PENDING_VALIDATION');
      assert.equal(v.ValidationMethod, 'DNS');
      assert.equal(v.ResourceRecord!.Type, 'CNAME');
      assert.match(v.ResourceRecord!.Value!, /^_[0-9a-f]{32}\.[a-z]{10}\.acm-validations\.aws\.$/);
    }
    assert.match(apex.ResourceRecord!.Name!, /^_[0-9a-f]{32}\.app\.example\.org\.$/);
    assert.deepEqual(wild.ResourceRecord, apex.ResourceRecord);
    assert.notDeepEqual(api.ResourceRecord, apex.ResourceRecord);
    assert.match(api.ResourceRecord!.Name!, /\.api\.example\.org\.$/);
    const tags = await acm.send(new ListTagsForCertificateCommand({ CertificateArn }));
    assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'web' }]);
  });

  it('reuses the same validation record for the same name across certificates', async () => {
    const a = await request({ DomainName: 'same.example.org' });
    const b = await request({ DomainName: 'same.example.org', KeyAlgorithm: 'EC_prime256v1' });
    assert.notEqual(a.CertificateArn, b.CertificateArn);
    const ra = (await describeCert(a.CertificateArn!)).DomainValidationOptions![0].ResourceRecord;
    const rb = (await describeCert(b.CertificateArn!)).DomainValidationOptions![0].ResourceRecord;
    assert.deepEqual(ra, rb);
  });

  it('answers the same ARN for the same IdempotencyToken and parameters, a new one when they differ', async () => {
    const a = await request({ DomainName: 'idem.example.org', IdempotencyToken: 'tok1' });
    const b = await request({ DomainName: 'idem.example.org', IdempotencyToken: 'tok1' });
    const c = await request({ DomainName: 'other.example.org', IdempotencyToken: 'tok1' });
    const d = await request({ DomainName: 'idem.example.org' });
    assert.equal(a.CertificateArn, b.CertificateArn);
    assert.notEqual(a.CertificateArn, c.CertificateArn);
    assert.notEqual(a.CertificateArn, d.CertificateArn);
  });

  it('refuses bad input with ACM error codes and stores nothing', async () => {
    const before = (await acm.send(new ListCertificatesCommand({ Includes: { keyTypes: ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'] } }))).CertificateSummaryList!.length;
    await rejects(request({ DomainName: 'localhost' }), 'ValidationException', /domainName.*regular expression/);
    await rejects(request({ DomainName: 'bad_name.example.com' }), 'ValidationException');
    await rejects(request({ DomainName: 'a.*.example.com' }), 'ValidationException');
    await rejects(request({ DomainName: 'ok.example.com', SubjectAlternativeNames: ['-bad.example.com'] }), 'ValidationException', /subjectAlternativeNames/);
    const eleven = Array.from({ length: 10 }, (_, i) => `n${i}.example.com`);
    await rejects(request({ DomainName: 'many.example.com', SubjectAlternativeNames: eleven }), 'LimitExceededException', /limit is 10/);
    await rejects(request({ DomainName: 'my.s3.amazonaws.com' }), 'InvalidDomainValidationOptionsException', /belongs to AWS/);
    await rejects(request({ DomainName: 'x.example.com', DomainValidationOptions: [{ DomainName: 'y.example.com', ValidationDomain: 'example.com' }] }), 'InvalidDomainValidationOptionsException');
    await rejects(request({ DomainName: 'x.example.com', DomainValidationOptions: [{ DomainName: 'x.example.com', ValidationDomain: 'other.com' }] }), 'InvalidDomainValidationOptionsException');
    await rejects(request({ DomainName: 'x.example.com', KeyAlgorithm: 'RSA_4096' }), 'ValidationException', /not supported/);
    await rejects(request({ DomainName: 'x.example.com', KeyAlgorithm: 'RSA_9999' as never }), 'ValidationException', /enum value set/);
    await rejects(request({ DomainName: `${'a'.repeat(60)}.example.com` }), 'ValidationException', /64/);
    await rejects(request({ DomainName: 'x.example.com', Tags: [{ Key: 'aws:reserved', Value: 'v' }] }), 'InvalidTagException');
    const after = (await acm.send(new ListCertificatesCommand({ Includes: { keyTypes: ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'] } }))).CertificateSummaryList!.length;
    assert.equal(after, before);
  });

  it('answers ResourceNotFound for unknown ARNs, InvalidArn for other services, ValidationException for garbage', async () => {
    const missing = 'arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000';
    await rejects(acm.send(new DescribeCertificateCommand({ CertificateArn: missing })), 'ResourceNotFoundException', /Could not find certificate/);
    await rejects(acm.send(new DescribeCertificateCommand({ CertificateArn: 'arn:aws:iam::000000000000:server-certificate/x' })), 'InvalidArnException');
    await rejects(acm.send(new DescribeCertificateCommand({ CertificateArn: 'not an arn at all, really' })), 'ValidationException');
    const { CertificateArn } = await request({ DomainName: 'regional.example.org' });
    const other = acmClient(ln, { region: 'eu-west-1' });
    await rejects(other.send(new DescribeCertificateCommand({ CertificateArn })), 'ResourceNotFoundException');
  });

  it('GetCertificate is RequestInProgress while pending; EMAIL approval issues a chain-complete certificate', async () => {
    const { CertificateArn } = await acm.send(new RequestCertificateCommand({ DomainName: 'mail.example.net', SubjectAlternativeNames: ['www.mail.example.net'], ValidationMethod: 'EMAIL', KeyAlgorithm: 'EC_prime256v1' }));
    const pending = await describeCert(CertificateArn!);
    assert.deepEqual(pending.DomainValidationOptions![0].ValidationEmails, ['admin', 'administrator', 'hostmaster', 'postmaster', 'webmaster'].map((u) => `${u}@example.net`));
    assert.equal(pending.DomainValidationOptions![0].ResourceRecord, undefined);
    await rejects(acm.send(new GetCertificateCommand({ CertificateArn })), 'RequestInProgressException');
    assert.equal((await approveEmail(ln, CertificateArn!)).status, 'ISSUED');
    const c = await describeCert(CertificateArn!);
    assert.equal(c.Status, 'ISSUED');
    assert.equal(c.Issuer, 'localnet');
    assert.equal(c.Subject, 'CN=mail.example.net');
    assert.match(c.Serial!, /^[0-9a-f]{2}(:[0-9a-f]{2}){15}$/);
    assert.equal(c.SignatureAlgorithm, 'SHA256WITHECDSA');
    assert.deepEqual(c.KeyUsages, [{ Name: 'DIGITAL_SIGNATURE' }]);
    assert.deepEqual(c.ExtendedKeyUsages, [{ Name: 'TLS_WEB_SERVER_AUTHENTICATION', OID: '1.3.6.1.5.5.7.3.1' }]);
    assert.ok(c.DomainValidationOptions!.every((v) => v.ValidationStatus === 'SUCCESS'));
    const days = (c.NotAfter!.getTime() - c.NotBefore!.getTime()) / 86_400_000;
    assert.ok(days > 197.9 && days <= 198, `validity ${days} days`);
    const got = await acm.send(new GetCertificateCommand({ CertificateArn }));
    assert.match(got.Certificate!, /^-----BEGIN CERTIFICATE-----/);
    assert.match(got.CertificateChain!, /^-----BEGIN CERTIFICATE-----/);
  });

  it('lists with status and key-type filters (RSA_1024/RSA_2048 by default) and paginates', async () => {
    const all = async (input: ConstructorParameters<typeof ListCertificatesCommand>[0]) => {
      const out: string[] = [];
      let NextToken: string | undefined;
      do {
        const page = await acm.send(new ListCertificatesCommand({ ...input, NextToken }));
        assert.ok(page.CertificateSummaryList!.length <= (input?.MaxItems ?? 1000));
        out.push(...page.CertificateSummaryList!.map((s) => s.CertificateArn!));
        NextToken = page.NextToken;
      } while (NextToken);
      return out;
    };
    const rsa = await all({});
    const ec = await all({ Includes: { keyTypes: ['EC_prime256v1'] } });
    assert.ok(rsa.length >= 5);
    assert.ok(ec.length >= 2);
    assert.equal(rsa.filter((a) => ec.includes(a)).length, 0);
    assert.deepEqual(await all({ MaxItems: 2 }), rsa);
    const issued = await acm.send(new ListCertificatesCommand({ CertificateStatuses: ['ISSUED'], Includes: { keyTypes: ['EC_prime256v1'] } }));
    assert.equal(issued.CertificateSummaryList!.length, 1);
    const s = issued.CertificateSummaryList![0];
    assert.equal(s.DomainName, 'mail.example.net');
    assert.deepEqual(s.SubjectAlternativeNameSummaries, ['mail.example.net', 'www.mail.example.net']);
    assert.equal(s.InUse, false);
    assert.equal(s.Type, 'AMAZON_ISSUED');
    assert.equal((await acm.send(new ListCertificatesCommand({ CertificateStatuses: ['EXPIRED'] }))).CertificateSummaryList!.length, 0);
    await rejects(acm.send(new ListCertificatesCommand({ NextToken: 'garbage!' })), 'InvalidArgsException');
    await rejects(acm.send(new ListCertificatesCommand({ MaxItems: 0 })), 'ValidationException');
  });

  it('refuses DeleteCertificate while in use, deletes once released', async () => {
    const { CertificateArn } = await request({ DomainName: 'inuse.example.org' });
    const lb = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/0123456789abcdef';
    assert.equal(ln.store.transaction(() => addCertificateUser(ln.store, scope, CertificateArn!, lb)), true);
    assert.deepEqual((await describeCert(CertificateArn!)).InUseBy, [lb]);
    await rejects(acm.send(new DeleteCertificateCommand({ CertificateArn })), 'ResourceInUseException', /in use/);
    ln.store.transaction(() => removeCertificateUser(ln.store, scope, CertificateArn!, lb));
    await acm.send(new DeleteCertificateCommand({ CertificateArn }));
    await rejects(acm.send(new DescribeCertificateCommand({ CertificateArn })), 'ResourceNotFoundException');
    await rejects(acm.send(new DeleteCertificateCommand({ CertificateArn })), 'ResourceNotFoundException');
  });

  it('adds, replaces and removes tags', async () => {
    const { CertificateArn } = await request({ DomainName: 'tags.example.org' });
    await acm.send(new AddTagsToCertificateCommand({ CertificateArn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }, { Key: 'c' }] }));
    await acm.send(new AddTagsToCertificateCommand({ CertificateArn, Tags: [{ Key: 'a', Value: '9' }] }));
    await acm.send(new RemoveTagsFromCertificateCommand({ CertificateArn, Tags: [{ Key: 'b', Value: 'not-2' }, { Key: 'c' }] }));
    const { Tags } = await acm.send(new ListTagsForCertificateCommand({ CertificateArn }));
    assert.deepEqual(Tags, [{ Key: 'a', Value: '9' }, { Key: 'b', Value: '2' }]);
    const many = Array.from({ length: 49 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejects(acm.send(new AddTagsToCertificateCommand({ CertificateArn, Tags: many })), 'TooManyTagsException');
    await rejects(acm.send(new AddTagsToCertificateCommand({ CertificateArn, Tags: [{ Key: 'aws:x', Value: 'v' }] })), 'InvalidTagException');
  });

  it('renews only eligible certificates; a renewal of an exported certificate re-issues with a new serial', async () => {
    const pending = await request({ DomainName: 'renew-pending.example.org' });
    await rejects(acm.send(new RenewCertificateCommand({ CertificateArn: pending.CertificateArn })), 'RequestInProgressException');
    const { CertificateArn } = await acm.send(new RequestCertificateCommand({ DomainName: 'renew.example.org', ValidationMethod: 'EMAIL', Options: { Export: 'ENABLED' } }));
    await approveEmail(ln, CertificateArn!);
    await rejects(acm.send(new RenewCertificateCommand({ CertificateArn })), 'ValidationException', /not eligible/);
    const lb = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/renew/0123456789abcdef';
    ln.store.transaction(() => addCertificateUser(ln.store, scope, CertificateArn!, lb));
    const first = await describeCert(CertificateArn!);
    assert.equal(first.RenewalEligibility, 'ELIGIBLE');
    await acm.send(new RenewCertificateCommand({ CertificateArn }));
    const deadline = Date.now() + 10_000;
    let c = await describeCert(CertificateArn!);
    while (c.RenewalSummary?.RenewalStatus !== 'SUCCESS' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      c = await describeCert(CertificateArn!);
    }
    assert.equal(c.RenewalSummary?.RenewalStatus, 'SUCCESS');
    assert.notEqual(c.Serial, first.Serial);
    assert.equal(c.Status, 'ISSUED');
  });

  it('updates the transparency logging preference but never the Export option', async () => {
    const { CertificateArn } = await request({ DomainName: 'opts.example.org' });
    await acm.send(new UpdateCertificateOptionsCommand({ CertificateArn, Options: { CertificateTransparencyLoggingPreference: 'DISABLED' } }));
    assert.deepEqual((await describeCert(CertificateArn!)).Options, { CertificateTransparencyLoggingPreference: 'DISABLED', Export: 'DISABLED' });
    await rejects(acm.send(new UpdateCertificateOptionsCommand({ CertificateArn, Options: { Export: 'ENABLED' } })), 'ValidationException', /Export/);
  });

  it('keeps the account configuration, honouring an IdempotencyToken once', async () => {
    assert.equal((await acm.send(new GetAccountConfigurationCommand({}))).ExpiryEvents?.DaysBeforeExpiry, 45);
    await acm.send(new PutAccountConfigurationCommand({ IdempotencyToken: 'cfg1', ExpiryEvents: { DaysBeforeExpiry: 30 } }));
    await acm.send(new PutAccountConfigurationCommand({ IdempotencyToken: 'cfg1', ExpiryEvents: { DaysBeforeExpiry: 10 } }));
    assert.equal((await acm.send(new GetAccountConfigurationCommand({}))).ExpiryEvents?.DaysBeforeExpiry, 30);
    await acm.send(new PutAccountConfigurationCommand({ IdempotencyToken: 'cfg2', ExpiryEvents: { DaysBeforeExpiry: 10 } }));
    assert.equal((await acm.send(new GetAccountConfigurationCommand({}))).ExpiryEvents?.DaysBeforeExpiry, 10);
    await rejects(acm.send(new PutAccountConfigurationCommand({ IdempotencyToken: 'cfg3', ExpiryEvents: { DaysBeforeExpiry: 46 } })), 'ValidationException');
    await rejects(acm.send(new PutAccountConfigurationCommand({} as never)), 'ValidationException', /idempotencyToken/);
  });

  it('fails a private certificate request: AWS Private CA is not emulated', async () => {
    const { CertificateArn } = await acm.send(new RequestCertificateCommand({ DomainName: 'internal.example.org', CertificateAuthorityArn: 'arn:aws:acm-pca:us-east-1:000000000000:certificate-authority/11111111-1111-1111-1111-111111111111' }));
    const c = await waitForStatus(acm, CertificateArn!, 'FAILED', 1000);
    assert.equal(c.Type, 'PRIVATE');
    assert.equal(c.FailureReason, 'PCA_RESOURCE_NOT_FOUND');
  });
});
