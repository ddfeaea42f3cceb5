// The ACME resources (RFC 8555 section 7): accounts, orders, authorizations,
// challenges, finalization, certificates, revocation and key rollover. Each
// operation takes a verified request and returns a typed response; the
// HTTPS layer (http.ts) parses and renders. State lives in the store
// (records.ts); a validation runs in the background after a challenge POST,
// as Let's Encrypt's does, and clients poll the authorization.
import { randomBytes } from 'node:crypto';
import { exportSPKI, importJWK, type JWK } from 'jose';
import type { LocalCa } from '../pki/ca.ts';
import { x509 } from '../pki/x509.ts';
import type { Store } from '../store/store.ts';
import { parseCsr } from './csr.ts';
import { isObject, thumbprint, verifyJws, type Verified } from './jws.ts';
import type { Nonces } from './nonces.ts';
import { AcmeProblem, problem, problemDoc } from './problems.ts';
import { checkDuplicateCertificates, checkFailedValidations, type RateLimits } from './rate-limits.ts';
import { ACME_KIND, ACME_SCOPE, type AccountRecord, type AuthzRecord, type CertificateRecord, type ChallengeRecord, type ChallengeType, type Identifier, type OrderRecord } from './records.ts';
import { validateChallenge, type ValidationContext } from './validate.ts';

/** Let's Encrypt's certificate lifetime. */
export const CERT_VALIDITY_DAYS = 90;
const PENDING_AUTHZ_MS = 7 * 86_400_000;
const VALID_AUTHZ_MS = 30 * 86_400_000;
const ORDER_MS = 7 * 86_400_000;
const MAX_NAMES = 100;
/**
 * How long a challenge POST or an authorization poll waits for a running
 * validation before answering "processing": validations on loopback take
 * milliseconds, and Certbot sleeps a whole second after every "pending" poll.
 * Let's Encrypt answers at once; both are RFC 8555 (the client polls until
 * the status is final).
 */
const SETTLE_MS = 500;
/** RFC 5280 revocation reasons Let's Encrypt accepts from subscribers. */
const REVOCATION_REASONS = [0, 1, 3, 4, 5, 9];

export interface Reply {
  status: number;
  body?: unknown;
  /** Sent as is (certificate chains). */
  raw?: { contentType: string; text: string };
  location?: string;
  links?: string[];
  retryAfter?: number;
}

export interface ServiceOptions {
  store: Store;
  ca: LocalCa;
  nonces: Nonces;
  validation: ValidationContext;
  limits: RateLimits;
  log?(line: string): void;
  now?(): Date;
}

const newId = () => randomBytes(12).toString('base64url');

export class AcmeService {
  /** https://host:port, no trailing slash; set by the HTTPS layer once it listens. */
  base = '';
  private readonly running = new Set<Promise<void>>();
  /** The running validation of each authorization. */
  private readonly validating = new Map<string, Promise<void>>();

  constructor(private readonly o: ServiceOptions) {}

  url(path: string): string {
    return `${this.base}${path}`;
  }

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  private get store(): Store {
    return this.o.store;
  }

  /** Waits for background validations (close). */
  async settle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  directory(meta: Record<string, unknown>): Record<string, unknown> {
    return {
      newNonce: this.url('/acme/new-nonce'),
      newAccount: this.url('/acme/new-acct'),
      newOrder: this.url('/acme/new-order'),
      revokeCert: this.url('/acme/revoke-cert'),
      keyChange: this.url('/acme/key-change'),
      meta,
    };
  }

  verify(body: Buffer, path: string, key: 'jwk' | 'kid' | 'either'): Promise<Verified> {
    return verifyJws(body, { url: this.url(path), key, nonces: this.o.nonces, account: (kid) => this.accountByUrl(kid) });
  }

  private accountByUrl(kid: string): AccountRecord | undefined {
    const prefix = this.url('/acme/acct/');
    if (!kid.startsWith(prefix)) return undefined;
    return this.store.get<AccountRecord>(ACME_KIND.account, ACME_SCOPE, kid.slice(prefix.length));
  }

