// Garbage in, the server stays up: thousands of random, truncated and
// bit-flipped packets (seeded, bounded) at UDP and TCP, every reply must
// decode, and afterwards normal queries still get correct answers.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import type { DnsServer } from '../../src/dns/server.ts';
import { query, rcode, tcpExchange, udpAsk } from './client.ts';
import { seeded, startSampleDnsServer } from './fixtures.ts';

const COUNT = 4000;

/** Random bytes, every prefix of real queries, and real queries with a few bytes changed. */
function fuzzPackets(random: () => number): Buffer[] {
  const out: Buffer[] = [];
  const seeds = [
    query('host1.example.com', 'A'), query('www.example.com', 'A', { edns: 4096 }), query('big.example.com', 'TXT', { edns: 1232 }),
    query('x.wild.example.com', 'AAAA'), query('registry.sample.io', 'A'),
  ];
  const byte = () => Math.floor(random() * 256);
  for (const s of seeds) for (let n = 0; n < s.length; n++) out.push(s.subarray(0, n));
  while (out.length < COUNT) {
    const kind = random();
    if (kind < 0.4) {
      out.push(Buffer.from(Array.from({ length: Math.floor(random() * 120) }, byte)));
    } else {
      const b = Buffer.from(seeds[Math.floor(random() * seeds.length)]);
      const flips = 1 + Math.floor(random() * 4);
      for (let i = 0; i < flips; i++) b[Math.floor(random() * b.length)] = byte();
      // keep QR clear half of the time so the packets reach the parser
      if (random() < 0.5) b[2] &= 0x7f;
      out.push(b);
    }
  }
  return out;
}

describe('DNS server under malformed input', () => {
  let server: DnsServer;
  let port: number;
  before(async () => {
    ({ server, port } = await startSampleDnsServer());
  });
  after(() => server.close());

  it('UDP: never crashes, every reply decodes as a response', async () => {
    const packets = fuzzPackets(seeded(42));
    const sock = dgram.createSocket('udp4');
    const replies: Buffer[] = [];
    sock.on('message', (m) => replies.push(m));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    // In batches, each drained before the next (replies stop arriving, at most 500 ms), so the socket
    // buffers never overflow however loaded the machine is.
    const drained = async () => {
      for (let waited = 0, last = -1; waited < 500 && last !== replies.length; waited += 20) {
        last = replies.length;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    for (let i = 0; i < packets.length; i += 100) {
      await Promise.all(packets.slice(i, i + 100).map((p) => new Promise<void>((r) => sock.send(p, port, '127.0.0.1', () => r()))));
      await drained();
    }
    sock.close();
    assert.ok(replies.length > 1000, `only ${replies.length} replies`);
    for (const m of replies) {
      const p = dnsPacket.decode(m);
      assert.equal(p.type, 'response');
    }
  });

  it('TCP: garbage frames, short frames and abrupt closes do not hurt', async () => {
    const packets = fuzzPackets(seeded(7)).filter((p) => p.length >= 12).slice(0, 1500);
    for (let i = 0; i < packets.length; i += 100) {
      const replies = await tcpExchange('127.0.0.1', port, packets.slice(i, i + 100), 100, 2000);
      for (const m of replies) assert.equal(dnsPacket.decode(m).type, 'response');
    }
    // a frame announcing more than is sent, then a close; and a frame with no header
    await new Promise<void>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => { c.end(Buffer.from([0x01, 0x00, 1, 2, 3])); });
      c.on('close', () => resolve());
      c.on('error', () => resolve());
    });
    const none = await tcpExchange('127.0.0.1', port, [Buffer.from([1, 2, 3])], 1, 1000);
    assert.equal(none.length, 0);
  });

  it('still answers correctly afterwards, over UDP and TCP', async () => {
    const p = await udpAsk('127.0.0.1', port, 'www.example.com', 'A');
    assert.equal(rcode(p), 0);
    assert.deepEqual(p.answers!.map((a) => (a as { data: string }).data), ['host1.example.com', '192.0.2.1']);
    const [t] = await tcpExchange('127.0.0.1', port, [query('host1.example.com', 'A')]);
    assert.equal((dnsPacket.decode(t).answers![0] as { data: string }).data, '192.0.2.1');
  });

  it('FORMERR for a header followed by garbage; silence for less than a header', async () => {
    const garbage = Buffer.concat([Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]), Buffer.from([0xff, 0xff, 0xff])]);
    const [t] = await tcpExchange('127.0.0.1', port, [garbage]);
    const p = dnsPacket.decode(t);
    assert.equal(p.id, 0x1234);
    assert.equal(rcode(p), 1);
    const n = await tcpExchange('127.0.0.1', port, [Buffer.from([1, 2, 3, 4])], 1, 500);
    assert.equal(n.length, 0);
  });

  it('NOTIMP for a NOTIFY', async () => {
    const m = query('example.com', 'SOA');
    m[2] = (m[2] & 0x87) | (4 << 3);
    const [t] = await tcpExchange('127.0.0.1', port, [m]);
    assert.equal(rcode(dnsPacket.decode(t)), 4);
  });
});
