// Domain names as ACM accepts them, certificate ARNs, and the DNS validation
// record ACM derives for a name. Pure functions.
import { createHmac } from 'node:crypto';
import type { Scope } from '../../store/store.ts';
import { constraint, invalidArn, invalidDomainValidationOptions, validation } from './errors.ts';
import type { ResourceRecord } from './types.ts';

/** The DomainNameString pattern of the ACM API (a leftmost '*.' allowed). */
const DOMAIN_PATTERN = '(\\*\\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])';
const DOMAIN_RE = new RegExp(`^${DOMAIN_PATTERN}$`);
const ARN_PATTERN = 'arn:[\\w+=/,.@-]+:acm:[\\w+=/,.@-]*:[0-9]+:[\\w+=,.@-]+(/[\\w+=,.@-]+)*';
const ARN_RE = new RegExp(`^${ARN_PATTERN}$`);

/** Domains AWS owns: ACM does not issue for them (or below them). */
const AWS_OWNED = ['amazonaws.com', 'amazon.com', 'aws', 'amazontrust.com', 'awstrust.com', 'acm-validations.aws', 'cloudfront.net', 'elb.amazonaws.com', 'aws.dev', 'amazon.dev'];

/** The first name becomes the CN, whose X.509 upper bound is 64 characters. */
export const MAX_CN_LENGTH = 64;

/** Checks one requested name against the API's rules (ValidationException / InvalidDomainValidationOptionsException). */
export function checkDomainName(name: string, member: string): void {
  if (name.length < 1 || name.length > 253) throw constraint(name, member, 'Member must have length less than or equal to 253');
  if (!DOMAIN_RE.test(name)) throw constraint(name, member, `Member must satisfy regular expression pattern: ${DOMAIN_PATTERN}`);
  const base = baseName(name).toLowerCase();
  if (AWS_OWNED.some((d) => base === d || base.endsWith(`.${d}`))) {
    throw invalidDomainValidationOptions(`The domain name ${name} belongs to AWS; ACM does not issue certificates for it.`);
  }
}

/** A name without its wildcard label: '*.example.com' -> 'example.com'. */
export function baseName(name: string): string {
  return name.startsWith('*.') ? name.slice(2) : name;
}

/** The registrable-looking parent ACM mails for EMAIL validation: the last two labels. */
export function apexOf(name: string): string {
  return baseName(name).split('.').slice(-2).join('.');
}

export const VALIDATION_EMAIL_USERS = ['admin', 'administrator', 'hostmaster', 'postmaster', 'webmaster'];

/**
 * The CNAME ACM asks for to validate a name: _<32 hex>.<name>. pointing at
 * _<32 hex>.<10 letters>.acm-validations.aws. Deterministic per account and
 * name (ACM reuses the record across certificates, regions and renewals), so
 * a name and its wildcard share one record. secret keeps values local to one
 * localnet installation.
 */
export function validationRecord(account: string, name: string, secret: string): ResourceRecord {
  const base = baseName(name).toLowerCase();
  const mac = (label: string) => createHmac('sha256', secret).update(`${label}|${account}|${base}`).digest();
  const letters = [...mac('domain').subarray(0, 10)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
  return {
    Name: `_${mac('name').toString('hex').slice(0, 32)}.${base}.`,
    Type: 'CNAME',
    Value: `_${mac('value').toString('hex').slice(0, 32)}.${letters}.acm-validations.aws.`,
  };
}

export function certificateArn(scope: Scope, id: string): string {
  return `arn:aws:acm:${scope.region}:${scope.account}:certificate/${id}`;
}

/**
 * The store id a certificate ARN names in this scope. A malformed ARN is a
 * ValidationException, an ARN of another service an InvalidArnException; an
 * ACM ARN of another account or region names nothing here (undefined).
 */
export function certificateIdOf(arn: string, scope: Scope, member = 'certificateArn'): string | undefined {
  if (arn.length < 20) throw constraint(arn, member, 'Member must have length greater than or equal to 20');
  if (arn.length > 2048) throw constraint(arn, member, 'Member must have length less than or equal to 2048');
  if (!ARN_RE.test(arn)) {
    if (arn.startsWith('arn:')) throw invalidArn(arn);
    throw constraint(arn, member, `Member must satisfy regular expression pattern: ${ARN_PATTERN}`);
  }
  const m = /^arn:aws:acm:([a-z0-9-]+):(\d{12}):certificate\/([0-9a-f-]{36})$/.exec(arn);
  if (!m) throw invalidArn(arn);
  if (m[1] !== scope.region || m[2] !== scope.account) return undefined;
  return m[3];
}

/** Validation of a list of names as RequestCertificate receives them (duplicates are dropped, as ACM does). */
export function requestedNames(domainName: string, sans: string[] | undefined): string[] {
  checkDomainName(domainName, 'domainName');
  if (baseName(domainName).length > MAX_CN_LENGTH) {
    throw validation(`The first domain name can be no longer than ${MAX_CN_LENGTH} characters; ${domainName} has ${domainName.length}.`);
  }
  const out = [domainName];
  (sans ?? []).forEach((n, i) => {
    checkDomainName(n, `subjectAlternativeNames.${i + 1}.member`);
    if (!out.some((o) => o.toLowerCase() === n.toLowerCase())) out.push(n);
  });
  return out;
}
