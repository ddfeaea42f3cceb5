// What other services call: the load balancer marks a certificate in use
// (InUseBy, which blocks DeleteCertificate) and reads its key material to
// terminate TLS. Synchronous; call inside the caller's request transaction.
import type { Scope, Store } from '../../store/store.ts';
import { certificateIdOf } from './names.ts';
import { CERTIFICATE_KIND, type CertificateRecord } from './types.ts';

function find(store: Store, scope: Scope, certificateArn: string): CertificateRecord | undefined {
  let id: string | undefined;
  try {
    id = certificateIdOf(certificateArn, scope);
  } catch {
    return undefined;
  }
  return id ? store.get<CertificateRecord>(CERTIFICATE_KIND, scope, id) : undefined;
}

/** Records that userArn uses the certificate. False when no such certificate exists in scope. */
export function addCertificateUser(store: Store, scope: Scope, certificateArn: string, userArn: string): boolean {
  const rec = find(store, scope, certificateArn);
  if (!rec) return false;
  if (!rec.inUseBy.includes(userArn)) store.put(CERTIFICATE_KIND, scope, rec.id, { ...rec, inUseBy: [...rec.inUseBy, userArn] });
  return true;
}

/** Forgets that userArn uses the certificate (a no-op when it did not, or the certificate is gone). */
export function removeCertificateUser(store: Store, scope: Scope, certificateArn: string, userArn: string): void {
  const rec = find(store, scope, certificateArn);
  if (rec?.inUseBy.includes(userArn)) store.put(CERTIFICATE_KIND, scope, rec.id, { ...rec, inUseBy: rec.inUseBy.filter((u) => u !== userArn) });
}

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

/** Key and certificate for serving TLS; undefined unless the certificate exists and holds material (ISSUED, imported, expired...). */
export function certificateMaterial(store: Store, scope: Scope, certificateArn: string): CertificateMaterial | undefined {
  const rec = find(store, scope, certificateArn);
  if (!rec?.certificatePem || !rec.privateKeyPem) return undefined;
  return { arn: rec.arn, status: rec.status, names: rec.names, certificatePem: rec.certificatePem, chainPem: rec.chainPem, privateKeyPem: rec.privateKeyPem, notAfter: rec.notAfter };
}
