// The DNS server's view of the world: Route 53's zones (names decoded: \052
// becomes *) and Route 53 Domains' delegations from the records, and the
// network (VPCs, the hosts behind their interfaces, load balancers) from the
// one network model that `localnet why` and the load balancer also read.
import { resolveDelegations } from '../records/delegation.ts';
import { KIND } from '../records/kinds.ts';
import { everywhere } from '../records/read.ts';
import type { RecordSet } from '../records/route53.ts';
import type { NetworkModel } from '../net/model/model.ts';
import type { Store } from '../store/store.ts';
import type { DnsHost, DnsRecordSet, DnsSnapshot, DnsVpc, DnsZone } from './types.ts';

function recordSet(r: RecordSet): DnsRecordSet {
  return {
    name: r.Name,
    type: r.Type,
    ttl: r.TTL ?? 0,
    values: (r.ResourceRecords ?? []).map((v) => v.Value),
    alias: r.AliasTarget ? { dnsName: r.AliasTarget.DNSName, hostedZoneId: r.AliasTarget.HostedZoneId, evaluateTargetHealth: r.AliasTarget.EvaluateTargetHealth } : undefined,
    setIdentifier: r.SetIdentifier,
    weight: r.Weight,
    multiValueAnswer: r.MultiValueAnswer,
  };
}

export function buildDnsSnapshot(store: Store, model: NetworkModel): DnsSnapshot {
  const stored = everywhere(store, KIND.hostedZone);
  const zones: DnsZone[] = stored.map(({ value: z }) => ({
    id: z.Id,
    name: z.Name,
    private: z.PrivateZone,
    vpcs: z.VPCs.map((v) => ({ vpcId: v.VPCId, region: v.VPCRegion })),
    records: z.RecordSets.map(recordSet),
  }));

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
    stored.filter(({ value: z }) => !z.PrivateZone).map(({ value: z }) => ({ id: z.Id, name: z.Name, nameServers: z.NameServers })),
    everywhere(store, KIND.domain).map(({ value: d }) => ({ name: d.DomainName, nameServers: d.Nameservers?.map((n) => n.Name), delegatedZoneId: d.DelegatedZoneId })),
  );

  const loadBalancers = model.data.loadBalancers.map((lb) => ({ dnsName: lb.dnsName ?? '', address: lb.address ?? '', internal: lb.scheme === 'internal', vpcId: lb.vpcId }));

  return { zones, vpcs, delegations, loadBalancers };
}
