// Key pairs for the CA and for issued certificates, in ACM's KeyAlgorithm
// vocabulary, through WebCrypto (the provider @peculiar/x509 signs with).
// Private keys leave this module as unencrypted PKCS#8 PEM, which is what
// node:tls and the store take.
import { webcrypto } from 'node:crypto';
import { x509 } from './x509.ts';

const subtle = webcrypto.subtle;

/** Every KeyAlgorithm ACM names (imports may carry any of them). */
export const KEY_ALGORITHMS = ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

/** What RequestCertificate may ask for; the rest are for imported certificates only. */
export const REQUESTABLE_KEY_ALGORITHMS: KeyAlgorithm[] = ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'];

type GenParams = RsaHashedKeyGenParams | EcKeyGenParams;

function genParams(alg: KeyAlgorithm): GenParams {
  if (alg.startsWith('RSA_')) {
    return { name: 'RSASSA-PKCS1-v1_5', modulusLength: Number(alg.slice(4)), publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  }
  const curve = { EC_prime256v1: 'P-256', EC_secp384r1: 'P-384', EC_secp521r1: 'P-521' }[alg as 'EC_prime256v1'];
  return { name: 'ECDSA', namedCurve: curve };
}

/** The WebCrypto algorithm a key of this kind signs with (SHA-256 throughout, as ACM's issuing CAs do). */
export function signingAlgorithm(alg: KeyAlgorithm): Algorithm | EcdsaParams {
  return alg.startsWith('RSA_') ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm : { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams;
}

/** ACM's SignatureAlgorithm name for a certificate signed by a key of this kind. */
export function signatureAlgorithmName(signer: KeyAlgorithm): string {
  return signer.startsWith('RSA_') ? 'SHA256WITHRSA' : 'SHA256WITHECDSA';
}

export async function generateKeyPair(alg: KeyAlgorithm): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(genParams(alg), true, ['sign', 'verify'])) as CryptoKeyPair;
}

export async function privateKeyToPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await subtle.exportKey('pkcs8', key), 'PRIVATE KEY') + '\n';
}

/** Imports an unencrypted PKCS#8 PEM key of the given kind for signing. */
export async function privateKeyFromPem(pem: string, alg: KeyAlgorithm): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  const params = genParams(alg);
  const importParams = 'namedCurve' in params ? { name: 'ECDSA', namedCurve: params.namedCurve } : { name: params.name, hash: 'SHA-256' };
  return subtle.importKey('pkcs8', der, importParams, true, ['sign']);
}
