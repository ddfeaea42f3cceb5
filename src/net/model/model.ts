// The network model: one indexed snapshot of every VPC, subnet, route table,
// ACL, security group, interface, gateway, peering, load balancer and target
// group, which every reader of the network shares: the reachability engine
// (`localnet why`, Network Insights), the load balancer data plane's network
// verdicts and the DNS views. Everything is looked up by id, route tables are
// compiled for longest-prefix match, ACL entries sorted once, security group
// rules split per group and direction, interfaces indexed by (VPC, private
// IP) and by public IP. Built once per state change (see cache.ts), so no
// question scans the estate.
import { cidrContains } from '../security-groups.ts';
import type { AclEntryView } from '../network-acls.ts';
import type { SgRuleView } from '../security-groups.ts';
import { RouteIndex } from './route-index.ts';
import type { NetworkData, RAcl, REni, RIgw, RInstance, RLoadBalancer, RNat, RPeering, RRoute, RRouteTable, RSecurityGroup, RSubnet, RTarget, RTargetGroup, RVpc, RVpcEndpoint, RVpcEndpointService } from './types.ts';

export interface IndexedTable {
  table: RRouteTable;
  index: RouteIndex<RRoute>;
}

export interface IndexedGroup {
  group: RSecurityGroup;
  ingress: SgRuleView[];
  egress: SgRuleView[];
}

export type ModelEni = REni & { account: string; region: string };

export interface NetworkModel {
  data: NetworkData;
  builtAt: number;
  vpcs: Map<string, RVpc>;
  subnets: Map<string, RSubnet>;
  routeTables: Map<string, IndexedTable>;
  /** Explicit associations; a subnet without one uses its VPC's main table. */
  tableBySubnet: Map<string, IndexedTable>;
  mainTable: Map<string, IndexedTable>;
  acls: Map<string, RAcl & { sorted: AclEntryView[] }>;
  aclBySubnet: Map<string, RAcl & { sorted: AclEntryView[] }>;
  defaultAcl: Map<string, RAcl & { sorted: AclEntryView[] }>;
  groups: Map<string, IndexedGroup>;
  enis: Map<string, ModelEni>;
  /** `${vpcId} ${privateIp}` -> interface. */
  eniByVpcIp: Map<string, ModelEni>;
  /** Public or Elastic IP -> the interface and private address it maps to. */
  eniByPublicIp: Map<string, { eni: ModelEni; privateIp: string }>;
  /** Private IP -> interfaces holding it (the same address may exist in many VPCs). */
  enisByIp: Map<string, ModelEni[]>;
  instances: Map<string, RInstance>;
  igws: Map<string, RIgw>;
  igwByVpc: Map<string, RIgw>;
  nats: Map<string, RNat>;
  natByEni: Map<string, RNat>;
  peerings: Map<string, RPeering>;
  /** vpcId -> the live peerings it takes part in. */
  peeringsByVpc: Map<string, RPeering[]>;
  loadBalancers: Map<string, RLoadBalancer>;
  loadBalancerByEni: Map<string, RLoadBalancer>;
  targetGroups: Map<string, RTargetGroup>;
  /** Target id (instance id or IP address) -> every registration of it. */
  registrations: Map<string, { group: RTargetGroup; target: RTarget }[]>;
  /** VPC endpoints by id (vpce-…). */
  vpcEndpoints: Map<string, RVpcEndpoint>;
  /** An interface endpoint's interface id -> the endpoint. */
  vpcEndpointByEni: Map<string, RVpcEndpoint>;
  /** Endpoint services by id (vpce-svc-…; ids are unique across accounts and regions). */
  endpointServices: Map<string, RVpcEndpointService>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v); else m.set(k, [v]);
}

