// The DNS server of a real `localnet start` under bounded attacks from this
// process (loopback only): TCP clients that pipeline queries and never read,
// 300 slow TCP clients dribbling bytes while real clients (dig +tcp, Node's
// resolver) keep asking, and UDP queries claiming an EDNS size of 65,535.
// Each attack asserts that the process still answers and that its RSS stayed
// under RSS_BOUND_MB and grew by less than DNS_GROWTH_BOUND_MB.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import dnsPacket from 'dns-packet';
import { query, tcpExchange } from '../dns/client.ts';
import { RSS_BOUND_MB, startAbuseTarget, type AbuseTarget } from './harness.ts';

/** Tighter than the suite's 250 MB: none of these attacks may cost more than this over the RSS before it (~140 MB at rest under tsx). */
const DNS_GROWTH_BOUND_MB = 40;
/** 20 TXT strings of 100 bytes: a 2 KB answer to a 40-byte query. */
const MEDIUM = 'medium.abuse.example';
/** 200 TXT strings of 100 bytes: a 21 KB answer over TCP. */
const LARGE = 'large.abuse.example';

let t: AbuseTarget;
let dns: { address: string; port: number };

const txt = (n: number) => Array.from({ length: n }, (_, i) => ({ Value: `"${String(i).padStart(4, '0')}-${'v'.repeat(93)}"` }));

function framed(msg: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(msg.length);
  return Buffer.concat([len, msg]);
}

/**
 * A real TCP client's question: resolves with how long the answer took, or
 * rejects. Like dig and Node's resolver below it tries twice: when hundreds of
 * slow clients from the same address reconnect at once, a connection can be
 * the one evicted before its query arrives (src/dns/tcp-admission.ts), and a
 * DNS client retries a connection closed without an answer.
 */
async function tcpAnswerMs(): Promise<number> {
  const started = Date.now();
  const ask = () => tcpExchange(dns.address, dns.port, [query(MEDIUM, 'TXT', { id: 99 })], 1, 2000).catch((): Buffer[] => []);
  let [reply] = await ask();
  if (!reply) [reply] = await ask();
  assert.ok(reply, 'a TCP answer within two tries');
  assert.equal(dnsPacket.decode(reply).answers!.length, 20);
  return Date.now() - started;
}

function digTcpMs(): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    execFile('dig', ['+tcp', '+time=2', '+tries=2', '+short', '-p', String(dns.port), `@${dns.address}`, MEDIUM, 'TXT'], (err, stdout) => {
      if (err) return reject(err);
      if (stdout.trim().split('\n').length !== 20) return reject(new Error(`dig +tcp answered: ${stdout}`));
      resolve(Date.now() - started);
    });
  });
}

/** Node's resolver: UDP, TC, then the whole answer over TCP. */
async function resolverTcpMs(): Promise<number> {
  const started = Date.now();
  const r = new Resolver({ timeout: 2000, tries: 2 });
  r.setServers([`${dns.address}:${dns.port}`]);
  assert.equal((await r.resolveTxt(LARGE)).length, 200);
  return Date.now() - started;
}

function assertRss(beforeMb: number, peakMb: number): void {
  assert.ok(peakMb < RSS_BOUND_MB, `peak RSS ${peakMb.toFixed(0)} MB`);
  assert.ok(peakMb - beforeMb < DNS_GROWTH_BOUND_MB, `RSS grew from ${beforeMb.toFixed(0)} to ${peakMb.toFixed(0)} MB`);
}

async function stillAnswers(): Promise<void> {
  assert.equal(await t.answers(), true, 'the API answers');
  await tcpAnswerMs();
}