  private accountBody(a: AccountRecord) {
    return { status: a.status, contact: a.contact, termsOfServiceAgreed: a.termsOfServiceAgreed, orders: this.url(`/acme/acct/${a.id}/orders`), key: a.jwk, createdAt: a.createdAt };
  }

  // ----- accounts

  async newAccount(req: Verified): Promise<Reply> {
    const p = isObject(req.payload) ? req.payload : {};
    const jwk = publicJwk(req.jwk!);
    const tp = await thumbprint(jwk);
    const existing = this.store.list<AccountRecord>(ACME_KIND.account, ACME_SCOPE).find((a) => a.thumbprint === tp);
    if (existing) {
      if (existing.status !== 'valid') throw problem('unauthorized', `Account is not valid, has status "${existing.status}"`, 403);
      return { status: 200, body: this.accountBody(existing), location: this.url(`/acme/acct/${existing.id}`) };
    }
    if (p.onlyReturnExisting === true) throw problem('accountDoesNotExist', 'No account exists with the provided key');
    if (p.termsOfServiceAgreed !== true) throw problem('malformed', 'must agree to terms of service');
    const contact = checkContacts(p.contact);
    const account: AccountRecord = { id: newId(), jwk, thumbprint: tp, status: 'valid', contact, termsOfServiceAgreed: true, createdAt: this.now().toISOString() };
    this.store.put(ACME_KIND.account, ACME_SCOPE, account.id, account);
    this.o.log?.(`acme: new account ${account.id}${contact.length ? ` (${contact.join(', ')})` : ''}`);
    return { status: 201, body: this.accountBody(account), location: this.url(`/acme/acct/${account.id}`) };
  }

  updateAccount(req: Verified, id: string): Reply {
    const account = req.account!;
    if (account.id !== id) throw problem('unauthorized', 'Request signing key did not match account key', 403);
    const p = req.payload;
    if (p === undefined) return { status: 200, body: this.accountBody(account), location: this.url(`/acme/acct/${id}`) };
    if (!isObject(p)) throw problem('malformed', 'Request payload must be a JSON object');
    const next: AccountRecord = { ...account };
    if (p.contact !== undefined) next.contact = checkContacts(p.contact);
    if (p.status !== undefined) {
      if (p.status !== 'deactivated') throw problem('malformed', 'Invalid value provided for status field');
      next.status = 'deactivated';
    }
    this.store.put(ACME_KIND.account, ACME_SCOPE, id, next);
    return { status: 200, body: this.accountBody(next), location: this.url(`/acme/acct/${id}`) };
  }

  accountOrders(req: Verified, id: string): Reply {
    if (req.account!.id !== id) throw problem('unauthorized', 'Request signing key did not match account key', 403);
    const orders = this.store.list<OrderRecord>(ACME_KIND.order, ACME_SCOPE).filter((o) => o.accountId === id && (o.status === 'pending' || o.status === 'ready' || o.status === 'processing'));
    return { status: 200, body: { orders: orders.map((o) => this.url(`/acme/order/${o.id}`)) } };
  }

  /** RFC 8555 section 7.3.5: the outer JWS by the account (kid), the inner by the new key (jwk) over {account, oldKey}. */
  async keyChange(req: Verified): Promise<Reply> {
    const account = req.account!;
    const inner = await verifyJws(req.payload, { url: this.url('/acme/key-change'), key: 'jwk', account: () => undefined }).catch((err) => {
      if (err instanceof AcmeProblem) throw problem('malformed', `Inner JWS: ${err.message}`);
      throw err;
    });
    const p = inner.payload;
    if (!isObject(p) || typeof p.account !== 'string' || !isObject(p.oldKey)) throw problem('malformed', 'Inner JWS payload must have "account" and "oldKey"');
    if (p.account !== this.url(`/acme/acct/${account.id}`)) throw problem('malformed', 'Inner key rollover request specified Account "' + p.account + '", but outer JWS has Key ID "' + this.url(`/acme/acct/${account.id}`) + '"');
    if ((await thumbprint(p.oldKey as JWK)) !== account.thumbprint) throw problem('malformed', 'Inner JWS does not contain old key field matching current account key');
    const jwk = publicJwk(inner.jwk!);
    const tp = await thumbprint(jwk);
    const other = this.store.list<AccountRecord>(ACME_KIND.account, ACME_SCOPE).find((a) => a.thumbprint === tp);
    if (other) throw new AcmeProblem('conflict', 'New key is already in use for a different account', 409, undefined, {}, { Location: this.url(`/acme/acct/${other.id}`) });
    const next: AccountRecord = { ...account, jwk, thumbprint: tp };
    this.store.put(ACME_KIND.account, ACME_SCOPE, account.id, next);
    return { status: 200, body: this.accountBody(next), location: this.url(`/acme/acct/${account.id}`) };
  }

