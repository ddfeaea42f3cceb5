// npm run bench:why — the reachability engine on a synthetic estate built
// directly as snapshot data (no API calls): 50 VPCs peered hub-and-spoke,
// 1,000 subnets, 10,000 interfaces, 500 security groups with 20 rules each.
// Times the snapshot rebuild (what happens after every change) and analyses
// of random paths (same VPC, across a peering, to the internet through NAT),
// median and p99 over a bounded count. A report, not a test.
//
//   npm run bench:why [-- --analyses 5000]
import { parseArgs } from 'node:util';
import { analyze, type Query } from '../src/net/reachability/analyze.ts';
import { buildNetworkModel } from '../src/net/model/model.ts';
import type { NetworkData, RRoute } from '../src/net/model/types.ts';

const { values } = parseArgs({ options: { analyses: { type: 'string', default: '3000' }, rebuilds: { type: 'string', default: '7' } } });
const VPCS = 50;
const SUBNETS_PER_VPC = 20;
const ENIS_PER_SUBNET = 10;
const GROUPS_PER_VPC = 10;
const RULES_PER_GROUP = 20;

/** A deterministic generator, so every run measures the same estate. */
function rng(seed: number): () => number {
  return () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

export function syntheticEstate(): NetworkData {
  const d: NetworkData = { vpcs: [], subnets: [], routeTables: [], acls: [], securityGroups: [], enis: [], instances: [], igws: [], nats: [], peerings: [], loadBalancers: [], targetGroups: [] };
  const hex = (n: number, w = 8) => n.toString(16).padStart(w, '0');
  for (let v = 0; v < VPCS; v++) {
    const vpcId = `vpc-${hex(v)}`;
    const cidr = `10.${v}.0.0/16`;
    d.vpcs.push({ id: vpcId, account: '000000000000', region: 'us-east-1', cidrs: [cidr], dnsSupport: true, dnsHostnames: true });
    d.igws.push({ id: `igw-${hex(v)}`, vpcId });
    // Hub and spoke: VPC 0 is peered with every other (49 peerings); spokes are not peered with each other.
    if (v > 0) d.peerings.push({ id: `pcx-${hex(v)}`, state: 'active', requester: { vpcId: 'vpc-00000000', cidrs: ['10.0.0.0/16'], region: 'us-east-1' }, accepter: { vpcId, cidrs: [cidr], region: 'us-east-1' } });
    const entries = [];
    for (let i = 0; i < 8; i++) entries.push({ RuleNumber: 10 + i, Protocol: '6', RuleAction: 'deny', Egress: false, CidrBlock: `192.168.${i}.0/24`, PortRange: { From: 22, To: 22 } });
    for (const Egress of [false, true]) entries.push({ RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress, CidrBlock: '0.0.0.0/0' }, { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress, CidrBlock: '0.0.0.0/0' });
    const subnetIds: string[] = [];
    for (let g = 0; g < GROUPS_PER_VPC; g++) {
      const id = `sg-${hex(v * GROUPS_PER_VPC + g)}`;
      const rules = [];
      for (let r = 0; r < RULES_PER_GROUP - 1; r++) rules.push({ SecurityGroupRuleId: `sgr-${hex(v)}${hex(g, 2)}${hex(r, 2)}`, GroupId: id, IsEgress: false, IpProtocol: 'tcp', FromPort: 8000 + r, ToPort: 8000 + r, CidrIpv4: r % 2 ? '10.0.0.0/8' : `10.${v}.0.0/16` });
      rules.push({ SecurityGroupRuleId: `sgr-${hex(v)}${hex(g, 2)}ff`, GroupId: id, IsEgress: true, IpProtocol: '-1', FromPort: -1, ToPort: -1, CidrIpv4: '0.0.0.0/0' });
      d.securityGroups.push({ id, vpcId, name: `g${g}`, rules });
    }
    for (let s = 0; s < SUBNETS_PER_VPC; s++) {
      const subnetId = `subnet-${hex(v * SUBNETS_PER_VPC + s)}`;
      subnetIds.push(subnetId);
      d.subnets.push({ id: subnetId, vpcId, cidr: `10.${v}.${s}.0/24`, az: 'us-east-1a' });
      for (let n = 0; n < ENIS_PER_SUBNET; n++) {
        const id = `eni-${hex((v * SUBNETS_PER_VPC + s) * ENIS_PER_SUBNET + n)}`;
        const isNat = s === 0 && n === 0;
        d.enis.push({
          id, vpcId, subnetId, type: isNat ? 'nat_gateway' : 'interface', description: '', privateIps: [`10.${v}.${s}.${10 + n}`],
          publicIps: isNat ? [{ publicIp: `54.${v}.0.1`, privateIp: `10.${v}.${s}.${10 + n}`, elastic: true }] : [],
          groupIds: isNat ? [] : [`sg-${hex(v * GROUPS_PER_VPC + (n % GROUPS_PER_VPC))}`], sourceDestCheck: true, client: isNat ? 'natGateway' : 'linux', account: '000000000000', region: 'us-east-1',
        });
      }
    }
    d.nats.push({ id: `nat-${hex(v)}`, vpcId, subnetId: subnetIds[0], state: 'available', connectivity: 'public', eniId: `eni-${hex(v * SUBNETS_PER_VPC * ENIS_PER_SUBNET)}` });
    d.acls.push({ id: `acl-${hex(v)}`, vpcId, isDefault: true, subnetIds, entries });
    const local: RRoute = { DestinationCidrBlock: cidr, GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' };
    const peers: RRoute[] = v === 0
      ? d.peerings.map((p) => ({ DestinationCidrBlock: p.accepter.cidrs[0], VpcPeeringConnectionId: p.id, Origin: 'CreateRoute', State: 'active' }))
      : [{ DestinationCidrBlock: '10.0.0.0/16', VpcPeeringConnectionId: `pcx-${hex(v)}`, Origin: 'CreateRoute', State: 'active' }];
    d.routeTables.push({ id: `rtb-${hex(v)}p`, vpcId, main: false, subnetIds: [subnetIds[0]], routes: [local, ...peers, { DestinationCidrBlock: '0.0.0.0/0', GatewayId: `igw-${hex(v)}`, Origin: 'CreateRoute', State: 'active' }] });
    d.routeTables.push({ id: `rtb-${hex(v)}m`, vpcId, main: true, subnetIds: subnetIds.slice(1), routes: [local, ...peers, { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: `nat-${hex(v)}`, Origin: 'CreateRoute', State: 'active' }] });
  }
  return d;
}

function stats(ms: number[]): { median: number; p99: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))], max: s[s.length - 1] };
}
const f = (n: number) => `${n.toFixed(3)} ms`;

