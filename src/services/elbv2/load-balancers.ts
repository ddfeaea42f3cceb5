// Load balancers: CreateLoadBalancer, DescribeLoadBalancers,
// DeleteLoadBalancer, Describe/ModifyLoadBalancerAttributes,
// SetSecurityGroups, SetSubnets, SetIpAddressType.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { loadBalancerArn, mustLoadBalancer, newElbId, notFound } from './arns.ts';
import { attributeList, loadBalancerAttributeDefaults, modifyLoadBalancerAttributeMap } from './attributes.ts';
import { accountLimit } from './limits.ts';
import { deleteListenerRecords } from './listeners.ts';
import { allocateLoopbackAddress, canonicalHostedZoneId, loadBalancerDnsName, validateLoadBalancerName } from './naming.ts';
import { page } from './paging.ts';
import { attachToSubnet, checkIpAddressType, checkScheme, detachInterface, resolveSecurityGroups, resolveSubnets, syncInterfaceGroups, type SubnetMapping } from './placement.ts';
import { listenersOf } from './state.ts';
import { validateNewTags } from './tags.ts';
import type { VpcEndpointServiceConfiguration } from '../../records/ec2.ts';
import { KIND as RECORD_KIND } from '../../records/kinds.ts';
import { KIND, type LoadBalancer, type LoadBalancerType, type Tag } from './types.ts';
import { syncTargetGroupUsage } from './usage.ts';

function save(env: HandlerEnv, lb: LoadBalancer): LoadBalancer {
  env.store.put(KIND.loadBalancer, env.scope, lb.LoadBalancerArn, lb);
  return lb;
}

function byName(env: HandlerEnv, name: string): LoadBalancer | undefined {
  return env.store.list<LoadBalancer>(KIND.loadBalancer, env.scope).find((lb) => lb.LoadBalancerName === name);
}

interface CreateInput {
  Name?: string;
  Subnets?: string[];
  SubnetMappings?: SubnetMapping[];
  SecurityGroups?: string[];
  Scheme?: string;
  Tags?: Tag[];
  Type?: string;
  IpAddressType?: string;
  CustomerOwnedIpv4Pool?: string;
}

export function createLoadBalancer(input: CreateInput, env: HandlerEnv) {
  const name = validateLoadBalancerName(input.Name);
  const type = (input.Type ?? 'application') as LoadBalancerType;
  if ((type as string) === 'gateway') throw new AwsError('NotImplemented', 'localnet does not emulate Gateway Load Balancers', 501);
  if (type !== 'application' && type !== 'network') throw new AwsError('ValidationError', `Load balancer type '${input.Type}' is not valid; use application or network`);
  const scheme = input.Scheme ?? 'internet-facing';
  if (scheme !== 'internet-facing' && scheme !== 'internal') throw new AwsError('InvalidScheme', `Scheme '${scheme}' is not valid; use internet-facing or internal`);
  if (input.CustomerOwnedIpv4Pool) throw new AwsError('ValidationError', 'Customer-owned IPv4 pools are only available on AWS Outposts');
  const tags = validateNewTags(input.Tags);
  const placement = resolveSubnets(env, type, input);
  const ipAddressType = input.IpAddressType ?? 'ipv4';
  checkIpAddressType(type, scheme, ipAddressType, placement.subnets.map((s) => s.subnet));
  checkScheme(env, scheme, placement.vpcId);
  const groups = resolveSecurityGroups(env, type, placement.vpcId, input.SecurityGroups, true);

  const existing = byName(env, name);
  if (existing) {
    // CreateLoadBalancer is idempotent: the same settings answer with the existing load balancer.
    const same =
      existing.Type === type &&
      existing.Scheme === scheme &&
      existing.AvailabilityZones.map((z) => z.SubnetId).sort().join() === placement.subnets.map((s) => s.subnet.SubnetId).sort().join() &&
      (existing.SecurityGroups ?? []).slice().sort().join() === (groups ?? []).slice().sort().join();
    if (!same) throw new AwsError('DuplicateLoadBalancerName', `A load balancer with the same name '${name}' exists, but with different settings`);
    return { LoadBalancers: [existing] };
  }

  const quota = accountLimit(type === 'application' ? 'application-load-balancers' : 'network-load-balancers');
  if (env.store.list<LoadBalancer>(KIND.loadBalancer, env.scope).filter((x) => x.Type === type).length >= quota) {
    throw new AwsError('TooManyLoadBalancers', 'The maximum number of load balancers has been reached.');
  }
  const id = newElbId();
  const arn = loadBalancerArn(env.scope, type, name, id);
  const lb: LoadBalancer = {
    LoadBalancerArn: arn,
    DNSName: loadBalancerDnsName(env.scope.region, type, scheme, name, id),
    CanonicalHostedZoneId: canonicalHostedZoneId(env.scope.region, type),
    CreatedTime: new Date().toISOString(),
    LoadBalancerName: name,
    Scheme: scheme,
    VpcId: placement.vpcId,
    State: { Code: 'active' },
    Type: type,
    AvailabilityZones: [],
    SecurityGroups: groups,
    // NLBs created with security groups evaluate them on PrivateLink traffic too, until SetSecurityGroups turns it off.
    ...(type === 'network' && groups?.length ? { EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: 'on' as const } : {}),
    IpAddressType: ipAddressType as LoadBalancer['IpAddressType'],
    _address: allocateLoopbackAddress(env.store),
    _attributes: loadBalancerAttributeDefaults(type, scheme),
    _interfaces: {},
    _tags: tags,
  };
  for (const { subnet, mapping } of placement.subnets) {
    const { zone, eniId } = attachToSubnet(env, lb, subnet, mapping);
    lb.AvailabilityZones.push(zone);
    lb._interfaces[subnet.SubnetId] = eniId;
  }
  save(env, lb);
  // AWS answers while the load balancer provisions; localnet's is ready at once, so later calls see it active.
  return { LoadBalancers: [{ ...lb, State: { Code: 'provisioning' } }] };
}

