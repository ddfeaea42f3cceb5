// DNS over TCP under clients that misbehave, against a server in this process:
// a client that pipelines queries and never reads answers must not make the
// server buffer them; slow clients must not keep other clients out; a query
// dribbled a byte at a time has a deadline that its bytes do not extend.
import assert from 'node:assert/strict';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { after, before, describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import type { DnsServer } from '../../src/dns/server.ts';
import { query, tcpExchange } from './client.ts';
import { startSampleDnsServer } from './fixtures.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Buffer memory of this process (server and clients), after a collection, in MB. */
function bufferMb(): number {
  gc();
  return process.memoryUsage().arrayBuffers / 1024 / 1024;
}

function framed(msg: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(msg.length);
  return Buffer.concat([len, msg]);
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1', () => resolve(c));
    c.on('error', reject);
  });
}

describe('DNS over TCP limits', () => {
  let server: DnsServer;
  let port: number;

  before(async () => {
    ({ server, port } = await startSampleDnsServer());
  });
  after(() => server.close());

  it('a client pipelining 1 MB of queries without reading gets the server to stop reading, not to buffer 60 MB of answers', async () => {
    const c = await connect(port);
    c.pause(); // never read: the answers stay in the kernel, then in the server if it keeps writing
    const before = bufferMb();
    // ~28,000 queries for a 2 KB TXT answer each: 60 MB of answers.
    const one = framed(query('big.example.com', 'TXT'));
    const batch = Buffer.concat(Array.from({ length: 1000 }, () => one));
    for (let written = 0; written < 1 << 20; written += batch.length) c.write(batch);
    await sleep(2000);
    const grown = bufferMb() - before;
    c.destroy();
    assert.ok(grown < 8, `buffers grew by ${grown.toFixed(1)} MB`);
  });

  it('answers every pipelined query in order once a stalled client starts reading', async () => {
    const n = 3000;
    const msgs = Array.from({ length: n }, (_, i) => framed(query('big.example.com', 'TXT', { id: i })));
    const c = await connect(port);
    c.pause();
    c.write(Buffer.concat(msgs));
    await sleep(300);
    const ids: number[] = [];
    let pending = Buffer.alloc(0);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${ids.length} of ${n} answers`)), 10_000);
      c.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
          ids.push(pending.readUInt16BE(2));
          pending = pending.subarray(2 + pending.readUInt16BE(0));
        }
        if (ids.length === n) { clearTimeout(timer); resolve(); }
      });
      c.resume();
    });
    c.destroy();
    assert.deepEqual(ids, Array.from({ length: n }, (_, i) => i));
  });

  it('300 slow clients holding connections do not keep a real TCP query out', async () => {
    const slow: net.Socket[] = [];
    let closed = 0;
    try {
      for (let i = 0; i < 300; i++) {
        const c = await connect(port);
        c.on('error', () => undefined);
        c.on('close', () => closed++);
        c.write(Buffer.from([0])); // the first byte of a length prefix, and nothing more
        slow.push(c);
      }
      await sleep(100);
      const started = Date.now();
      const replies = await tcpExchange('127.0.0.1', port, [query('host1.example.com', 'A', { id: 7 })], 1, 2000);
      assert.equal(replies.length, 1, 'answered over TCP');
      assert.equal(dnsPacket.decode(replies[0]).id, 7);
      assert.ok(Date.now() - started < 2000);
      assert.ok(closed > 0, 'slow clients were closed to make room');
    } finally {
      for (const c of slow) c.destroy();
      // Let the server see them go before the next test connects.
      for (let i = 0; i < 20 && closed < slow.length; i++) await sleep(50);
    }
  });

  it('a query sent a byte a second is cut off about 5 s after its first byte, its bytes do not extend the deadline', async () => {
    const c = await connect(port);
    c.on('error', () => undefined);
    const msg = framed(query('host1.example.com', 'A'));
    const started = Date.now();
    let i = 0;
    const drip = setInterval(() => { if (i < msg.length && !c.destroyed) c.write(msg.subarray(i, ++i)); }, 1000);
    c.write(msg.subarray(0, ++i));
    const closedAt = await Promise.race([
      new Promise<number>((resolve) => c.on('close', () => resolve(Date.now() - started))),
      sleep(8000).then(() => Infinity),
    ]);
    clearInterval(drip);
    c.destroy();
    assert.ok(closedAt >= 4500 && closedAt < 6500, `closed after ${closedAt} ms`);
  });
});