const data = syntheticEstate();
console.log(`estate: ${data.vpcs.length} VPCs, ${data.peerings.length} peerings, ${data.subnets.length} subnets, ${data.enis.length} interfaces, ${data.securityGroups.length} security groups x ${RULES_PER_GROUP} rules, ${data.routeTables.length} route tables`);

const rebuilds: number[] = [];
let snap = buildNetworkModel(data);
for (let i = 0; i < Number(values.rebuilds); i++) {
  const t = performance.now();
  snap = buildNetworkModel(data);
  rebuilds.push(performance.now() - t);
}
const rb = stats(rebuilds);
console.log(`snapshot rebuild: median ${f(rb.median)}, max ${f(rb.max)} over ${rebuilds.length} (target < 1000 ms)`);

const rand = rng(42);
const enis = data.enis.filter((e) => e.type === 'interface');
const pick = () => enis[Math.floor(rand() * enis.length)];
const kinds = { 'same VPC': [] as number[], 'across a peering': [] as number[], 'to the internet via NAT': [] as number[], 'blocked (disconnected spokes)': [] as number[] };
const count = Number(values.analyses);
let found = 0;
for (let i = 0; i < count; i++) {
  const src = pick();
  const mode = i % 4;
  let q: Query;
  let kind: keyof typeof kinds;
  if (mode === 0) {
    const dst = enis.find((e, j) => j > Math.floor(rand() * enis.length) && e.vpcId === src.vpcId) ?? src;
    q = { source: { kind: 'eni', id: src.id }, destination: { kind: 'eni', id: dst.id }, protocol: 'tcp', port: 8000 + (i % 19) };
    kind = 'same VPC';
  } else if (mode === 1) {
    const hub = enis[Math.floor(rand() * SUBNETS_PER_VPC * ENIS_PER_SUBNET * 0.9)];
    const spoke = src.vpcId === hub.vpcId ? enis[enis.length - 1] : src;
    q = { source: { kind: 'eni', id: hub.id }, destination: { kind: 'eni', id: spoke.id }, protocol: 'tcp', port: 8001 };
    kind = 'across a peering';
  } else if (mode === 2) {
    q = { source: { kind: 'eni', id: src.id }, destination: { kind: 'internet' }, protocol: 'tcp', port: 443 };
    kind = 'to the internet via NAT';
  } else {
    const other = pick();
    q = { source: { kind: 'eni', id: src.id }, destination: { kind: 'eni', id: other.id }, protocol: 'tcp', port: 8003 };
    kind = 'blocked (disconnected spokes)';
  }
  const t = performance.now();
  const a = analyze(snap, q);
  kinds[kind].push(performance.now() - t);
  if (a.pathFound) found++;
}
const all = Object.values(kinds).flat();
const s = stats(all);
console.log(`analyses: ${all.length} (${found} reachable); median ${f(s.median)}, p99 ${f(s.p99)}, max ${f(s.max)} (target < 10 ms)`);
for (const [k, v] of Object.entries(kinds)) if (v.length) { const x = stats(v); console.log(`  ${k.padEnd(30)} median ${f(x.median)}, p99 ${f(x.p99)}`); }
const awsSeconds = 30;
console.log(`AWS Reachability Analyzer: tens of seconds per analysis (~${awsSeconds} s typical); localnet's p99 is ~${Math.round((awsSeconds * 1000) / s.p99).toLocaleString('en-US')}x faster, its median ~${Math.round((awsSeconds * 1000) / s.median).toLocaleString('en-US')}x`);
