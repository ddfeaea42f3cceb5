// The background half of ACM: every few hundred milliseconds it looks up the
// validation CNAME of each pending name in localnet's public DNS view, marks
// names SUCCESS when the record answers with the expected value, checks CAA,
// and has the local CA issue the certificate once every name is validated.
// It also times out requests pending for 72 hours, expires certificates past
// NotAfter and carries out renewals. EMAIL validation is approved by hand
// (approve(), behind `localnet acm approve`).
//
// Signing is asynchronous (WebCrypto), so the validator reads a record,
// works outside any transaction, then re-reads and writes in one transaction
// only if the record is still what it read (a concurrent DeleteCertificate wins).
import type { Store, Scope } from '../../store/store.ts';
import type { LocalCa } from '../../pki/ca.ts';
import type { KeyAlgorithm } from '../../pki/keys.ts';
import { caaAllows, PublicDnsClient, type PublicDnsAddress } from './dns-lookup.ts';
import { CERTIFICATE_KIND, type CertificateRecord, type ValidationCheck } from './types.ts';
import { Rounds } from '../rounds.ts';

/** ACM public certificates are valid for 198 days since February 2026 (395 before; CA/Browser Forum ballot SC-081). */
export const VALIDITY_DAYS = 198;
/** A request not validated within 72 hours becomes VALIDATION_TIMED_OUT. */
export const VALIDATION_TIMEOUT_MS = 72 * 3_600_000;

export interface ValidatorOptions {
  store: Store;
  ca: LocalCa;
  /** Where the public DNS view listens (undefined while it does not). */
  publicDns(): PublicDnsAddress | undefined;
  /** Pause between rounds (default 300 ms; LOCALNET_ACM_VALIDATION_INTERVAL_MS). */
  intervalMs?: number;
  now?(): Date;
  log?(line: string): void;
  /** Called after the validator changed a certificate (the data plane may care). */
  onChange?(scope: Scope, arn: string): void;
}

export class AcmValidator extends Rounds {
  constructor(private readonly opts: ValidatorOptions) {
    super('acm validator', 'LOCALNET_ACM_VALIDATION_INTERVAL_MS', opts.intervalMs, opts.log);
  }

  async runOnce(): Promise<void> {
    const now = this.opts.now?.() ?? new Date();
    const server = this.opts.publicDns();
    const dns = server ? new PublicDnsClient(server) : undefined;
    for (const { scope, value: rec } of this.opts.store.listAll<CertificateRecord>(CERTIFICATE_KIND)) {
      if (this.closing) return;
      if (rec.type === 'AMAZON_ISSUED' && rec.status === 'PENDING_VALIDATION') await this.advancePending(scope, rec, dns, now);
      else if (rec.status === 'ISSUED' && rec.renewal?.status === 'PENDING_AUTO_RENEWAL') await this.advanceRenewal(scope, rec, dns, now);
      else if (rec.status === 'ISSUED' && rec.notAfter && Date.parse(rec.notAfter) < now.getTime()) {
        this.update(scope, rec, (r) => ({ ...r, status: 'EXPIRED' }));
      }
    }
  }

  /** EMAIL validation: the domain owner clicked "I approve" for every name. */
  async approve(scope: Scope, arn: string): Promise<CertificateRecord | undefined> {
    const rec = this.opts.store.list<CertificateRecord>(CERTIFICATE_KIND, scope).find((c) => c.arn === arn);
    if (!rec) return undefined;
    if (rec.status !== 'PENDING_VALIDATION') return rec;
    const approved = this.update(scope, rec, (r) => ({ ...r, validations: r.validations.map((v) => ({ ...v, status: 'SUCCESS' as const })) }));
    if (!approved) return undefined;
    const server = this.opts.publicDns();
    await this.issueIfValidated(scope, approved, server ? new PublicDnsClient(server) : undefined, this.opts.now?.() ?? new Date());
    return this.opts.store.get<CertificateRecord>(CERTIFICATE_KIND, scope, rec.id);
  }

  private async advancePending(scope: Scope, rec: CertificateRecord, dns: PublicDnsClient | undefined, now: Date): Promise<void> {
    if (rec.createdAt && now.getTime() - Date.parse(rec.createdAt) > VALIDATION_TIMEOUT_MS) {
      this.update(scope, rec, (r) => ({ ...r, status: 'VALIDATION_TIMED_OUT' }));
      return;
    }
    const checked = await this.checkDnsValidations(scope, rec, dns, now);
    if (checked) await this.issueIfValidated(scope, checked, dns, now);
  }

