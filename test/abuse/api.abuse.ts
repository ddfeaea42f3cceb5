// Attacks on the AWS API endpoint, against a real `localnet start`: stalled
// and oversized bodies, pollution keys in every protocol, hostile XML,
// malformed HTTP and browser requests. Every loop is bounded; afterwards the
// process still answers, and its RSS stayed under the bound.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RSS_BOUND_MB, startAbuseTarget, type AbuseTarget } from './harness.ts';

/**
 * The bound for this file, the suite's: the process at rest (~135 MB with
 * tsx) plus the 32 MB budget for bodies in flight (src/aws/request-body.ts)
 * about twice over (socket buffers, the garbage collector's lag) leaves
 * ~50 MB to spare. Before the limits, 40 stalled bodies took RSS past 600 MB.
 */
const BOUND_MB = RSS_BOUND_MB;

const MB = 1024 * 1024;
const EC2_AUTH = 'AWS4-HMAC-SHA256 Credential=test/20261123/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00';

let t: AbuseTarget;
let port: number;
before(async () => {
  t = await startAbuseTarget('127.91.0.0/16');
  port = Number(new URL(t.endpoint).port);
});
after(() => t?.stop());

/** One attacking connection: writes its head, then body bytes as fast as the server takes them, up to `bytes`, then stalls. */
interface Attacker {
  socket: Socket;
  /** Everything the server answered. */
  answer(): string;
  /** Resolves when the server closed the connection (or it failed). */
  closed: Promise<void>;
}

const FILL = Buffer.alloc(64 * 1024, 'a');

function attack(head: string, bytes: number, chunked: boolean): Attacker {
  const socket = connect(port, '127.0.0.1');
  let out = '';
  socket.setEncoding('latin1').on('data', (d: string) => (out += d));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  void (async () => {
    await new Promise((r) => socket.once('connect', r));
    socket.write(head);
    for (let sent = 0; sent < bytes && !socket.destroyed; sent += FILL.length) {
      const piece = FILL.subarray(0, Math.min(FILL.length, bytes - sent));
      const ok = socket.write(chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece);
      if (!ok) await Promise.race([new Promise((r) => socket.once('drain', r)), closed]);
    }
  })();
  return { socket, answer: () => out, closed };
}

function status(a: Attacker): string {
  return /^HTTP\/1.1 (\d{3})/.exec(a.answer())?.[1] ?? 'none';
}

function tally(attackers: Attacker[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of attackers) out[status(a)] = (out[status(a)] ?? 0) + 1;
  return out;
}

/** Sends raw bytes and resolves with the answer once the server closes the connection (bounded). */
function exchange(bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let out = '';
    socket.setEncoding('latin1').on('data', (d: string) => (out += d));
    socket.on('error', () => resolve(out));
    socket.on('close', () => resolve(out));
    socket.setTimeout(10_000, () => socket.destroy());
  });
}

