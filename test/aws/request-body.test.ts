// Request bodies: readBody's limits on a bare node:http server (a declared
// length over the limit refused before a byte is read, a chunked body cut off
// at the limit, the shared budget, the deadline), then each protocol
// family's 413 through localnet.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AwsError } from '../../src/aws/errors.ts';
import { BODY_LIMITS, BodyBudget, readBody } from '../../src/aws/request-body.ts';
import { startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';

/** Sends raw bytes (then waits, without closing) and resolves with what came back once the server closed. */
function exchange(port: number, parts: (string | Buffer)[], gapMs = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    socket.setEncoding('latin1').on('data', (d: string) => (out += d));
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? resolve(out) : reject(err)));
    socket.on('close', () => resolve(out));
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer; got ${out}`)));
    void (async () => {
      for (const p of parts) {
        if (socket.destroyed) return;
        socket.write(p);
        if (gapMs) await sleep(gapMs);
      }
    })();
  });
}

describe('readBody', () => {
  let server: Server;
  let port: number;
  const budget = new BodyBudget(3000);
  /** Bodies the handler held when each request was answered. */
  const seen: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      readBody(req, { limit: 1000, budget, deadlineMs: 300 }).then(
        async ({ body, release }) => {
          seen.push(`in flight ${budget.inFlight}`);
          if (req.headers['x-hold']) await sleep(Number(req.headers['x-hold']));
          release();
          const text = `got ${body.length}`;
          res.writeHead(200, { 'content-length': text.length });
          res.end(text);
        },
        (err: AwsError) => {
          res.writeHead(err.status, { connection: 'close', 'content-length': err.code.length });
          res.end(err.code);
        },
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('reads a body within the limit and releases it from the budget', async () => {
    const out = await exchange(port, ['POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello']);
    assert.match(out, /^HTTP\/1.1 200 [^]*got 5$/);
    assert.equal(seen.at(-1), 'in flight 5');
    assert.equal(budget.inFlight, 0);
  });

  it('refuses a declared length over the limit before reading a byte of it', async () => {
    // Only the head is sent: the answer cannot have waited for the body.
    const out = await exchange(port, ['POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 15000000\r\n\r\n']);
    assert.match(out, /^HTTP\/1.1 413 [^]*connection: close[^]*RequestEntityTooLarge$/i);
  });

  it('cuts off a chunked body where it crosses the limit', async () => {
    const chunk = `${(600).toString(16)}\r\n${'a'.repeat(600)}\r\n`;
    const out = await exchange(port, ['POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n', chunk, chunk, chunk], 50);
    assert.match(out, /^HTTP\/1.1 413 [^]*RequestEntityTooLarge$/);
    assert.equal(budget.inFlight, 0);
  });

  it('answers 503 when bodies held at once would pass the budget, and recovers', async () => {
    const head = (hold: number) => `POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Hold: ${hold}\r\nContent-Length: 900\r\n\r\n${'b'.repeat(900)}`;
    const held = [1, 2, 3].map(() => exchange(port, [head(400)]));
    await sleep(100);
    assert.equal(budget.inFlight, 2700);
    const refused = await exchange(port, [head(0)]);
    assert.match(refused, /^HTTP\/1.1 503 [^]*ServiceUnavailable$/);
    for (const out of await Promise.all(held)) assert.match(out, /got 900$/);
    assert.equal(budget.inFlight, 0);
    assert.match(await exchange(port, [head(0)]), /got 900$/);
  });

  it('answers 408 to a body that does not arrive within the deadline, holding nothing after', async () => {
    const started = Date.now();
    const out = await exchange(port, ['POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], 100);
    assert.match(out, /^HTTP\/1.1 408 [^]*RequestTimeout$/);
    assert.ok(Date.now() - started < 2000, 'answered at the deadline, not when the client gave up');
    assert.equal(budget.inFlight, 0);
  });
});

describe('body limits through localnet', () => {
  let ln: TestLocalnet;
  let port: number;
  before(async () => {
    ln = await startTestLocalnet();
    port = Number(new URL(ln.endpoint).port);
  });
  after(() => ln.stop());

  const ec2Auth = 'AWS4-HMAC-SHA256 Credential=test/20261123/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00';
  const cases: [string, string, number, RegExp][] = [
    ['EC2 (signed)', `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${ec2Auth}\r\nContent-Type: application/x-www-form-urlencoded\r\n`, BODY_LIMITS.form, /<Response><Errors><Error><Code>RequestEntityTooLarge<\/Code>/],
    ['ELBv2 (query)', 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n', BODY_LIMITS.form, /<ErrorResponse><Error><Type>Sender<\/Type><Code>RequestEntityTooLarge<\/Code>/],
    ['ACM (json)', 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: CertificateManager.ImportCertificate\r\nContent-Type: application/x-amz-json-1.1\r\n', BODY_LIMITS.json, /"__type":"RequestEntityTooLarge"/],
    ['Route 53 (rest-xml)', 'POST /2013-04-01/hostedzone/Z1/rrset/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n', BODY_LIMITS['rest-xml'], /<ErrorResponse><Error><Type>Sender<\/Type><Code>RequestEntityTooLarge<\/Code>/],
    ['localnet\'s own endpoints', 'POST /_localnet/acm/approve HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n', BODY_LIMITS.internal, /"code":"RequestEntityTooLarge"/],
  ];
  for (const [what, head, limit, shape] of cases) {
    it(`${what}: a declared body over ${limit} bytes is a 413 in the caller's protocol, answered from the head`, async () => {
      const out = await exchange(port, [`${head}Content-Length: ${limit + 1}\r\n\r\n`]);
      assert.match(out, /^HTTP\/1.1 413 /);
      assert.match(out, /connection: close/i);
      assert.match(out, shape);
    });
    it(`${what}: a chunked body past ${limit} bytes is cut off with a 413`, async () => {
      const chunk = Buffer.from(`10000\r\n${'a'.repeat(0x10000)}\r\n`);
      const chunks = Array.from({ length: Math.ceil(limit / 0x10000) + 2 }, () => chunk);
      const out = await exchange(port, [`${head}Transfer-Encoding: chunked\r\n\r\n`, ...chunks]);
      assert.match(out, /^HTTP\/1.1 413 /);
      assert.match(out, shape);
    });
  }

  it('still answers after the refusals', async () => {
    assert.equal((await fetch(`${ln.endpoint}/_localnet/health`)).status, 200);
  });
});
