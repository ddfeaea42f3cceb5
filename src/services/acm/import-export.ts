// ImportCertificate (PEM checks: one certificate, a supported key that
// matches it, dates, a chain in issuing order; re-import keeps the ARN) and
// ExportCertificate (private certificates and public ones requested with
// Options.Export=ENABLED; the key leaves as encrypted PKCS#8).
import { createPrivateKey, randomUUID, X509Certificate, type KeyObject } from 'node:crypto';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { x509 } from '../../pki/x509.ts';
import { constraint, inProgress, validation } from './errors.ts';
import { certificateArn } from './names.ts';
import { getCertificate, putCertificate } from './records.ts';
import { checkTags } from './tags.ts';
import type { CertificateRecord, Tag } from './types.ts';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

function pemBlocks(text: string): { label: string; pem: string }[] {
  return [...text.matchAll(PEM_BLOCK)].map((m) => ({ label: m[1], pem: m[0] }));
}

function text(blob: Buffer | string, member: string, max: number): string {
  const buf = Buffer.isBuffer(blob) ? blob : Buffer.from(blob);
  if (buf.length < 1) throw constraint('', member, 'Member must have length greater than or equal to 1');
  if (buf.length > max) throw constraint(`${buf.length} bytes`, member, `Member must have length less than or equal to ${max}`);
  return buf.toString('utf8');
}

function parseCertificate(pem: string, what: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw validation(`Unable to parse ${what}. Please ensure the ${what} is in PEM format.`);
  }
}

/** ACM's KeyAlgorithm name of a key, or undefined when ACM does not support it. */
export function keyAlgorithmOf(key: KeyObject): string | undefined {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' && [1024, 2048, 3072, 4096].includes(d.modulusLength ?? 0)) return `RSA_${d.modulusLength}`;
  if (key.asymmetricKeyType === 'ec') return { prime256v1: 'EC_prime256v1', secp384r1: 'EC_secp384r1', secp521r1: 'EC_secp521r1' }[d.namedCurve ?? ''];
  return undefined;
}

const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'TLS_WEB_SERVER_AUTHENTICATION',
  '1.3.6.1.5.5.7.3.2': 'TLS_WEB_CLIENT_AUTHENTICATION',
  '1.3.6.1.5.5.7.3.3': 'CODE_SIGNING',
  '1.3.6.1.5.5.7.3.4': 'EMAIL_PROTECTION',
  '1.3.6.1.5.5.7.3.8': 'TIME_STAMPING',
  '1.3.6.1.5.5.7.3.9': 'OCSP_SIGNING',
  '1.3.6.1.5.5.7.3.5': 'IPSEC_END_SYSTEM',
  '1.3.6.1.5.5.7.3.6': 'IPSEC_TUNNEL',
  '1.3.6.1.5.5.7.3.7': 'IPSEC_USER',
};

const KEY_USAGE_NAMES: [number, string][] = [
  [x509.KeyUsageFlags.digitalSignature, 'DIGITAL_SIGNATURE'],
  [x509.KeyUsageFlags.nonRepudiation, 'NON_REPUDIATION'],
  [x509.KeyUsageFlags.keyEncipherment, 'KEY_ENCIPHERMENT'],
  [x509.KeyUsageFlags.dataEncipherment, 'DATA_ENCIPHERMENT'],
  [x509.KeyUsageFlags.keyAgreement, 'KEY_AGREEMENT'],
  [x509.KeyUsageFlags.keyCertSign, 'CERTIFICATE_SIGNING'],
  [x509.KeyUsageFlags.cRLSign, 'CRL_SIGNING'],
  [x509.KeyUsageFlags.encipherOnly, 'ENCIPHER_ONLY'],
  [x509.KeyUsageFlags.decipherOnly, 'DECIPHER_ONLY'],
];

