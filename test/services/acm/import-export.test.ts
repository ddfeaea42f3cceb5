// ImportCertificate (PEM checks, re-import keeping the ARN) and
// ExportCertificate (refused for imported and non-exportable certificates;
// an encrypted PKCS#8 key for exportable ones) through the SDK v3 ACM client.
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DescribeCertificateCommand, ExportCertificateCommand, GetCertificateCommand, ImportCertificateCommand, ListCertificatesCommand, ListTagsForCertificateCommand, RequestCertificateCommand, type ACMClient } from '@aws-sdk/client-acm';
import { startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { loadOrCreateCa } from '../../../src/pki/ca.ts';
import { generateKeyPair, privateKeyToPem, signingAlgorithm } from '../../../src/pki/keys.ts';
import { x509 } from '../../../src/pki/x509.ts';
import { acmClient, approveEmail, rejects } from './clients.ts';

const enc = (s: string) => new TextEncoder().encode(s);

async function selfSigned(name: string, notBefore: Date, notAfter: Date) {
  const keys = await generateKeyPair('EC_prime256v1');
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${name}`,
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: signingAlgorithm('EC_prime256v1'),
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: name }])],
  });
  return { cert: cert.toString('pem'), key: await privateKeyToPem(keys.privateKey) };
}

describe('ACM import and export', () => {
  let ln: TestLocalnet;
  let acm: ACMClient;
  // A foreign CA (another data dir) issues the certificates imported here.
  const foreignDir = mkdtempSync(join(tmpdir(), 'localnet-foreign-ca-'));
  let leaf: { certificatePem: string; chainPem: string; privateKeyPem: string };
  let other: { privateKeyPem: string };
  let rootPem: string;
  before(async () => {
    ln = await startTestLocalnet();
    acm = acmClient(ln);
    const ca = await loadOrCreateCa(foreignDir);
    rootPem = ca.rootPem;
    leaf = await ca.issue({ names: ['imported.example.com', 'www.imported.example.com'], keyAlgorithm: 'RSA_2048', validityDays: 90 });
    other = await ca.issue({ names: ['other.example.com'], keyAlgorithm: 'RSA_2048', validityDays: 90 });
  });
  after(async () => {
    await ln.stop();
    rmSync(foreignDir, { recursive: true, force: true });
  });

  it('imports a certificate with its chain; describes it from its content', async () => {
    const { CertificateArn } = await acm.send(new ImportCertificateCommand({ Certificate: enc(leaf.certificatePem), PrivateKey: enc(leaf.privateKeyPem), CertificateChain: enc(leaf.chainPem + rootPem), Tags: [{ Key: 'src', Value: 'ext' }] }));
    const c = (await acm.send(new DescribeCertificateCommand({ CertificateArn }))).Certificate!;
    assert.equal(c.Type, 'IMPORTED');
    assert.equal(c.Status, 'ISSUED');
    assert.equal(c.DomainName, 'imported.example.com');
    assert.deepEqual(c.SubjectAlternativeNames, ['imported.example.com', 'www.imported.example.com']);
    assert.equal(c.KeyAlgorithm, 'RSA_2048');
    assert.equal(c.Issuer, 'localnet');
    assert.equal(c.RenewalEligibility, 'INELIGIBLE');
    assert.ok(c.ImportedAt instanceof Date);
    assert.equal(c.DomainValidationOptions, undefined);
    assert.deepEqual(c.KeyUsages, [{ Name: 'DIGITAL_SIGNATURE' }, { Name: 'KEY_ENCIPHERMENT' }]);
    assert.equal(c.Serial, new X509Certificate(leaf.certificatePem).serialNumber.toLowerCase().match(/../g)!.join(':'));
    const got = await acm.send(new GetCertificateCommand({ CertificateArn }));
    assert.equal(new X509Certificate(got.Certificate!).fingerprint256, new X509Certificate(leaf.certificatePem).fingerprint256);
    assert.deepEqual((await acm.send(new ListTagsForCertificateCommand({ CertificateArn }))).Tags, [{ Key: 'src', Value: 'ext' }]);
  });

  it('re-imports under the same ARN, keeping tags; refuses tags on re-import', async () => {
    const first = await acm.send(new ImportCertificateCommand({ Certificate: enc(leaf.certificatePem), PrivateKey: enc(leaf.privateKeyPem), CertificateChain: enc(leaf.chainPem), Tags: [{ Key: 'keep', Value: 'me' }] }));
    const fresh = await selfSigned('reimported.example.com', new Date(Date.now() - 3_600_000), new Date(Date.now() + 30 * 86_400_000));
    const again = await acm.send(new ImportCertificateCommand({ CertificateArn: first.CertificateArn, Certificate: enc(fresh.cert), PrivateKey: enc(fresh.key) }));
    assert.equal(again.CertificateArn, first.CertificateArn);
    const c = (await acm.send(new DescribeCertificateCommand({ CertificateArn: first.CertificateArn }))).Certificate!;
    assert.equal(c.DomainName, 'reimported.example.com');
    assert.equal(c.KeyAlgorithm, 'EC_prime256v1');
    assert.deepEqual((await acm.send(new ListTagsForCertificateCommand({ CertificateArn: first.CertificateArn }))).Tags, [{ Key: 'keep', Value: 'me' }]);
    await rejects(acm.send(new ImportCertificateCommand({ CertificateArn: first.CertificateArn, Certificate: enc(fresh.cert), PrivateKey: enc(fresh.key), Tags: [{ Key: 'x', Value: 'y' }] })), 'ValidationException', /re-importing/);
    const missing = 'arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000';
    await rejects(acm.send(new ImportCertificateCommand({ CertificateArn: missing, Certificate: enc(fresh.cert), PrivateKey: enc(fresh.key) })), 'ResourceNotFoundException');
  });

  it('refuses malformed PEM, several certificates, a mismatched key, a wrong chain order and bad dates, storing nothing', async () => {
    const count = async () => (await acm.send(new ListCertificatesCommand({ Includes: { keyTypes: ['RSA_2048', 'EC_prime256v1'] } }))).CertificateSummaryList!.length;
    const before = await count();
    const imp = (cert: string, key: string, chain?: string) => acm.send(new ImportCertificateCommand({ Certificate: enc(cert), PrivateKey: enc(key), CertificateChain: chain === undefined ? undefined : enc(chain) }));
    await rejects(imp('hello', leaf.privateKeyPem, leaf.chainPem), 'ValidationException', /PEM format/);
    await rejects(imp('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', leaf.privateKeyPem, leaf.chainPem), 'ValidationException', /Unable to parse certificate/);
    await rejects(imp(leaf.certificatePem + leaf.chainPem, leaf.privateKeyPem), 'ValidationException', /more than one certificate/);
    await rejects(imp(leaf.certificatePem, 'not a key', leaf.chainPem), 'ValidationException', /private key/);
    await rejects(imp(leaf.certificatePem, other.privateKeyPem, leaf.chainPem), 'ValidationException', /does not match/);
    await rejects(imp(leaf.certificatePem, leaf.privateKeyPem, rootPem + leaf.chainPem), 'ValidationException', /correct order/);
    await rejects(imp(leaf.certificatePem, leaf.privateKeyPem), 'ValidationException', /self signed/);
    await rejects(imp(leaf.certificatePem, leaf.privateKeyPem, 'garbage'), 'ValidationException', /chain/);
    const expired = await selfSigned('old.example.com', new Date(Date.now() - 10 * 86_400_000), new Date(Date.now() - 86_400_000));
    await rejects(imp(expired.cert, expired.key), 'ValidationException', /expired/);
    const future = await selfSigned('future.example.com', new Date(Date.now() + 86_400_000), new Date(Date.now() + 10 * 86_400_000));
    await rejects(imp(future.cert, future.key), 'ValidationException', /not valid yet/);
    const encrypted = createPrivateKey(leaf.privateKeyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string;
    await rejects(imp(leaf.certificatePem, encrypted, leaf.chainPem), 'ValidationException', /encrypted/);
    assert.equal(await count(), before);
  });

  it('refuses to export imported and non-exportable public certificates', async () => {
    const imported = await acm.send(new ImportCertificateCommand({ Certificate: enc(leaf.certificatePem), PrivateKey: enc(leaf.privateKeyPem), CertificateChain: enc(leaf.chainPem) }));
    await rejects(acm.send(new ExportCertificateCommand({ CertificateArn: imported.CertificateArn, Passphrase: enc('secret') })), 'ValidationException', /imported/);
    const plain = await acm.send(new RequestCertificateCommand({ DomainName: 'plain.example.com', ValidationMethod: 'EMAIL' }));
    await approveEmail(ln, plain.CertificateArn!);
    await rejects(acm.send(new ExportCertificateCommand({ CertificateArn: plain.CertificateArn, Passphrase: enc('secret') })), 'ValidationException', /Options.Export=ENABLED/);
    const pending = await acm.send(new RequestCertificateCommand({ DomainName: 'pending.example.com', ValidationMethod: 'EMAIL', Options: { Export: 'ENABLED' } }));
    await rejects(acm.send(new ExportCertificateCommand({ CertificateArn: pending.CertificateArn, Passphrase: enc('secret') })), 'RequestInProgressException');
  });

  it('exports an exportable public certificate with its key encrypted under the passphrase', async () => {
    const { CertificateArn } = await acm.send(new RequestCertificateCommand({ DomainName: 'export.example.com', ValidationMethod: 'EMAIL', KeyAlgorithm: 'EC_secp384r1', Options: { Export: 'ENABLED' } }));
    await approveEmail(ln, CertificateArn!);
    await rejects(acm.send(new ExportCertificateCommand({ CertificateArn, Passphrase: enc('abc') })), 'ValidationException');
    await rejects(acm.send(new ExportCertificateCommand({ CertificateArn, Passphrase: enc('has$dollar') })), 'ValidationException', /except #, \$ and %/);
    const out = await acm.send(new ExportCertificateCommand({ CertificateArn, Passphrase: enc('correct horse') }));
    assert.match(out.PrivateKey!, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    assert.throws(() => createPrivateKey(out.PrivateKey!));
    assert.throws(() => createPrivateKey({ key: out.PrivateKey!, passphrase: 'wrong' }));
    const key = createPrivateKey({ key: out.PrivateKey!, passphrase: 'correct horse' });
    assert.equal(key.asymmetricKeyDetails?.namedCurve, 'secp384r1');
    assert.ok(new X509Certificate(out.Certificate!).checkPrivateKey(key));
    assert.ok(new X509Certificate(out.Certificate!).verify(new X509Certificate(out.CertificateChain!).publicKey));
    const c = (await acm.send(new DescribeCertificateCommand({ CertificateArn }))).Certificate!;
    assert.equal(c.RenewalEligibility, 'ELIGIBLE');
    const listed = await acm.send(new ListCertificatesCommand({ Includes: { keyTypes: ['EC_secp384r1'] } }));
    assert.equal(listed.CertificateSummaryList!.find((s) => s.CertificateArn === CertificateArn)?.Exported, true);
  });
});
