// The local certificate authority: a root and one issuing intermediate (both
// EC P-256), created on first start under <dataDir>/ca/ and loaded from there
// afterwards, so the root a user trusted once stays the root. Issued leaf
// certificates are signed by the intermediate and served with it
// (chain-complete). The root key never signs anything but the intermediate.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { x509 } from './x509.ts';
import { generateKeyPair, privateKeyFromPem, privateKeyToPem, signingAlgorithm, type KeyAlgorithm } from './keys.ts';
import { issueLeaf, randomSerial, signLeaf, type IssuedCertificate, type KeyedLeafRequest, type Signer, type LeafRequest, type SignedLeaf } from './issue.ts';


/** The CA's own key kind. */
const CA_KEY: KeyAlgorithm = 'EC_prime256v1';
const ROOT_YEARS = 20;
const INTERMEDIATE_YEARS = 5;
/** An intermediate with less left than this is replaced (same root) at start, so leaves never outlive it. */
const INTERMEDIATE_MIN_REMAINING_DAYS = 400;

export interface CaFiles {
  dir: string;
  /** The root certificate to trust (PEM). */
  root: string;
  rootKey: string;
  intermediate: string;
  intermediateKey: string;
  /** The ACME server's own intermediate (src/acme/), under the same root. */
  acmeIntermediate: string;
  acmeIntermediateKey: string;
}

export interface LocalCa {
  files: CaFiles;
  rootPem: string;
  intermediatePem: string;
  /** SHA-256 fingerprint of the root (hex, colon-separated, upper case as openssl prints it). */
  rootFingerprint: string;
  /** The organisation name ACM reports as a certificate's Issuer ("Amazon" on AWS). */
  issuerName: string;
  /** Signs a new leaf certificate with a fresh key pair. */
  issue(req: LeafRequest): Promise<IssuedCertificate>;
  /** Signs a leaf for a key the caller holds (localnet's own HTTPS endpoints). */
  sign(req: KeyedLeafRequest): Promise<SignedLeaf>;
  /** The ACME server's intermediate ("localnet ACME Intermediate"): what certificates from src/acme/ are signed by. */
  acme: { intermediatePem: string; sign(req: KeyedLeafRequest): Promise<SignedLeaf> };
}

export function caFiles(dataDir: string): CaFiles {
  const dir = join(dataDir, 'ca');
  return { dir, root: join(dir, 'root.pem'), rootKey: join(dir, 'root.key'), intermediate: join(dir, 'intermediate.pem'), intermediateKey: join(dir, 'intermediate.key'), acmeIntermediate: join(dir, 'acme-intermediate.pem'), acmeIntermediateKey: join(dir, 'acme-intermediate.key') };
}

export const ISSUER_ORGANIZATION = 'localnet';

/** Loads the CA from <dataDir>/ca, creating whatever is missing (the root only when it does not exist yet). */
export async function loadOrCreateCa(dataDir: string, now = new Date()): Promise<LocalCa> {
  const files = caFiles(dataDir);
  mkdirSync(files.dir, { recursive: true, mode: 0o700 });

  let rootPem: string;
  let rootKey: CryptoKey;
  if (existsSync(files.root) && existsSync(files.rootKey)) {
    rootPem = readFileSync(files.root, 'utf8');
    rootKey = await privateKeyFromPem(readFileSync(files.rootKey, 'utf8'), CA_KEY);
  } else {
    const created = await createRoot(now);
    rootPem = created.pem;
    rootKey = created.key;
    writeSecret(files.rootKey, await privateKeyToPem(created.key));
    writePublic(files.root, rootPem);
  }
  const root = new x509.X509Certificate(rootPem);

  const signer = await loadOrCreateIntermediate(files.intermediate, files.intermediateKey, 'Issuing CA', root, rootKey, now);
  const acmeSigner = await loadOrCreateIntermediate(files.acmeIntermediate, files.acmeIntermediateKey, 'ACME Intermediate', root, rootKey, now);
  const intermediatePem = signer.cert.toString('pem') + '\n';

  return {
    files,
    rootPem,
    intermediatePem,
    rootFingerprint: fingerprint(rootPem),
    issuerName: ISSUER_ORGANIZATION,
    issue: (req) => issueLeaf(signer, req),
    sign: (req) => signLeaf(signer, req),
    acme: { intermediatePem: acmeSigner.cert.toString('pem') + '\n', sign: (req) => signLeaf(acmeSigner, req) },
  };
}

/** An intermediate from its files when it is fresh and signed by root, else a new one written there. */
async function loadOrCreateIntermediate(certFile: string, keyFile: string, label: string, root: x509.X509Certificate, rootKey: CryptoKey, now: Date): Promise<Signer> {
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = new x509.X509Certificate(readFileSync(certFile, 'utf8'));
    const fresh = cert.notAfter.getTime() - now.getTime() > INTERMEDIATE_MIN_REMAINING_DAYS * 86_400_000;
    if (fresh && cert.issuer === root.subject && (await cert.verify({ publicKey: root.publicKey, signatureOnly: true }))) {
      return { cert, key: await privateKeyFromPem(readFileSync(keyFile, 'utf8'), CA_KEY), keyAlgorithm: CA_KEY };
    }
  }
  const created = await createIntermediate(root, rootKey, now, label);
  writeSecret(keyFile, await privateKeyToPem(created.key));
  writePublic(certFile, created.pem);
  return { cert: new x509.X509Certificate(created.pem), key: created.key, keyAlgorithm: CA_KEY };
}

function fingerprint(pem: string): string {
  const der = Buffer.from(x509.PemConverter.decodeFirst(pem));
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
}

async function createRoot(now: Date): Promise<{ pem: string; key: CryptoKey }> {
  const keys = await generateKeyPair(CA_KEY);
  // A per-installation suffix keeps roots of different machines apart in trust stores (NSS keys certificates by subject).
  const id = randomBytes(4).toString('hex');
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=localnet Root CA ${id}, O=${ISSUER_ORGANIZATION}, OU=local development only`,
    notBefore: new Date(now.getTime() - 3_600_000),
    notAfter: addYears(now, ROOT_YEARS),
    signingAlgorithm: signingAlgorithm(CA_KEY),
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { pem: cert.toString('pem') + '\n', key: keys.privateKey };
}

async function createIntermediate(root: x509.X509Certificate, rootKey: CryptoKey, now: Date, label: string): Promise<{ pem: string; key: CryptoKey }> {
  const keys = await generateKeyPair(CA_KEY);
  const suffix = /localnet Root CA (\w+)/.exec(root.subject)?.[1] ?? '';
  const notAfter = addYears(now, INTERMEDIATE_YEARS);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=localnet ${label} ${suffix}, O=${ISSUER_ORGANIZATION}`,
    issuer: root.subject,
    notBefore: new Date(now.getTime() - 3_600_000),
    notAfter: notAfter < root.notAfter ? notAfter : root.notAfter,
    signingAlgorithm: signingAlgorithm(CA_KEY),
    publicKey: keys.publicKey,
    signingKey: rootKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root.publicKey),
    ],
  });
  return { pem: cert.toString('pem') + '\n', key: keys.privateKey };
}

function addYears(d: Date, years: number): Date {
  const out = new Date(d);
  out.setUTCFullYear(out.getUTCFullYear() + years);
  return out;
}

function writeSecret(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
  chmodSync(`${file}.tmp`, 0o600);
  renameSync(`${file}.tmp`, file);
}

function writePublic(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text, { mode: 0o644 });
  renameSync(`${file}.tmp`, file);
}