  // ----- orders

  newOrder(req: Verified): Reply {
    const account = req.account!;
    const p = req.payload;
    if (!isObject(p) || !Array.isArray(p.identifiers) || p.identifiers.length === 0) throw problem('malformed', 'NewOrder request did not specify any identifiers');
    if (p.identifiers.length > MAX_NAMES) throw problem('rejectedIdentifier', `Order cannot contain more than ${MAX_NAMES} DNS names`);
    const identifiers: Identifier[] = [];
    for (const id of p.identifiers as unknown[]) {
      if (!isObject(id) || typeof id.value !== 'string') throw problem('malformed', 'NewOrder request has a malformed identifier');
      if (id.type !== 'dns') throw problem('unsupportedIdentifier', `Invalid identifier type: ${String(id.type)}`);
      const value = id.value.toLowerCase().replace(/\.$/, '');
      checkName(value);
      if (!identifiers.some((i) => i.value === value)) identifiers.push({ type: 'dns', value });
    }
    const now = this.now();
    const authzs = this.store.list<AuthzRecord>(ACME_KIND.authz, ACME_SCOPE);
    for (const i of identifiers) checkFailedValidations(this.o.limits, authzs, account.id, i.value.replace(/^\*\./, ''), now.getTime());
    checkDuplicateCertificates(this.o.limits, this.store.list<CertificateRecord>(ACME_KIND.certificate, ACME_SCOPE), identifiers.map((i) => i.value), now.getTime());

    const order = this.store.transaction(() => {
      const authzIds = identifiers.map((i) => this.authzFor(account.id, i.value, authzs, now));
      const o: OrderRecord = { id: newId(), accountId: account.id, status: 'pending', identifiers, authzIds, expires: new Date(now.getTime() + ORDER_MS).toISOString(), createdAt: now.toISOString() };
      this.store.put(ACME_KIND.order, ACME_SCOPE, o.id, o);
      return this.refreshOrder(o);
    });
    return { status: 201, body: this.orderBody(order), location: this.url(`/acme/order/${order.id}`) };
  }

  /** A still-valid authorization of this account for the name (Let's Encrypt reuses them for 30 days), else a new pending one. */
  private authzFor(accountId: string, value: string, authzs: AuthzRecord[], now: Date): string {
    const wildcard = value.startsWith('*.');
    const name = wildcard ? value.slice(2) : value;
    const reuse = authzs.find((a) => a.accountId === accountId && a.identifier.value === name && a.wildcard === wildcard && a.status === 'valid' && Date.parse(a.expires) > now.getTime());
    if (reuse) return reuse.id;
    const types: ChallengeType[] = wildcard ? ['dns-01'] : ['http-01', 'dns-01', 'tls-alpn-01'];
    const a: AuthzRecord = {
      id: newId(),
      accountId,
      identifier: { type: 'dns', value: name },
      wildcard,
      status: 'pending',
      expires: new Date(now.getTime() + PENDING_AUTHZ_MS).toISOString(),
      challenges: types.map((type) => ({ type, token: randomBytes(32).toString('base64url'), status: 'pending' })),
      createdAt: now.toISOString(),
    };
    this.store.put(ACME_KIND.authz, ACME_SCOPE, a.id, a);
    return a.id;
  }

