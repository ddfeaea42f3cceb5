// The cost of a write as the estate grows (issue 17 item 8), measured in one
// localnet child process: first with an empty estate (the reference), then
// after growing it to --estate-records records (public zones of 500 records
// each). At each size, one request in flight:
//   - ChangeResourceRecordSets UPSERT of one A record in a small private
//     zone associated with the default VPC (the measuring zone);
//   - while those writes run, DNS queries over UDP, one in flight, to that
//     VPC's view for a name in the measuring zone: each write drops the
//     answers and makes the view rebuild, so a rebuild that blocks the event
//     loop shows here.
// Reports p50/p99 of both at each size and the ratio large ÷ empty. Query
// latencies come in two modes (a query that arrives while a write is being
// handled waits for it, ~2 ms; the others answer in ~0.1 ms), so their p50
// lands on either mode and jumps between runs; p99 is the figure that shows
// a rebuild blocking the event loop.
// Standalone: node --import tsx bench/api/dns-writes.ts [--estate-records N --writes N]
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import dnsPacket from 'dns-packet';
import { percentile } from './load.ts';
import { ec2Client, firstAnswer, spawnLocalnet } from './processes.ts';

export interface WriteCost {
  records: number;
  write: { p50: number; p99: number };
  query: { p50: number; p99: number; count: number };
}

const ZONE_RECORDS = 500;

function route53(endpoint: string): Route53Client {
  return new Route53Client({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

/** Adds public zones of ZONE_RECORDS A records each until the estate holds `records` records. */
async function growEstate(r53: Route53Client, from: number, records: number): Promise<void> {
  for (let z = from / ZONE_RECORDS; z < records / ZONE_RECORDS; z++) {
    const name = `estate${z}.example.com`;
    const { HostedZone } = await r53.send(new CreateHostedZoneCommand({ Name: name, CallerReference: `estate-${z}` }));
    const Changes = Array.from({ length: ZONE_RECORDS }, (_, i) => ({
      Action: 'CREATE' as const,
      ResourceRecordSet: { Name: `h${i}.${name}`, Type: 'A' as const, TTL: 60, ResourceRecords: [{ Value: `10.${z & 255}.${i >> 8}.${i & 255}` }] },
    }));
    await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: HostedZone!.Id, ChangeBatch: { Changes } }));
  }
}

/** One UDP query at a time to address:port until stop() is true; latencies in ms. */
async function queryLoop(address: string, port: number, name: string, stop: () => boolean): Promise<number[]> {
  const sock = dgram.createSocket('udp4');
  const latencies: number[] = [];
  let id = 0;
  try {
    while (!stop()) {
      id = (id + 1) & 0xffff;
      const query = dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name }] });
      const t0 = performance.now();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => { sock.off('message', onMessage); reject(new Error(`no DNS answer for ${name} within 2 s`)); }, 2000);
        const onMessage = (msg: Buffer) => {
          if (msg.readUInt16BE(0) !== id) return;
          clearTimeout(timer);
          sock.off('message', onMessage);
          resolve();
        };
        sock.on('message', onMessage);
        sock.send(query, port, address);
      });
      latencies.push(performance.now() - t0);
    }
  } finally {
    sock.close();
  }
  return latencies;
}

async function measure(r53: Route53Client, zoneId: string, view: { address: string; port: number }, writes: number, records: number): Promise<WriteCost> {
  const write = (i: number) =>
    r53.send(new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: `w${i % 10}.measure.internal`, Type: 'A', TTL: 60, ResourceRecords: [{ Value: `10.9.${(i >> 8) & 255}.${i & 255}` }] } }] },
    }));
  for (let i = 0; i < 20; i++) await write(i); // warm-up
  let done = false;
  const queries = queryLoop(view.address, view.port, 'fixed.measure.internal', () => done);
  const latencies: number[] = [];
  try {
    for (let i = 0; i < writes; i++) {
      const t0 = performance.now();
      await write(i);
      latencies.push(performance.now() - t0);
    }
  } finally {
    done = true;
  }
  const q = (await queries).sort((a, b) => a - b);
  latencies.sort((a, b) => a - b);
  return { records, write: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) }, query: { p50: percentile(q, 0.5), p99: percentile(q, 0.99), count: q.length } };
}

