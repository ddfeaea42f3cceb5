// The validator's clock-driven transitions, without DNS: 72 hours pending
// becomes VALIDATION_TIMED_OUT, past NotAfter becomes EXPIRED, and without a
// public DNS view nothing validates (and the reason is recorded).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadOrCreateCa, type LocalCa } from '../../../src/pki/ca.ts';
import { AcmValidator } from '../../../src/services/acm/validation.ts';
import { CERTIFICATE_KIND, type CertificateRecord } from '../../../src/services/acm/types.ts';
import { openSqliteStore } from '../../../src/store/sqlite.ts';
import type { Store } from '../../../src/store/store.ts';

const scope = { account: '000000000000', region: 'us-east-1' };

function pending(id: string, createdAt: string): CertificateRecord {
  return {
    arn: `arn:aws:acm:us-east-1:000000000000:certificate/${id}`,
    id,
    domainName: 'example.com',
    names: ['example.com'],
    type: 'AMAZON_ISSUED',
    status: 'PENDING_VALIDATION',
    validations: [{ domainName: 'example.com', validationDomain: 'example.com', validationMethod: 'DNS', status: 'PENDING_VALIDATION', resourceRecord: { Name: '_a.example.com.', Type: 'CNAME', Value: '_b.c.acm-validations.aws.' } }],
    keyAlgorithm: 'EC_prime256v1',
    options: { CertificateTransparencyLoggingPreference: 'ENABLED', Export: 'DISABLED' },
    createdAt,
    inUseBy: [],
    tags: [],
    exported: false,
  };
}

describe('ACM validator transitions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'localnet-validator-'));
  let store: Store;
  let ca: LocalCa;
  before(async () => {
    store = openSqliteStore(':memory:');
    ca = await loadOrCreateCa(dir);
  });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('times out a request pending for more than 72 hours, leaves a younger one pending with the reason', async () => {
    const now = new Date('2026-06-10T00:00:00Z');
    store.put(CERTIFICATE_KIND, scope, '11111111-1111-1111-1111-111111111111', pending('11111111-1111-1111-1111-111111111111', '2026-06-06T23:00:00Z'));
    store.put(CERTIFICATE_KIND, scope, '22222222-2222-2222-2222-222222222222', pending('22222222-2222-2222-2222-222222222222', '2026-06-07T01:00:00Z'));
    const v = new AcmValidator({ store, ca, publicDns: () => undefined, now: () => now });
    await v.runOnce();
    assert.equal(store.get<CertificateRecord>(CERTIFICATE_KIND, scope, '11111111-1111-1111-1111-111111111111')!.status, 'VALIDATION_TIMED_OUT');
    const young = store.get<CertificateRecord>(CERTIFICATE_KIND, scope, '22222222-2222-2222-2222-222222222222')!;
    assert.equal(young.status, 'PENDING_VALIDATION');
    assert.match(young.lastCheck!.lookups[0].outcome, /public DNS view is not running/);
  });

  it('expires an issued certificate past NotAfter', async () => {
    const issued: CertificateRecord = { ...pending('33333333-3333-3333-3333-333333333333', '2025-01-01T00:00:00Z'), status: 'ISSUED', notAfter: '2026-01-01T00:00:00Z' };
    store.put(CERTIFICATE_KIND, scope, issued.id, issued);
    await new AcmValidator({ store, ca, publicDns: () => undefined, now: () => new Date('2026-01-02T00:00:00Z') }).runOnce();
    assert.equal(store.get<CertificateRecord>(CERTIFICATE_KIND, scope, issued.id)!.status, 'EXPIRED');
  });
});
