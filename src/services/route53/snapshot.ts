// The DNS server's view of the world, built from the store: Route 53's zones
// (names decoded: \052 becomes *), EC2's VPCs and the hosts behind their
// network interfaces, and the delegation of each public domain (see
// delegation.ts), and ELBv2's load balancers (their DNS names and the
// loopback addresses their listeners bind).
import type { DnsHost, DnsRecordSet, DnsSnapshot, DnsVpc, DnsZone } from '../../dns/types.ts';
import type { Store } from '../../store/store.ts';
import type { NetworkInterface, Vpc } from '../ec2/types.ts';
import type { Domain } from '../route53domains/domains.ts';
import { loadBalancersIn } from '../elbv2/state.ts';
import { resolveDelegations } from './delegation.ts';
import { KIND, type HostedZone, type RecordSet } from './types.ts';

const DOMAIN_KIND = 'route53domains:domain';

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

function hostsOf(enis: NetworkInterface[]): DnsHost[] {
  const hosts: DnsHost[] = [];
  for (const eni of enis) {
    const addresses = eni.PrivateIpAddresses?.length ? eni.PrivateIpAddresses : [{ Primary: true, PrivateIpAddress: eni.PrivateIpAddress, PrivateDnsName: eni.PrivateDnsName, Association: eni.Association }];
    for (const a of addresses) {
      const privateDnsName = a.PrivateDnsName ?? (a.Primary ? eni.PrivateDnsName : undefined);
      if (!a.PrivateIpAddress || !privateDnsName) continue;
      const association = a.Association ?? (a.Primary ? eni.Association : undefined);
      hosts.push({ privateIp: a.PrivateIpAddress, privateDnsName, publicIp: association?.PublicIp, publicDnsName: association?.PublicDnsName });
    }
  }
  return hosts;
}

export function buildDnsSnapshot(store: Store): DnsSnapshot {
  const stored = store.listAll<HostedZone>(KIND.zone);
  const zones: DnsZone[] = stored.map(({ value: z }) => ({
    id: z.Id,
    name: z.Name,
    private: z.PrivateZone,
    vpcs: z.VPCs.map((v) => ({ vpcId: v.VPCId, region: v.VPCRegion })),
    records: z.RecordSets.map(recordSet),
  }));

  const enis = store.listAll<NetworkInterface>('ec2:network-interface');
  const vpcs: DnsVpc[] = store.listAll<Vpc>('ec2:vpc').map(({ scope, value: v }) => ({
    vpcId: v.VpcId,
    account: scope.account,
    region: scope.region,
    cidrBlocks: (v.CidrBlockAssociationSet ?? []).filter((c) => c.CidrBlockState?.State !== 'disassociated').map((c) => c.CidrBlock),
    enableDnsSupport: v._attributes?.EnableDnsSupport ?? true,
    enableDnsHostnames: v._attributes?.EnableDnsHostnames ?? false,
    hosts: hostsOf(enis.filter((e) => e.scope.account === scope.account && e.scope.region === scope.region && e.value.VpcId === v.VpcId).map((e) => e.value)),
  }));

  const delegations = resolveDelegations(
    stored.filter(({ value: z }) => !z.PrivateZone).map(({ value: z }) => ({ id: z.Id, name: z.Name, nameServers: z.NameServers })),
    store.listAll<Domain>(DOMAIN_KIND).map(({ value: d }) => ({ name: d.DomainName, nameServers: d.Nameservers?.map((n) => n.Name), delegatedZoneId: d.DelegatedZoneId })),
  );

  const loadBalancers = loadBalancersIn(store).map(({ value: lb }) => ({ dnsName: lb.DNSName, address: lb._address, internal: lb.Scheme === 'internal', vpcId: lb.VpcId }));

  return { zones, vpcs, delegations, loadBalancers };
}
