// npm run bench:writes — whether write latency stays flat as the estate grows.
// One localnet per --sizes figure, each a child process (`node
// dist/localnet.mjs start`, fresh data dir). In each, this process grows an
// estate in ONE account and region through the API (SDK v3, several requests
// in flight) — VPCs, subnets, security groups with rules, instances with
// their network interfaces — to that many store records in the account and
// region (counted read-only from its SQLite file). Then, in --rounds rounds
// that take the localnets in turn (so that drift in the machine's speed hits
// every size alike), it times, one request in flight:
//   - CreateSubnet (into a measuring VPC with room), each undone by an
//     untimed DeleteSubnet, so the estate stays at its size;
//   - AuthorizeSecurityGroupIngress (one rule on a measuring group), each
//     undone by an untimed RevokeSecurityGroupIngress;
//   - DescribeVpcs of one VPC, in a read-only pass before the writes: the
//     reference for how fast the machine answers a request at that moment.
// Reports p50/p99 per size and the ratio of p50 at the largest size to p50 at
// the smallest; target (issue "One network model…"): CreateSubnet and
// AuthorizeSecurityGroupIngress p50 at 6,000 resources within 1.2× of p50 at
// 100. A report, not a test: nothing fails on a slow figure.
//   npm run bench:writes [-- --sizes 100,2000,6000 --requests 200 --rounds 10 --lb --cpu-prof DIR]
// --lb: the estate also holds an (internal) Application Load Balancer with a
// listener, so the load balancer data plane has state to keep in step.
// --cpu-prof DIR: the largest localnet runs with --cpu-prof and writes its profile to DIR on exit.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSubnetCommand,
  DescribeVpcsCommand,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  type EC2Client,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { CreateListenerCommand, CreateLoadBalancerCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { VERSION } from '../src/version.ts';
import { load, median } from './api/load.ts';
import { ec2Client, firstAnswer, spawnLocalnet } from './api/processes.ts';

const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,6000' },
    requests: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '4' },
    lb: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
  },
});
const SIZES = opts.sizes.split(',').map(Number).sort((a, b) => a - b);
const REQUESTS = Number(opts.requests);
const ROUNDS = Number(opts.rounds);
const CONCURRENCY = Number(opts.concurrency);
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

const tmp = mkdtempSync(join(tmpdir(), 'localnet-bench-writes-'));
process.once('exit', () => rmSync(tmp, { recursive: true, force: true }));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// ---- the estate ----------------------------------------------------------
// Four VPCs besides the default one (the quota is five per region): three
// hold the seeded estate, the fourth is where timed CreateSubnets go.
interface SeedVpc {
  id: string;
  octet: number;
  subnets: string[];
}

class Estate {
  vpcs: SeedVpc[] = [];
  measuringVpc = '';
  measuringGroups: string[] = [];
  private blocks = 0;
  private groups = 0;
  private readonly db: Database.Database;
  /** Timed requests so far (the next index: CIDRs and ports of the timed writes). */
  timed = 0;
  constructor(
    readonly ec2: EC2Client,
    dataDir: string,
    private readonly elb?: ElasticLoadBalancingV2Client,
  ) {
    this.db = new Database(join(dataDir, 'localnet.db'), { readonly: true, fileMustExist: true });
  }

  destroy(): void {
    this.ec2.destroy();
    this.elb?.destroy();
    this.db.close();
  }

  /** Store records in the account/region (every resource, its rules, interfaces, route tables, ...). */
  size(): number {
    return this.db.prepare('SELECT COUNT(*) FROM resources WHERE account = ? AND region = ?').pluck().get(ACCOUNT, REGION) as number;
  }

  async setUp(): Promise<void> {
    for (let v = 0; v < 4; v++) {
      const { Vpc } = await this.ec2.send(new CreateVpcCommand({ CidrBlock: `10.${v}.0.0/16` }));
      this.vpcs.push({ id: Vpc!.VpcId!, octet: v, subnets: [] });
    }
    if (this.elb) await this.loadBalancer(this.vpcs[0], this.elb);
    const measuring = this.vpcs.pop()!;
    this.measuringVpc = measuring.id;
    for (let g = 0; g < 2; g++) {
      const { GroupId } = await this.ec2.send(new CreateSecurityGroupCommand({ GroupName: `measure-${g}`, Description: 'timed rules', VpcId: measuring.id }));
      this.measuringGroups.push(GroupId!);
    }
  }

