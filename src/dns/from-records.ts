// The DNS server's view of the world: Route 53's zones (names decoded: \052
// becomes *) and Route 53 Domains' delegations from the records, and the
// network (VPCs, the hosts behind their interfaces, load balancers) from the
// one network model that `localnet why` and the load balancer also read.
import { resolveDelegations } from '../records/delegation.ts';
import { KIND } from '../records/kinds.ts';
import { everywhere } from '../records/read.ts';
import type { NetworkModel } from '../net/model/model.ts';
import type { Store } from '../store/store.ts';
import { endpointExists, privateDnsStatus } from '../net/model/endpoints.ts';
import { StoredZones } from './stored-zones.ts';
import type { DnsEndpoint, DnsHost, DnsSnapshot, DnsVpc, DnsZone } from './types.ts';

/**
 * storedZones: the zones read last time, kept by store revision (pass the
 * same StoredZones on every rebuild so that unchanged zones are not read
 * again); by default every zone is read.
 */
export function buildDnsSnapshot(store: Store, model: NetworkModel, storedZones = new StoredZones()): DnsSnapshot {
  const stored = storedZones.read(store);
  const zones: DnsZone[] = stored.map((s) => s.zone);

  const hostsOf = new Map<string, DnsHost[]>();
  for (const e of model.data.enis) {
    if (!e.names?.length) continue;
    const key = `${e.account} ${e.region} ${e.vpcId}`;
    const list = hostsOf.get(key) ?? [];
    for (const n of e.names) list.push({ privateIp: n.privateIp, privateDnsName: n.privateDnsName, publicIp: n.publicIp, publicDnsName: n.publicDnsName });
    hostsOf.set(key, list);
  }
  const vpcs: DnsVpc[] = model.data.vpcs.map((v) => ({
    vpcId: v.id,
    account: v.account,
    region: v.region,
    cidrBlocks: v.cidrs,
    enableDnsSupport: v.dnsSupport,
    enableDnsHostnames: v.dnsHostnames,
    hosts: hostsOf.get(`${v.account} ${v.region} ${v.id}`) ?? [],
  }));

  const delegations = resolveDelegations(
    stored.filter(({ zone }) => !zone.private).map(({ zone, nameServers }) => ({ id: zone.id, name: zone.name, nameServers })),
    everywhere(store, KIND.domain).map(({ value: d }) => ({ name: d.DomainName, nameServers: d.Nameservers?.map((n) => n.Name), delegatedZoneId: d.DelegatedZoneId })),
  );

  const loadBalancers = model.data.loadBalancers.map((lb) => ({ dnsName: lb.dnsName ?? '', address: lb.address ?? '', internal: lb.scheme === 'internal', vpcId: lb.vpcId }));

  const endpoints = endpointsOf(model);
  zones.push(...endpoints.flatMap((e) => managedZone(e) ?? []));
  return { zones, vpcs, delegations, loadBalancers, endpoints };
}

/** AWS answers endpoint names (and the private DNS name) with a 60 s TTL. */
export const ENDPOINT_TTL = 60;

/**
 * Interface endpoints with their names: the regional name answers every
 * interface's loopback address, a zonal name (vpce-…-us-east-1a.vpce-svc-…)
 * the interface in its AZ. Names exist from creation until deletion (before
 * acceptance too, as on AWS; the data plane then holds connections).
 */
function endpointsOf(model: NetworkModel): DnsEndpoint[] {
  const out: DnsEndpoint[] = [];
  for (const ep of model.vpcEndpoints.values()) {
    if (ep.type !== 'Interface' || !endpointExists(ep)) continue;
    const withAddress = ep.interfaces.filter((i) => i.address);
    const names: DnsEndpoint['names'] = [];
    ep.dnsNames.filter((n) => n.endsWith('.vpce.amazonaws.com')).forEach((name, i) => {
      const az = withAddress.find((x) => name.split('.')[0].endsWith(`-${x.az}`))?.az;
      // The first entry is the regional name; a later one without a known AZ suffix is regional too.
      const addresses = i === 0 || !az ? withAddress.map((x) => x.address!) : withAddress.filter((x) => x.az === az).map((x) => x.address!);
      names.push({ name, addresses, ...(i > 0 && az ? { az } : {}) });
    });
    const pdns = privateDnsStatus(model, ep);
    out.push({
      id: ep.id, vpcId: ep.vpcId, region: ep.region, serviceId: ep.service?.serviceId, names,
      ...(pdns.kind === 'none' ? {} : { privateDns: { name: pdns.name, served: pdns.kind === 'served', ...(pdns.kind === 'not-served' ? { reason: pdns.reason } : {}) } }),
    });
  }
  return out;
}

/**
 * The private zone AWS creates for an endpoint's private DNS name, associated
 * with the endpoint's VPC only: apex the name (the parent for a wildcard
 * `*.example.com`), one A record set with every interface's address.
 */
function managedZone(e: DnsEndpoint): DnsZone | undefined {
  if (!e.privateDns?.served) return undefined;
  const name = e.privateDns.name;
  const apex = name.startsWith('*.') ? name.slice(2) : name;
  const addresses = e.names[0]?.addresses ?? [];
  return {
    id: `managed-${e.id}`,
    name: apex,
    private: true,
    vpcs: [{ vpcId: e.vpcId, region: e.region }],
    records: [
      { name: apex, type: 'SOA', ttl: 900, values: ['ns-0.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400'] },
      ...(addresses.length ? [{ name, type: 'A', ttl: ENDPOINT_TTL, values: addresses }] : []),
    ],
    managedBy: { endpointId: e.id, serviceId: e.serviceId ?? '' },
  };
}
