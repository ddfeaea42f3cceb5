import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { caFiles, loadOrCreateCa } from '../../src/pki/ca.ts';
import { x509 } from '../../src/pki/x509.ts';

describe('local CA', () => {
  const dir = mkdtempSync(join(tmpdir(), 'localnet-ca-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a root and an intermediate on first use, keys readable only by the owner', async () => {
    const ca = await loadOrCreateCa(dir);
    const files = caFiles(dir);
    const root = new X509Certificate(readFileSync(files.root));
    const intermediate = new X509Certificate(readFileSync(files.intermediate));
    assert.equal(root.ca, true);
    assert.equal(intermediate.ca, true);
    assert.ok(root.verify(root.publicKey), 'root is self-signed');
    assert.ok(intermediate.checkIssued(root) && intermediate.verify(root.publicKey));
    assert.match(root.subject, /CN=localnet Root CA [0-9a-f]{8}/);
    assert.equal(statSync(files.rootKey).mode & 0o077, 0);
    assert.equal(statSync(files.intermediateKey).mode & 0o077, 0);
    assert.equal(ca.rootFingerprint, root.fingerprint256);
    const pathLen = new x509.X509Certificate(ca.intermediatePem).getExtension(x509.BasicConstraintsExtension);
    assert.equal(pathLen?.pathLength, 0);
  });

  it('loads the same root and intermediate again', async () => {
    const a = await loadOrCreateCa(dir);
    const b = await loadOrCreateCa(dir);
    assert.equal(a.rootPem, b.rootPem);
    assert.equal(a.intermediatePem, b.intermediatePem);
  });

  it('replaces an intermediate close to expiry, under the same root', async () => {
    const own = mkdtempSync(join(tmpdir(), 'localnet-ca-'));
    const a = await loadOrCreateCa(own);
    const later = new Date(Date.now() + 5 * 365 * 86_400_000 - 100 * 86_400_000);
    const b = await loadOrCreateCa(own, later);
    rmSync(own, { recursive: true, force: true });
    assert.equal(b.rootPem, a.rootPem);
    assert.notEqual(b.intermediatePem, a.intermediatePem);
    assert.ok(new X509Certificate(b.intermediatePem).verify(new X509Certificate(b.rootPem).publicKey));
  });

  it('issues leaves as ACM shapes them: CN, SANs, key usages, serverAuth, whole-day validity, unique serials', async () => {
    const ca = await loadOrCreateCa(dir);
    const now = new Date('2026-11-23T15:30:00Z');
    const rsa = await ca.issue({ names: ['example.com', '*.example.com', 'api.example.org'], keyAlgorithm: 'RSA_2048', validityDays: 198, now });
    const leaf = new x509.X509Certificate(rsa.certificatePem);
    assert.equal(leaf.subject, 'CN=example.com');
    assert.deepEqual(leaf.getExtension(x509.SubjectAlternativeNameExtension)!.names.items.map((n) => n.value), ['example.com', '*.example.com', 'api.example.org']);
    const ku = leaf.getExtension(x509.KeyUsagesExtension)!;
    assert.equal(ku.usages, x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment);
    assert.equal(ku.critical, true);
    assert.deepEqual([...leaf.getExtension(x509.ExtendedKeyUsageExtension)!.usages].map(String), [x509.ExtendedKeyUsage.serverAuth]);
    assert.equal(leaf.getExtension(x509.BasicConstraintsExtension)!.ca, false);
    assert.equal(leaf.notBefore.toISOString(), '2026-11-23T00:00:00.000Z');
    assert.equal(leaf.notAfter.toISOString(), '2027-06-08T23:59:59.000Z');
    assert.equal(rsa.chainPem, ca.intermediatePem);
    const key = new X509Certificate(rsa.certificatePem);
    assert.ok(key.verify(new X509Certificate(ca.intermediatePem).publicKey));

    const ec = await ca.issue({ names: ['x.example.com'], keyAlgorithm: 'EC_prime256v1', validityDays: 198 });
    assert.equal(new x509.X509Certificate(ec.certificatePem).getExtension(x509.KeyUsagesExtension)!.usages, x509.KeyUsageFlags.digitalSignature);
    const serials = new Set([rsa.serial, ec.serial]);
    for (let i = 0; i < 20; i++) serials.add((await ca.issue({ names: ['s.example.com'], keyAlgorithm: 'EC_prime256v1', validityDays: 1 })).serial);
    assert.equal(serials.size, 22);
  });
});
