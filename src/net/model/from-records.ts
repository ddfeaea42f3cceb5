// The network model's input read from the records: every account and region
// at once, because a path may cross a peering into another account or region
// (ids are globally unique; anything an address names is looked up per VPC,
// so overlapping private ranges in different accounts never mix). The only
// module of src/net that reads the store, and only through src/records/.
import { interfaceAddresses, interfaceOwner, loadBalancerInterfaces } from '../../records/interfaces.ts';
import { KIND } from '../../records/kinds.ts';
import { currentPeerings } from '../../records/peering.ts';
import { everywhere } from '../../records/read.ts';
import { activeCidrBlocks, dnsAttributes } from '../../records/vpcs.ts';
import { targetGroupsOfActions } from '../../records/actions.ts';
import type { Rule } from '../../records/elbv2.ts';
import type { NetworkInterface, SecurityGroupRule } from '../../records/ec2.ts';
import type { Store } from '../../store/store.ts';
import { managedPrefixList } from '../../records/prefix-lists.ts';
import type { ClientKind, NetworkData, REni, RListener, RLoadBalancer, RTargetGroup, RVpcEndpoint, RVpcEndpointService } from './types.ts';

function clientOf(e: NetworkInterface, windows: boolean): ClientKind {
  const owner = interfaceOwner(e);
  if (owner.kind === 'nat-gateway') return 'natGateway';
  if (owner.kind === 'load-balancer') return 'elb';
  return windows ? 'windows' : 'linux';
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v); else m.set(k, [v]);
}

function listenersOf(store: Store): Map<string, RListener[]> {
  const rulesByListener = new Map<string, Rule[]>();
  for (const { value: r } of everywhere(store, KIND.rule)) if (!r.IsDefault) push(rulesByListener, r._listenerArn, r);
  const byLb = new Map<string, RListener[]>();
  for (const { value: l } of everywhere(store, KIND.listener)) {
    const rules = (rulesByListener.get(l.ListenerArn) ?? []).sort((a, b) => Number(a.Priority) - Number(b.Priority));
    // Rules in priority order, then the default action: every group some traffic may reach, each once.
    const groups = targetGroupsOfActions([...rules.flatMap((r) => r.Actions ?? []), ...(l.DefaultActions ?? [])]);
    push(byLb, l.LoadBalancerArn, { arn: l.ListenerArn, port: l.Port, protocol: l.Protocol, targetGroupArns: groups });
  }
  for (const list of byLb.values()) list.sort((a, b) => a.port - b.port);
  return byLb;
}

function targetGroupsOf(store: Store): RTargetGroup[] {
  const targets = new Map<string, RTargetGroup['targets']>();
  for (const { value: t } of everywhere(store, KIND.target)) push(targets, t.TargetGroupArn, { id: t.Id, port: t.Port, draining: t._deregisteredAt !== undefined });
  return everywhere(store, KIND.targetGroup).map(({ value: g }) => ({
    arn: g.TargetGroupArn,
    name: g.TargetGroupName,
    vpcId: g.VpcId ?? '',
    targetType: g.TargetType,
    protocol: g.Protocol,
    targets: targets.get(g.TargetGroupArn) ?? [],
    crossZone: g._attributes?.['load_balancing.cross_zone.enabled'] !== 'false',
    preserveClientIp: g._attributes?.['preserve_client_ip.enabled'] === 'true',
  }));
}

