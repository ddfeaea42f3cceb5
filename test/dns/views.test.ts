// The views, table-driven over a hand-built snapshot: what the internet and
// each VPC's resolver answer, through the pure answer() function.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dnsPacket, { type Answer, type Packet } from 'dns-packet';
import { answer } from '../../src/dns/answer.ts';
import { buildSnapshotIndex } from '../../src/dns/snapshot-index.ts';
import { sampleSnapshot, seeded } from './fixtures.ts';

const index = buildSnapshotIndex(sampleSnapshot());

function ask(view: string, name: string, type = 'A', random?: () => number): Packet {
  return answer(index, view, { id: 7, type: 'query', flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: type as 'A', class: 'IN' }] }, { random });
}
const rcodeOf = (p: Packet) => ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'][(p.flags ?? 0) & 0xf];
const aa = (p: Packet) => ((p.flags ?? 0) & dnsPacket.AUTHORITATIVE_ANSWER) !== 0;
const data = (a: Answer) => { const d = (a as { data: unknown }).data; return typeof d === 'string' ? d : JSON.stringify(d); };
const values = (p: Packet) => (p.answers ?? []).map((a) => `${a.type} ${data(a)}`);
const soaOwner = (p: Packet) => (p.authorities ?? []).find((a) => a.type === 'SOA')?.name;

interface Case { view: string; name: string; type?: string; rcode: string; aa?: boolean; answers?: string[]; soa?: string; why: string }

