// Issuing one leaf certificate the way ACM shapes its public certificates:
// subject CN = the first name, every name in the SAN list, key usage
// digitalSignature (+ keyEncipherment for RSA keys), extended key usage
// serverAuth only (ACM stopped adding clientAuth to public certificates in
// 2025), validity aligned to whole UTC days, a fresh random serial.
import { x509 } from './x509.ts';
import { generateKeyPair, privateKeyToPem, signatureAlgorithmName, signingAlgorithm, type KeyAlgorithm } from './keys.ts';
import { randomBytes } from 'node:crypto';

export interface LeafRequest {
  /** The names in request order; the first becomes the CN. */
  names: string[];
  keyAlgorithm: KeyAlgorithm;
  validityDays: number;
  now?: Date;
}

export interface IssuedCertificate {
  certificatePem: string;
  /** The intermediate, then nothing else: the root is what clients trust. */
  chainPem: string;
  privateKeyPem: string;
  /** Hex with colons, lower case, as ACM's DescribeCertificate prints it. */
  serial: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
  signatureAlgorithm: string;
  /** ACM's KeyUsages / ExtendedKeyUsages names. */
  keyUsages: string[];
  extendedKeyUsages: { Name: string; OID: string }[];
}

export interface Signer {
  cert: x509.X509Certificate;
  key: CryptoKey;
  keyAlgorithm: KeyAlgorithm;
}

const DAY = 86_400_000;

/** A positive random serial of 16 bytes (RFC 5280 allows up to 20), as hex. */
export function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0] & 0x7f) | 0x01;
  return b.toString('hex');
}

/** A leaf for a public key the caller holds the private half of (an ACME CSR, a server's own key). */
export interface KeyedLeafRequest {
  /** DNS names in order; the first becomes the CN (unless there are none). */
  names: string[];
  /** IP address SANs (a loopback server's own certificate). */
  ipAddresses?: string[];
  publicKey: CryptoKey | x509.PublicKey;
  /** RSA keys get keyEncipherment too. */
  rsa: boolean;
  validityDays: number;
  now?: Date;
}

export interface SignedLeaf {
  certificatePem: string;
  chainPem: string;
  /** Hex without separators. */
  serialHex: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

export async function signLeaf(signer: Signer, req: KeyedLeafRequest): Promise<SignedLeaf> {
  const ips = req.ipAddresses ?? [];
  if (req.names.length === 0 && ips.length === 0) throw new Error('a certificate needs at least one name');
  const now = req.now ?? new Date();
  const notBefore = new Date(Math.floor(now.getTime() / DAY) * DAY);
  let notAfter = new Date(notBefore.getTime() + req.validityDays * DAY - 1000);
  if (notAfter > signer.cert.notAfter) notAfter = signer.cert.notAfter;
  const serialHex = randomSerial();
  const subject = `CN=${req.names[0] ?? ips[0]}`;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex,
    subject,
    issuer: signer.cert.subject,
    notBefore,
    notAfter,
    signingAlgorithm: signingAlgorithm(signer.keyAlgorithm),
    publicKey: req.publicKey,
    signingKey: signer.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | (req.rsa ? x509.KeyUsageFlags.keyEncipherment : 0), true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([...req.names.map((value) => ({ type: 'dns' as const, value })), ...ips.map((value) => ({ type: 'ip' as const, value }))]),
      await x509.SubjectKeyIdentifierExtension.create(req.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(signer.cert.publicKey),
    ],
  });
  return { certificatePem: cert.toString('pem') + '\n', chainPem: signer.cert.toString('pem') + '\n', serialHex, subject, notBefore, notAfter };
}

export async function issueLeaf(signer: Signer, req: LeafRequest): Promise<IssuedCertificate> {
  if (req.names.length === 0) throw new Error('a certificate needs at least one name');
  const keys = await generateKeyPair(req.keyAlgorithm);
  const rsa = req.keyAlgorithm.startsWith('RSA_');
  const signed = await signLeaf(signer, { names: req.names, publicKey: keys.publicKey, rsa, validityDays: req.validityDays, now: req.now });
  const { notBefore, notAfter, subject } = signed;
  return {
    certificatePem: signed.certificatePem,
    chainPem: signed.chainPem,
    privateKeyPem: await privateKeyToPem(keys.privateKey),
    serial: signed.serialHex.match(/../g)!.join(':'),
    subject,
    notBefore,
    notAfter,
    signatureAlgorithm: signatureAlgorithmName(signer.keyAlgorithm),
    keyUsages: rsa ? ['DIGITAL_SIGNATURE', 'KEY_ENCIPHERMENT'] : ['DIGITAL_SIGNATURE'],
    extendedKeyUsages: [{ Name: 'TLS_WEB_SERVER_AUTHENTICATION', OID: x509.ExtendedKeyUsage.serverAuth }],
  };
}
