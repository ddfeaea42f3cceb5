// What other services call: the load balancer marks a certificate in use
// (InUseBy, which blocks DeleteCertificate) and reads its key material to
// terminate TLS (src/records/certificates.ts). Synchronous; call inside the caller's request transaction.
import { certificateIdIn } from '../../records/certificates.ts';
import type { Scope, Store } from '../../store/store.ts';
import { CERTIFICATE_KIND, type CertificateRecord } from './types.ts';

/** The certificate an ARN of this scope names; undefined for a malformed ARN or another scope's. */
function find(store: Store, scope: Scope, certificateArn: string): CertificateRecord | undefined {
  const id = certificateIdIn(certificateArn, scope);
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

export { certificateMaterial, type CertificateMaterial } from '../../records/certificates.ts';