  /** Looks up each pending DNS validation record; writes statuses and what was seen. Returns the record as written. */
  private async checkDnsValidations(scope: Scope, rec: CertificateRecord, dns: PublicDnsClient | undefined, now: Date): Promise<CertificateRecord | undefined> {
    const pending = rec.validations.filter((v) => v.validationMethod === 'DNS' && v.status !== 'SUCCESS' && v.resourceRecord);
    if (pending.length === 0) return rec;
    const outcomes = new Map<string, { ok: boolean; detail: string }>();
    for (const v of pending) {
      const rr = v.resourceRecord!;
      if (outcomes.has(rr.Name)) continue;
      if (!dns) {
        outcomes.set(rr.Name, { ok: false, detail: "localnet's public DNS view is not running, so nothing can be validated" });
        continue;
      }
      const r = await dns.checkCname(rr.Name, rr.Value);
      outcomes.set(rr.Name, r.ok ? { ok: true, detail: `${rr.Name} resolves to ${rr.Value}` } : { ok: false, detail: r.detail });
    }
    const lastCheck: ValidationCheck = { at: now.toISOString(), lookups: [...outcomes].map(([name, o]) => ({ name, outcome: o.detail })) };
    const anyNew = [...outcomes.values()].some((o) => o.ok);
    const sameAsBefore = JSON.stringify(rec.lastCheck?.lookups) === JSON.stringify(lastCheck.lookups);
    if (!anyNew && sameAsBefore) return rec;
    return this.update(scope, rec, (r) => ({
      ...r,
      lastCheck,
      validations: r.validations.map((v) => (v.resourceRecord && outcomes.get(v.resourceRecord.Name)?.ok ? { ...v, status: 'SUCCESS' as const } : v)),
    }));
  }

  private async issueIfValidated(scope: Scope, rec: CertificateRecord, dns: PublicDnsClient | undefined, now: Date): Promise<void> {
    if (!rec.validations.every((v) => v.status === 'SUCCESS')) return;
    if (dns) {
      for (const name of rec.names) {
        const wildcard = name.startsWith('*.');
        const caa = await dns.relevantCaa(wildcard ? name.slice(2) : name);
        if (!caaAllows(caa.records, wildcard)) {
          this.update(scope, rec, (r) => ({
            ...r,
            status: 'FAILED',
            failureReason: 'CAA_ERROR',
            lastCheck: { at: now.toISOString(), lookups: [{ name, outcome: `the CAA records at ${caa.at} do not allow Amazon (amazon.com, amazontrust.com, awstrust.com or amazonaws.com) to issue${wildcard ? ' wildcard certificates' : ''}` }] },
          }));
          return;
        }
      }
    }
    const issued = await this.opts.ca.issue({ names: rec.names, keyAlgorithm: rec.keyAlgorithm as KeyAlgorithm, validityDays: VALIDITY_DAYS, now });
    const written = this.update(scope, rec, (r) => ({
      ...r,
      status: 'ISSUED',
      issuedAt: now.toISOString(),
      notBefore: issued.notBefore.toISOString(),
      notAfter: issued.notAfter.toISOString(),
      serial: issued.serial,
      subject: issued.subject,
      issuer: this.opts.ca.issuerName,
      signatureAlgorithm: issued.signatureAlgorithm,
      keyUsages: issued.keyUsages,
      extendedKeyUsages: issued.extendedKeyUsages,
      certificatePem: issued.certificatePem,
      chainPem: issued.chainPem,
      privateKeyPem: issued.privateKeyPem,
      lastCheck: undefined,
    }));
    if (written) this.opts.log?.(`acm: issued ${rec.arn} for ${rec.names.join(', ')}`);
  }

  private async advanceRenewal(scope: Scope, rec: CertificateRecord, dns: PublicDnsClient | undefined, now: Date): Promise<void> {
    const checked = await this.checkDnsValidations(scope, rec, dns, now);
    if (!checked || !checked.validations.every((v) => v.status === 'SUCCESS')) return;
    const issued = await this.opts.ca.issue({ names: checked.names, keyAlgorithm: checked.keyAlgorithm as KeyAlgorithm, validityDays: VALIDITY_DAYS, now });
    this.update(scope, checked, (r) => ({
      ...r,
      issuedAt: now.toISOString(),
      notBefore: issued.notBefore.toISOString(),
      notAfter: issued.notAfter.toISOString(),
      serial: issued.serial,
      certificatePem: issued.certificatePem,
      chainPem: issued.chainPem,
      privateKeyPem: issued.privateKeyPem,
      renewal: { status: 'SUCCESS', updatedAt: now.toISOString() },
      lastCheck: undefined,
    }));
  }

  /** Applies change to the record in one transaction if it is unchanged since `seen`; returns what was written. */
  private update(scope: Scope, seen: CertificateRecord, change: (r: CertificateRecord) => CertificateRecord): CertificateRecord | undefined {
    const written = this.opts.store.transaction(() => {
      const cur = this.opts.store.get<CertificateRecord>(CERTIFICATE_KIND, scope, seen.id);
      if (!cur || JSON.stringify(cur) !== JSON.stringify(seen)) return undefined;
      const next = change(cur);
      this.opts.store.put(CERTIFICATE_KIND, scope, next.id, next);
      return next;
    });
    if (written) this.opts.onChange?.(scope, written.arn);
    return written;
  }
}
