// The DNS server over real sockets on loopback: Node's own resolver (c-ares)
// for UDP answers and TC -> TCP fallback, raw clients for EDNS sizes and
// framing, and state changes through invalidate().
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { after, before, describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import { startDnsServer, type DnsServer } from '../../src/dns/server.ts';
import type { DnsSnapshot } from '../../src/dns/types.ts';
import { preferredVpcAddress } from '../../src/dns/vpc-addresses.ts';
import { rcode, tcpExchange, udpAsk, query } from './client.ts';
import { BIG_TXT, sampleSnapshot } from './fixtures.ts';

function resolverFor(address: string, port: number): Resolver {
  const r = new Resolver({ timeout: 1000, tries: 2 });
  r.setServers([`${address}:${port}`]);
  return r;
}

describe('DNS server', () => {
  let state: DnsSnapshot;
  let server: DnsServer;
  let port: number;
  const logs: string[] = [];

  before(async () => {
    state = sampleSnapshot();
    server = await startDnsServer({ host: '127.0.0.1', port: 0, snapshot: () => state, log: (l) => logs.push(l) });
    port = server.views()[0].port;
  });
  after(() => server.close());

  it('lists the public view and one view per VPC with its resolver IP', () => {
    const views = server.views();
    assert.equal(views[0].view, 'public');
    assert.equal(views[0].address, '127.0.0.1');
    const a = views.find((v) => v.view === 'vpc-aaaa')!;
    assert.equal(a.resolverIp, '10.0.0.2');
    assert.equal(a.address, preferredVpcAddress('vpc-aaaa'));
    assert.match(a.address, /^127\.53\.\d+\.\d+$/);
    assert.equal(views.length, 1 + state.vpcs.length);
  });

  it('answers A, CNAME chains, NXDOMAIN and NODATA through Node\'s resolver', async () => {
    const r = resolverFor('127.0.0.1', port);
    assert.deepEqual(await r.resolve4('host1.example.com'), ['192.0.2.1']);
    assert.deepEqual(await r.resolve4('www.example.com'), ['192.0.2.1']);
    assert.deepEqual(await r.resolve4('x.y.wild.example.com'), ['198.51.100.1']);
    await assert.rejects(r.resolve4('nope.example.com'), { code: 'ENOTFOUND' });
    await assert.rejects(r.resolve6('host1.example.com'), { code: 'ENODATA' });
    await assert.rejects(r.resolve4('example.org'), { code: 'EREFUSED' });
  });

  it('sets AA and puts the SOA in the authority section of negative answers', async () => {
    const p = await udpAsk('127.0.0.1', port, 'nope.example.com', 'A');
    assert.equal(rcode(p), 3);
    assert.ok((p.flags! & dnsPacket.AUTHORITATIVE_ANSWER) !== 0);
    assert.equal(p.authorities![0].type, 'SOA');
    assert.equal(p.id, 4242);
  });

  it('each VPC view answers on its own address', async () => {
    const a = server.views().find((v) => v.view === 'vpc-aaaa')!;
    const r = resolverFor(a.address, a.port);
    assert.deepEqual(await r.resolve4('registry.sample.io'), ['10.0.0.50']);
    assert.deepEqual(await r.resolve4('ip-10-0-1-5.ec2.internal'), ['10.0.1.5']);
    await assert.rejects(r.resolve4('v2.registry.sample.io'), { code: 'ENOTFOUND' });
    assert.deepEqual(await resolverFor('127.0.0.1', port).resolve4('registry.sample.io'), ['203.0.113.10']);
    const b = server.views().find((v) => v.view === 'vpc-bbbb')!;
    await assert.rejects(resolverFor(b.address, b.port).resolve4('host1.example.com'), { code: 'EREFUSED' });
  });

  it('truncates a large answer over UDP without EDNS and gives it whole over TCP', async () => {
    const udp = await udpAsk('127.0.0.1', port, 'big.example.com', 'TXT');
    assert.ok((udp.flags! & dnsPacket.TRUNCATED_RESPONSE) !== 0, 'TC set');
    assert.equal(udp.answers!.length, 0);
    const [tcp] = await tcpExchange('127.0.0.1', port, [query('big.example.com', 'TXT')]);
    const p = dnsPacket.decode(tcp);
    assert.equal((p.flags! & dnsPacket.TRUNCATED_RESPONSE), 0);
    assert.equal(p.answers!.length, BIG_TXT.length);
  });

  it('caps the client EDNS size at 1232: a 2 KB answer is truncated even for a client claiming 4096', async () => {
    for (const edns of [4096, 1232]) {
      const p = await udpAsk('127.0.0.1', port, 'big.example.com', 'TXT', { edns });
      assert.ok((p.flags! & dnsPacket.TRUNCATED_RESPONSE) !== 0, `TC with EDNS ${edns}`);
      assert.equal(p.additionals!.filter((a) => a.type === 'OPT').length, 1);
    }
  });

  it("Node's resolver falls back to TCP on TC and gets every TXT string", async () => {
    const txt = await resolverFor('127.0.0.1', port).resolveTxt('big.example.com');
    assert.equal(txt.length, BIG_TXT.length);
  });

  it('answers several pipelined queries on one TCP connection, in order', async () => {
    const msgs = ['host1.example.com', 'www.example.com', 'nope.example.com'].map((n, i) => query(n, 'A', { id: 100 + i }));
    const replies = (await tcpExchange('127.0.0.1', port, msgs)).map((b) => dnsPacket.decode(b));
    assert.deepEqual(replies.map((p) => [p.id, rcode(p), p.answers!.length]), [[100, 0, 1], [101, 0, 2], [102, 3, 0]]);
  });

  it('keeps the id of each query when answering from the cache', async () => {
    for (let i = 0; i < 5; i++) {
      const m = query('host1.example.com', 'A', { id: 1000 + i });
      const p = await udpAsk('127.0.0.1', port, 'host1.example.com', 'A');
      assert.equal(p.id, 4242);
      const [t] = await tcpExchange('127.0.0.1', port, [m]);
      assert.equal(dnsPacket.decode(t).id, 1000 + i);
    }
  });

  it('invalidate(): the next query sees the new state, cached answers included', async () => {
    const r = resolverFor('127.0.0.1', port);
    assert.deepEqual(await r.resolve4('host1.example.com'), ['192.0.2.1']);
    state = sampleSnapshot();
    state.zones[0].records.find((x) => x.name === 'host1.example.com')!.values = ['192.0.2.99'];
    server.invalidate();
    assert.deepEqual(await r.resolve4('host1.example.com'), ['192.0.2.99']);
  });

  it('invalidate(): a new VPC gets a view, a deleted one loses it', async () => {
    state = sampleSnapshot();
    state.vpcs.push({ vpcId: 'vpc-0123456789abcdef0', account: '000000000000', region: 'us-east-1', cidrBlocks: ['192.168.0.0/24'], enableDnsSupport: true, enableDnsHostnames: true, hosts: [] });
    state.vpcs = state.vpcs.filter((v) => v.vpcId !== 'vpc-bbbb');
    server.invalidate();
    await server.ready();
    const views = server.views();
    const added = views.find((v) => v.view === 'vpc-0123456789abcdef0')!;
    assert.equal(added.resolverIp, '192.168.0.2');
    assert.equal(views.find((v) => v.view === 'vpc-bbbb'), undefined);
    assert.deepEqual(await resolverFor(added.address, added.port).resolve4('host1.example.com'), ['192.0.2.1']);
  });

  it('refuses to bind anything but loopback', async () => {
    await assert.rejects(startDnsServer({ host: '0.0.0.0', port: 0, snapshot: () => state }), /loopback/);
  });
});
