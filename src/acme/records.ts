// What the ACME server keeps in the store: its own kinds in one global scope
// (ACME accounts are not AWS accounts), so accounts, orders, authorizations
// and certificates survive a restart and `localnet reset` wipes them.
import type { JWK } from 'jose';
import type { ProblemDocument } from './problems.ts';

export const ACME_SCOPE = { account: 'acme', region: 'global' };

export const ACME_KIND = {
  account: 'acme:account',
  order: 'acme:order',
  authz: 'acme:authorization',
  certificate: 'acme:certificate',
} as const;

export interface AccountRecord {
  id: string;
  /** The account's public key, and its RFC 7638 thumbprint (the lookup key for newAccount). */
  jwk: JWK;
  thumbprint: string;
  status: 'valid' | 'deactivated' | 'revoked';
  contact: string[];
  termsOfServiceAgreed: boolean;
  createdAt: string;
}

export type ChallengeType = 'http-01' | 'dns-01' | 'tls-alpn-01';

export interface ChallengeRecord {
  type: ChallengeType;
  token: string;
  status: 'pending' | 'processing' | 'valid' | 'invalid';
  validated?: string;
  error?: ProblemDocument;
  /** Where it was validated from (http-01 / tls-alpn-01: the addresses used). */
  validationRecord?: Record<string, unknown>[];
}

export interface Identifier {
  type: 'dns';
  value: string;
}

export interface AuthzRecord {
  id: string;
  accountId: string;
  /** The name without "*." (RFC 8555 section 7.1.4); wildcard says whether the order asked for "*.name". */
  identifier: Identifier;
  wildcard: boolean;
  status: 'pending' | 'valid' | 'invalid' | 'deactivated' | 'expired' | 'revoked';
  expires: string;
  challenges: ChallengeRecord[];
  createdAt: string;
  /** When it became invalid (the failed-validation rate limit counts these). */
  failedAt?: string;
}

export interface OrderRecord {
  id: string;
  accountId: string;
  status: 'pending' | 'ready' | 'processing' | 'valid' | 'invalid';
  identifiers: Identifier[];
  authzIds: string[];
  expires: string;
  createdAt: string;
  error?: ProblemDocument;
  certificateSerial?: string;
}

export interface CertificateRecord {
  /** Hex, lower case, no separators (the URL's last segment). */
  serial: string;
  accountId: string;
  orderId: string;
  /** Sorted, lower case: the duplicate-certificate rate limit compares these. */
  names: string[];
  certificatePem: string;
  chainPem: string;
  /** base64 SPKI DER of the certificate's key (revocation signed by that key). */
  spki: string;
  issuedAt: string;
  notAfter: string;
  revoked?: { at: string; reason: number };
}