const cases: Case[] = [
  // delegation: two public zones for example.com, the world asks Z1PUBLIC only
  { why: 'delegated zone answers', view: 'public', name: 'host1.example.com', rcode: 'NOERROR', aa: true, answers: ['A 192.0.2.1'] },
  { why: 'undelegated zone is never asked', view: 'public', name: 'only2.example.com', rcode: 'NXDOMAIN', aa: true, answers: [], soa: 'example.com' },
  { why: 'name outside every zone', view: 'public', name: 'example.org', rcode: 'REFUSED', aa: false, answers: [] },
  // NXDOMAIN vs NODATA
  { why: 'NXDOMAIN with SOA', view: 'public', name: 'nope.example.com', rcode: 'NXDOMAIN', answers: [], soa: 'example.com' },
  { why: 'NODATA: name exists, type does not', view: 'public', name: 'host1.example.com', type: 'AAAA', rcode: 'NOERROR', aa: true, answers: [], soa: 'example.com' },
  { why: 'NODATA: empty non-terminal', view: 'public', name: 'sub.example.com', rcode: 'NOERROR', answers: [], soa: 'example.com' },
  { why: 'below an empty non-terminal', view: 'public', name: 'deep.sub.example.com', rcode: 'NOERROR', answers: ['A 192.0.2.30'] },
  { why: 'apex record', view: 'public', name: 'example.com', rcode: 'NOERROR', answers: ['A 192.0.2.250'] },
  { why: 'case-insensitive', view: 'public', name: 'HoSt1.ExAmPlE.cOm', rcode: 'NOERROR', answers: ['A 192.0.2.1'] },
  { why: 'MX', view: 'public', name: 'mail.example.com', type: 'MX', rcode: 'NOERROR', answers: ['MX {"preference":10,"exchange":"mx1.example.com"}', 'MX {"preference":20,"exchange":"mx2.example.com"}'] },
  // wildcards
  { why: 'wildcard matches one label', view: 'public', name: 'x.wild.example.com', rcode: 'NOERROR', aa: true, answers: ['A 198.51.100.1'] },
  { why: 'wildcard matches any depth', view: 'public', name: 'a.b.c.wild.example.com', rcode: 'NOERROR', answers: ['A 198.51.100.1'] },
  { why: 'wildcard never answers its parent', view: 'public', name: 'wild.example.com', rcode: 'NOERROR', answers: [], soa: 'example.com' },
  { why: 'exact beats wildcard', view: 'public', name: 'exact.wild.example.com', rcode: 'NOERROR', answers: ['A 198.51.100.2'] },
  { why: 'exact name blocks the wildcard for other types', view: 'public', name: 'exact.wild.example.com', type: 'TXT', rcode: 'NOERROR', answers: [], soa: 'example.com' },
  { why: 'wildcard has no record of the type: NODATA', view: 'public', name: 'x.wild.example.com', type: 'AAAA', rcode: 'NOERROR', answers: [], soa: 'example.com' },
  { why: '* inside a name is literal', view: 'public', name: 'a.*.lit.example.com', rcode: 'NOERROR', answers: ['A 192.0.2.77'] },
  { why: 'wildcard at a zone apex is not the apex', view: 'public', name: 'sample.io', rcode: 'NOERROR', answers: [], soa: 'sample.io' },
  { why: 'exact beats apex wildcard', view: 'public', name: 'api.sample.io', rcode: 'NOERROR', answers: ['A 203.0.113.11'] },
  // CNAME
  { why: 'CNAME followed in zone', view: 'public', name: 'www.example.com', rcode: 'NOERROR', aa: true, answers: ['CNAME host1.example.com', 'A 192.0.2.1'] },
  { why: 'CNAME chain', view: 'public', name: 'chain.example.com', rcode: 'NOERROR', answers: ['CNAME www.example.com', 'CNAME host1.example.com', 'A 192.0.2.1'] },
  { why: 'CNAME asked for itself', view: 'public', name: 'www.example.com', type: 'CNAME', rcode: 'NOERROR', answers: ['CNAME host1.example.com'] },
  { why: 'CNAME loop is bounded', view: 'public', name: 'loop1.example.com', rcode: 'NOERROR', answers: ['CNAME loop2.example.com', 'CNAME loop1.example.com'] },
  { why: 'CNAME out of the view stops', view: 'public', name: 'ext.example.com', rcode: 'NOERROR', aa: true, answers: ['CNAME www.elsewhere.org'] },
  // alias
  { why: 'alias to a record in the same zone', view: 'public', name: 'same.example.com', rcode: 'NOERROR', aa: true, answers: ['A 192.0.2.1'] },
  { why: 'alias only for its own type', view: 'public', name: 'same.example.com', type: 'AAAA', rcode: 'NOERROR', answers: [], soa: 'example.com' },
  { why: 'alias to a load balancer', view: 'public', name: 'alb.example.com', rcode: 'NOERROR', aa: true, answers: ['A 127.100.0.1'] },
  // weighted, multivalue: see below; delegation inside a public zone
  { why: 'NS below the apex is a referral', view: 'public', name: 'x.delegated.example.com', rcode: 'NOERROR', aa: false, answers: [] },
  // EC2 public names from outside
  { why: 'public name of a host, outside', view: 'public', name: 'ec2-203-0-113-5.compute-1.amazonaws.com', rcode: 'NOERROR', answers: ['A 203.0.113.5'] },
  { why: 'no public name without enableDnsHostnames', view: 'public', name: 'ec2-203-0-113-9.eu-west-1.compute.amazonaws.com', rcode: 'REFUSED', answers: [] },

  // VPC view: private over public, no fallback
  { why: 'private zone wins over public wildcard', view: 'vpc-aaaa', name: 'registry.sample.io', rcode: 'NOERROR', aa: true, answers: ['A 10.0.0.50'] },
  { why: 'public sees the public wildcard', view: 'public', name: 'registry.sample.io', rcode: 'NOERROR', answers: ['A 203.0.113.10'] },
  { why: 'private zone authoritative: no fallback', view: 'vpc-aaaa', name: 'v2.registry.sample.io', rcode: 'NXDOMAIN', aa: true, answers: [], soa: 'registry.sample.io' },
  { why: 'outside the private namespace: public', view: 'vpc-aaaa', name: 'api.sample.io', rcode: 'NOERROR', answers: ['A 203.0.113.11'] },
  { why: 'outside the private namespace: public wildcard', view: 'vpc-aaaa', name: 'other.sample.io', rcode: 'NOERROR', answers: ['A 203.0.113.10'] },
  { why: 'public zone through the resolver', view: 'vpc-aaaa', name: 'www.example.com', rcode: 'NOERROR', answers: ['CNAME host1.example.com', 'A 192.0.2.1'] },
  // most specific private zone
  { why: 'most specific private zone', view: 'vpc-dddd', name: 'registry.sample.io', rcode: 'NOERROR', answers: ['A 10.0.0.50'] },
  { why: 'less specific private zone', view: 'vpc-dddd', name: 'internal.sample.io', rcode: 'NOERROR', answers: ['A 10.0.0.60'] },
  { why: 'private sample.io hides the public one', view: 'vpc-dddd', name: 'api.sample.io', rcode: 'NXDOMAIN', answers: [], soa: 'sample.io' },
  // VPC-provided names
  { why: 'private DNS name', view: 'vpc-aaaa', name: 'ip-10-0-1-5.ec2.internal', rcode: 'NOERROR', aa: true, answers: ['A 10.0.1.5'] },
  { why: 'public DNS name inside the VPC is the private IP', view: 'vpc-aaaa', name: 'ec2-203-0-113-5.compute-1.amazonaws.com', rcode: 'NOERROR', answers: ['A 10.0.1.5'] },
  { why: 'unknown internal name', view: 'vpc-aaaa', name: 'ip-10-0-9-9.ec2.internal', rcode: 'NXDOMAIN', answers: [] },
  { why: 'reverse lookup', view: 'vpc-aaaa', name: '5.1.0.10.in-addr.arpa', type: 'PTR', rcode: 'NOERROR', answers: ['PTR ip-10-0-1-5.ec2.internal'] },
  { why: "another VPC's host names are not known", view: 'vpc-dddd', name: 'ip-10-0-1-5.ec2.internal', rcode: 'NXDOMAIN', answers: [] },
  { why: "another VPC's public name: public IP", view: 'vpc-dddd', name: 'ec2-203-0-113-5.compute-1.amazonaws.com', rcode: 'NOERROR', answers: ['A 203.0.113.5'] },
  // DNS attributes
  { why: 'enableDnsSupport off: no answer', view: 'vpc-bbbb', name: 'host1.example.com', rcode: 'REFUSED', aa: false, answers: [] },
  { why: 'enableDnsHostnames off: private zones not consulted', view: 'vpc-cccc', name: 'registry.sample.io', rcode: 'NOERROR', answers: ['A 203.0.113.10'] },
  { why: 'enableDnsHostnames off: private names still resolve', view: 'vpc-cccc', name: 'ip-10-2-0-9.eu-west-1.compute.internal', rcode: 'NOERROR', answers: ['A 10.2.0.9'] },
  { why: 'unknown VPC', view: 'vpc-ffff', name: 'host1.example.com', rcode: 'REFUSED', answers: [] },
];

