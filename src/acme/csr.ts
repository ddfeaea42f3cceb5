// Finalization's CSR (RFC 8555 section 7.4): a PKCS#10 request, base64url
// DER, signed by the key it carries, naming exactly the order's identifiers
// (CN and SANs together), with a key Let's Encrypt would accept.
import { x509 } from '../pki/x509.ts';
import { problem } from './problems.ts';

export interface ParsedCsr {
  names: string[];
  publicKey: x509.PublicKey;
  rsa: boolean;
  spki: Buffer;
}

export async function parseCsr(b64url: unknown): Promise<ParsedCsr> {
  if (typeof b64url !== 'string' || b64url === '') throw problem('malformed', 'Error parsing certificate request: no "csr" field');
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(new Uint8Array(Buffer.from(b64url, 'base64url')));
  } catch {
    throw problem('badCSR', 'Error parsing certificate request: asn1: structure error');
  }
  let ok = false;
  try {
    ok = await csr.verify();
  } catch {
    ok = false;
  }
  if (!ok) throw problem('badCSR', 'Error finalizing order :: invalid signature on CSR');
  const alg = csr.publicKey.algorithm as { name: string; namedCurve?: string; modulusLength?: number };
  const rsa = alg.name.startsWith('RSA');
  if (rsa && (alg.modulusLength ?? 0) < 2048) throw problem('badCSR', 'Error finalizing order :: key too small');
  if (!rsa && !(alg.name === 'ECDSA' && ['P-256', 'P-384'].includes(alg.namedCurve ?? ''))) throw problem('badCSR', `Error finalizing order :: unsupported key type ${alg.name}${alg.namedCurve ? ` ${alg.namedCurve}` : ''}`);
  const names = new Set<string>();
  const cn = /(?:^|,\s*)CN=([^,]+)/.exec(csr.subject)?.[1];
  if (cn) names.add(cn.toLowerCase());
  const san = csr.extensions.find((e): e is x509.SubjectAlternativeNameExtension => e instanceof x509.SubjectAlternativeNameExtension);
  for (const n of san?.names.items ?? []) {
    if (n.type !== 'dns') throw problem('badCSR', `Error finalizing order :: CSR contains a ${n.type} name; only DNS names are supported`);
    names.add(n.value.toLowerCase());
  }
  return { names: [...names].sort(), publicKey: csr.publicKey, rsa, spki: Buffer.from(csr.publicKey.rawData) };
}