  /** Moves an order along from its authorizations (pending → ready / invalid) and its expiry; writes when it changed. */
  private refreshOrder(o: OrderRecord): OrderRecord {
    if (o.status === 'valid' || o.status === 'invalid' || o.status === 'processing') return o;
    let status: OrderRecord['status'] = o.status;
    let error = o.error;
    const authzs = o.authzIds.map((id) => this.store.get<AuthzRecord>(ACME_KIND.authz, ACME_SCOPE, id));
    if (Date.parse(o.expires) < this.now().getTime()) status = 'invalid';
    else if (authzs.some((a) => !a || a.status !== 'pending' && a.status !== 'valid')) {
      status = 'invalid';
      const failed = authzs.find((a) => a && a.status === 'invalid');
      const chall = failed?.challenges.find((c) => c.error);
      if (chall?.error) error = { ...chall.error, detail: `Error authorizing ${failed!.identifier.value}: ${chall.error.detail}` };
    } else if (authzs.every((a) => a!.status === 'valid')) status = 'ready';
    if (status === o.status) return o;
    const next = { ...o, status, error };
    this.store.put(ACME_KIND.order, ACME_SCOPE, o.id, next);
    return next;
  }

  private orderBody(o: OrderRecord) {
    return {
      status: o.status,
      expires: o.expires,
      identifiers: o.identifiers,
      authorizations: o.authzIds.map((id) => this.url(`/acme/authz/${id}`)),
      finalize: this.url(`/acme/order/${o.id}/finalize`),
      ...(o.certificateSerial ? { certificate: this.url(`/acme/cert/${o.certificateSerial}`) } : {}),
      ...(o.error ? { error: o.error } : {}),
    };
  }

  private ownOrder(req: Verified, id: string): OrderRecord {
    const o = this.store.get<OrderRecord>(ACME_KIND.order, ACME_SCOPE, id);
    if (!o || o.accountId !== req.account!.id) throw problem('malformed', 'No order for ID ' + id, 404);
    return o;
  }

  getOrder(req: Verified, id: string): Reply {
    const o = this.store.transaction(() => this.refreshOrder(this.ownOrder(req, id)));
    return { status: 200, body: this.orderBody(o), location: this.url(`/acme/order/${id}`), retryAfter: o.status === 'processing' ? 1 : undefined };
  }

  async finalize(req: Verified, id: string): Promise<Reply> {
    const o = this.store.transaction(() => this.refreshOrder(this.ownOrder(req, id)));
    if (o.status !== 'ready') throw problem('orderNotReady', `Order's status ("${o.status}") is not acceptable for finalization`, 403);
    const csr = await parseCsr(isObject(req.payload) ? req.payload.csr : undefined);
    const wanted = o.identifiers.map((i) => i.value).sort();
    if (csr.names.join(',') !== wanted.join(',')) throw problem('badCSR', 'Error finalizing order :: CSR does not specify same identifiers as Order');
    const accountSpki = await spkiOf(req.account!.jwk);
    if (accountSpki.equals(csr.spki)) throw problem('badCSR', 'Error finalizing order :: certificate public key must be different than account key');
    const now = this.now();
    // processing while the local CA signs (milliseconds), then valid in the same response.
    this.store.put(ACME_KIND.order, ACME_SCOPE, o.id, { ...o, status: 'processing' });
    let signed;
    try {
      signed = await this.o.ca.acme.sign({ names: o.identifiers.map((i) => i.value), publicKey: csr.publicKey, rsa: csr.rsa, validityDays: CERT_VALIDITY_DAYS, now });
    } catch (err) {
      this.store.put(ACME_KIND.order, ACME_SCOPE, o.id, { ...o, status: 'invalid', error: problemDoc('serverInternal', 'Error finalizing order :: signing failed', 500) });
      throw err;
    }
    const cert: CertificateRecord = {
      serial: signed.serialHex,
      accountId: o.accountId,
      orderId: o.id,
      names: wanted,
      certificatePem: signed.certificatePem,
      chainPem: signed.chainPem,
      spki: csr.spki.toString('base64'),
      issuedAt: now.toISOString(),
      notAfter: signed.notAfter.toISOString(),
    };
    const done: OrderRecord = { ...o, status: 'valid', certificateSerial: cert.serial };
    this.store.transaction(() => {
      this.store.put(ACME_KIND.certificate, ACME_SCOPE, cert.serial, cert);
      this.store.put(ACME_KIND.order, ACME_SCOPE, o.id, done);
    });
    this.o.log?.(`acme: issued ${cert.serial} for ${wanted.join(', ')}`);
    return { status: 200, body: this.orderBody(done), location: this.url(`/acme/order/${o.id}`) };
  }