before(async () => {
  t = await startAbuseTarget('127.93.0.0/16');
  dns = t.dns;
  const r53 = new Route53Client({ endpoint: t.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  const zone = await r53.send(new CreateHostedZoneCommand({ Name: 'abuse.example', CallerReference: 'dns-abuse' }));
  await r53.send(new ChangeResourceRecordSetsCommand({
    HostedZoneId: zone.HostedZone!.Id!,
    ChangeBatch: {
      Changes: [
        { Action: 'CREATE', ResourceRecordSet: { Name: MEDIUM, Type: 'TXT', TTL: 300, ResourceRecords: txt(20) } },
        { Action: 'CREATE', ResourceRecordSet: { Name: LARGE, Type: 'TXT', TTL: 300, ResourceRecords: txt(200) } },
      ],
    },
  }));
  await tcpAnswerMs();
});
after(() => t?.stop());

test('8 TCP clients pipeline 1 MB of queries each (600 MB of answers) and never read', async () => {
  const before = t.rssMb();
  const one = framed(query(MEDIUM, 'TXT'));
  const batch = Buffer.concat(Array.from({ length: 1000 }, () => one));
  const { result: meanwhile, peakMb } = await t.peakDuring(async () => {
    const clients = await Promise.all(Array.from({ length: 8 }, () => new Promise<net.Socket>((resolve, reject) => {
      const c = net.connect(dns.port, dns.address, () => resolve(c));
      c.on('error', reject);
    })));
    for (const c of clients) {
      c.pause();
      c.on('error', () => undefined);
      for (let written = 0; written < 1 << 20; written += batch.length) c.write(batch);
    }
    await sleep(3000);
    // Others are still served meanwhile.
    const meanwhile = await tcpAnswerMs().catch((e: Error) => e);
    for (const c of clients) c.destroy();
    return meanwhile;
  });
  console.log(`pipelining: RSS ${before.toFixed(0)} MB before, peak ${peakMb.toFixed(0)} MB; another TCP client meanwhile: ${typeof meanwhile === 'number' ? `${meanwhile} ms` : meanwhile.message}`);
  assert.equal(typeof meanwhile, 'number', 'another TCP client is answered meanwhile');
  assertRss(before, peakMb);
  await stillAnswers();
});

test('300 slow TCP clients send a byte every 4 s for 15 s; dig +tcp, Node\'s resolver and a raw client still answer, within 4 s with a retry', async () => {
  const before = t.rssMb();
  const until = Date.now() + 15_000;
  let connections = 0;
  let closedByServer = 0;
  const sockets = new Set<net.Socket>();
  // One slow client: connects, sends a byte every 4 s, and reconnects 500 ms after the server closes it.
  const slowClient = async () => {
    while (Date.now() < until) {
      await new Promise<void>((resolve) => {
        const c = net.connect(dns.port, dns.address);
        sockets.add(c);
        connections++;
        const drip = setInterval(() => c.write(Buffer.from([0])), 4000);
        c.on('connect', () => c.write(Buffer.from([0])));
        c.on('error', () => undefined);
        c.on('close', () => {
          clearInterval(drip);
          sockets.delete(c);
          if (Date.now() < until) closedByServer++;
          resolve();
        });
        setTimeout(() => c.destroy(), Math.max(0, until - Date.now()));
      });
      await sleep(500);
    }
  };
  const times: number[] = [];
  const { peakMb } = await t.peakDuring(async () => {
    const attack = Promise.all(Array.from({ length: 300 }, slowClient));
    await sleep(1000);
    while (Date.now() < until - 1000) {
      times.push(await digTcpMs(), await resolverTcpMs(), await tcpAnswerMs());
      await sleep(500);
    }
    await attack;
  });
  for (const c of sockets) c.destroy();
  console.log(`slow clients: ${connections} connections, ${closedByServer} closed by the server; ${times.length} real queries, slowest ${Math.max(...times)} ms; RSS ${before.toFixed(0)} MB before, peak ${peakMb.toFixed(0)} MB`);
  assert.ok(times.length >= 10);
  assert.ok(Math.max(...times) < 4000, `slowest real query ${Math.max(...times)} ms`);
  assert.ok(closedByServer >= 300, 'the server closed slow clients (deadline or eviction)');
  assertRss(before, peakMb);
  await stillAnswers();
});

test('20,000 UDP queries claiming EDNS 65535 for a 21 KB answer get at most 1232 bytes each', async () => {
  const before = t.rssMb();
  const sock = dgram.createSocket('udp4');
  let received = 0;
  let bytesIn = 0;
  let largest = 0;
  sock.on('message', (m) => { received++; bytesIn += m.length; largest = Math.max(largest, m.length); });
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  const msg = query(LARGE, 'TXT', { edns: 65535 });
  const { peakMb } = await t.peakDuring(async () => {
    for (let i = 0; i < 20_000; i++) {
      sock.send(msg, dns.port, dns.address);
      if (i % 200 === 199) await sleep(5); // paced so that the kernel does not drop most of them
    }
    await sleep(500);
  });
  sock.close();
  const sent = 20_000 * msg.length;
  console.log(`UDP: ${received} answers, largest ${largest} bytes, ${bytesIn} bytes out for ${sent} in (x${(bytesIn / sent).toFixed(1)}); RSS ${before.toFixed(0)} MB before, peak ${peakMb.toFixed(0)} MB`);
  assert.ok(received > 1000, `${received} answers`);
  assert.ok(largest <= 1232, `largest UDP answer ${largest} bytes`);
  assertRss(before, peakMb);
  await stillAnswers();
});