export function describeLoadBalancers(input: { LoadBalancerArns?: string[]; Names?: string[]; Marker?: string; PageSize?: number }, env: HandlerEnv) {
  if (input.LoadBalancerArns?.length && input.Names?.length) throw new AwsError('ValidationError', 'Load balancer names and load balancer ARNs cannot be specified at the same time');
  let lbs = env.store.list<LoadBalancer>(KIND.loadBalancer, env.scope);
  if (input.LoadBalancerArns?.length) {
    lbs = input.LoadBalancerArns.map((arn) => mustLoadBalancer(env, arn));
  } else if (input.Names?.length) {
    const missing = input.Names.filter((n) => !lbs.some((lb) => lb.LoadBalancerName === n));
    if (missing.length) throw new AwsError('LoadBalancerNotFound', `Load balancers '[${missing.join(', ')}]' not found`);
    lbs = input.Names.map((n) => lbs.find((lb) => lb.LoadBalancerName === n)!);
  }
  const { page: items, NextMarker } = page(lbs, input);
  return { LoadBalancers: items, NextMarker };
}

export function deleteLoadBalancer(input: { LoadBalancerArn?: string }, env: HandlerEnv) {
  let lb: LoadBalancer;
  try {
    lb = mustLoadBalancer(env, input.LoadBalancerArn);
  } catch (err) {
    // Deleting a load balancer that does not exist (any more) succeeds, as on AWS.
    if (err instanceof AwsError && err.code === notFound.loadBalancer().code) return {};
    throw err;
  }
  if (lb._attributes['deletion_protection.enabled'] === 'true') {
    throw new AwsError('OperationNotPermitted', `Load balancer '${lb.LoadBalancerArn}' cannot be deleted because deletion protection is enabled`);
  }
  // An NLB behind a PrivateLink endpoint service stays until the service lets go of it (wording [3p]: as users report AWS's answer).
  if (env.store.list<VpcEndpointServiceConfiguration>(RECORD_KIND.vpcEndpointService, env.scope).some((s) => (s.NetworkLoadBalancerArns ?? []).includes(lb.LoadBalancerArn))) {
    throw new AwsError('ResourceInUse', `Load balancer '${lb.LoadBalancerArn}' cannot be deleted because it is currently associated with another service`);
  }
  for (const l of listenersOf(env.store, env.scope, lb.LoadBalancerArn)) deleteListenerRecords(env, l);
  for (const eniId of Object.values(lb._interfaces)) detachInterface(env, eniId);
  env.store.delete(KIND.loadBalancer, env.scope, lb.LoadBalancerArn);
  syncTargetGroupUsage(env);
  return {};
}

export function describeLoadBalancerAttributes(input: { LoadBalancerArn?: string }, env: HandlerEnv) {
  return { Attributes: attributeList(mustLoadBalancer(env, input.LoadBalancerArn)._attributes) };
}

export function modifyLoadBalancerAttributes(input: { LoadBalancerArn?: string; Attributes?: { Key?: string; Value?: string }[] }, env: HandlerEnv) {
  const lb = mustLoadBalancer(env, input.LoadBalancerArn);
  const next = modifyLoadBalancerAttributeMap(lb.Type, lb._attributes, input.Attributes ?? []);
  save(env, { ...lb, _attributes: next });
  return { Attributes: attributeList(next) };
}