async function post(body: string, headers: Record<string, string> = {}, path = '/'): Promise<{ status: number; text: string }> {
  const res = await fetch(`${t.endpoint}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, text: await res.text() };
}

const jsonHead = (framing: string) => `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: CertificateManager.ImportCertificate\r\nContent-Type: application/x-amz-json-1.1\r\n${framing}\r\n\r\n`;

describe('API abuse', () => {
  afterEach(() => console.log(`RSS now ${t.rssMb().toFixed(0)} MB`));

  it('40 connections declaring 15 MB bodies are refused from their heads', async () => {
    const before = t.rssMb();
    const { result: attackers, peakMb } = await t.peakDuring(async () => {
      const all = Array.from({ length: 40 }, () => attack(jsonHead(`Content-Length: ${15 * MB}`), 15 * MB - 1, false));
      await Promise.race([Promise.all(all.map((a) => a.closed)), sleep(15_000)]);
      return all;
    });
    const answers = tally(attackers);
    console.log(`declared 15 MB x 40: RSS ${before.toFixed(0)} -> peak ${peakMb.toFixed(0)} MB, answers ${JSON.stringify(answers)}`);
    // A client still writing when the connection closes may lose the 413 to the reset ('none'): the server closed every one.
    assert.equal((answers[413] ?? 0) + (answers.none ?? 0), 40, JSON.stringify(answers));
    assert.ok(attackers.every((a) => a.socket.destroyed), 'every connection was closed by the server');
    assert.ok(peakMb < BOUND_MB, `RSS peaked at ${peakMb} MB`);
    assert.equal(await t.answers(), true);
  });

  it('40 stalled chunked bodies just under the limit hold at most the budget, and the deadline frees them', async () => {
    const before = t.rssMb();
    let during = false;
    const { result: attackers, peakMb } = await t.peakDuring(async () => {
      // 3.9 MB each (the json limit is 4 MB): together 156 MB, more than the 32 MB budget.
      const all = Array.from({ length: 40 }, () => attack(jsonHead('Transfer-Encoding: chunked'), Math.floor(3.9 * MB), true));
      await sleep(3000);
      // Localnet answers requests without a body meanwhile.
      during = (await fetch(`${t.endpoint}/_localnet/health`, { signal: AbortSignal.timeout(5000) })).status === 200;
      // The 20 s body deadline (408) closes what the budget let in; bounded wait.
      await Promise.race([Promise.all(all.map((a) => a.closed)), sleep(40_000)]);
      return all;
    });
    const answers = tally(attackers);
    console.log(`stalled 3.9 MB x 40: RSS ${before.toFixed(0)} -> peak ${peakMb.toFixed(0)} MB, answers ${JSON.stringify(answers)}`);
    assert.equal(during, true, 'health answered during the stall');
    // 503 when the budget was spent (its answer may be lost to the reset of a client still writing: 'none'), 408 at the deadline.
    assert.equal((answers[503] ?? 0) + (answers[408] ?? 0) + (answers.none ?? 0), 40, JSON.stringify(answers));
    assert.ok(attackers.every((a) => a.socket.destroyed), 'every connection was closed by the server');
    assert.ok((answers[408] ?? 0) <= 9, 'at most the budget (32 MB) was held');
    assert.ok(peakMb < BOUND_MB, `RSS peaked at ${peakMb} MB`);
    assert.equal(await t.answers(), true);
  });

  it('pollution keys in every protocol are refused and poison nothing', async () => {
    const NS = 'https://route53.amazonaws.com/doc/2013-04-01/';
    for (let i = 0; i < 50; i++) {
      const answers = await Promise.all([
        post(`Action=DescribeVpcs&Version=2016-11-15&__proto__.DryRun=true&i=${i}`, { authorization: EC2_AUTH }),
        post('Action=DescribeLoadBalancers&Version=2015-12-01&constructor.prototype.DryRun=true'),
        post('{"__proto__": {"DryRun": true}}', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CertificateManager.ListCertificates' }),
        post(`<CreateHostedZoneRequest xmlns="${NS}"><__proto__><DryRun>true</DryRun></__proto__></CreateHostedZoneRequest>`, { 'content-type': 'text/xml' }, '/2013-04-01/hostedzone'),
        post('Action=constructor&Version=2016-11-15', { authorization: EC2_AUTH }),
      ]);
      for (const a of answers) assert.equal(a.status, 400, a.text);
    }
    const vpcs = await post('Action=DescribeVpcs&Version=2016-11-15', { authorization: EC2_AUTH });
    assert.equal(vpcs.status, 200, vpcs.text);
    assert.doesNotMatch(vpcs.text, /DryRunOperation/);
    assert.match(vpcs.text, /<vpcSet>/);
  });

  it('hostile Route 53 XML is answered 400 without stalling the process', async () => {
    const bodies = [
      `<CreateHostedZoneRequest>${'<a>'.repeat(300_000)}${'</a>'.repeat(30)}`,
      `<!DOCTYPE r [<!ENTITY a "${'a'.repeat(1000)}"><!ENTITY b "${'&a;'.repeat(100)}">]><CreateHostedZoneRequest><Name>&b;</Name></CreateHostedZoneRequest>`,
      `<CreateHostedZoneRequest>${'<a>'.repeat(200)}${'</a>'.repeat(200)}</CreateHostedZoneRequest>`,
    ];
    let slowest = 0;
    for (let i = 0; i < 10; i++) {
      for (const body of bodies) {
        const started = performance.now();
        const r = await post(body, { 'content-type': 'text/xml' }, '/2013-04-01/hostedzone');
        slowest = Math.max(slowest, performance.now() - started);
        assert.equal(r.status, 400, r.text.slice(0, 300));
        assert.match(r.text, /<Code>(MalformedInput|InvalidInput)<\/Code>/);
      }
    }
    console.log(`hostile XML: slowest answer ${slowest.toFixed(0)} ms`);
    assert.ok(slowest < 2000, `slowest hostile XML answer took ${slowest} ms`);
    assert.equal(await t.answers(), true);
  });

  it('malformed HTTP is answered before the connection closes', async () => {
    const form = 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n';
    const cases: [string, RegExp][] = [
      [`${form}Transfer-Encoding: chunked\r\n\r\nzz\r\n`, /^HTTP\/1.1 400 /],
      [`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`, /^HTTP\/1.1 431 /],
      [`${form}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, /^HTTP\/1.1 400 /],
      ['GET http://[ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', /^HTTP\/1.1 400 /],
    ];
    for (let i = 0; i < 25; i++) {
      const outs = await Promise.all(cases.map(([bytes]) => exchange(bytes)));
      outs.forEach((out, k) => assert.match(out, cases[k][1]));
    }
    assert.equal(await t.answers(), true);
  });

  it('browser requests from foreign origins and rebound names change nothing', async () => {
    for (let i = 0; i < 50; i++) {
      const r = await post(`Action=CreateVpc&Version=2016-11-15&CidrBlock=10.${i}.0.0/16`, { authorization: EC2_AUTH, origin: 'https://evil.example' });
      assert.equal(r.status, 403);
      const reset = await exchange('POST /_localnet/reset HTTP/1.1\r\nHost: rebind.evil.example\r\nContent-Length: 0\r\n\r\n');
      assert.match(reset, /^HTTP\/1.1 403 /);
    }
    const vpcs = await post('Action=DescribeVpcs&Version=2016-11-15', { authorization: EC2_AUTH });
    assert.equal(vpcs.status, 200);
    assert.doesNotMatch(vpcs.text, /<cidrBlock>10\./, 'no VPC of the attack was created');
  });

  it('still answers and stayed under the bound', async () => {
    assert.equal(await t.answers(), true);
    const rss = t.rssMb();
    console.log(`RSS after every attack: ${rss.toFixed(0)} MB (bound ${BOUND_MB} MB)`);
    assert.ok(rss > 0 && rss < BOUND_MB, `RSS ${rss} MB`);
  });
});
