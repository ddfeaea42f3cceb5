// The engine's input read from the store: every account and region at once,
// because a path may cross a peering into another account or region (ids are
// globally unique; anything an address names is looked up per VPC, so
// overlapping private ranges in different accounts never mix). The only
// module of the engine that touches the store; load balancers join when
// ELBv2 records ('elbv2:load-balancer') exist.
import type { InternetGateway } from '../../services/ec2/internet-gateways.ts';
import type { Instance } from '../../services/ec2/instances.ts';
import type { NatGateway } from '../../services/ec2/nat-gateways.ts';
import { allPeerings } from '../../services/ec2/peering.ts';
import type { SecurityGroupRule } from '../../services/ec2/security-group-rules.ts';
import type { SecurityGroup } from '../../services/ec2/security-groups.ts';
import type { NetworkAcl, NetworkInterface, RouteTable, Subnet, Vpc } from '../../services/ec2/types.ts';
import type { Store } from '../../store/store.ts';
import type { ClientKind, REni, RLoadBalancer, ReachabilityData } from './types.ts';

/** The members of an ELBv2 LoadBalancer record the engine reads. */
interface StoredLoadBalancer {
  LoadBalancerArn: string;
  LoadBalancerName: string;
  Type?: string;
  Scheme?: string;
  VpcId?: string;
  SecurityGroups?: string[];
  AvailabilityZones?: { SubnetId?: string }[];
  DNSName?: string;
  _address?: string;
  /** subnet id -> interface id, as ELBv2 records them. */
  _interfaces?: Record<string, string>;
}

export const LISTENER_KIND = 'elbv2:listener';

export const LOAD_BALANCER_KIND = 'elbv2:load-balancer';

/** ELBv2 names its interfaces `ELB app/<name>/<id>` (net/ for NLBs): the ARN's resource part. */
export function elbInterfaceDescription(arn: string): string {
  return `ELB ${arn.slice(arn.indexOf(':loadbalancer/') + ':loadbalancer/'.length)}`;
}

function clientOf(e: NetworkInterface, windows: boolean): ClientKind {
  if (e.InterfaceType === 'nat_gateway') return 'natGateway';
  if (e.Description?.startsWith('ELB ') || e.InterfaceType === 'network_load_balancer') return 'elb';
  return windows ? 'windows' : 'linux';
}