export function setSecurityGroups(input: { LoadBalancerArn?: string; SecurityGroups?: string[]; EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic?: string }, env: HandlerEnv) {
  const lb = mustLoadBalancer(env, input.LoadBalancerArn);
  if (lb.Type === 'network' && !lb.SecurityGroups?.length) {
    throw new AwsError('InvalidConfigurationRequest', 'You cannot set security groups on a Network Load Balancer which was created without any security groups');
  }
  const ids = input.SecurityGroups ?? [];
  if (lb.Type === 'application' && ids.length === 0) throw new AwsError('ValidationError', 'At least one security group must be specified for an Application Load Balancer');
  const enforce = input.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic;
  if (enforce !== undefined) {
    if (enforce !== 'on' && enforce !== 'off') throw new AwsError('ValidationError', `1 validation error detected: Value '${enforce}' at 'enforceSecurityGroupInboundRulesOnPrivateLinkTraffic' failed to satisfy constraint: Member must satisfy enum value set: [on, off]`);
    if (lb.Type !== 'network') throw new AwsError('InvalidConfigurationRequest', 'Security group inbound rules for PrivateLink traffic can only be enforced on Network Load Balancers');
  }
  const groups = resolveSecurityGroups(env, lb.Type, lb.VpcId, ids, false) ?? [];
  const setting = lb.Type === 'network' ? { EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: (enforce ?? lb.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic ?? 'on') as 'on' | 'off' } : {};
  const next = save(env, { ...lb, SecurityGroups: groups, ...setting });
  syncInterfaceGroups(env, next);
  return { SecurityGroupIds: groups, ...setting };
}

export function setSubnets(input: { LoadBalancerArn?: string; Subnets?: string[]; SubnetMappings?: SubnetMapping[]; IpAddressType?: string }, env: HandlerEnv) {
  const lb = mustLoadBalancer(env, input.LoadBalancerArn);
  const placement = resolveSubnets(env, lb.Type, input);
  if (placement.vpcId !== lb.VpcId) throw new AwsError('InvalidSubnet', `The subnets must be in the load balancer's VPC '${lb.VpcId}'`);
  const ipAddressType = input.IpAddressType ?? lb.IpAddressType;
  checkIpAddressType(lb.Type, lb.Scheme, ipAddressType, placement.subnets.map((s) => s.subnet));
  const wanted = new Set(placement.subnets.map((s) => s.subnet.SubnetId));
  if (lb.Type === 'network') {
    const removed = lb.AvailabilityZones.find((z) => !wanted.has(z.SubnetId));
    if (removed) throw new AwsError('InvalidConfigurationRequest', `Subnet '${removed.SubnetId}' cannot be removed from a Network Load Balancer; subnets can only be added`);
  }
  const zones = [];
  const interfaces: Record<string, string> = {};
  for (const { subnet, mapping } of placement.subnets) {
    const kept = lb.AvailabilityZones.find((z) => z.SubnetId === subnet.SubnetId);
    if (kept) {
      zones.push(kept);
      interfaces[subnet.SubnetId] = lb._interfaces[subnet.SubnetId];
      continue;
    }
    const { zone, eniId } = attachToSubnet(env, lb, subnet, mapping);
    zones.push(zone);
    interfaces[subnet.SubnetId] = eniId;
  }
  for (const [subnetId, eniId] of Object.entries(lb._interfaces)) if (!wanted.has(subnetId)) detachInterface(env, eniId);
  const next = save(env, { ...lb, AvailabilityZones: zones, _interfaces: interfaces, IpAddressType: ipAddressType as LoadBalancer['IpAddressType'] });
  return { AvailabilityZones: next.AvailabilityZones, IpAddressType: next.IpAddressType };
}

export function setIpAddressType(input: { LoadBalancerArn?: string; IpAddressType?: string }, env: HandlerEnv) {
  const lb = mustLoadBalancer(env, input.LoadBalancerArn);
  if (!input.IpAddressType) throw new AwsError('ValidationError', 'An IP address type must be specified');
  const subnets = lb.AvailabilityZones.map((z) => env.store.get<import('../ec2/types.ts').Subnet>('ec2:subnet', env.scope, z.SubnetId)).filter((s) => s !== undefined);
  checkIpAddressType(lb.Type, lb.Scheme, input.IpAddressType, subnets);
  save(env, { ...lb, IpAddressType: input.IpAddressType as LoadBalancer['IpAddressType'] });
  return { IpAddressType: input.IpAddressType };
}

export const loadBalancerHandlers = {
  CreateLoadBalancer: createLoadBalancer,
  DescribeLoadBalancers: describeLoadBalancers,
  DeleteLoadBalancer: deleteLoadBalancer,
  DescribeLoadBalancerAttributes: describeLoadBalancerAttributes,
  ModifyLoadBalancerAttributes: modifyLoadBalancerAttributes,
  SetSecurityGroups: setSecurityGroups,
  SetSubnets: setSubnets,
  SetIpAddressType: setIpAddressType,
} satisfies Handlers;
