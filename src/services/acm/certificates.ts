// RequestCertificate, DescribeCertificate, ListCertificates, GetCertificate,
// DeleteCertificate, RenewCertificate, UpdateCertificateOptions. Requests are
// stored PENDING_VALIDATION; the validator (validation.ts) issues them.
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { KEY_ALGORITHMS, REQUESTABLE_KEY_ALGORITHMS } from '../../pki/keys.ts';
import { constraint, inProgress, inUse, invalidDomainValidationOptions, limitExceeded, validation } from './errors.ts';
import { apexOf, baseName, certificateArn, checkDomainName, requestedNames, VALIDATION_EMAIL_USERS, validationRecord } from './names.ts';
import { certificateDetail, certificateSummary, getCertificate, putCertificate, renewalEligibility } from './records.ts';
import { checkTags } from './tags.ts';
import { CERTIFICATE_KIND, type CertificateRecord, type DomainValidation, type Tag } from './types.ts';

/** Names per certificate (ACM's default quota; AWS raises it to 100 on request). */
export const MAX_NAMES = 10;
const IDEMPOTENCY_WINDOW_MS = 3_600_000;
const STATUSES = ['PENDING_VALIDATION', 'ISSUED', 'INACTIVE', 'EXPIRED', 'VALIDATION_TIMED_OUT', 'REVOKED', 'FAILED'];

interface RequestInput {
  DomainName: string;
  ValidationMethod?: string;
  SubjectAlternativeNames?: string[];
  IdempotencyToken?: string;
  DomainValidationOptions?: { DomainName: string; ValidationDomain: string }[];
  Options?: { CertificateTransparencyLoggingPreference?: string; Export?: string };
  CertificateAuthorityArn?: string;
  Tags?: Tag[];
  KeyAlgorithm?: string;
}

function enumValue(value: string | undefined, member: string, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value)) throw constraint(value, member, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
}

export function requestCertificateHandler(validationSecret: string) {
  return (input: RequestInput, env: HandlerEnv) => {
    const { scope } = env;
    enumValue(input.ValidationMethod, 'validationMethod', ['EMAIL', 'DNS', 'HTTP']);
    enumValue(input.KeyAlgorithm, 'keyAlgorithm', KEY_ALGORITHMS);
    enumValue(input.Options?.CertificateTransparencyLoggingPreference, 'options.certificateTransparencyLoggingPreference', ['ENABLED', 'DISABLED']);
    enumValue(input.Options?.Export, 'options.export', ['ENABLED', 'DISABLED']);
    if (input.IdempotencyToken !== undefined && !/^\w{1,32}$/.test(input.IdempotencyToken)) {
      throw constraint(input.IdempotencyToken, 'idempotencyToken', 'Member must satisfy regular expression pattern: \\w+');
    }
    const names = requestedNames(input.DomainName, input.SubjectAlternativeNames);
    if (names.length > MAX_NAMES) {
      throw limitExceeded(`Certificate request has ${names.length} domain names; the limit is ${MAX_NAMES} (DomainName plus SubjectAlternativeNames).`);
    }
    const keyAlgorithm = input.KeyAlgorithm ?? 'RSA_2048';
    if (!REQUESTABLE_KEY_ALGORITHMS.includes(keyAlgorithm as never)) {
      throw validation(`Key algorithm ${keyAlgorithm} is not supported for certificate requests; use one of ${REQUESTABLE_KEY_ALGORITHMS.join(', ')}.`);
    }
    const isPrivate = input.CertificateAuthorityArn !== undefined;
    const method = (input.ValidationMethod ?? 'EMAIL') as 'DNS' | 'EMAIL' | 'HTTP';
    if (method === 'HTTP') throw validation('HTTP validation is only available for certificates that CloudFront manages.');
    const tags = input.Tags ?? [];
    checkTags(tags);

    // ValidationDomain overrides per name (EMAIL validation): each must name a requested name and be that name or a parent of it.
    const validationDomains = new Map<string, string>();
    for (const o of input.DomainValidationOptions ?? []) {
      checkDomainName(o.DomainName, 'domainValidationOptions.member.domainName');
      if (!names.some((n) => n.toLowerCase() === o.DomainName.toLowerCase())) {
        throw invalidDomainValidationOptions(`DomainValidationOptions names ${o.DomainName}, which is not one of the requested domain names.`);
      }
      const base = baseName(o.DomainName).toLowerCase();
      const vd = o.ValidationDomain.toLowerCase();
      if (!(base === vd || base.endsWith(`.${vd}`))) {
        throw invalidDomainValidationOptions(`ValidationDomain ${o.ValidationDomain} must be ${o.DomainName} or a superdomain of it.`);
      }
      validationDomains.set(o.DomainName.toLowerCase(), vd);
    }

    const options = { CertificateTransparencyLoggingPreference: input.Options?.CertificateTransparencyLoggingPreference ?? 'ENABLED', Export: (input.Options?.Export ?? 'DISABLED') as 'ENABLED' | 'DISABLED' };
    const fingerprint = JSON.stringify([names, method, keyAlgorithm, options, input.CertificateAuthorityArn ?? null, [...validationDomains]]);
    const now = new Date();
    if (input.IdempotencyToken) {
      const same = env.store
        .list<CertificateRecord>(CERTIFICATE_KIND, scope)
        .find((c) => c.idempotency !== undefined && c.idempotency.token === input.IdempotencyToken && c.idempotency.fingerprint === fingerprint && now.getTime() - Date.parse(c.idempotency.at) < IDEMPOTENCY_WINDOW_MS);
      if (same) return { CertificateArn: same.arn };
    }

    const id = randomUUID();
    const validations: DomainValidation[] = isPrivate
      ? []
      : names.map((n) => {
          const validationDomain = validationDomains.get(n.toLowerCase()) ?? baseName(n).toLowerCase();
          return method === 'DNS'
            ? { domainName: n, validationDomain, validationMethod: 'DNS', status: 'PENDING_VALIDATION', resourceRecord: validationRecord(scope.account, n, validationSecret) }
            : { domainName: n, validationDomain, validationMethod: 'EMAIL', status: 'PENDING_VALIDATION', validationEmails: VALIDATION_EMAIL_USERS.map((u) => `${u}@${validationDomains.get(n.toLowerCase()) ?? apexOf(n)}`) };
        });
    const rec: CertificateRecord = {
      arn: certificateArn(scope, id),
      id,
      domainName: names[0],
      names,
      type: isPrivate ? 'PRIVATE' : 'AMAZON_ISSUED',
      // ACM Private CA is not emulated: a private request names a CA that does not exist here, so it fails as AWS fails it.
      status: isPrivate ? 'FAILED' : 'PENDING_VALIDATION',
      failureReason: isPrivate ? 'PCA_RESOURCE_NOT_FOUND' : undefined,
      validations,
      keyAlgorithm,
      options,
      certificateAuthorityArn: input.CertificateAuthorityArn,
      createdAt: now.toISOString(),
      inUseBy: [],
      tags: tags.map((t) => ({ Key: t.Key, Value: t.Value ?? '' })),
      exported: false,
      idempotency: input.IdempotencyToken ? { token: input.IdempotencyToken, fingerprint, at: now.toISOString() } : undefined,
    };
    putCertificate(env, rec);
    return { CertificateArn: rec.arn };
  };
}

