// The ACME protocol itself, without a client library: JWS checks, nonces,
// accounts (onlyReturnExisting, deactivation, key rollover), the order
// state machine through finalization and download, malformed input
// rejected as `malformed` without harm, and the rate limits' arithmetic.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { exportJWK, FlattenedSign, generateKeyPair, type JWK } from 'jose';
import { x509 } from '../../src/pki/x509.ts';
import { AcmeProblem } from '../../src/acme/problems.ts';
import { checkDuplicateCertificates, checkFailedValidations, LETS_ENCRYPT_LIMITS } from '../../src/acme/rate-limits.ts';
import { ACME_KIND, ACME_SCOPE, type AuthzRecord, type CertificateRecord } from '../../src/acme/records.ts';
import { acmeEnv, closeServer, run, upsert, type Env } from './helpers.ts';

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  text: string;
}

let rootPem = '';

function send(url: string, method: string, body?: string, contentType = 'application/jose+json'): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, ca: rootPem, headers: body === undefined ? {} : { 'content-type': contentType } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode!, headers: res.headers, body: parsed, text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

class Client {
  kid?: string;
  private nonce?: string;
  constructor(
    readonly dir: Record<string, string>,
    public keys: CryptoKeyPair,
    public jwk: JWK,
  ) {}

  static async create(dir: Record<string, string>): Promise<Client> {
    const keys = await generateKeyPair('ES256', { extractable: true });
    return new Client(dir, keys, await exportJWK(keys.publicKey));
  }

  async freshNonce(): Promise<string> {
    const r = await send(this.dir.newNonce, 'HEAD');
    return r.headers['replay-nonce'] as string;
  }

  async jws(url: string, payload: unknown, o: { useJwk?: boolean; nonce?: string; keys?: CryptoKeyPair; jwk?: JWK; noNonce?: boolean } = {}): Promise<string> {
    const header: Record<string, unknown> = { alg: 'ES256', url };
    if (!o.noNonce) header.nonce = o.nonce ?? this.nonce ?? (await this.freshNonce());
    this.nonce = undefined;
    if (o.useJwk || !this.kid) header.jwk = o.jwk ?? this.jwk;
    else header.kid = this.kid;
    const bytes = new TextEncoder().encode(payload === undefined ? '' : JSON.stringify(payload));
    return JSON.stringify(await new FlattenedSign(bytes).setProtectedHeader(header as never).sign((o.keys ?? this.keys).privateKey));
  }

  async post(url: string, payload: unknown, o: Parameters<Client['jws']>[2] = {}): Promise<Res> {
    const r = await send(url, 'POST', await this.jws(url, payload, o));
    this.nonce = r.headers['replay-nonce'] as string;
    return r;
  }

  async register(): Promise<Res> {
    const r = await this.post(this.dir.newAccount, { termsOfServiceAgreed: true, contact: ['mailto:a@example.net'] });
    this.kid = r.headers.location as string;
    return r;
  }
}

const WEB = '127.88.12.1';