  // ----- authorizations and challenges

  private ownAuthz(req: Verified, id: string): AuthzRecord {
    const a = this.store.get<AuthzRecord>(ACME_KIND.authz, ACME_SCOPE, id);
    if (!a || a.accountId !== req.account!.id) throw problem('malformed', 'No such authorization', 404);
    if (a.status === 'pending' && Date.parse(a.expires) < this.now().getTime()) {
      const expired = { ...a, status: 'expired' as const };
      this.store.put(ACME_KIND.authz, ACME_SCOPE, id, expired);
      return expired;
    }
    return a;
  }

  private challengeBody(a: AuthzRecord, c: ChallengeRecord) {
    return {
      type: c.type,
      url: this.url(`/acme/chall/${a.id}/${c.type}`),
      token: c.token,
      status: c.status,
      ...(c.validated ? { validated: c.validated } : {}),
      ...(c.error ? { error: c.error } : {}),
      ...(c.validationRecord ? { validationRecord: c.validationRecord } : {}),
    };
  }

  private authzBody(a: AuthzRecord) {
    // A valid authorization lists only the challenge that validated it (as Let's Encrypt does).
    const challenges = a.status === 'valid' ? a.challenges.filter((c) => c.status === 'valid') : a.challenges;
    return { identifier: a.identifier, status: a.status, expires: a.expires, challenges: challenges.map((c) => this.challengeBody(a, c)), ...(a.wildcard ? { wildcard: true } : {}) };
  }

  async authz(req: Verified, id: string): Promise<Reply> {
    await this.settleValidation(id);
    let a = this.ownAuthz(req, id);
    if (isObject(req.payload) && req.payload.status === 'deactivated') {
      if (a.status !== 'pending' && a.status !== 'valid') throw problem('malformed', `Authorization's status ("${a.status}") cannot be deactivated`);
      a = { ...a, status: 'deactivated' };
      this.store.put(ACME_KIND.authz, ACME_SCOPE, id, a);
    }
    const processing = a.challenges.some((c) => c.status === 'processing');
    return { status: 200, body: this.authzBody(a), retryAfter: processing ? 1 : undefined };
  }

  async challenge(req: Verified, authzId: string, type: string): Promise<Reply> {
    const a = this.ownAuthz(req, authzId);
    const c = a.challenges.find((x) => x.type === type);
    if (!c) throw problem('malformed', 'No such challenge', 404);
    const up = `<${this.url(`/acme/authz/${a.id}`)}>;rel="up"`;
    // POST-as-GET reads; a POST with {} asks the server to validate (RFC 8555 section 7.5.1).
    // One validation per authorization at a time: a second challenge POST while one runs only reads.
    if (req.payload === undefined || a.status !== 'pending' || c.status !== 'pending' || a.challenges.some((x) => x.status === 'processing')) return { status: 200, body: this.challengeBody(a, c), links: [up] };
    const started: AuthzRecord = { ...a, challenges: a.challenges.map((x) => (x.type === type ? { ...x, status: 'processing' as const } : x)) };
    this.store.put(ACME_KIND.authz, ACME_SCOPE, a.id, started);
    this.startValidation(a.id, type as ChallengeType, `${c.token}.${req.account!.thumbprint}`);
    await this.settleValidation(a.id);
    const now = this.store.get<AuthzRecord>(ACME_KIND.authz, ACME_SCOPE, a.id) ?? started;
    return { status: 200, body: this.challengeBody(now, now.challenges.find((x) => x.type === type)!), links: [up] };
  }

  private startValidation(authzId: string, type: ChallengeType, keyAuthorization: string): void {
    const run = this.runValidation(authzId, type, keyAuthorization);
    this.running.add(run);
    this.validating.set(authzId, run);
    void run.finally(() => {
      this.running.delete(run);
      this.validating.delete(authzId);
    });
  }