export function describeCertificate(input: { CertificateArn: string }, env: HandlerEnv) {
  return { Certificate: certificateDetail(getCertificate(env, input.CertificateArn)) };
}

export function getCertificateHandler(input: { CertificateArn: string }, env: HandlerEnv) {
  const rec = getCertificate(env, input.CertificateArn);
  if (!rec.certificatePem) throw inProgress(rec.arn);
  return { Certificate: rec.certificatePem, CertificateChain: rec.chainPem };
}

export function deleteCertificate(input: { CertificateArn: string }, env: HandlerEnv): Record<string, never> {
  const rec = getCertificate(env, input.CertificateArn);
  if (rec.inUseBy.length > 0) throw inUse(rec.arn, rec.inUseBy);
  env.store.delete(CERTIFICATE_KIND, env.scope, rec.id);
  return {};
}

export function renewCertificate(input: { CertificateArn: string }, env: HandlerEnv): Record<string, never> {
  const rec = getCertificate(env, input.CertificateArn);
  if (rec.status === 'PENDING_VALIDATION') throw inProgress(rec.arn);
  if (renewalEligibility(rec) !== 'ELIGIBLE') {
    throw validation(`Certificate ${rec.arn} is not eligible for renewal${rec.type === 'IMPORTED' ? ' (ACM does not renew imported certificates)' : ' (ACM renews issued certificates that are in use or were exported)'}.`);
  }
  // Validation records are reused: the validator checks them again and re-issues with a new serial and validity.
  const now = new Date().toISOString();
  putCertificate(env, { ...rec, renewal: { status: 'PENDING_AUTO_RENEWAL', updatedAt: now }, validations: rec.validations.map((v) => ({ ...v, status: v.validationMethod === 'EMAIL' ? 'SUCCESS' : 'PENDING_VALIDATION' })) });
  return {};
}