describe('ACME protocol', () => {
  let env: Env;
  let dir: Record<string, string>;
  let web: Server;
  /** token -> key authorization served by the "instance". */
  const served = new Map<string, string>();
  before(async () => {
    env = await acmeEnv('example.net');
    rootPem = readFileSync(env.root, 'utf8');
    dir = (await send(env.ln.acme.directory, 'GET')).body;
    web = createServer((req, res) => {
      const token = (req.url ?? '').split('/').pop() ?? '';
      if (served.has(token)) res.end(served.get(token));
      else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => web.listen(80, WEB, () => resolve()));
    await upsert(env, 'proto.example.net', 'A', WEB);
  });
  after(async () => {
    await closeServer(web);
    await env.ln.stop();
    rmSync(env.tmp, { recursive: true, force: true });
  });

  it('serves a directory over HTTPS with a certificate from the local CA, and a nonce on HEAD newNonce', async () => {
    for (const k of ['newNonce', 'newAccount', 'newOrder', 'revokeCert', 'keyChange']) assert.match(dir[k], /^https:\/\/127\.0\.0\.1:\d+\/acme\//);
    assert.deepEqual((dir.meta as unknown as { caaIdentities: string[] }).caaIdentities, ['localnet.test', 'letsencrypt.org']);
    const r = await send(dir.newNonce, 'HEAD');
    assert.equal(r.status, 200);
    assert.match(r.headers['replay-nonce'] as string, /^[\w-]{16,}$/);
    assert.equal(r.headers['cache-control'], 'no-store');
  });

  it('rejects malformed requests cleanly, as problem documents with a fresh nonce', async () => {
    const cases: [string, string | undefined, string, number, string][] = [
      ['not JSON', '{nope', 'application/jose+json', 400, 'malformed'],
      ['JSON, not a JWS', '{"a":1}', 'application/jose+json', 400, 'malformed'],
      ['an array', '[]', 'application/jose+json', 400, 'malformed'],
      ['a header that is not base64url JSON', JSON.stringify({ protected: '!!', payload: '', signature: '' }), 'application/jose+json', 400, 'malformed'],
      ['wrong content type', '{}', 'application/json', 415, 'malformed'],
      ['HS256', JSON.stringify({ protected: Buffer.from(JSON.stringify({ alg: 'HS256', nonce: 'x', url: dir.newAccount, jwk: { kty: 'oct' } })).toString('base64url'), payload: '', signature: '' }), 'application/jose+json', 400, 'badSignatureAlgorithm'],
      ['alg none', JSON.stringify({ protected: Buffer.from(JSON.stringify({ alg: 'none', url: dir.newAccount })).toString('base64url'), payload: '', signature: '' }), 'application/jose+json', 400, 'badSignatureAlgorithm'],
    ];
    for (const [what, body, type, status, problem] of cases) {
      const r = await send(dir.newAccount, 'POST', body, type);
      assert.equal(r.status, status, what);
      assert.equal(r.headers['content-type'], 'application/problem+json', what);
      assert.equal(r.body.type, `urn:ietf:params:acme:error:${problem}`, `${what}: ${r.text}`);
      assert.ok(r.headers['replay-nonce'], what);
    }
    assert.equal((await send(`${dir.newAccount.replace('new-acct', 'nowhere')}`, 'POST', '{}')).body.type, 'urn:ietf:params:acme:error:malformed');
    assert.equal((await send(dir.newOrder, 'GET')).status, 405);
  });

  it('checks nonce, url and signature', async () => {
    const c = await Client.create(dir);
    const nonce = await c.freshNonce();
    const ok = await c.post(dir.newAccount, { termsOfServiceAgreed: true }, { nonce });
    assert.equal(ok.status, 201);
    const reused = await c.post(dir.newAccount, { termsOfServiceAgreed: true }, { nonce, useJwk: true });
    assert.equal(reused.body.type, 'urn:ietf:params:acme:error:badNonce');
    assert.equal((await c.post(dir.newAccount, {}, { noNonce: true, useJwk: true })).body.type, 'urn:ietf:params:acme:error:badNonce');
    const wrongUrl = await send(dir.newAccount, 'POST', await c.jws(dir.newOrder, {}, { useJwk: true }));
    assert.equal(wrongUrl.body.type, 'urn:ietf:params:acme:error:unauthorized');
    assert.match(wrongUrl.body.detail, /JWS header parameter 'url' incorrect/);
    const other = await generateKeyPair('ES256', { extractable: true });
    const forged = await c.post(dir.newAccount, { termsOfServiceAgreed: true }, { useJwk: true, keys: other });
    assert.equal(forged.body.type, 'urn:ietf:params:acme:error:malformed');
    assert.equal(forged.body.detail, 'JWS verification error');
  });

  it('accounts: terms required, onlyReturnExisting, same key same account, RS256 keys, contact update, deactivation', async () => {
    const c = await Client.create(dir);
    assert.equal((await c.post(dir.newAccount, { onlyReturnExisting: true })).body.type, 'urn:ietf:params:acme:error:accountDoesNotExist');
    assert.equal((await c.post(dir.newAccount, { termsOfServiceAgreed: false })).body.type, 'urn:ietf:params:acme:error:malformed');
    assert.equal((await c.post(dir.newAccount, { termsOfServiceAgreed: true, contact: ['tel:+1'] })).body.type, 'urn:ietf:params:acme:error:unsupportedContact');
    const created = await c.register();
    assert.equal(created.status, 201);
    assert.equal(created.body.status, 'valid');
    const again = await c.post(dir.newAccount, { onlyReturnExisting: true }, { useJwk: true });
    assert.equal(again.status, 200);
    assert.equal(again.headers.location, c.kid);
    const updated = await c.post(c.kid!, { contact: ['mailto:b@example.net'] });
    assert.deepEqual(updated.body.contact, ['mailto:b@example.net']);
    assert.equal((await c.post(c.kid!, { status: 'deactivated' })).body.status, 'deactivated');
    const after = await c.post(dir.newOrder, { identifiers: [{ type: 'dns', value: 'proto.example.net' }] });
    assert.equal(after.status, 403);
    assert.equal(after.body.type, 'urn:ietf:params:acme:error:unauthorized');

    const rsa = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
    const r = new Client(dir, rsa, await exportJWK(rsa.publicKey));
    const raw = await send(dir.newAccount, 'POST', JSON.stringify(await new FlattenedSign(new TextEncoder().encode(JSON.stringify({ termsOfServiceAgreed: true }))).setProtectedHeader({ alg: 'RS256', nonce: await r.freshNonce(), url: dir.newAccount, jwk: r.jwk }).sign(rsa.privateKey)));
    assert.equal(raw.status, 201, raw.text);
  });

  it('key rollover (keyChange): the account answers to the new key only', async () => {
    const c = await Client.create(dir);
    await c.register();
    const next = await generateKeyPair('ES256', { extractable: true });
    const nextJwk = await exportJWK(next.publicKey);
    const inner = JSON.parse(await c.jws(dir.keyChange, { account: c.kid, oldKey: c.jwk }, { useJwk: true, keys: next, jwk: nextJwk, noNonce: true }));
    const r = await c.post(dir.keyChange, inner);
    assert.equal(r.status, 200, r.text);
    const old = { keys: c.keys, jwk: c.jwk };
    c.keys = next;
    c.jwk = nextJwk;
    assert.equal((await c.post(c.kid!, undefined)).status, 200);
    const byNew = await c.post(dir.newAccount, { onlyReturnExisting: true }, { useJwk: true });
    assert.equal(byNew.headers.location, c.kid);
    const byOld = await c.post(dir.newAccount, { onlyReturnExisting: true }, { useJwk: true, keys: old.keys, jwk: old.jwk });
    assert.equal(byOld.body.type, 'urn:ietf:params:acme:error:accountDoesNotExist');
  });

  it('orders: pending → ready → valid through http-01, finalize with a CSR naming exactly the order\'s identifiers, a chain download', async () => {
    const c = await Client.create(dir);
    await c.register();
    assert.equal((await c.post(dir.newOrder, { identifiers: [{ type: 'ip', value: '127.0.0.1' }] })).body.type, 'urn:ietf:params:acme:error:unsupportedIdentifier');
    assert.equal((await c.post(dir.newOrder, { identifiers: [{ type: 'dns', value: 'a.*.example.net' }] })).body.type, 'urn:ietf:params:acme:error:rejectedIdentifier');
    const wild = await c.post(dir.newOrder, { identifiers: [{ type: 'dns', value: '*.example.net' }] });
    const wildAuthz = await c.post(wild.body.authorizations[0], undefined);
    assert.deepEqual(wildAuthz.body.challenges.map((x: { type: string }) => x.type), ['dns-01'], 'wildcards only by dns-01');
    assert.equal(wildAuthz.body.wildcard, true);
    assert.equal(wildAuthz.body.identifier.value, 'example.net');

    const order = await c.post(dir.newOrder, { identifiers: [{ type: 'dns', value: 'proto.example.net' }] });
    assert.equal(order.status, 201);
    assert.equal(order.body.status, 'pending');
    const orderUrl = order.headers.location as string;
    const csrKeys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const csr = async (names: string[]) => Buffer.from((await x509.Pkcs10CertificateRequestGenerator.create({ name: `CN=${names[0]}`, keys: csrKeys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' }, extensions: [new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: 'dns' as const, value })))] })).rawData).toString('base64url');
    const early = await c.post(order.body.finalize, { csr: await csr(['proto.example.net']) });
    assert.equal(early.status, 403);
    assert.equal(early.body.type, 'urn:ietf:params:acme:error:orderNotReady');

    const authz = await c.post(order.body.authorizations[0], undefined);
    const http01 = authz.body.challenges.find((x: { type: string }) => x.type === 'http-01');
    const thumb = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify({ crv: c.jwk.crv, kty: c.jwk.kty, x: c.jwk.x, y: c.jwk.y })))).toString('base64url');
    served.set(http01.token, `${http01.token}.${thumb}`);
    const started = await c.post(http01.url, {});
    assert.equal(started.status, 200);
    assert.match(String(started.headers.link), /rel="up"/);
    let status = 'pending';
    for (let i = 0; i < 50 && status === 'pending'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await c.post(order.body.authorizations[0], undefined)).body.status;
    }
    assert.equal(status, 'valid');
    assert.equal((await c.post(orderUrl, undefined)).body.status, 'ready');

    const wrongNames = await c.post(order.body.finalize, { csr: await csr(['proto.example.net', 'other.example.net']) });
    assert.equal(wrongNames.body.type, 'urn:ietf:params:acme:error:badCSR');
    assert.match(wrongNames.body.detail, /CSR does not specify same identifiers as Order/);
    assert.equal((await c.post(order.body.finalize, { csr: 'AAAA' })).body.type, 'urn:ietf:params:acme:error:badCSR');
    const done = await c.post(order.body.finalize, { csr: await csr(['proto.example.net']) });
    assert.equal(done.status, 200, done.text);
    assert.equal(done.body.status, 'valid');
    const chain = await c.post(done.body.certificate, undefined);
    assert.equal(chain.headers['content-type'], 'application/pem-certificate-chain');
    const certs = chain.text.match(/-----BEGIN CERTIFICATE-----/g) ?? [];
    assert.equal(certs.length, 2);
    const leaf = new x509.X509Certificate(chain.text.split(/(?=-----BEGIN CERTIFICATE-----)/)[0]);
    const days = (leaf.notAfter.getTime() - leaf.notBefore.getTime()) / 86_400_000;
    assert.ok(days > 89 && days <= 90, `90-day validity, got ${days}`);
    assert.match(leaf.issuer, /localnet ACME Intermediate/);
    // Another account cannot read it.
    const stranger = await Client.create(dir);
    await stranger.register();
    assert.equal((await stranger.post(done.body.certificate, undefined)).status, 404);
    assert.equal((await stranger.post(orderUrl, undefined)).status, 404);
  });
});

describe('ACME validation details and discoverability', () => {
  let env: Env;
  let dir: Record<string, string>;
  const servers: Server[] = [];
  /** An "instance" on address:port answering every request with handler. */
  const instance = async (address: string, port: number, handler: Parameters<typeof createServer>[1]) => {
    const s = createServer(handler);
    await new Promise<void>((resolve) => s.listen(port, address, () => resolve()));
    servers.push(s);
  };
  before(async () => {
    env = await acmeEnv('example.net');
    rootPem = readFileSync(env.root, 'utf8');
    dir = (await send(env.ln.acme.directory, 'GET')).body;
  });
  after(async () => {
    for (const s of servers) await closeServer(s);
    await env.ln.stop();
    rmSync(env.tmp, { recursive: true, force: true });
  });

  /** Orders name, serves nothing itself, answers http-01 and waits for the authorization's final state. */
  const validate = async (name: string, serve: (token: string, keyAuth: string) => void) => {
    const c = await Client.create(dir);
    await c.register();
    const order = await c.post(dir.newOrder, { identifiers: [{ type: 'dns', value: name }] });
    const authz = await c.post(order.body.authorizations[0], undefined);
    const ch = authz.body.challenges.find((x: { type: string }) => x.type === 'http-01');
    const thumb = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify({ crv: c.jwk.crv, kty: c.jwk.kty, x: c.jwk.x, y: c.jwk.y })))).toString('base64url');
    serve(ch.token, `${ch.token}.${thumb}`);
    await c.post(ch.url, {});
    for (let i = 0; i < 100; i++) {
      const a = await c.post(order.body.authorizations[0], undefined);
      if (a.body.status !== 'pending') return a.body as { status: string; challenges: { error?: { type: string; detail: string } }[] };
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail('validation did not finish');
  };

  it('connects where portFor says (the public-address mapping of privileged ports)', async () => {
    const keyAuths = new Map<string, string>();
    await instance('127.88.13.1', 10080, (req, res) => res.end(keyAuths.get((req.url ?? '').split('/').pop()!) ?? ''));
    await upsert(env, 'mapped.example.net', 'A', '127.88.13.1');
    env.ln.acme.portFor = (ip, port) => (ip === '127.88.13.1' && port === 80 ? 10080 : port);
    try {
      const a = await validate('mapped.example.net', (t, k) => keyAuths.set(t, k));
      assert.equal(a.status, 'valid', JSON.stringify(a));
    } finally {
      env.ln.acme.portFor = (_ip, port) => port;
    }
  });

  it('follows a redirect to another name on port 80, refuses one to another port', async () => {
    const keyAuths = new Map<string, string>();
    await instance('127.88.13.2', 80, (req, res) => {
      const host = req.headers.host;
      if (host === 'old.example.net') {
        res.writeHead(301, { location: `http://new.example.net${req.url}` });
        res.end();
      } else if (host === 'odd.example.net') {
        res.writeHead(302, { location: `http://new.example.net:8080${req.url}` });
        res.end();
      } else res.end(keyAuths.get((req.url ?? '').split('/').pop()!) ?? '');
    });
    for (const n of ['old', 'new', 'odd']) await upsert(env, `${n}.example.net`, 'A', '127.88.13.2');
    assert.equal((await validate('old.example.net', (t, k) => keyAuths.set(t, k))).status, 'valid');
    const odd = await validate('odd.example.net', (t, k) => keyAuths.set(t, k));
    assert.equal(odd.status, 'invalid');
    assert.equal(odd.challenges[0].error!.type, 'urn:ietf:params:acme:error:connection');
    assert.match(odd.challenges[0].error!.detail, /Invalid port in redirect target\. Only ports 80 and 443 are supported, not 8080/);
  });

  it('a wrong key authorization is unauthorized, with what was expected and what came back', async () => {
    await instance('127.88.13.3', 80, (_req, res) => res.end('something else'));
    await upsert(env, 'stale.example.net', 'A', '127.88.13.3');
    const a = await validate('stale.example.net', () => undefined);
    assert.equal(a.challenges[0].error!.type, 'urn:ietf:params:acme:error:unauthorized');
    assert.match(a.challenges[0].error!.detail, /^The key authorization file from the server did not match this challenge\. Expected "[\w-]+\.[\w-]+" \(got "something else"\)$/);
  });

  it('a validation interrupted by a restart runs again after it', async () => {
    const keyAuths = new Map<string, string>();
    await instance('127.88.13.4', 80, (req, res) => res.end(keyAuths.get((req.url ?? '').split('/').pop()!) ?? ''));
    await upsert(env, 'resume.example.net', 'A', '127.88.13.4');
    const c = await Client.create(dir);
    await c.register();
    const order = await c.post(dir.newOrder, { identifiers: [{ type: 'dns', value: 'resume.example.net' }] });
    const authzUrl = order.body.authorizations[0] as string;
    const id = authzUrl.split('/').pop()!;
    // As if localnet stopped right after the challenge POST: the challenge is processing, nothing validates it.
    const a = env.ln.store.get<AuthzRecord>(ACME_KIND.authz, ACME_SCOPE, id)!;
    const thumb = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify({ crv: c.jwk.crv, kty: c.jwk.kty, x: c.jwk.x, y: c.jwk.y })))).toString('base64url');
    const http01 = a.challenges.find((x) => x.type === 'http-01')!;
    keyAuths.set(http01.token, `${http01.token}.${thumb}`);
    await env.ln.acme.close();
    env.ln.store.put(ACME_KIND.authz, ACME_SCOPE, id, { ...a, challenges: a.challenges.map((x) => (x.type === 'http-01' ? { ...x, status: 'processing' } : x)) });
    env.ln = await env.ln.restart();
    dir = (await send(env.ln.acme.directory, 'GET')).body;
    const fresh = new Client(dir, c.keys, c.jwk);
    fresh.kid = (await fresh.post(dir.newAccount, { onlyReturnExisting: true })).headers.location as string;
    let status = 'pending';
    for (let i = 0; i < 50 && status === 'pending'; i++) {
      status = (await fresh.post(fresh.kid.replace(/\/acme\/acct\/.*/, `/acme/authz/${id}`), undefined)).body.status;
      if (status === 'pending') await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 'valid');
  });

  it('is discoverable: health, localnet status and localnet ca name the directory and how to trust it', async () => {
    const health = (await (await fetch(`${env.ln.endpoint}/_localnet/health`)).json()) as { acme: { directory: string; intermediate: string } };
    assert.equal(health.acme.directory, env.ln.acme.directory);
    assert.match(readFileSync(health.acme.intermediate, 'utf8'), /BEGIN CERTIFICATE/);
    const cli = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { LOCALNET_ENDPOINT: env.ln.endpoint });
    const status = await cli(['status']);
    assert.equal(status.code, 0, status.stderr);
    assert.ok(status.stdout.includes(`ACME      ${env.ln.acme.directory}`), status.stdout);
    const ca = await cli(['ca']);
    assert.ok(ca.stdout.includes(`REQUESTS_CA_BUNDLE=${env.root} certbot certonly --server ${env.ln.acme.directory}`), ca.stdout);
    assert.ok(ca.stdout.includes(`LEGO_CA_CERTIFICATES=${env.root} lego --server ${env.ln.acme.directory}`), ca.stdout);
  });
});

