// The parts of the TCP listener on their own: the RFC 7766 frame reader (any
// split of the stream gives the same messages) and the choice of which
// connection makes room for a new one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectionToEvict, MAX_CONNECTIONS, MAX_PER_ADDRESS } from '../../src/dns/tcp-admission.ts';
import { FrameReader } from '../../src/dns/tcp-frames.ts';

function framed(body: string): Buffer {
  const b = Buffer.from(body);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
}

describe('FrameReader', () => {
  const stream = Buffer.concat([framed('first message'), framed(''), framed('x'.repeat(300)), framed('last')]);
  const want = ['first message', '', 'x'.repeat(300), 'last'];

  for (const size of [1, 2, 3, 7, 64, stream.length]) {
    it(`gives the same messages when the stream comes in chunks of ${size} bytes`, () => {
      const r = new FrameReader();
      const got: string[] = [];
      for (let i = 0; i < stream.length; i += size) {
        r.push(stream.subarray(i, i + size));
        for (let m = r.next(); m; m = r.next()) got.push(m.toString());
      }
      assert.deepEqual(got, want);
      assert.equal(r.buffered, 0);
    });
  }

  it('holds an incomplete frame until its last byte', () => {
    const r = new FrameReader();
    const f = framed('abc');
    r.push(f.subarray(0, 4));
    assert.equal(r.next(), undefined);
    assert.equal(r.buffered, 4);
    r.push(f.subarray(4));
    assert.equal(r.next()?.toString(), 'abc');
  });
});

describe('connectionToEvict', () => {
  const conns = (n: number, address: string, from = 0) => Array.from({ length: n }, (_, i) => ({ address, lastQueryAt: from + i, id: `${address}#${i}` }));

  it('evicts nobody while there is room', () => {
    assert.equal(connectionToEvict(conns(MAX_PER_ADDRESS - 1, '127.0.0.1'), '127.0.0.1'), undefined);
  });

  it('an address at its limit gives up its connection longest without a query, the oldest among equals', () => {
    const list = conns(MAX_PER_ADDRESS, '127.0.0.1', 1000);
    list[5].lastQueryAt = 10;
    list.push({ address: '127.0.0.2', lastQueryAt: 0, id: 'other' });
    assert.equal(connectionToEvict(list, '127.0.0.1')?.id, '127.0.0.1#5');
    const equal = conns(MAX_PER_ADDRESS, '127.0.0.1').map((c) => ({ ...c, lastQueryAt: 7 }));
    assert.equal(connectionToEvict(equal, '127.0.0.1')?.id, '127.0.0.1#0');
  });

  it('a full view gives up its connection longest without a query, whatever its address', () => {
    const list = Array.from({ length: MAX_CONNECTIONS }, (_, i) => ({ address: `127.0.${i % 8}.1`, lastQueryAt: 100 + i, id: String(i) }));
    list[200].lastQueryAt = 1;
    assert.equal(connectionToEvict(list, '127.1.0.1')?.id, '200');
  });
});