/** Runs the measurement in a fresh localnet (nothing in Route 53 yet) at `endpoint`: empty estate, then `estateRecords` records. */
export async function measureWriteCost(endpoint: string, estateRecords: number, writes: number): Promise<{ empty: WriteCost; large: WriteCost }> {
  const ec2 = ec2Client(endpoint);
  try {
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({}));
    const vpcId = Vpcs![0].VpcId!;
    const r53 = route53(endpoint);
    const { HostedZone } = await r53.send(new CreateHostedZoneCommand({ Name: 'measure.internal', CallerReference: 'measure', VPC: { VPCId: vpcId, VPCRegion: 'us-east-1' } }));
    const zoneId = HostedZone!.Id!;
    await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: { Name: 'fixed.measure.internal', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.9.9.9' }] } }] } }));
    const health = (await (await fetch(`${endpoint}/_localnet/health`)).json()) as { dns: { views: { view: string; address: string; port: number }[] } };
    const view = health.dns.views.find((v) => v.view === vpcId);
    if (!view) throw new Error(`no DNS view for ${vpcId}: ${JSON.stringify(health.dns.views)}`);
    const empty = await measure(r53, zoneId, view, writes, 0);
    await growEstate(r53, 0, estateRecords);
    const large = await measure(r53, zoneId, view, writes, estateRecords);
    r53.destroy();
    return { empty, large };
  } finally {
    ec2.destroy();
  }
}

/** measureWriteCost in a localnet started for it (the bundle, fresh data directory). */
export async function measureWriteCostInChild(estateRecords: number, writes: number): Promise<{ empty: WriteCost; large: WriteCost }> {
  const tmp = mkdtempSync(join(tmpdir(), 'localnet-bench-dns-writes-'));
  const ln = await spawnLocalnet(join(tmp, 'data'));
  try {
    await firstAnswer(ln);
    return await measureWriteCost(ln.endpoint, estateRecords, writes);
  } finally {
    await ln.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Table rows: measure, at estateRecords, empty estate, ratio. */
export function writeCostRows(r: { empty: WriteCost; large: WriteCost }): string[][] {
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '-');
  const row = (name: string, a: number, b: number) => [name, f(a), f(b), `${f(a / b)}×`];
  const n = r.large.records.toLocaleString('en-US');
  return [
    row(`ChangeResourceRecordSets (1 record), ${n} records in the estate: p50 (ms)`, r.large.write.p50, r.empty.write.p50),
    row(`ChangeResourceRecordSets (1 record), ${n} records in the estate: p99 (ms)`, r.large.write.p99, r.empty.write.p99),
    row(`DNS query (UDP, VPC view) while writing, ${n} records: p50 (ms)`, r.large.query.p50, r.empty.query.p50),
    row(`DNS query (UDP, VPC view) while writing, ${n} records: p99 (ms)`, r.large.query.p99, r.empty.query.p99),
  ];
}

/** The figures as a markdown table, and a line on how many queries were sent. */
export function writeCostTable(r: { empty: WriteCost; large: WriteCost }): string {
  const header = ['measure', 'large estate', 'empty estate (reference)', 'large ÷ empty'];
  const rows = writeCostRows(r);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((x) => x[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line), '', `${r.large.query.count} DNS queries during the writes at the large estate, ${r.empty.query.count} at the empty one; their p50 jumps between two modes (waiting behind a write or not), p99 shows blocking.`].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { 'estate-records': { type: 'string', default: '10000' }, writes: { type: 'string', default: '300' } } });
  console.log(writeCostTable(await measureWriteCostInChild(Number(values['estate-records']), Number(values.writes))));
}