export function buildNetworkModel(data: NetworkData): NetworkModel {
  const vpcs = new Map(data.vpcs.map((v) => [v.id, v]));
  const subnets = new Map(data.subnets.map((s) => [s.id, s]));

  const routeTables = new Map<string, IndexedTable>();
  const tableBySubnet = new Map<string, IndexedTable>();
  const mainTable = new Map<string, IndexedTable>();
  for (const t of data.routeTables) {
    const it = { table: t, index: new RouteIndex(t.routes, data.prefixLists) };
    routeTables.set(t.id, it);
    for (const s of t.subnetIds) tableBySubnet.set(s, it);
    if (t.main) mainTable.set(t.vpcId, it);
  }

  const acls = new Map<string, RAcl & { sorted: AclEntryView[] }>();
  const aclBySubnet = new Map<string, RAcl & { sorted: AclEntryView[] }>();
  const defaultAcl = new Map<string, RAcl & { sorted: AclEntryView[] }>();
  for (const a of data.acls) {
    const ia = { ...a, sorted: [...a.entries].sort((x, y) => (x.RuleNumber ?? 0) - (y.RuleNumber ?? 0)) };
    acls.set(a.id, ia);
    for (const s of a.subnetIds) aclBySubnet.set(s, ia);
    if (a.isDefault) defaultAcl.set(a.vpcId, ia);
  }

  const groups = new Map<string, IndexedGroup>();
  for (const g of data.securityGroups) {
    groups.set(g.id, { group: g, ingress: g.rules.filter((r) => !r.IsEgress), egress: g.rules.filter((r) => r.IsEgress) });
  }

  const enis = new Map<string, ModelEni>();
  const eniByVpcIp = new Map<string, ModelEni>();
  const eniByPublicIp = new Map<string, { eni: ModelEni; privateIp: string }>();
  const enisByIp = new Map<string, ModelEni[]>();
  for (const e of data.enis) {
    enis.set(e.id, e);
    for (const ip of e.privateIps) {
      eniByVpcIp.set(`${e.vpcId} ${ip}`, e);
      push(enisByIp, ip, e);
    }
    for (const p of e.publicIps) eniByPublicIp.set(p.publicIp, { eni: e, privateIp: p.privateIp });
  }

  const igws = new Map(data.igws.map((g) => [g.id, g]));
  const igwByVpc = new Map<string, RIgw>();
  for (const g of data.igws) if (g.vpcId) igwByVpc.set(g.vpcId, g);
  const nats = new Map(data.nats.map((n) => [n.id, n]));
  const natByEni = new Map<string, RNat>();
  for (const n of data.nats) if (n.eniId) natByEni.set(n.eniId, n);
  const peerings = new Map(data.peerings.map((p) => [p.id, p]));
  const peeringsByVpc = new Map<string, RPeering[]>();
  for (const p of data.peerings) {
    push(peeringsByVpc, p.requester.vpcId, p);
    push(peeringsByVpc, p.accepter.vpcId, p);
  }
  const loadBalancers = new Map<string, RLoadBalancer>();
  const loadBalancerByEni = new Map<string, RLoadBalancer>();
  for (const lb of data.loadBalancers) {
    loadBalancers.set(lb.arn, lb);
    for (const e of lb.eniIds) loadBalancerByEni.set(e, lb);
  }

  const targetGroups = new Map(data.targetGroups.map((g) => [g.arn, g]));
  const registrations = new Map<string, { group: RTargetGroup; target: RTarget }[]>();
  for (const group of data.targetGroups) for (const target of group.targets) push(registrations, target.id, { group, target });

  const vpcEndpoints = new Map((data.vpcEndpoints ?? []).map((e) => [e.id, e]));
  const vpcEndpointByEni = new Map<string, RVpcEndpoint>();
  for (const e of vpcEndpoints.values()) for (const i of e.interfaces) vpcEndpointByEni.set(i.eniId, e);
  const endpointServices = new Map((data.endpointServices ?? []).map((s) => [s.id, s]));

  return {
    targetGroups, registrations, vpcEndpoints, vpcEndpointByEni, endpointServices,
    data, builtAt: Date.now(), vpcs, subnets, routeTables, tableBySubnet, mainTable, acls, aclBySubnet, defaultAcl, groups,
    enis, eniByVpcIp, eniByPublicIp, enisByIp, instances: new Map(data.instances.map((i) => [i.id, i])),
    igws, igwByVpc, nats, natByEni, peerings, peeringsByVpc, loadBalancers, loadBalancerByEni,
  };
}

/** The table that governs a subnet: its explicit association, else the VPC's main table. */
export function tableOf(snap: NetworkModel, subnet: RSubnet): IndexedTable | undefined {
  return snap.tableBySubnet.get(subnet.id) ?? snap.mainTable.get(subnet.vpcId);
}

/** The network ACL of a subnet: its association, else the VPC's default ACL. */
export function aclOf(snap: NetworkModel, subnet: RSubnet): (RAcl & { sorted: AclEntryView[] }) | undefined {
  return snap.aclBySubnet.get(subnet.id) ?? snap.defaultAcl.get(subnet.vpcId);
}

/** The rules of every group on an interface for one direction, group by group. */
export function rulesOf(snap: NetworkModel, groupIds: readonly string[], direction: 'ingress' | 'egress'): SgRuleView[] {
  const out: SgRuleView[] = [];
  for (const id of groupIds) {
    const g = snap.groups.get(id);
    if (g) out.push(...g[direction]);
  }
  return out;
}

export function vpcContains(vpc: RVpc | undefined, ip: string): boolean {
  return !!vpc && vpc.cidrs.some((c) => cidrContains(c, ip));
}

/** The active peering between two VPCs, if any (at most one per pair). */
export function peeringBetween(snap: NetworkModel, a: string, b: string): RPeering | undefined {
  return (snap.peeringsByVpc.get(a) ?? []).find((p) => p.state === 'active' && ((p.requester.vpcId === a && p.accepter.vpcId === b) || (p.requester.vpcId === b && p.accepter.vpcId === a)));
}
