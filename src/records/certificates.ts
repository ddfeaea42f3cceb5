// What a TLS listener needs from an ACM certificate record: the names it
// covers and its key material. ACM writes the records (src/services/acm/);
// the load balancer data plane reads them through here.
import type { Scope, Store } from '../store/store.ts';
import type { CertificateRecord } from './acm.ts';
import { KIND } from './kinds.ts';

export interface CertificateMaterial {
  arn: string;
  status: string;
  /** The names it covers (for SNI: see src/pki/coverage.ts). */
  names: string[];
  certificatePem: string;
  chainPem?: string;
  privateKeyPem: string;
  notAfter?: string;
}

const ARN = /^arn:aws:acm:([a-z0-9-]+):(\d{12}):certificate\/([0-9a-f-]{36})$/;

/** The store id (the uuid) of a certificate ARN of this scope; undefined for another scope or a malformed ARN. */
export function certificateIdIn(arn: string, scope: Scope): string | undefined {
  const m = ARN.exec(arn);
  return m && m[1] === scope.region && m[2] === scope.account ? m[3] : undefined;
}

/** Key and certificate for serving TLS; undefined unless the record holds material (ISSUED, imported, expired...). */
export function materialOf(rec: CertificateRecord | undefined): CertificateMaterial | undefined {
  if (!rec?.certificatePem || !rec.privateKeyPem) return undefined;
  return { arn: rec.arn, status: rec.status, names: rec.names, certificatePem: rec.certificatePem, chainPem: rec.chainPem, privateKeyPem: rec.privateKeyPem, notAfter: rec.notAfter };
}

/** The material of the certificate an ARN names, read from the store. */
export function certificateMaterial(store: Store, scope: Scope, certificateArn: string): CertificateMaterial | undefined {
  const id = certificateIdIn(certificateArn, scope);
  return id ? materialOf(store.get<CertificateRecord>(KIND.certificate, scope, id)) : undefined;
}
