// Let's Encrypt's rate limits that a certbot user meets first, as numbers
// localnet reads from its configuration (defaults: Let's Encrypt's):
//  - duplicate certificates: 5 per week for the same exact set of names
//    (LOCALNET_ACME_DUPLICATE_CERT_LIMIT);
//  - failed validations: 5 per account, per hostname, per hour
//    (LOCALNET_ACME_FAILED_VALIDATION_LIMIT).
// Exceeding one is urn:ietf:params:acme:error:rateLimited with Retry-After.
import { AcmeProblem } from './problems.ts';
import type { AuthzRecord, CertificateRecord } from './records.ts';

export interface RateLimits {
  duplicateCertificatesPerWeek: number;
  failedValidationsPerHour: number;
}

export const LETS_ENCRYPT_LIMITS: RateLimits = { duplicateCertificatesPerWeek: 5, failedValidationsPerHour: 5 };

const WEEK = 7 * 86_400_000;
const HOUR = 3_600_000;

export function checkDuplicateCertificates(limits: RateLimits, certs: CertificateRecord[], names: string[], now: number): void {
  const key = [...names].sort().join(',');
  const recent = certs.filter((c) => c.names.join(',') === key && now - Date.parse(c.issuedAt) < WEEK).map((c) => Date.parse(c.issuedAt)).sort((a, b) => a - b);
  if (recent.length < limits.duplicateCertificatesPerWeek) return;
  const retry = recent[recent.length - limits.duplicateCertificatesPerWeek] + WEEK;
  throw new AcmeProblem('rateLimited', `too many certificates (${limits.duplicateCertificatesPerWeek}) already issued for this exact set of identifiers in the last 168h0m0s, retry after ${new Date(retry).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}: see https://letsencrypt.org/docs/rate-limits/#new-certificates-per-exact-set-of-identifiers`, 429, Math.ceil((retry - now) / 1000));
}

export function checkFailedValidations(limits: RateLimits, authzs: AuthzRecord[], accountId: string, name: string, now: number): void {
  const failed = authzs.filter((a) => a.accountId === accountId && a.identifier.value === name && a.failedAt && now - Date.parse(a.failedAt) < HOUR).map((a) => Date.parse(a.failedAt!)).sort((a, b) => a - b);
  if (failed.length < limits.failedValidationsPerHour) return;
  const retry = failed[failed.length - limits.failedValidationsPerHour] + HOUR;
  throw new AcmeProblem('rateLimited', `too many failed authorizations (${limits.failedValidationsPerHour}) for "${name}" in the last 1h0m0s, retry after ${new Date(retry).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}: see https://letsencrypt.org/docs/rate-limits/#authorization-failures-per-identifier-per-account`, 429, Math.ceil((retry - now) / 1000));
}