describe('DNS views', () => {
  for (const c of cases) {
    it(`${c.view} ${c.name} ${c.type ?? 'A'}: ${c.why}`, () => {
      const p = ask(c.view, c.name, c.type);
      assert.equal(rcodeOf(p), c.rcode);
      if (c.aa !== undefined) assert.equal(aa(p), c.aa);
      if (c.answers) assert.deepEqual(values(p), c.answers);
      if (c.soa) assert.equal(soaOwner(p), c.soa);
    });
  }

  it('answers keep the client spelling of the question name (0x20)', () => {
    const p = ask('public', 'WwW.Example.COM');
    assert.equal(p.answers![0].name, 'WwW.Example.COM');
    assert.equal(p.answers![1].name, 'host1.example.com');
  });

  it('negative TTL is min(SOA TTL, SOA minimum)', () => {
    const soa = ask('public', 'nope.example.com').authorities![0] as Answer & { ttl: number };
    assert.equal(soa.ttl, 300); // SOA TTL 900, minimum 300
  });

  it('alias to the same zone takes the target TTL; to a load balancer 60 s', () => {
    assert.equal((ask('public', 'same.example.com').answers![0] as { ttl: number }).ttl, 120);
    assert.equal((ask('public', 'alb.example.com').answers![0] as { ttl: number }).ttl, 60);
  });

  it('a referral carries the NS records in the authority section', () => {
    const p = ask('public', 'x.delegated.example.com');
    assert.deepEqual((p.authorities ?? []).map((a) => `${a.name} ${a.type} ${data(a)}`), ['delegated.example.com NS ns1.other-dns.net']);
  });

  it('recursion available only on VPC views', () => {
    assert.equal((ask('public', 'host1.example.com').flags! & dnsPacket.RECURSION_AVAILABLE) !== 0, false);
    assert.equal((ask('vpc-aaaa', 'host1.example.com').flags! & dnsPacket.RECURSION_AVAILABLE) !== 0, true);
  });

  it('weighted: weight 0 is never chosen while another set has weight', () => {
    const random = seeded(1);
    for (let i = 0; i < 200; i++) assert.deepEqual(values(ask('public', 'w.example.com', 'A', random)), ['A 192.0.2.101']);
  });

  it('weighted: all weights 0 -> each set chosen, one at a time', () => {
    const random = seeded(2);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const v = values(ask('public', 'wz.example.com', 'A', random));
      assert.equal(v.length, 1);
      seen.add(v[0]);
    }
    assert.deepEqual([...seen].sort(), ['A 192.0.2.111', 'A 192.0.2.112']);
  });

  it('weighted: choices follow the weights', () => {
    const snap = sampleSnapshot();
    snap.zones[0].records.push(
      { name: 'split.example.com', type: 'A', ttl: 60, values: ['192.0.2.1'], setIdentifier: 'blue', weight: 3 },
      { name: 'split.example.com', type: 'A', ttl: 60, values: ['192.0.2.2'], setIdentifier: 'green', weight: 1 },
    );
    const ix = buildSnapshotIndex(snap);
    const random = seeded(3);
    let blue = 0;
    for (let i = 0; i < 4000; i++) {
      const p = answer(ix, 'public', { id: 1, type: 'query', questions: [{ name: 'split.example.com', type: 'A', class: 'IN' }] }, { random });
      if (values(p)[0] === 'A 192.0.2.1') blue++;
    }
    assert.ok(blue > 2800 && blue < 3200, `blue chosen ${blue} of 4000, expected about 3000`);
  });

  it('multivalue: at most 8 of the values, all distinct and from the sets', () => {
    const random = seeded(4);
    const all = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const v = values(ask('public', 'mv.example.com', 'A', random));
      assert.equal(v.length, 8);
      assert.equal(new Set(v).size, 8);
      for (const x of v) { assert.match(x, /^A 192\.0\.2\.20\d$/); all.add(x); }
    }
    assert.equal(all.size, 10);
  });
});

