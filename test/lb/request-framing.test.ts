// Requests the load balancer refuses must never reach a target, not even
// their head: no Host or two Host headers (400), transfer codings other than
// chunked (501) or framing llhttp refuses (Transfer-Encoding: identity, a bad
// chunk size: 400). Raw sockets on both sides: the client writes exact
// bytes, and the target records every byte it receives.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import net from 'node:net';
import { once } from 'node:events';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';
import { buildNetwork, forward, putListener, putLoadBalancer, putTarget, putTargetGroup, runInstance } from './fixtures.ts';

process.env.LOCALNET_LB_TIME_SCALE = '0.05';

interface RecordingTarget {
  port: number;
  /** Every byte received, over all connections. */
  received(): string;
  close(): void;
}

/** A target that records what it receives and answers each whole request (a head, and a chunked body up to its last chunk) with 200 echoing it. */
async function recordingTarget(): Promise<RecordingTarget> {
  let all = '';
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    let buf = '';
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      all += d;
      buf += d;
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (/\r\ntransfer-encoding:/i.test(buf.slice(0, end)) && !buf.endsWith('\r\n0\r\n\r\n')) return;
      s.write(`HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(buf, 'latin1')}\r\n\r\n${buf}`);
      buf = '';
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    received: () => all,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/** Writes each part (the next one `gapMs` later) and collects the answer until the connection closes or `ms` pass. */
async function exchange(host: string, port: number, parts: string[], opts: { gapMs?: number; ms?: number; until?: RegExp } = {}): Promise<string> {
  const s = net.connect({ host, port });
  await once(s, 'connect');
  let out = '';
  s.setEncoding('latin1');
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, opts.ms ?? 1500);
    s.on('data', (d: string) => {
      out += d;
      if (opts.until?.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    s.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
    s.on('error', () => {});
  });
  for (const [i, p] of parts.entries()) {
    if (i > 0) await new Promise((r) => setTimeout(r, opts.gapMs ?? 100));
    if (!s.destroyed) s.write(p);
  }
  await done;
  s.destroy();
  return out;
}

const statuses = (answer: string) => [...answer.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));