export function reachabilityDataFromStore(store: Store): ReachabilityData {
  const instances = store.listAll<Instance>('ec2:instance');
  const windows = new Set(instances.filter(({ value: i }) => /windows/i.test(i.PlatformDetails ?? '')).map(({ value: i }) => i.InstanceId));
  const stored = store.listAll<NetworkInterface>('ec2:network-interface');
  const enisOfInstance = new Map<string, NetworkInterface[]>();
  for (const { value: e } of stored) {
    const id = e.Attachment?.InstanceId;
    if (id) enisOfInstance.set(id, [...(enisOfInstance.get(id) ?? []), e]);
  }
  const enis = stored.map(({ scope, value: e }) => {
    const addrs = e.PrivateIpAddresses?.length ? e.PrivateIpAddresses : [{ Primary: true, PrivateIpAddress: e.PrivateIpAddress, Association: e.Association }];
    const primaryFirst = [...addrs].sort((a, b) => Number(b.Primary) - Number(a.Primary));
    const publicIps = primaryFirst.flatMap((a) => {
      const assoc = a.Association ?? (a.Primary ? e.Association : undefined);
      return assoc?.PublicIp ? [{ publicIp: assoc.PublicIp, privateIp: a.PrivateIpAddress, elastic: assoc.AllocationId !== undefined }] : [];
    });
    const eni: REni & { account: string; region: string } = {
      id: e.NetworkInterfaceId,
      vpcId: e.VpcId,
      subnetId: e.SubnetId,
      type: e.InterfaceType,
      description: e.Description ?? '',
      privateIps: primaryFirst.map((a) => a.PrivateIpAddress),
      publicIps,
      groupIds: (e.Groups ?? []).map((g) => g.GroupId),
      sourceDestCheck: e.SourceDestCheck !== false,
      instanceId: e.Attachment?.InstanceId,
      client: clientOf(e, e.Attachment?.InstanceId !== undefined && windows.has(e.Attachment.InstanceId)),
      account: scope.account,
      region: scope.region,
    };
    return eni;
  });

  const rules = new Map<string, SecurityGroupRule[]>();
  for (const { value: r } of store.listAll<SecurityGroupRule>('ec2:security-group-rule')) {
    const list = rules.get(r.GroupId);
    if (list) list.push(r); else rules.set(r.GroupId, [r]);
  }

  const eniIdsByDescription = new Map<string, string[]>();
  for (const e of enis) {
    if (!e.description.startsWith('ELB ')) continue;
    const list = eniIdsByDescription.get(e.description);
    if (list) list.push(e.id); else eniIdsByDescription.set(e.description, [e.id]);
  }
  const listenerPorts = new Map<string, number[]>();
  for (const { value: l } of store.listAll<{ LoadBalancerArn: string; Port: number }>(LISTENER_KIND)) listenerPorts.set(l.LoadBalancerArn, [...(listenerPorts.get(l.LoadBalancerArn) ?? []), l.Port]);
  const loadBalancers: RLoadBalancer[] = store.listAll<StoredLoadBalancer>(LOAD_BALANCER_KIND).map(({ scope, value: lb }) => ({
    arn: lb.LoadBalancerArn,
    name: lb.LoadBalancerName,
    type: lb.Type ?? 'application',
    scheme: lb.Scheme === 'internal' ? 'internal' : 'internet-facing',
    vpcId: lb.VpcId ?? '',
    subnetIds: (lb.AvailabilityZones ?? []).flatMap((z) => (z.SubnetId ? [z.SubnetId] : [])),
    groupIds: lb.SecurityGroups ?? [],
    eniIds: lb._interfaces ? Object.values(lb._interfaces) : eniIdsByDescription.get(elbInterfaceDescription(lb.LoadBalancerArn)) ?? [],
    listenerPorts: listenerPorts.get(lb.LoadBalancerArn) ?? [],
    dnsName: lb.DNSName,
    address: lb._address,
    account: scope.account,
    region: scope.region,
  }));

  return {
    vpcs: store.listAll<Vpc>('ec2:vpc').map(({ scope, value: v }) => ({
      id: v.VpcId,
      account: scope.account,
      region: scope.region,
      cidrs: (v.CidrBlockAssociationSet ?? []).filter((c) => c.CidrBlockState?.State === 'associated').map((c) => c.CidrBlock),
      dnsSupport: v._attributes?.EnableDnsSupport ?? true,
      dnsHostnames: v._attributes?.EnableDnsHostnames ?? false,
    })),
    subnets: store.listAll<Subnet>('ec2:subnet').map(({ value: s }) => ({ id: s.SubnetId, vpcId: s.VpcId, cidr: s.CidrBlock, az: s.AvailabilityZone })),
    routeTables: store.listAll<RouteTable>('ec2:route-table').map(({ value: t }) => ({
      id: t.RouteTableId,
      vpcId: t.VpcId,
      main: t.Associations.some((a) => a.Main),
      subnetIds: t.Associations.flatMap((a) => (a.SubnetId ? [a.SubnetId] : [])),
      routes: t.Routes,
    })),
    acls: store.listAll<NetworkAcl>('ec2:network-acl').map(({ value: a }) => ({
      id: a.NetworkAclId, vpcId: a.VpcId, isDefault: a.IsDefault, subnetIds: a.Associations.map((x) => x.SubnetId), entries: a.Entries,
    })),
    securityGroups: store.listAll<SecurityGroup>('ec2:security-group').map(({ value: g }) => ({ id: g.GroupId, vpcId: g.VpcId, name: g.GroupName, rules: rules.get(g.GroupId) ?? [] })),
    enis,
    instances: instances.map(({ value: i }) => ({
      id: i.InstanceId,
      state: i.State.Name,
      // The primary interface (device index 0) first: it is the one a path from or to the instance uses.
      eniIds: (enisOfInstance.get(i.InstanceId) ?? []).sort((a, b) => (a.Attachment?.DeviceIndex ?? 0) - (b.Attachment?.DeviceIndex ?? 0)).map((e) => e.NetworkInterfaceId),
    })),
    igws: store.listAll<InternetGateway>('ec2:internet-gateway').map(({ value: g }) => ({ id: g.InternetGatewayId, vpcId: g.Attachments.find((a) => a.State === 'available' || a.State === 'attached')?.VpcId })),
    nats: store.listAll<NatGateway>('ec2:natgateway').map(({ value: n }) => ({
      id: n.NatGatewayId, vpcId: n.VpcId, subnetId: n.SubnetId, state: n.State, connectivity: n.ConnectivityType,
      eniId: n.NatGatewayAddresses.find((a) => a.IsPrimary)?.NetworkInterfaceId ?? n.NatGatewayAddresses[0]?.NetworkInterfaceId,
    })),
    peerings: allPeerings({ store }).map((p) => ({
      id: p.VpcPeeringConnectionId,
      state: p.Status.Code,
      requester: { vpcId: p.RequesterVpcInfo.VpcId, region: p.RequesterVpcInfo.Region, cidrs: (p.RequesterVpcInfo.CidrBlockSet ?? []).map((c) => c.CidrBlock) },
      accepter: { vpcId: p.AccepterVpcInfo.VpcId, region: p.AccepterVpcInfo.Region, cidrs: (p.AccepterVpcInfo.CidrBlockSet ?? []).map((c) => c.CidrBlock) },
    })),
    loadBalancers,
  };
}