/** What DescribeCertificate shows of a certificate's own content. */
export function certificateFacts(pem: string) {
  const cert = new x509.X509Certificate(pem);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const dnsNames = san ? san.names.items.filter((n) => n.type === 'dns').map((n) => n.value) : [];
  const cn = cert.subjectName.getField('CN')[0];
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const sig = cert.signatureAlgorithm as Algorithm & { hash?: Algorithm };
  const hash = (sig.hash?.name ?? 'SHA-256').replace('-', '');
  const issuerName = cert.issuerName;
  return {
    domainName: cn ?? dnsNames[0] ?? '',
    names: dnsNames.length > 0 ? dnsNames : cn ? [cn] : [],
    serial: cert.serialNumber.toLowerCase().match(/../g)?.join(':') ?? cert.serialNumber,
    subject: cert.subject,
    issuer: issuerName.getField('O')[0] ?? issuerName.getField('CN')[0] ?? cert.issuer,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    signatureAlgorithm: `${hash}WITH${sig.name === 'ECDSA' ? 'ECDSA' : sig.name === 'RSA-PSS' ? 'RSASSA_PSS' : 'RSA'}`,
    keyUsages: ku ? KEY_USAGE_NAMES.filter(([bit]) => (ku.usages & bit) !== 0).map(([, name]) => name) : [],
    extendedKeyUsages: eku ? eku.usages.map((u) => ({ Name: EKU_NAMES[String(u)] ?? 'CUSTOM', OID: String(u) })) : [],
  };
}

interface ImportInput {
  CertificateArn?: string;
  Certificate: Buffer;
  PrivateKey: Buffer;
  CertificateChain?: Buffer;
  Tags?: Tag[];
}

export function importCertificate(input: ImportInput, env: HandlerEnv) {
  const existing = input.CertificateArn !== undefined ? getCertificate(env, input.CertificateArn) : undefined;
  if (existing && existing.type !== 'IMPORTED') throw validation(`Certificate ${existing.arn} was not imported; only imported certificates can be re-imported.`);
  if (existing && input.Tags?.length) throw validation('Tags cannot be added when re-importing a certificate; use AddTagsToCertificate.');
  checkTags(input.Tags ?? []);

  const certText = text(input.Certificate, 'certificate', 32768);
  const certBlocks = pemBlocks(certText).filter((b) => b.label === 'CERTIFICATE');
  if (certBlocks.length === 0) throw validation('Unable to parse certificate. Please ensure the certificate is in PEM format.');
  if (certBlocks.length > 1) throw validation('The certificate field contains more than one certificate. You can specify only one certificate in this field.');
  const cert = parseCertificate(certBlocks[0].pem, 'certificate');

  const keyText = text(input.PrivateKey, 'privateKey', 5124);
  if (/ENCRYPTED/.test(keyText)) throw validation('The private key is encrypted. Import an unencrypted private key.');
  let key: KeyObject;
  try {
    key = createPrivateKey(keyText);
  } catch {
    throw validation('Unable to parse the private key. Please ensure the private key is in PEM format.');
  }
  const keyAlgorithm = keyAlgorithmOf(key);
  if (!keyAlgorithm) throw validation('The private key is not supported. Supported keys: RSA 1024, 2048, 3072 and 4096 bits; EC prime256v1, secp384r1 and secp521r1.');
  if (!cert.checkPrivateKey(key)) throw validation('The private key does not match the public key in the certificate.');

  const now = Date.now();
  if (Date.parse(cert.validFrom) > now) throw validation(`The certificate is not valid yet: it becomes valid on ${new Date(cert.validFrom).toISOString()}.`);
  if (Date.parse(cert.validTo) < now) throw validation(`The certificate expired on ${new Date(cert.validTo).toISOString()}.`);

  let chainPem: string | undefined;
  if (input.CertificateChain !== undefined) {
    const chainText = text(input.CertificateChain, 'certificateChain', 2097152);
    const blocks = pemBlocks(chainText).filter((b) => b.label === 'CERTIFICATE');
    if (blocks.length === 0) throw validation('The certificate chain provided is not in a valid PEM format.');
    const chain = blocks.map((b) => parseCertificate(b.pem, 'certificate chain'));
    // Issuing order: the certificate is signed by chain[0], chain[i] by chain[i + 1].
    let child = cert;
    for (const [i, parent] of chain.entries()) {
      if (!child.checkIssued(parent) || !child.verify(parent.publicKey)) {
        throw validation(`The certificate chain is not in the correct order: certificate ${i + 1} of the chain did not issue the ${i === 0 ? 'certificate' : `chain's certificate ${i}`}. List the issuer of the certificate first, then its issuer, up to the root.`);
      }
      child = parent;
    }
    chainPem = blocks.map((b) => b.pem).join('\n') + '\n';
  } else if (!(cert.checkIssued(cert) && cert.verify(cert.publicKey))) {
    throw validation('Provided certificate is not a valid self signed. Please provide either a valid self-signed certificate or certificate chain.');
  }

  const facts = certificateFacts(certBlocks[0].pem);
  const nowIso = new Date(now).toISOString();
  const id = existing?.id ?? randomUUID();
  const rec: CertificateRecord = {
    arn: existing?.arn ?? certificateArn(env.scope, id),
    id,
    domainName: facts.domainName,
    names: facts.names,
    type: 'IMPORTED',
    status: 'ISSUED',
    validations: [],
    keyAlgorithm,
    options: { CertificateTransparencyLoggingPreference: 'DISABLED', Export: 'DISABLED' },
    importedAt: nowIso,
    notBefore: facts.notBefore,
    notAfter: facts.notAfter,
    serial: facts.serial,
    subject: facts.subject,
    issuer: facts.issuer,
    signatureAlgorithm: facts.signatureAlgorithm,
    keyUsages: facts.keyUsages,
    extendedKeyUsages: facts.extendedKeyUsages,
    certificatePem: certBlocks[0].pem + '\n',
    chainPem,
    privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }) as string,
    inUseBy: existing?.inUseBy ?? [],
    tags: existing?.tags ?? (input.Tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value ?? '' })),
    exported: false,
  };
  putCertificate(env, rec);
  return { CertificateArn: rec.arn };
}

