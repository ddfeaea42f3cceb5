// Hand-built snapshots for the DNS tests: one place that says which zones,
// VPCs and load balancers exist, so each test table reads as behaviour.
import { startDnsServer, type DnsServer } from '../../src/dns/server.ts';
import type { DnsRecordSet, DnsSnapshot, DnsZone } from '../../src/dns/types.ts';

export const SOA = 'ns-2048.awsdns-64.net. hostmaster.example.com. 1 7200 900 1209600 300';
const NS = ['ns-1.awsdns-01.com.', 'ns-513.awsdns-02.net.', 'ns-1025.awsdns-03.org.', 'ns-1537.awsdns-04.co.uk.'];

export function rs(name: string, type: string, values: string[], extra: Partial<DnsRecordSet> = {}): DnsRecordSet {
  return { name, type, ttl: 300, values, ...extra };
}

export function zone(id: string, name: string, records: DnsRecordSet[], opts: { private?: boolean; vpcs?: string[] } = {}): DnsZone {
  return {
    id, name, private: opts.private ?? false,
    vpcs: (opts.vpcs ?? []).map((vpcId) => ({ vpcId, region: 'us-east-1' })),
    records: [rs(name, 'SOA', [SOA], { ttl: 900 }), rs(name, 'NS', NS, { ttl: 172800 }), ...records],
  };
}

export const LB_DNS = 'my-alb-1234567890.us-east-1.elb.amazonaws.com';

/** TXT values long enough that the answer no longer fits 512 bytes. */
export const BIG_TXT = Array.from({ length: 40 }, (_, i) => `"value-${i}-${'x'.repeat(40)}"`);

export function sampleSnapshot(): DnsSnapshot {
  const exampleDelegated = zone('Z1PUBLIC', 'example.com', [
    rs('example.com', 'A', ['192.0.2.250']),
    rs('host1.example.com', 'A', ['192.0.2.1'], { ttl: 120 }),
    rs('www.example.com', 'CNAME', ['host1.example.com.']),
    rs('chain.example.com', 'CNAME', ['www.example.com.']),
    rs('loop1.example.com', 'CNAME', ['loop2.example.com.']),
    rs('loop2.example.com', 'CNAME', ['loop1.example.com.']),
    rs('ext.example.com', 'CNAME', ['www.elsewhere.org.']),
    rs('*.wild.example.com', 'A', ['198.51.100.1']),
    rs('*.wild.example.com', 'TXT', ['"from the wildcard"']),
    rs('exact.wild.example.com', 'A', ['198.51.100.2']),
    rs('a.*.lit.example.com', 'A', ['192.0.2.77']),
    rs('deep.sub.example.com', 'A', ['192.0.2.30']),
    rs('txtonly.example.com', 'TXT', ['"hello world"']),
    rs('big.example.com', 'TXT', BIG_TXT),
    rs('mail.example.com', 'MX', ['10 mx1.example.com.', '20 mx2.example.com.']),
    rs('same.example.com', 'A', [], { alias: { dnsName: 'host1.example.com.', hostedZoneId: 'Z1PUBLIC', evaluateTargetHealth: false } }),
    rs('alb.example.com', 'A', [], { alias: { dnsName: `dualstack.${LB_DNS}.`, hostedZoneId: 'Z35SXDOTRQ7X7K', evaluateTargetHealth: true } }),
    rs('w.example.com', 'A', ['192.0.2.101'], { setIdentifier: 'one', weight: 1 }),
    rs('w.example.com', 'A', ['192.0.2.102'], { setIdentifier: 'zero', weight: 0 }),
    rs('wz.example.com', 'A', ['192.0.2.111'], { setIdentifier: 'a', weight: 0 }),
    rs('wz.example.com', 'A', ['192.0.2.112'], { setIdentifier: 'b', weight: 0 }),
    ...Array.from({ length: 10 }, (_, i) => rs('mv.example.com', 'A', [`192.0.2.${200 + i}`], { setIdentifier: `mv${i}`, multiValueAnswer: true })),
    rs('delegated.example.com', 'NS', ['ns1.other-dns.net.']),
  ]);
  const exampleUndelegated = zone('Z2SHADOW', 'example.com', [
    rs('host1.example.com', 'A', ['10.9.9.9']),
    rs('only2.example.com', 'A', ['10.9.9.8']),
  ]);
  const samplePublic = zone('Z3SAMPLE', 'sample.io', [
    rs('*.sample.io', 'A', ['203.0.113.10']),
    rs('api.sample.io', 'A', ['203.0.113.11']),
  ]);
  const registryPrivate = zone('Z4REGISTRY', 'registry.sample.io', [
    rs('registry.sample.io', 'A', ['10.0.0.50']),
  ], { private: true, vpcs: ['vpc-aaaa', 'vpc-cccc', 'vpc-dddd'] });
  const samplePrivate = zone('Z5SAMPLEPRIV', 'sample.io', [
    rs('internal.sample.io', 'A', ['10.0.0.60']),
  ], { private: true, vpcs: ['vpc-dddd'] });
  return {
    zones: [exampleDelegated, exampleUndelegated, samplePublic, registryPrivate, samplePrivate],
    delegations: new Map([['example.com', 'Z1PUBLIC'], ['sample.io', 'Z3SAMPLE']]),
    vpcs: [
      {
        vpcId: 'vpc-aaaa', account: '000000000000', region: 'us-east-1', cidrBlocks: ['10.0.0.0/16'], enableDnsSupport: true, enableDnsHostnames: true,
        hosts: [{ privateIp: '10.0.1.5', privateDnsName: 'ip-10-0-1-5.ec2.internal', publicIp: '203.0.113.5', publicDnsName: 'ec2-203-0-113-5.compute-1.amazonaws.com' }],
      },
      { vpcId: 'vpc-bbbb', account: '000000000000', region: 'us-east-1', cidrBlocks: ['10.1.0.0/16'], enableDnsSupport: false, enableDnsHostnames: true, hosts: [] },
      {
        vpcId: 'vpc-cccc', account: '000000000000', region: 'eu-west-1', cidrBlocks: ['10.2.0.0/16'], enableDnsSupport: true, enableDnsHostnames: false,
        hosts: [{ privateIp: '10.2.0.9', privateDnsName: 'ip-10-2-0-9.eu-west-1.compute.internal', publicIp: '203.0.113.9', publicDnsName: 'ec2-203-0-113-9.eu-west-1.compute.amazonaws.com' }],
      },
      { vpcId: 'vpc-dddd', account: '000000000000', region: 'us-east-1', cidrBlocks: ['172.31.0.0/16'], enableDnsSupport: true, enableDnsHostnames: true, hosts: [] },
    ],
    loadBalancers: [{ dnsName: LB_DNS, address: '127.100.0.1', internal: false, vpcId: 'vpc-aaaa' }],
  };
}

/** A deterministic PRNG (mulberry32) so random-looking tests are repeatable. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A DNS server on a free loopback port answering the sample snapshot; port is the public view's. */
export async function startSampleDnsServer(): Promise<{ server: DnsServer; port: number }> {
  const state = sampleSnapshot();
  const server = await startDnsServer({ host: '127.0.0.1', port: 0, snapshot: () => state });
  return { server, port: server.views()[0].port };
}
