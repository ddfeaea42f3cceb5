// Request authentication (RFC 8555 section 6.2): every POST body is a
// flattened JWS whose protected header carries alg, nonce, url and exactly
// one of jwk (newAccount, revocation by certificate key) or kid (an account
// URL). The signature is checked with jose; the payload is JSON, or empty
// for POST-as-GET.
import { calculateJwkThumbprint, flattenedVerify, importJWK, type FlattenedJWSInput, type JWK } from 'jose';
import type { Nonces } from './nonces.ts';
import { AcmeProblem, problem } from './problems.ts';
import type { AccountRecord } from './records.ts';

/** What Let's Encrypt accepts (Certbot signs ES256 or RS256, lego ES256/RS256 by key type). */
export const JWS_ALGORITHMS = ['RS256', 'ES256', 'ES384', 'ES512'];

export interface ProtectedHeader {
  alg: string;
  nonce?: string;
  url?: string;
  jwk?: JWK;
  kid?: string;
}

export interface Verified {
  header: ProtectedHeader;
  /** Parsed JSON payload; undefined for POST-as-GET (empty payload). */
  payload: unknown;
  /** Set for kid requests. */
  account?: AccountRecord;
  /** Set for jwk requests. */
  jwk?: JWK;
}

export interface VerifyOptions {
  /** The URL the request reached, as the directory names it. */
  url: string;
  /** Which key reference the resource takes. */
  key: 'jwk' | 'kid' | 'either';
  nonces?: Nonces;
  /** Account lookup by kid URL. */
  account(kid: string): AccountRecord | undefined;
}

/** Parses and verifies a flattened JWS (nonce consumed when nonces is given: an inner key-change JWS has none). */
export async function verifyJws(body: Buffer | unknown, opts: VerifyOptions): Promise<Verified> {
  let jws: unknown = body;
  if (Buffer.isBuffer(body)) {
    try {
      jws = JSON.parse(body.toString('utf8'));
    } catch {
      throw problem('malformed', 'Parse error reading JWS');
    }
  }
  if (!isObject(jws) || typeof jws.protected !== 'string' || typeof jws.payload !== 'string' || typeof jws.signature !== 'string') {
    throw problem('malformed', 'Parse error reading JWS: a flattened JWS with protected, payload and signature is required');
  }
  if ('header' in jws) throw problem('malformed', 'JWS "header" field not allowed; use "protected"');
  let header: ProtectedHeader;
  try {
    header = JSON.parse(Buffer.from(jws.protected, 'base64url').toString('utf8')) as ProtectedHeader;
  } catch {
    throw problem('malformed', 'Parse error reading JWS: the protected header is not base64url JSON');
  }
  if (!isObject(header)) throw problem('malformed', 'Parse error reading JWS: the protected header is not a JSON object');
  if (typeof header.alg !== 'string' || !JWS_ALGORITHMS.includes(header.alg)) {
    throw new AcmeProblem('badSignatureAlgorithm', `JWS signature algorithm "${String(header.alg)}" is not supported; use one of ${JWS_ALGORITHMS.join(', ')}`, 400, undefined, { algorithms: JWS_ALGORITHMS });
  }
  if (header.jwk !== undefined && header.kid !== undefined) throw problem('malformed', 'jwk and kid header fields are mutually exclusive');
  if (opts.key === 'jwk' && header.jwk === undefined) throw problem('malformed', 'No embedded JWK in JWS header');
  if (opts.key === 'kid' && header.kid === undefined) throw problem('malformed', 'No Key ID in JWS header');
  if (header.jwk === undefined && header.kid === undefined) throw problem('malformed', 'No Key ID or embedded JWK in JWS header');

  let account: AccountRecord | undefined;
  let jwk: JWK | undefined;
  if (header.kid !== undefined) {
    account = typeof header.kid === 'string' ? opts.account(header.kid) : undefined;
    if (!account) throw problem('accountDoesNotExist', `Account "${String(header.kid)}" not found`);
    jwk = account.jwk;
  } else {
    jwk = header.jwk;
    if (!isObject(jwk) || typeof jwk.kty !== 'string') throw problem('malformed', 'Parse error reading JWS: the embedded JWK is not a JSON Web Key');
    if ('d' in jwk) throw problem('malformed', 'The embedded JWK is a private key');
  }

  let key;
  try {
    key = await importJWK(jwk, header.alg);
  } catch (err) {
    throw problem('badPublicKey', `Invalid key in JWS header: ${(err as Error).message}`);
  }
  let payloadBytes: Uint8Array;
  try {
    ({ payload: payloadBytes } = await flattenedVerify(jws as unknown as FlattenedJWSInput, key, { algorithms: JWS_ALGORITHMS }));
  } catch {
    throw problem('malformed', 'JWS verification error');
  }

  if (opts.nonces) {
    if (typeof header.nonce !== 'string' || header.nonce === '') throw problem('badNonce', 'JWS has no anti-replay nonce');
    if (!opts.nonces.consume(header.nonce)) throw problem('badNonce', `JWS has an invalid anti-replay nonce: "${header.nonce}"`);
  }
  if (typeof header.url !== 'string') throw problem('malformed', "JWS header parameter 'url' required");
  if (header.url !== opts.url) throw problem('unauthorized', `JWS header parameter 'url' incorrect. Expected "${opts.url}" got "${header.url}"`, 403);
  if (account && account.status !== 'valid') throw problem('unauthorized', `Account is not valid, has status "${account.status}"`, 403);

  const text = Buffer.from(payloadBytes).toString('utf8');
  let payload: unknown;
  if (text !== '') {
    try {
      payload = JSON.parse(text);
    } catch {
      throw problem('malformed', 'Request payload did not parse as JSON');
    }
  }
  return { header, payload, account, jwk: header.jwk };
}

export const thumbprint = (jwk: JWK) => calculateJwkThumbprint(jwk, 'sha256');

export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