export function exportCertificate(input: { CertificateArn: string; Passphrase: Buffer }, env: HandlerEnv) {
  const rec = getCertificate(env, input.CertificateArn);
  if (rec.type === 'IMPORTED') throw validation(`Certificate ${rec.arn} is imported; ACM exports only private certificates and public certificates requested with Options.Export=ENABLED.`);
  if (rec.type === 'AMAZON_ISSUED' && rec.options.Export !== 'ENABLED') {
    throw validation(`Certificate ${rec.arn} is a public certificate that was not requested as exportable; only public certificates requested with Options.Export=ENABLED can be exported.`);
  }
  if (rec.status === 'PENDING_VALIDATION') throw inProgress(rec.arn);
  if (!rec.certificatePem || !rec.privateKeyPem) throw validation(`Certificate ${rec.arn} has status ${rec.status} and cannot be exported.`);
  const passphrase = Buffer.isBuffer(input.Passphrase) ? input.Passphrase : Buffer.from(input.Passphrase);
  if (passphrase.length < 4) throw constraint('*** Sensitive Data Redacted ***', 'passphrase', 'Member must have length greater than or equal to 4');
  if (passphrase.length > 128) throw constraint('*** Sensitive Data Redacted ***', 'passphrase', 'Member must have length less than or equal to 128');
  if (/[#$%]/.test(passphrase.toString('latin1')) || [...passphrase].some((b) => b > 0x7e || b < 0x20)) {
    throw validation('The passphrase can contain any printable ASCII character except #, $ and %.');
  }
  const encrypted = createPrivateKey(rec.privateKeyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase });
  putCertificate(env, { ...rec, exported: true });
  return { Certificate: rec.certificatePem, CertificateChain: rec.chainPem, PrivateKey: encrypted as string };
}

export const importExportHandlers = {
  ImportCertificate: importCertificate,
  ExportCertificate: exportCertificate,
} satisfies Handlers;