  /** An internal ALB in two subnets of vpc (zones a and b) with an HTTP listener. */
  private async loadBalancer(vpc: SeedVpc, elb: ElasticLoadBalancingV2Client): Promise<void> {
    const subnets = [];
    for (const zone of ['a', 'b']) {
      const index = vpc.subnets.push('') - 1;
      const { Subnet } = await this.ec2.send(new CreateSubnetCommand({ VpcId: vpc.id, CidrBlock: `10.${vpc.octet}.${index}.0/24`, AvailabilityZone: `${REGION}${zone}` }));
      subnets.push((vpc.subnets[index] = Subnet!.SubnetId!));
    }
    const { GroupId } = await this.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'lb', Description: 'lb', VpcId: vpc.id }));
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'bench', Subnets: subnets, SecurityGroups: [GroupId!], Scheme: 'internal', Type: 'application' }))).LoadBalancers![0];
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 8080, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', ContentType: 'text/plain', MessageBody: 'ok' } }] }));
  }

  /**
   * One block of about 50 records: 4 subnets, 3 security groups with 3
   * ingress rules each (plus the default egress rule), and 16 instances
   * (each with its network interface), 4 in each subnet.
   */
  private async block(): Promise<void> {
    const vpc = this.vpcs[this.blocks++ % this.vpcs.length];
    const subnets = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const index = vpc.subnets.push('') - 1; // claimed before any await: concurrent blocks get distinct CIDRs
        const { Subnet } = await this.ec2.send(new CreateSubnetCommand({ VpcId: vpc.id, CidrBlock: `10.${vpc.octet}.${index}.0/24` }));
        return (vpc.subnets[index] = Subnet!.SubnetId!);
      }),
    );
    const groups = await Promise.all(
      Array.from({ length: 3 }, async () => {
        const { GroupId } = await this.ec2.send(new CreateSecurityGroupCommand({ GroupName: `seed-${this.groups++}`, Description: 'seeded', VpcId: vpc.id }));
        const rules: IpPermission[] = [0, 1, 2].map((r) => ({ IpProtocol: 'tcp', FromPort: 8000 + r, ToPort: 8000 + r, IpRanges: [{ CidrIp: `10.${r}.0.0/16` }] }));
        await this.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: rules }));
        return GroupId!;
      }),
    );
    await Promise.all(subnets.map((SubnetId, i) => this.ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', InstanceType: 't3.micro', MinCount: 4, MaxCount: 4, SubnetId, SecurityGroupIds: [groups[i % groups.length]] }))));
  }

  /** Adds blocks until the estate is within half a block of `target` records. */
  async growTo(target: number): Promise<void> {
    let blocks = 0;
    while (this.size() < target - 25) {
      const missing = target - this.size();
      const batch = Math.max(1, Math.min(CONCURRENCY, Math.round(missing / 51)));
      await Promise.all(Array.from({ length: batch }, () => this.block()));
      blocks += batch;
      if (blocks % 40 === 0) process.stderr.write(`  … ${this.size()} records\n`);
    }
  }
}

// ---- the timed writes ------------------------------------------------------
interface Figures {
  size: number;
  createSubnet: number[];
  authorize: number[];
  describe: number[];
}

/** `count` timed requests of each kind, added to f. */
async function measure(estate: Estate, f: Figures, count: number): Promise<void> {
  const { ec2 } = estate;
  const time = async (into: number[], fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    into.push(performance.now() - t0);
  };
  for (let n = 0; n < count; n++) await time(f.describe, () => ec2.send(new DescribeVpcsCommand({ VpcIds: [estate.measuringVpc] })));
  for (let n = 0; n < count; n++) {
    const i = estate.timed++;
    // A /28 in the measuring VPC (10.3.0.0/16); each is deleted again right after.
    const cidr = `10.3.${(i >> 4) & 0xff}.${(i & 15) * 16}/28`;
    let subnetId = '';
    await time(f.createSubnet, async () => {
      subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: estate.measuringVpc, CidrBlock: cidr }))).Subnet!.SubnetId!;
    });
    await ec2.send(new DeleteSubnetCommand({ SubnetId: subnetId }));
    const rule: IpPermission = { IpProtocol: 'tcp', FromPort: 10_000 + i, ToPort: 10_000 + i, IpRanges: [{ CidrIp: '192.168.0.0/16' }] };
    const GroupId = estate.measuringGroups[i % estate.measuringGroups.length];
    await time(f.authorize, () => ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [rule] })));
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId, IpPermissions: [rule] }));
  }
}