export function networkDataFromRecords(store: Store): NetworkData {
  const instances = everywhere(store, KIND.instance);
  const windows = new Set(instances.filter(({ value: i }) => /windows/i.test(i.PlatformDetails ?? '')).map(({ value: i }) => i.InstanceId));
  const stored = everywhere(store, KIND.networkInterface);
  const enisOfInstance = new Map<string, NetworkInterface[]>();
  for (const { value: e } of stored) {
    const owner = interfaceOwner(e);
    if (owner.kind === 'instance') push(enisOfInstance, owner.instanceId, e);
  }
  const enis = stored.map(({ scope, value: e }) => {
    const addrs = interfaceAddresses(e);
    const instanceId = e.Attachment?.InstanceId;
    const eni: REni & { account: string; region: string } = {
      id: e.NetworkInterfaceId,
      vpcId: e.VpcId,
      subnetId: e.SubnetId,
      type: e.InterfaceType,
      description: e.Description ?? '',
      privateIps: addrs.map((a) => a.privateIp),
      publicIps: addrs.flatMap((a) => (a.association?.PublicIp ? [{ publicIp: a.association.PublicIp, privateIp: a.privateIp, elastic: a.association.AllocationId !== undefined }] : [])),
      groupIds: (e.Groups ?? []).map((g) => g.GroupId),
      sourceDestCheck: e.SourceDestCheck !== false,
      instanceId,
      client: clientOf(e, instanceId !== undefined && windows.has(instanceId)),
      names: addrs.flatMap((a) => (a.privateIp && a.privateDnsName ? [{ privateIp: a.privateIp, privateDnsName: a.privateDnsName, publicIp: a.association?.PublicIp, publicDnsName: a.association?.PublicDnsName }] : [])),
      account: scope.account,
      region: scope.region,
    };
    return eni;
  });

  const rules = new Map<string, SecurityGroupRule[]>();
  for (const { value: r } of everywhere(store, KIND.securityGroupRule)) push(rules, r.GroupId, r);

  const subnets = everywhere(store, KIND.subnet).map(({ value: s }) => ({ id: s.SubnetId, vpcId: s.VpcId, cidr: s.CidrBlock, az: s.AvailabilityZone }));
  const azOf = new Map(subnets.map((s) => [s.id, s.az]));
  const listeners = listenersOf(store);
  const storedEnis = stored.map(({ value }) => value);
  const loadBalancers: RLoadBalancer[] = everywhere(store, KIND.loadBalancer).map(({ scope, value: lb }) => {
    const subnetIds = (lb.AvailabilityZones ?? []).flatMap((z) => (z.SubnetId ? [z.SubnetId] : []));
    const own = listeners.get(lb.LoadBalancerArn) ?? [];
    return {
      arn: lb.LoadBalancerArn,
      name: lb.LoadBalancerName,
      type: lb.Type ?? 'application',
      scheme: lb.Scheme === 'internal' ? 'internal' : 'internet-facing',
      state: lb.State?.Code ?? 'active',
      vpcId: lb.VpcId ?? '',
      subnetIds,
      zones: (lb.AvailabilityZones ?? []).map((z) => z.ZoneName ?? azOf.get(z.SubnetId) ?? ''),
      groupIds: lb.SecurityGroups ?? [],
      enforcesOnPrivateLink: (lb.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic ?? 'on') === 'on',
      eniIds: loadBalancerInterfaces(lb, storedEnis).map((e) => e.NetworkInterfaceId),
      listeners: own,
      listenerPorts: own.map((l) => l.port),
      dnsName: lb.DNSName,
      address: lb._address,
      account: scope.account,
      region: scope.region,
    };
  });

  const endpoints = vpcEndpointsOf(store, stored.map(({ value }) => value), azOf);
  const routeTables = everywhere(store, KIND.routeTable).map(({ value: t }) => ({
    id: t.RouteTableId,
    vpcId: t.VpcId,
    main: t.Associations.some((a) => a.Main),
    subnetIds: t.Associations.flatMap((a) => (a.SubnetId ? [a.SubnetId] : [])),
    routes: t.Routes,
  }));

  return {
    vpcs: everywhere(store, KIND.vpc).map(({ scope, value: v }) => {
      const dns = dnsAttributes(v);
      return { id: v.VpcId, account: scope.account, region: scope.region, cidrs: activeCidrBlocks(v), dnsSupport: dns.support, dnsHostnames: dns.hostnames };
    }),
    subnets,
    routeTables,
    acls: everywhere(store, KIND.networkAcl).map(({ value: a }) => ({
      id: a.NetworkAclId, vpcId: a.VpcId, isDefault: a.IsDefault, subnetIds: a.Associations.map((x) => x.SubnetId), entries: a.Entries,
    })),
    securityGroups: everywhere(store, KIND.securityGroup).map(({ value: g }) => ({ id: g.GroupId, vpcId: g.VpcId, name: g.GroupName, rules: rules.get(g.GroupId) ?? [] })),
    enis,
    instances: instances.map(({ value: i }) => ({
      id: i.InstanceId,
      state: i.State.Name,
      // The primary interface (device index 0) first: it is the one a path from or to the instance uses.
      eniIds: (enisOfInstance.get(i.InstanceId) ?? []).sort((a, b) => (a.Attachment?.DeviceIndex ?? 0) - (b.Attachment?.DeviceIndex ?? 0)).map((e) => e.NetworkInterfaceId),
      tags: i.Tags,
    })),
    igws: everywhere(store, KIND.internetGateway).map(({ value: g }) => ({ id: g.InternetGatewayId, vpcId: g.Attachments.find((a) => a.State === 'available' || a.State === 'attached')?.VpcId })),
    nats: everywhere(store, KIND.natGateway).map(({ value: n }) => ({
      id: n.NatGatewayId, vpcId: n.VpcId, subnetId: n.SubnetId, state: n.State, connectivity: n.ConnectivityType,
      eniId: n.NatGatewayAddresses.find((a) => a.IsPrimary)?.NetworkInterfaceId ?? n.NatGatewayAddresses[0]?.NetworkInterfaceId,
    })),
    peerings: currentPeerings(everywhere(store, KIND.peering)).map((p) => ({
      id: p.VpcPeeringConnectionId,
      state: p.Status.Code,
      requester: { vpcId: p.RequesterVpcInfo.VpcId, region: p.RequesterVpcInfo.Region, cidrs: (p.RequesterVpcInfo.CidrBlockSet ?? []).map((c) => c.CidrBlock) },
      accepter: { vpcId: p.AccepterVpcInfo.VpcId, region: p.AccepterVpcInfo.Region, cidrs: (p.AccepterVpcInfo.CidrBlockSet ?? []).map((c) => c.CidrBlock) },
    })),
    loadBalancers,
    targetGroups: targetGroupsOf(store),
    vpcEndpoints: endpoints,
    endpointServices: endpointServicesOf(store),
    prefixLists: prefixListsOf(endpoints, routeTables),
  };
}

