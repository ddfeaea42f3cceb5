// Reading and shaping certificate records: lookup by ARN with ACM's errors,
// and the two views the API answers with (CertificateDetail, CertificateSummary).
import type { HandlerEnv } from '../../aws/service.ts';
import { notFound } from './errors.ts';
import { certificateIdOf } from './names.ts';
import { CERTIFICATE_KIND, type CertificateRecord } from './types.ts';

export function getCertificate(env: Pick<HandlerEnv, 'store' | 'scope'>, arn: string): CertificateRecord {
  const id = certificateIdOf(arn, env.scope);
  const rec = id ? env.store.get<CertificateRecord>(CERTIFICATE_KIND, env.scope, id) : undefined;
  if (!rec) throw notFound(arn);
  return rec;
}

export function putCertificate(env: Pick<HandlerEnv, 'store' | 'scope'>, rec: CertificateRecord): void {
  env.store.put(CERTIFICATE_KIND, env.scope, rec.id, rec);
}

/** ACM renews what it issued and what is in use or was exported; imported certificates never. */
export function renewalEligibility(rec: CertificateRecord): 'ELIGIBLE' | 'INELIGIBLE' {
  if (rec.type === 'IMPORTED') return 'INELIGIBLE';
  if (rec.status !== 'ISSUED') return 'INELIGIBLE';
  if (rec.type === 'PRIVATE') return 'ELIGIBLE';
  return rec.inUseBy.length > 0 || rec.exported ? 'ELIGIBLE' : 'INELIGIBLE';
}

const date = (s: string | undefined) => (s ? new Date(s) : undefined);

function validationOptions(rec: CertificateRecord) {
  return rec.validations.map((v) => ({
    DomainName: v.domainName,
    ValidationDomain: v.validationDomain,
    ValidationStatus: v.status,
    ValidationMethod: v.validationMethod,
    ResourceRecord: v.validationMethod === 'DNS' ? v.resourceRecord : undefined,
    ValidationEmails: v.validationMethod === 'EMAIL' ? v.validationEmails : undefined,
  }));
}

export function certificateDetail(rec: CertificateRecord) {
  return {
    CertificateArn: rec.arn,
    DomainName: rec.domainName,
    SubjectAlternativeNames: rec.names,
    DomainValidationOptions: rec.type === 'IMPORTED' ? undefined : validationOptions(rec),
    Serial: rec.serial,
    Subject: rec.subject,
    Issuer: rec.issuer,
    CreatedAt: date(rec.createdAt),
    IssuedAt: date(rec.issuedAt),
    ImportedAt: date(rec.importedAt),
    Status: rec.status,
    NotBefore: date(rec.notBefore),
    NotAfter: date(rec.notAfter),
    KeyAlgorithm: rec.keyAlgorithm,
    SignatureAlgorithm: rec.signatureAlgorithm,
    InUseBy: rec.inUseBy,
    FailureReason: rec.failureReason,
    Type: rec.type,
    RenewalSummary: rec.renewal
      ? { RenewalStatus: rec.renewal.status, RenewalStatusReason: rec.renewal.reason, UpdatedAt: new Date(rec.renewal.updatedAt), DomainValidationOptions: validationOptions(rec) }
      : undefined,
    KeyUsages: rec.keyUsages?.map((Name) => ({ Name })),
    ExtendedKeyUsages: rec.extendedKeyUsages,
    CertificateAuthorityArn: rec.certificateAuthorityArn,
    RenewalEligibility: renewalEligibility(rec),
    Options: rec.type === 'IMPORTED' ? undefined : rec.options,
  };
}

/** ListCertificates shows at most this many SANs per summary. */
const SUMMARY_SANS = 100;

export function certificateSummary(rec: CertificateRecord) {
  return {
    CertificateArn: rec.arn,
    DomainName: rec.domainName,
    SubjectAlternativeNameSummaries: rec.names.slice(0, SUMMARY_SANS),
    HasAdditionalSubjectAlternativeNames: rec.names.length > SUMMARY_SANS,
    Status: rec.status,
    Type: rec.type,
    KeyAlgorithm: rec.keyAlgorithm,
    KeyUsages: rec.keyUsages,
    ExtendedKeyUsages: rec.extendedKeyUsages?.map((e) => e.Name),
    ExportOption: rec.type === 'IMPORTED' ? undefined : rec.options.Export,
    InUse: rec.inUseBy.length > 0,
    Exported: rec.exported,
    RenewalEligibility: renewalEligibility(rec),
    NotBefore: date(rec.notBefore),
    NotAfter: date(rec.notAfter),
    CreatedAt: date(rec.createdAt),
    IssuedAt: date(rec.issuedAt),
    ImportedAt: date(rec.importedAt),
  };
}
