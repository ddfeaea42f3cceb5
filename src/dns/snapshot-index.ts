// Everything the views answer from, indexed once per state change: zones by
// id, which public zone the world is delegated to per domain, the private
// zones of each VPC (most specific first), each VPC's own host names, and
// load balancers by DNS name. Queries never touch the raw snapshot.
import { loadBalancerKey, ZoneIndex } from './zone-index.ts';
import { labelCount, normalizeName } from './names.ts';
import type { DnsEndpoint, DnsHost, DnsLoadBalancer, DnsSnapshot, DnsVpc } from './types.ts';

export interface VpcIndex {
  vpc: DnsVpc;
  /** The Route 53 Resolver address inside the VPC: primary CIDR base + 2. */
  resolverIp?: string;
  /** Private and public DNS names of the VPC's hosts (lower-case) -> host. */
  hostsByName: Map<string, DnsHost>;
  /** w.z.y.x.in-addr.arpa -> host, for reverse lookups of private IPs. */
  hostsByPtr: Map<string, DnsHost>;
  /** The domain the VPC's private names live under (ec2.internal or <region>.compute.internal): the resolver is authoritative for it. */
  internalDomain: string;
  /** Associated private zones, most specific (most labels) first. */
  privateZones: ZoneIndex[];
}

export interface SnapshotIndex {
  snapshot: DnsSnapshot;
  zones: Map<string, ZoneIndex>;
  /** Domain -> the public zone the world is delegated to (only valid delegations). */
  delegated: Map<string, ZoneIndex>;
  /** Apex -> every public zone with that name (two may exist; only the delegated one answers). */
  publicByApex: Map<string, ZoneIndex[]>;
  vpcs: Map<string, VpcIndex>;
  loadBalancers: Map<string, DnsLoadBalancer>;
  /** Public DNS names of hosts (VPCs with both DNS attributes on) -> host, as the world resolves them. */
  publicHostNames: Map<string, DnsHost>;
  /** Interface endpoints' regional and zonal names (lower-case) -> the endpoint and the addresses the name answers. */
  endpointNames: Map<string, { endpoint: DnsEndpoint; addresses: string[]; az?: string }>;
  /** Snapshot entries that cannot be served, one line each. */
  problems: string[];
}

/** us-east-1 names its hosts ip-….ec2.internal, every other region ip-….<region>.compute.internal. */
export function internalDomainFor(region: string): string {
  return region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`;
}

/** Primary CIDR base + 2 (10.0.0.0/16 -> 10.0.0.2), where the Amazon-provided DNS server listens. */
export function resolverIpFor(cidr: string | undefined): string | undefined {
  const m = cidr ? /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/\d+$/.exec(cidr) : null;
  if (!m) return undefined;
  const n = ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4]) + 2;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function ptrName(ipv4: string): string | undefined {
  const p = ipv4.split('.');
  return p.length === 4 ? `${p.reverse().join('.')}.in-addr.arpa` : undefined;
}

/**
 * previous: the index of the last snapshot. A ZoneIndex depends on its zone
 * alone, so a zone that is the very same object as then (StoredZones keeps
 * unchanged zones so) keeps its ZoneIndex: a change to one zone indexes that
 * zone only.
 */
export function buildSnapshotIndex(snapshot: DnsSnapshot, previous?: SnapshotIndex): SnapshotIndex {
  const problems: string[] = [];
  const zones = new Map<string, ZoneIndex>();
  const publicByApex = new Map<string, ZoneIndex[]>();
  for (const z of snapshot.zones) {
    const before = previous?.zones.get(z.id);
    const zi = before?.zone === z ? before : new ZoneIndex(z);
    zones.set(z.id, zi);
    problems.push(...zi.problems.map((p) => `zone ${z.id}: ${p}`));
    if (!z.private) {
      const list = publicByApex.get(zi.apex);
      if (list) list.push(zi); else publicByApex.set(zi.apex, [zi]);
    }
  }

  const delegated = new Map<string, ZoneIndex>();
  for (const [domain, zoneId] of snapshot.delegations) {
    const d = normalizeName(domain);
    const zi = zones.get(zoneId.replace(/^\/hostedzone\//, ''));
    if (!zi) { problems.push(`delegation of ${d} points to unknown zone ${zoneId}`); continue; }
    if (zi.private) { problems.push(`delegation of ${d} points to private zone ${zoneId}; the internet cannot reach it`); continue; }
    if (zi.apex !== d) { problems.push(`delegation of ${d} points to zone ${zoneId} named ${zi.apex}`); continue; }
    delegated.set(d, zi);
  }

  const vpcs = new Map<string, VpcIndex>();
  const publicHostNames = new Map<string, DnsHost>();
  for (const vpc of snapshot.vpcs) {
    const hostsByName = new Map<string, DnsHost>();
    const hostsByPtr = new Map<string, DnsHost>();
    for (const h of vpc.hosts) {
      hostsByName.set(normalizeName(h.privateDnsName), h);
      if (h.publicDnsName) {
        hostsByName.set(normalizeName(h.publicDnsName), h);
        if (h.publicIp && vpc.enableDnsHostnames && vpc.enableDnsSupport) publicHostNames.set(normalizeName(h.publicDnsName), h);
      }
      const ptr = ptrName(h.privateIp);
      if (ptr) hostsByPtr.set(ptr, h);
    }
    vpcs.set(vpc.vpcId, { vpc, resolverIp: resolverIpFor(vpc.cidrBlocks[0]), hostsByName, hostsByPtr, internalDomain: internalDomainFor(vpc.region), privateZones: [] });
  }
  for (const zi of zones.values()) {
    if (!zi.private) continue;
    for (const { vpcId } of zi.zone.vpcs) vpcs.get(vpcId)?.privateZones.push(zi);
  }
  // Most specific first; on the same name AWS's managed zone of an endpoint's private DNS name comes first (see private-zones.ts).
  const managed = (z: ZoneIndex) => (z.zone.managedBy ? 0 : 1);
  for (const v of vpcs.values()) v.privateZones.sort((a, b) => labelCount(b.apex) - labelCount(a.apex) || managed(a) - managed(b) || a.id.localeCompare(b.id));

  const loadBalancers = new Map<string, DnsLoadBalancer>();
  for (const lb of snapshot.loadBalancers) loadBalancers.set(loadBalancerKey(lb.dnsName), lb);

  const endpointNames = new Map<string, { endpoint: DnsEndpoint; addresses: string[]; az?: string }>();
  for (const endpoint of snapshot.endpoints ?? []) {
    for (const n of endpoint.names) endpointNames.set(normalizeName(n.name), { endpoint, addresses: n.addresses, az: n.az });
  }

  return { snapshot, zones, delegated, publicByApex, vpcs, loadBalancers, publicHostNames, endpointNames, problems };
}
