// Reading a request body without letting callers hold the process's memory:
// a limit per protocol (what AWS itself accepts, with room to spare), a
// Content-Length above it refused before a byte is read, a chunked body cut
// off where it crosses the limit, a budget for the bytes of all bodies being
// received or handled at once, and a deadline for the whole body (a client
// that sends a byte now and then holds nothing for long).
import type { IncomingMessage } from 'node:http';
import { AwsError } from './errors.ts';
import { header, type WireRequest } from './protocols/wire.ts';

/** How the gateway tells a request's protocol family from its head alone (before any body). */
export type BodyFamily = 'internal' | 'json' | 'rest-xml' | 'form';

const MB = 1024 * 1024;

/**
 * The largest body each family takes. AWS states few request size limits;
 * these sit well above the largest input any emulated operation can carry:
 *  - json (ACM, Route 53 Domains): ACM ImportCertificate takes a certificate
 *    chain of up to 2,097,152 bytes (ACM API reference, ImportCertificate:
 *    CertificateChain "Maximum length of 2097152"), base64 in JSON: ~2.8 MB.
 *  - rest-xml (Route 53): a change batch holds at most 1,000 ResourceRecord
 *    elements and 32,000 characters of values (Route 53 developer guide,
 *    "Quotas on API requests"): a few hundred KB of XML at most.
 *  - form (EC2, ELBv2 query): the largest values are EC2 user data (16 KB
 *    before base64, EC2 user guide "Instance user data") and certificates
 *    named by ARN; 1 MB is far beyond any real request.
 *  - internal (/_localnet/*): small JSON documents from localnet's own CLI.
 */
export const BODY_LIMITS: Readonly<Record<BodyFamily, number>> = { json: 4 * MB, 'rest-xml': 1 * MB, form: 1 * MB, internal: 64 * 1024 };

/**
 * The bytes of bodies all connections together may hold at once: 8 of the
 * largest (4 MB), hundreds of ordinary ones. What the process holds for them
 * is about twice this (socket buffers, the collector's lag).
 */
export const BODIES_IN_FLIGHT_MAX = 32 * MB;

/** How long a client may take to send a whole body once its headers arrived. */
export const BODY_DEADLINE_MS = 20_000;

/** The bytes of bodies being received or handled, across connections. */
export class BodyBudget {
  private used = 0;
  constructor(readonly maxBytes = BODIES_IN_FLIGHT_MAX) {}

  get inFlight(): number {
    return this.used;
  }

  /** Reserves n bytes; false when that would pass the budget. */
  take(n: number): boolean {
    if (this.used + n > this.maxBytes) return false;
    this.used += n;
    return true;
  }

  release(n: number): void {
    this.used -= n;
  }
}

export interface BodyOptions {
  limit: number;
  budget: BodyBudget;
  deadlineMs?: number;
}

/** A body that was read whole; release() returns its bytes to the budget once the request is answered. */
export interface ReadBody {
  body: Buffer;
  release(): void;
}

/** The client went away (or broke the stream) before its body was whole: there is no one to answer. */
export class ClientGone extends Error {}

export function bodyTooLarge(limit: number): AwsError {
  return new AwsError('RequestEntityTooLarge', `The request body is larger than localnet accepts for this API (${limit} bytes).`, 413);
}

/**
 * Reads req's body within opts. Rejects with an AwsError to answer (413
 * RequestEntityTooLarge, 503 ServiceUnavailable when the budget is spent, 408
 * RequestTimeout) or ClientGone; either way nothing stays reserved, and the
 * caller should answer with `Connection: close` since the rest of the body
 * is never read.
 */
export function readBody(req: IncomingMessage, opts: BodyOptions): Promise<ReadBody> {
  const { limit, budget, deadlineMs = BODY_DEADLINE_MS } = opts;
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(bodyTooLarge(limit));

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onClose);
      if (!err) {
        let released = false;
        return resolve({
          body: Buffer.concat(chunks, size),
          release: () => {
            if (!released) budget.release(size);
            released = true;
          },
        });
      }
      budget.release(size);
      chunks.length = 0;
      // Whatever else the client sends is read and dropped until the answer closes the connection.
      req.resume();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > limit) return finish(bodyTooLarge(limit));
      if (!budget.take(chunk.length)) return finish(new AwsError('ServiceUnavailable', `localnet is already receiving ${budget.maxBytes / MB} MB of request bodies; retry shortly.`, 503, 'Receiver'));
      size += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onGone = () => finish(new ClientGone());
    const onClose = () => {
      if (!req.complete) finish(new ClientGone());
    };
    const timer = setTimeout(() => finish(new AwsError('RequestTimeout', `localnet did not receive the whole request body within ${deadlineMs / 1000} seconds.`, 408)), deadlineMs);
    req.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onClose);
  });
}

/** A request's protocol family from its head alone: the body limit and the shape of an early error answer. */
export function bodyFamily(req: WireRequest): BodyFamily {
  if (req.path.startsWith('/_localnet/')) return 'internal';
  if (header(req, 'x-amz-target') !== undefined) return 'json';
  if (/^\/\d{4}-\d{2}-\d{2}\//.test(req.path)) return 'rest-xml';
  return 'form';
}
