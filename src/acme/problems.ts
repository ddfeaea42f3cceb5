// ACME error documents (RFC 8555 section 6.7): application/problem+json with
// a urn:ietf:params:acme:error:* type, an HTTP status, and Let's Encrypt's
// wording where clients or users match on it.
export const ERR = 'urn:ietf:params:acme:error:';

export type ProblemType =
  | 'accountDoesNotExist' | 'alreadyRevoked' | 'badCSR' | 'badNonce' | 'badPublicKey' | 'badRevocationReason'
  | 'badSignatureAlgorithm' | 'caa' | 'connection' | 'dns' | 'incorrectResponse' | 'invalidContact' | 'malformed'
  | 'orderNotReady' | 'rateLimited' | 'rejectedIdentifier' | 'serverInternal' | 'tls' | 'unauthorized'
  | 'unsupportedContact' | 'unsupportedIdentifier' | 'userActionRequired' | 'conflict';

export interface ProblemDocument {
  type: string;
  detail: string;
  status: number;
  [extra: string]: unknown;
}

/** Thrown by handlers; the server renders it (with a fresh Replay-Nonce). */
export class AcmeProblem extends Error {
  constructor(
    readonly problemType: ProblemType,
    detail: string,
    readonly status = 400,
    /** Seconds, sent as Retry-After (rateLimited). */
    readonly retryAfter?: number,
    readonly extra: Record<string, unknown> = {},
    /** Extra response headers (Location on a key-change conflict). */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }

  document(): ProblemDocument {
    return { type: ERR + this.problemType, detail: this.message, status: this.status, ...this.extra };
  }
}

export const problem = (type: ProblemType, detail: string, status = 400) => new AcmeProblem(type, detail, status);

/** A stored validation failure (the challenge's `error`). */
export function problemDoc(type: ProblemType, detail: string, status = 400): ProblemDocument {
  return { type: ERR + type, detail, status };
}