export function updateCertificateOptions(input: { CertificateArn: string; Options: { CertificateTransparencyLoggingPreference?: string; Export?: string } }, env: HandlerEnv): Record<string, never> {
  const rec = getCertificate(env, input.CertificateArn);
  enumValue(input.Options.CertificateTransparencyLoggingPreference, 'options.certificateTransparencyLoggingPreference', ['ENABLED', 'DISABLED']);
  if (input.Options.Export !== undefined && input.Options.Export !== rec.options.Export) {
    throw validation('The Export option cannot be changed after the certificate is requested.');
  }
  if (rec.type === 'IMPORTED') throw validation(`Certificate ${rec.arn} is imported; its options cannot be updated.`);
  const pref = input.Options.CertificateTransparencyLoggingPreference ?? rec.options.CertificateTransparencyLoggingPreference;
  putCertificate(env, { ...rec, options: { ...rec.options, CertificateTransparencyLoggingPreference: pref } });
  return {};
}

interface ListInput {
  CertificateStatuses?: string[];
  Includes?: { extendedKeyUsage?: string[]; keyUsage?: string[]; keyTypes?: string[]; exportOption?: string; managedBy?: string };
  NextToken?: string;
  MaxItems?: number;
  SortBy?: string;
  SortOrder?: string;
}

/** Without Includes.keyTypes ListCertificates shows RSA_1024 and RSA_2048 certificates only (AWS's default filter). */
const DEFAULT_KEY_TYPES = ['RSA_1024', 'RSA_2048'];

export function listCertificates(input: ListInput, env: HandlerEnv) {
  for (const s of input.CertificateStatuses ?? []) enumValue(s, 'certificateStatuses.member', STATUSES);
  for (const k of input.Includes?.keyTypes ?? []) enumValue(k, 'includes.keyTypes.member', KEY_ALGORITHMS);
  enumValue(input.SortBy, 'sortBy', ['CREATED_AT']);
  enumValue(input.SortOrder, 'sortOrder', ['ASCENDING', 'DESCENDING']);
  if (input.MaxItems !== undefined && (input.MaxItems < 1 || input.MaxItems > 1000)) {
    throw constraint(String(input.MaxItems), 'maxItems', input.MaxItems < 1 ? 'Member must have value greater than or equal to 1' : 'Member must have value less than or equal to 1000');
  }
  if (input.NextToken !== undefined && input.NextToken.length < 1) throw validation("1 validation error detected: Value of the input at 'nextToken' failed to satisfy constraint: Member must have length greater than or equal to 1");
  const keyTypes = input.Includes?.keyTypes?.length ? input.Includes.keyTypes : DEFAULT_KEY_TYPES;
  const inc = input.Includes ?? {};
  let certs = env.store.list<CertificateRecord>(CERTIFICATE_KIND, env.scope).filter(
    (c) =>
      (!input.CertificateStatuses?.length || input.CertificateStatuses.includes(c.status)) &&
      keyTypes.includes(c.keyAlgorithm) &&
      (!inc.keyUsage?.length || inc.keyUsage.includes('ANY') || inc.keyUsage.some((k) => c.keyUsages?.includes(k))) &&
      (!inc.extendedKeyUsage?.length || inc.extendedKeyUsage.includes('ANY') || inc.extendedKeyUsage.some((k) => c.extendedKeyUsages?.some((e) => e.Name === k))) &&
      (!inc.exportOption || (c.type !== 'IMPORTED' && c.options.Export === inc.exportOption)) &&
      // localnet's certificates are never managed by another service (ManagedBy is CLOUDFRONT on AWS for those).
      !inc.managedBy,
  );
  if (input.SortBy === 'CREATED_AT') {
    certs = [...certs].sort((a, b) => Date.parse(a.createdAt ?? a.importedAt ?? '') - Date.parse(b.createdAt ?? b.importedAt ?? ''));
    if (input.SortOrder === 'DESCENDING') certs.reverse();
  }
  const start = input.NextToken === undefined ? 0 : decodeToken(input.NextToken);
  const max = input.MaxItems ?? 1000;
  const page = certs.slice(start, start + max);
  const next = start + max < certs.length ? encodeToken(start + max) : undefined;
  return { CertificateSummaryList: page.map(certificateSummary), NextToken: next };
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodeToken(token: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset: unknown };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through
  }
  throw new AwsError('InvalidArgsException', 'The NextToken is not valid: use the NextToken of a previous ListCertificates answer.', 400);
}

/** The operations of this file; RequestCertificate keys its validation records with `validationSecret`. */
export function certificateHandlers(validationSecret: string): Handlers {
  return {
    RequestCertificate: requestCertificateHandler(validationSecret),
    DescribeCertificate: describeCertificate,
    ListCertificates: listCertificates,
    GetCertificate: getCertificateHandler,
    DeleteCertificate: deleteCertificate,
    RenewCertificate: renewCertificate,
    UpdateCertificateOptions: updateCertificateOptions,
  };
}