  /** After a restart: validations that were running when localnet stopped run again (clients are still polling). */
  resumeValidations(): void {
    for (const a of this.store.list<AuthzRecord>(ACME_KIND.authz, ACME_SCOPE)) {
      const c = a.challenges.find((x) => x.status === 'processing');
      const account = c && a.status === 'pending' ? this.store.get<AccountRecord>(ACME_KIND.account, ACME_SCOPE, a.accountId) : undefined;
      if (c && account) this.startValidation(a.id, c.type, `${c.token}.${account.thumbprint}`);
    }
  }

  /** Waits up to SETTLE_MS for the authorization's running validation. */
  private async settleValidation(authzId: string): Promise<void> {
    const run = this.validating.get(authzId);
    if (!run) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([run, new Promise<void>((r) => (timer = setTimeout(r, SETTLE_MS)))]);
    clearTimeout(timer);
  }

  private async runValidation(authzId: string, type: ChallengeType, keyAuthorization: string): Promise<void> {
    const a = this.store.get<AuthzRecord>(ACME_KIND.authz, ACME_SCOPE, authzId)!;
    const token = a.challenges.find((c) => c.type === type)!.token;
    let outcome;
    try {
      outcome = await validateChallenge(this.o.validation, type, a.identifier.value, a.wildcard, token, keyAuthorization);
    } catch (err) {
      this.o.log?.(`acme: validation of ${a.identifier.value} failed unexpectedly: ${(err as Error).stack ?? err}`);
      outcome = { ok: false as const, error: problemDoc('serverInternal', 'Error validating the challenge', 500) };
    }
    const now = this.now().toISOString();
    this.store.transaction(() => {
      const cur = this.store.get<AuthzRecord>(ACME_KIND.authz, ACME_SCOPE, authzId);
      if (!cur || cur.status !== 'pending') return;
      const next: AuthzRecord = outcome.ok
        ? { ...cur, status: 'valid', expires: new Date(Date.parse(now) + VALID_AUTHZ_MS).toISOString(), challenges: cur.challenges.map((c) => (c.type === type ? { ...c, status: 'valid', validated: now, validationRecord: outcome.record } : c)) }
        : { ...cur, status: 'invalid', failedAt: now, challenges: cur.challenges.map((c) => (c.type === type ? { ...c, status: 'invalid', error: outcome.error, validationRecord: outcome.record } : c)) };
      this.store.put(ACME_KIND.authz, ACME_SCOPE, authzId, next);
    });
    this.o.log?.(`acme: ${type} for ${a.identifier.value}: ${outcome.ok ? 'valid' : `invalid (${outcome.error.detail})`}`);
  }

  // ----- certificates

  certificate(req: Verified | undefined, serial: string): Reply {
    const c = this.store.get<CertificateRecord>(ACME_KIND.certificate, ACME_SCOPE, serial);
    if (!c || (req && req.account!.id !== c.accountId)) throw problem('malformed', 'Certificate not found', 404);
    return { status: 200, raw: { contentType: 'application/pem-certificate-chain', text: c.certificatePem + c.chainPem } };
  }

