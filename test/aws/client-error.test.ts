// HTTP requests node's parser rejects (bad chunking, a header block over the
// limit, Content-Length with Transfer-Encoding, a target URL cannot read) are
// answered with a status line before the connection closes, never dropped
// silently, and the endpoint keeps answering.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';

/** Writes raw bytes and resolves with everything read until the server closed the connection. */
function exchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let out = '';
    socket.setEncoding('latin1').on('data', (d: string) => (out += d));
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? resolve(out) : reject(err)));
    socket.on('close', () => resolve(out));
    socket.setTimeout(5000, () => socket.destroy(new Error(`the server neither answered nor closed; got ${JSON.stringify(out)}`)));
  });
}

describe('malformed HTTP requests to the API', () => {
  let ln: TestLocalnet;
  let port: number;
  before(async () => {
    ln = await startTestLocalnet();
    port = Number(new URL(ln.endpoint).port);
  });
  after(() => ln.stop());

  const form = 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n';
  const cases: [string, string, RegExp][] = [
    ['a bad chunk size', `${form}Transfer-Encoding: chunked\r\n\r\nzz\r\nAction=DescribeVpcs\r\n0\r\n\r\n`, /^HTTP\/1.1 400 Bad Request\r\n/],
    ['a chunk without its CRLF', `${form}Transfer-Encoding: chunked\r\n\r\n5\r\nAction=DescribeVpcs0\r\n\r\n`, /^HTTP\/1.1 400 Bad Request\r\n/],
    ['a 64 KB header', `GET /_localnet/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`, /^HTTP\/1.1 431 Request Header Fields Too Large\r\n/],
    ['Content-Length and Transfer-Encoding together', `${form}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, /^HTTP\/1.1 400 Bad Request\r\n/],
    ['two different Content-Lengths', `${form}Content-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef`, /^HTTP\/1.1 400 Bad Request\r\n/],
    ['a request line that is not HTTP', 'HELLO THERE\r\n\r\n', /^HTTP\/1.1 400 Bad Request\r\n/],
    ['a target URL cannot parse', 'GET http://[ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', /^HTTP\/1.1 400 Bad Request\r\n[^]*<Code>InvalidURI<\/Code>/],
  ];
  for (const [what, bytes, status] of cases) {
    it(`answers ${what} before closing`, async () => {
      const out = await exchange(port, bytes);
      assert.match(out, status);
      assert.match(out, /\r\nconnection: close\r\n/i);
      assert.equal((await fetch(`${ln.endpoint}/_localnet/health`)).status, 200, 'and keeps answering');
    });
  }

  it('answers a malformed request that follows a good one on the same connection', async () => {
    const good = 'GET /_localnet/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    const out = await exchange(port, `${good}${form}Transfer-Encoding: chunked\r\n\r\nzz\r\n`);
    assert.match(out, /^HTTP\/1.1 200 OK\r\n[^]*HTTP\/1.1 400 Bad Request\r\n/);
  });
});