describe('requests the load balancer refuses before forwarding', () => {
  let ln: TestLocalnet;
  let target: RecordingTarget;
  let address: string;
  /** A load balancer with a 1 s idle timeout, forwarding to the same target. */
  let quick: string;
  const port = 8080;

  before(async () => {
    ln = await startTestLocalnet();
    const ec2 = ec2Client(ln);
    const netw = await buildNetwork(ec2);
    target = await recordingTarget();
    const inst = await runInstance(ec2, netw, { 80: target.port });
    const lb = putLoadBalancer(ln, netw);
    address = lb.address;
    // No health checks: every byte the target sees comes from a forwarded request.
    const tg = putTargetGroup(ln, netw, { health: { HealthCheckEnabled: false } });
    putTarget(ln, tg, inst);
    putListener(ln, lb.arn, port, 'HTTP', forward(tg));
    const quickLb = putLoadBalancer(ln, netw, { attributes: { 'idle_timeout.timeout_seconds': '1' } });
    quick = quickLb.address;
    putListener(ln, quickLb.arn, port, 'HTTP', forward(tg));
    await ln.lb.reconcile();
  });
  after(async () => {
    await ln?.stop();
    target?.close();
  });

  /** The answer to parts, asserting the target received nothing meanwhile. */
  async function refused(parts: string[], opts?: { gapMs?: number }): Promise<string> {
    const before = target.received().length;
    const answer = await exchange(address, port, parts, opts);
    // A head forwarded late would arrive after the answer: give it the time to.
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(target.received().slice(before), '', 'the target received nothing');
    return answer;
  }

  it('HTTP/1.1 without Host, or with two, gets ALB\'s 400 page and the connection closes', async () => {
    for (const head of ['GET / HTTP/1.1\r\n\r\n', 'GET / HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n', 'GET http://a.example/ HTTP/1.1\r\nX: y\r\n\r\n']) {
      const answer = await refused([head]);
      assert.match(answer, /^HTTP\/1\.1 400 Bad Request\r\nServer: awselb\/2\.0\r\n/, JSON.stringify(head));
      assert.match(answer, /Connection: close\r\n/);
      assert.match(answer, /<center><h1>400 Bad Request<\/h1><\/center>/);
    }
    // HTTP/1.0 may leave Host out.
    assert.deepEqual(statuses(await exchange(address, port, ['GET /old HTTP/1.0\r\n\r\n'])), [200]);
  });

  it('Transfer-Encoding other than chunked: 501 for codings ALB does not implement, 400 for identity; nothing forwarded', async () => {
    const gzip = await refused(['POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n']);
    assert.match(gzip, /^HTTP\/1\.1 501 Not Implemented\r\nServer: awselb\/2\.0\r\n/);
    assert.match(gzip, /<center><h1>501 Not Implemented<\/h1><\/center>/);
    assert.match(await refused(['POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n']), /^HTTP\/1\.1 501 /, 'two headers are one list');
    // Anything after chunked: llhttp refuses the head itself.
    assert.match(await refused(['POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n']), /^HTTP\/1\.1 400 /);
    assert.match(await refused(['POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\nhello']), /^HTTP\/1\.1 400 /);
    assert.match(await refused(['POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n']), /^HTTP\/1\.1 400 /);
    // identity changes nothing before chunked: forwarded with chunked alone.
    const before = target.received().length;
    const ok = await exchange(address, port, ['POST /ic HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity, chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n']);
    assert.deepEqual(statuses(ok), [200]);
    const seen = target.received().slice(before);
    assert.match(seen, /^POST \/ic HTTP\/1\.1\r\n/);
    assert.deepEqual(seen.match(/transfer-encoding: .*/gi), ['Transfer-Encoding: chunked']);
    assert.ok(seen.endsWith('\r\n\r\n5\r\nhello\r\n0\r\n\r\n'), 'the body re-framed chunked');
  });

  it('a bad first chunk size is refused before the head goes out, also when it comes after the head', async () => {
    for (const size of ['-5', 'zz', '-0']) {
      assert.match(await refused([`POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${size}\r\nhello\r\n0\r\n\r\n`]), /^HTTP\/1\.1 400 /, size);
      // The head alone first: the load balancer waits for the first chunk before sending the target anything.
      assert.match(await refused(['POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n', `${size}\r\nhello\r\n0\r\n\r\n`], { gapMs: 150 }), /^HTTP\/1\.1 400 /, size);
    }
  });

  it('a chunked head and then silence: closed at the idle timeout, the target never hears of it', async () => {
    const before = target.received().length;
    const t0 = Date.now();
    const answer = await exchange(quick, port, ['POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n'], { ms: 4000 });
    assert.equal(answer, '');
    assert.ok(Date.now() - t0 < 3000, 'closed at the 1 s idle timeout');
    assert.equal(target.received().slice(before), '');
  });

  it('a bad chunk size later in the body: 400, and the target never gets the end of that request', async () => {
    const before = target.received().length;
    const answer = await exchange(address, port, ['POST /late HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n', '-3\r\nabc\r\n0\r\n\r\n'], { gapMs: 150 });
    assert.deepEqual(statuses(answer), [400]);
    await new Promise((r) => setTimeout(r, 100));
    const seen = target.received().slice(before);
    assert.match(seen, /^POST \/late HTTP\/1\.1\r\n[\s\S]*\r\n\r\n5\r\nhello\r\n$/, 'the head and the first chunk, no last chunk');
  });

  it('a refused request pipelined behind a good one is answered in its turn; the good one is forwarded alone', async () => {
    const before = target.received().length;
    const answer = await exchange(address, port, ['GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\n\r\nGET /third HTTP/1.1\r\nHost: x\r\n\r\n']);
    assert.deepEqual(statuses(answer), [200, 400]);
    assert.match(answer, /GET \/first /);
    const seen = target.received().slice(before);
    assert.deepEqual([...seen.matchAll(/^GET (\/\w+) /gm)].map((m) => m[1]), ['/first']);
    // Bytes llhttp refuses between requests: 400 after the earlier answer, in order.
    assert.deepEqual(statuses(await exchange(address, port, ['GET /a HTTP/1.1\r\nHost: x\r\n\r\n\x00\x01garbage\r\n\r\n'])), [200, 400]);
  });

  it('Expect: 100-continue with a chunked body: 100 Continue first, then the request goes out with its first chunk', async () => {
    const s = net.connect({ host: address, port });
    await once(s, 'connect');
    s.setEncoding('latin1');
    let out = '';
    s.on('data', (d: string) => (out += d));
    const before = target.received().length;
    s.write('POST /cont HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n');
    for (let i = 0; i < 40 && !out.includes('\r\n\r\n'); i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(out, 'HTTP/1.1 100 Continue\r\n\r\n');
    s.write('3\r\nabc\r\n0\r\n\r\n');
    await once(s, 'close');
    assert.deepEqual(statuses(out), [100, 200]);
    assert.match(target.received().slice(before), /^POST \/cont HTTP\/1\.1\r\n[\s\S]*\r\n\r\n3\r\nabc\r\n0\r\n\r\n$/);
  });
});