  /** RFC 8555 section 7.6: by the issuing account (kid) or by the certificate's own key (jwk). */
  async revoke(req: Verified): Promise<Reply> {
    const p = req.payload;
    if (!isObject(p) || typeof p.certificate !== 'string') throw problem('malformed', 'Unable to decode revocation request: no "certificate"');
    let cert: x509.X509Certificate;
    try {
      cert = new x509.X509Certificate(new Uint8Array(Buffer.from(p.certificate, 'base64url')));
    } catch {
      throw problem('malformed', 'Unable to parse certificate DER');
    }
    const reason = p.reason === undefined ? 0 : p.reason;
    if (typeof reason !== 'number' || !REVOCATION_REASONS.includes(reason)) throw problem('badRevocationReason', `disallowed revocation reason: ${String(reason)}`);
    const serial = cert.serialNumber.toLowerCase().replace(/^0+(?=..)/, '');
    const rec = this.store.get<CertificateRecord>(ACME_KIND.certificate, ACME_SCOPE, serial) ?? this.store.list<CertificateRecord>(ACME_KIND.certificate, ACME_SCOPE).find((c) => BigInt(`0x${c.serial}`) === BigInt(`0x${serial}`));
    if (!rec) throw problem('malformed', 'Certificate not found', 404);
    if (req.account) {
      if (req.account.id !== rec.accountId && !this.holdsAuthorizations(req.account.id, rec.names)) {
        throw problem('unauthorized', 'The key ID specified in the revocation request does not hold valid authorizations for all names in the certificate.', 403);
      }
    } else {
      const spki = await spkiOf(req.jwk!);
      if (spki.toString('base64') !== rec.spki) throw problem('unauthorized', "JWK embedded in revocation request must be the same public key as the cert to be revoked", 403);
    }
    if (rec.revoked) throw problem('alreadyRevoked', 'Certificate already revoked');
    this.store.put(ACME_KIND.certificate, ACME_SCOPE, rec.serial, { ...rec, revoked: { at: this.now().toISOString(), reason } });
    this.o.log?.(`acme: revoked ${rec.serial} (reason ${reason})`);
    return { status: 200 };
  }

  private holdsAuthorizations(accountId: string, names: string[]): boolean {
    const now = this.now().getTime();
    const valid = this.store.list<AuthzRecord>(ACME_KIND.authz, ACME_SCOPE).filter((a) => a.accountId === accountId && a.status === 'valid' && Date.parse(a.expires) > now);
    return names.every((n) => valid.some((a) => (a.wildcard ? `*.${a.identifier.value}` : a.identifier.value) === n));
  }

  /** Every certificate issued, with revocation (for /_localnet/acme/certificates and status). */
  certificates(): { serial: string; names: string[]; issuedAt: string; notAfter: string; revoked?: { at: string; reason: number } }[] {
    return this.store.list<CertificateRecord>(ACME_KIND.certificate, ACME_SCOPE).map((c) => ({ serial: c.serial, names: c.names, issuedAt: c.issuedAt, notAfter: c.notAfter, ...(c.revoked ? { revoked: c.revoked } : {}) }));
  }
}

function publicJwk(jwk: JWK): JWK {
  const { kty, crv, x, y, n, e } = jwk;
  return Object.fromEntries(Object.entries({ kty, crv, x, y, n, e }).filter(([, v]) => v !== undefined)) as JWK;
}

async function spkiOf(jwk: JWK): Promise<Buffer> {
  const alg = jwk.kty === 'RSA' ? 'RS256' : jwk.crv === 'P-384' ? 'ES384' : jwk.crv === 'P-521' ? 'ES512' : 'ES256';
  const key = await importJWK(jwk, alg);
  const pem = await exportSPKI(key as CryptoKey);
  return Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
}

function checkContacts(contact: unknown): string[] {
  if (contact === undefined) return [];
  if (!Array.isArray(contact) || contact.some((c) => typeof c !== 'string')) throw problem('invalidContact', 'contact must be an array of strings');
  for (const c of contact as string[]) {
    if (!c.startsWith('mailto:')) throw problem('unsupportedContact', `contact method "${c.split(':')[0]}" is not supported`);
    if (!/^mailto:[^@\s,]+@[^@\s,]+\.[^@\s,]+$/.test(c)) throw problem('invalidContact', `unable to parse email address "${c.slice(7)}"`);
  }
  return contact as string[];
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function checkName(value: string): void {
  const wildcard = value.startsWith('*.');
  const name = wildcard ? value.slice(2) : value;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name) || name.includes(':')) throw problem('rejectedIdentifier', `Cannot issue for "${value}": The ACME server can not issue a certificate for an IP address`);
  if (name.includes('*')) throw problem('rejectedIdentifier', `Cannot issue for "${value}": Wildcard domain names must have the wildcard as the first label only`);
  const labels = name.split('.');
  if (name.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l))) throw problem('rejectedIdentifier', `Cannot issue for "${value}": Domain name contains an invalid character or label`);
}