// ---- run -----------------------------------------------------------------
console.error(`localnet ${VERSION} write benchmark: node ${process.version}, ${cpus().length} CPUs; one localnet per size (${SIZES.join(', ')} records in account ${ACCOUNT} ${REGION}${opts.lb ? ', with a load balancer' : ''}); ${REQUESTS} timed requests of each kind per size in ${ROUNDS} rounds`);
const results: Figures[] = [];
const stops: (() => Promise<void>)[] = [];
try {
  const estates: Estate[] = [];
  for (const size of SIZES) {
    const dataDir = join(tmp, `size-${size}`);
    const profiled = opts['cpu-prof'] && size === SIZES[SIZES.length - 1];
    const child = await spawnLocalnet(dataDir, profiled ? [process.execPath, '--cpu-prof', `--cpu-prof-dir=${opts['cpu-prof']}`, 'dist/localnet.mjs', 'start'] : undefined);
    stops.push(() => child.stop());
    await firstAnswer(child);
    const ec2 = ec2Client(child.endpoint, ACCOUNT);
    await ec2.send(new DescribeVpcsCommand({})); // creates the account's default VPC
    const elb = opts.lb ? new ElasticLoadBalancingV2Client({ endpoint: child.endpoint, region: REGION, credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'test' }, maxAttempts: 1 }) : undefined;
    const estate = new Estate(ec2, dataDir, elb);
    await estate.setUp();
    const t0 = performance.now();
    await estate.growTo(size);
    console.error(`  localnet ${estates.length + 1}: grew to ${estate.size()} records in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await load(20, 1, () => ec2.send(new DescribeVpcsCommand({}))); // warm-up
    estates.push(estate);
    results.push({ size: estate.size(), createSubnet: [], authorize: [], describe: [] });
  }
  const perRound = Math.ceil(REQUESTS / ROUNDS);
  for (let r = 0; r < ROUNDS; r++) {
    // Every other round the other way round: no size is always measured right after another.
    const order = estates.map((_, e) => e);
    if (r % 2 === 1) order.reverse();
    for (const e of order) await measure(estates[e], results[e], Math.min(perRound, REQUESTS - r * perRound));
    process.stderr.write(`  round ${r + 1}/${ROUNDS} done\n`);
  }
  for (const e of estates) e.destroy();
} finally {
  for (const stop of stops) await stop();
}

// ---- report ----------------------------------------------------------------
const fmt = (n: number) => n.toFixed(2);
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: median(s), p99: percentile(s, 99) };
};
const header = ['records', 'CreateSubnet p50 / p99 (ms)', 'AuthorizeSecurityGroupIngress p50 / p99 (ms)', 'reference: DescribeVpcs p50 / p99 (ms)'];
const rows = results.map((r) => [String(r.size), ...[r.createSubnet, r.authorize, r.describe].map((xs) => `${fmt(stats(xs).p50)} / ${fmt(stats(xs).p99)}`)]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
if (results.length >= 2) {
  const [small, big] = [results[0], results[results.length - 1]];
  const ratio = (k: 'createSubnet' | 'authorize' | 'describe') => stats(big[k]).p50 / stats(small[k]).p50;
  const mark = (x: number) => (x <= 1.2 ? 'met' : 'MISSED');
  console.log(`\np50 at ${big.size} ÷ p50 at ${small.size} records (target ≤ 1.2×): CreateSubnet ${ratio('createSubnet').toFixed(2)}× (${mark(ratio('createSubnet'))}), AuthorizeSecurityGroupIngress ${ratio('authorize').toFixed(2)}× (${mark(ratio('authorize'))}); reference DescribeVpcs ${ratio('describe').toFixed(2)}×`);
}
console.log(`${opts.lb ? 'The estate holds an internal ALB with an HTTP listener. ' : ''}SDK v3 in this process, each localnet (the bundle) in a child process, on 127.0.0.1; each timed write undone by an untimed one; records counted before the timed requests; node ${process.version}, ${cpus().length} CPUs.`);