describe('ACME rate limits (Let\'s Encrypt\'s defaults)', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');
  const cert = (names: string[], hoursAgo: number) => ({ names, issuedAt: new Date(now - hoursAgo * 3_600_000).toISOString() }) as CertificateRecord;
  const failed = (name: string, minutesAgo: number, accountId = 'a') => ({ accountId, identifier: { type: 'dns', value: name }, failedAt: new Date(now - minutesAgo * 60_000).toISOString() }) as AuthzRecord;
  const rejects = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      assert.ok(err instanceof AcmeProblem);
      assert.equal(err.problemType, 'rateLimited');
      assert.equal(err.status, 429);
      return err;
    }
    assert.fail('expected rateLimited');
  };

  it('duplicate certificates: 5 per week for the same exact set of names', () => {
    const five = [1, 2, 3, 4, 5].map((h) => cert(['a.example', 'b.example'], h * 24));
    const err = rejects(() => checkDuplicateCertificates(LETS_ENCRYPT_LIMITS, five, ['b.example', 'a.example'], now));
    assert.equal(err.retryAfter, 2 * 86_400, 'the oldest of the five leaves the week in two days');
    assert.match(err.message, /too many certificates \(5\) already issued for this exact set of identifiers in the last 168h0m0s/);
    checkDuplicateCertificates(LETS_ENCRYPT_LIMITS, five, ['a.example'], now);
    checkDuplicateCertificates(LETS_ENCRYPT_LIMITS, [...five.slice(1), cert(['a.example', 'b.example'], 24 * 8)], ['a.example', 'b.example'], now);
  });

  it('failed validations: 5 per account, per hostname, per hour', () => {
    const five = [5, 10, 20, 30, 50].map((m) => failed('x.example', m));
    const err = rejects(() => checkFailedValidations(LETS_ENCRYPT_LIMITS, five, 'a', 'x.example', now));
    assert.equal(err.retryAfter, 10 * 60);
    assert.match(err.message, /too many failed authorizations \(5\) for "x\.example" in the last 1h0m0s/);
    checkFailedValidations(LETS_ENCRYPT_LIMITS, five, 'b', 'x.example', now);
    checkFailedValidations(LETS_ENCRYPT_LIMITS, five, 'a', 'y.example', now);
    checkFailedValidations({ ...LETS_ENCRYPT_LIMITS, failedValidationsPerHour: 6 }, five, 'a', 'x.example', now);
  });
});