/** VPC endpoints with their interfaces (loopback address and AZ of each). */
function vpcEndpointsOf(store: Store, enis: NetworkInterface[], azOf: Map<string, string>): RVpcEndpoint[] {
  const byId = new Map(enis.map((e) => [e.NetworkInterfaceId, e]));
  return everywhere(store, KIND.vpcEndpoint).map(({ scope, value: e }) => ({
    id: e.VpcEndpointId,
    account: scope.account,
    region: scope.region,
    vpcId: e.VpcId,
    type: e.VpcEndpointType,
    state: e.State,
    serviceName: e.ServiceName,
    subnetIds: e.SubnetIds ?? [],
    groupIds: (e.Groups ?? []).map((g) => g.GroupId),
    interfaces: (e.NetworkInterfaceIds ?? []).flatMap((id) => {
      const eni = byId.get(id);
      if (!eni) return [];
      return [{ eniId: id, subnetId: eni.SubnetId, az: azOf.get(eni.SubnetId) ?? eni.AvailabilityZone, privateIp: eni.PrivateIpAddress, address: eni._address }];
    }),
    routeTableIds: e.RouteTableIds ?? [],
    privateDnsEnabled: e.PrivateDnsEnabled === true,
    dnsNames: (e.DnsEntries ?? []).map((d) => d.DnsName.toLowerCase().replace(/\.$/, '')),
    service: e._service,
  }));
}

function endpointServicesOf(store: Store): RVpcEndpointService[] {
  return everywhere(store, KIND.vpcEndpointService).map(({ scope, value: s }) => ({
    id: s.ServiceId,
    account: scope.account,
    region: scope.region,
    serviceName: s.ServiceName,
    state: s.ServiceState,
    nlbArns: s.NetworkLoadBalancerArns ?? [],
    baseDnsNames: s.BaseEndpointDnsNames ?? [],
    privateDnsName: s.PrivateDnsName?.toLowerCase().replace(/\.$/, ''),
    privateDnsState: s.PrivateDnsName ? s.PrivateDnsNameConfiguration?.State : undefined,
  }));
}

/**
 * The CIDRs of every prefix list a gateway endpoint's route names: the
 * managed list of the endpoint's service (EC2 writes the route's id from the
 * same table, src/records/prefix-lists.ts).
 */
function prefixListsOf(endpoints: RVpcEndpoint[], tables: { routes: { DestinationPrefixListId?: string; GatewayId?: string }[] }[]): Record<string, string[]> {
  const serviceOf = new Map(endpoints.filter((e) => e.type === 'Gateway').map((e) => [e.id, e.serviceName]));
  const lists: Record<string, string[]> = {};
  for (const t of tables) {
    for (const r of t.routes) {
      if (!r.DestinationPrefixListId || !r.GatewayId?.startsWith('vpce-')) continue;
      const service = serviceOf.get(r.GatewayId);
      const list = service ? managedPrefixList(service) : undefined;
      if (list) lists[r.DestinationPrefixListId] = list.cidrs;
    }
  }
  return lists;
}