describe('DNS answer() packet rules', () => {
  const q = (p: Partial<Packet>): Packet => answer(index, 'public', { id: 9, type: 'query', questions: [{ name: 'host1.example.com', type: 'A', class: 'IN' }], ...p });

  it('NOTIMP for opcodes other than QUERY', () => {
    assert.equal(rcodeOf(q({ flags: 5 << 11 })), 'NOTIMP');
  });
  it('FORMERR for two questions', () => {
    assert.equal(rcodeOf(q({ questions: [{ name: 'a.example.com', type: 'A' }, { name: 'b.example.com', type: 'A' }] })), 'FORMERR');
  });
  it('REFUSED for class CH and for zone transfers', () => {
    assert.equal(rcodeOf(q({ questions: [{ name: 'version.bind', type: 'TXT', class: 'CH' }] })), 'REFUSED');
    assert.equal(rcodeOf(q({ questions: [{ name: 'example.com', type: 'AXFR', class: 'IN' }] })), 'REFUSED');
  });
  it('EDNS: OPT echoed with our payload size; none without EDNS', () => {
    const opt = { name: '.', type: 'OPT', udpPayloadSize: 4096, flags: 0, options: [] } as unknown as Answer;
    const withOpt = q({ additionals: [opt] });
    assert.equal(withOpt.additionals!.length, 1);
    assert.equal((withOpt.additionals![0] as { udpPayloadSize: number }).udpPayloadSize, 1232);
    assert.equal(q({}).additionals!.length, 0);
  });
  it('EDNS version 1 gets BADVERS', () => {
    const opt = { name: '.', type: 'OPT', udpPayloadSize: 4096, ednsVersion: 1, flags: 0, options: [] } as unknown as Answer;
    const p = q({ additionals: [opt] });
    assert.equal((p.flags ?? 0) & 0xf, 0);
    assert.equal((p.additionals![0] as { extendedRcode: number }).extendedRcode, 1);
  });
  it('id, RD and CD are copied; QR set', () => {
    const p = q({ flags: dnsPacket.RECURSION_DESIRED | dnsPacket.CHECKING_DISABLED });
    assert.equal(p.id, 9);
    assert.equal(p.type, 'response');
    assert.ok((p.flags! & dnsPacket.RECURSION_DESIRED) && (p.flags! & dnsPacket.CHECKING_DISABLED));
  });
  it('every answer encodes with dns-packet', () => {
    for (const c of cases) assert.doesNotThrow(() => dnsPacket.encode(ask(c.view, c.name, c.type)), `${c.view} ${c.name}`);
  });
});
