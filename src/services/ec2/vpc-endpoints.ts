// PrivateLink and gateway endpoints, the consumer's side: CreateVpcEndpoint,
// ModifyVpcEndpoint, DeleteVpcEndpoints, DescribeVpcEndpoints and
// DescribeVpcEndpointServices (what the caller may connect to).
//
// An interface endpoint holds one requester-managed network interface per
// subnet (InterfaceType vpc_endpoint), each with a private address in its
// subnet and a loopback address (`_address`) from the pool load balancers
// use, which the endpoint data plane binds. Interface endpoints to AWS
// services (com.amazonaws.<region>.ssm ...) are records and interfaces only:
// nothing answers behind them. A gateway endpoint (S3, DynamoDB) holds no
// interface: it adds a route to the service's prefix list to each of its
// route tables.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import type { DnsEntry, NetworkInterface, Route, RouteTable, Subnet, Vpc, VpcEndpoint } from '../../records/ec2.ts';
import { endpointInterfaceDescription } from '../../records/interfaces.ts';
import { KIND } from '../../records/kinds.ts';
import { dnsAttributes } from '../../records/vpcs.ts';
import type { Scope } from '../../store/store.ts';
import { allocateLoopbackAddress } from '../loopback-addresses.ts';
import { applyFilters, paginate, type Filter } from './describe.ts';
import {
  AWS_ENDPOINT_SERVICES,
  awsEndpointService,
  awsServiceId,
  awsServicePrivateDnsName,
  DEFAULT_ENDPOINT_POLICY,
  endpointDnsEntries,
  newConnectionId,
  privateDnsZoneId,
  type AwsEndpointService,
} from './endpoint-names.ts';
import { createInterfaceRecord, defaultGroupOf, deleteInterfaceRecord, resolveGroups } from './interface-library.ts';
import { prefixListId } from '../../records/prefix-lists.ts';
import { zonesOf } from './regions.ts';
import { all, byIds, find, isIdOf, K, malformed, must, newId, notFound, remove, save } from './resources.ts';
import { tagsFromSpecs, type TagSpecification } from './tags.ts';
import { mayConnect, type VpcEndpointServiceConfiguration } from './vpc-endpoint-services.ts';

export type { VpcEndpoint };

/** RequesterId of an endpoint's interfaces [unverified: AWS shows an AWS-owned principal here; localnet names the service]. */
const ENDPOINT_REQUESTER_ID = 'amazon-vpce';
const ENDPOINT_TYPES = ['Interface', 'Gateway', 'GatewayLoadBalancer'];
const IP_ADDRESS_TYPES = ['ipv4', 'dualstack', 'ipv6'];

/** What an endpoint connects to: a provider's endpoint service, or an AWS service. */
type Target =
  | { kind: 'custom'; name: string; scope: Scope; svc: VpcEndpointServiceConfiguration }
  | { kind: 'aws'; name: string; aws: AwsEndpointService };

function invalidServiceName(name: string): AwsError {
  // [3p: moto and user reports] AWS answers the same for a service that does not exist and one the caller may not use.
  return new AwsError('InvalidServiceName', `The Vpc Endpoint Service '${name}' does not exist`, 400);
}

function resolveTarget(env: HandlerEnv, serviceName: string): Target {
  const custom = env.store.listAll<VpcEndpointServiceConfiguration>(KIND.vpcEndpointService).find((s) => s.value.ServiceName === serviceName);
  if (custom && mayConnect(custom, env.scope)) return { kind: 'custom', name: serviceName, scope: custom.scope, svc: custom.value };
  const aws = awsEndpointService(env.scope.region, serviceName);
  if (aws) return { kind: 'aws', name: serviceName, aws };
  throw invalidServiceName(serviceName);
}

function targetTypes(t: Target): string[] {
  return t.kind === 'aws' ? t.aws.types : t.svc.ServiceType.map((s) => s.ServiceType);
}

/** The zones an interface endpoint to the target may have subnets in. */
function targetZones(env: HandlerEnv, t: Target): string[] {
  return t.kind === 'aws' ? zonesOf(env.scope.region).map((z) => z.ZoneName) : t.svc.AvailabilityZones;
}

/** The private DNS name the target offers consumers, and whether they may use it yet. */
function targetPrivateName(env: HandlerEnv, t: Target): { name?: string; verified: boolean } {
  if (t.kind === 'aws') return { name: awsServicePrivateDnsName(env.scope.region, t.aws.short), verified: true };
  return { name: t.svc.PrivateDnsName, verified: t.svc.PrivateDnsNameConfiguration?.State === 'verified' };
}

/** The base DNS name the endpoint's own names sit under. */
function targetBaseName(env: HandlerEnv, t: Target): string {
  return t.kind === 'aws' ? `${t.aws.short}.${env.scope.region}.vpce.amazonaws.com` : t.svc.BaseEndpointDnsNames[0];
}

function mustEndpoint(env: HandlerEnv, id: string | undefined): VpcEndpoint {
  return must<VpcEndpoint>(env, K.vpcEndpoint, id);
}

/**
 * Whether private DNS may be on for an endpoint: the target must offer a
 * verified name, the VPC needs DNS support and hostnames, and no other
 * endpoint in the VPC may already claim the name. Wordings [3p] from user
 * reports of AWS's answers, except the first (localnet's, unverified).
 */
function checkPrivateDns(env: HandlerEnv, t: Target, vpc: Vpc, exceptId?: string): string {
  const { name, verified } = targetPrivateName(env, t);
  if (!name) throw new AwsError('InvalidParameter', `Private DNS can't be enabled because the service ${t.name} does not provide a private DNS name.`, 400);
  if (!verified) throw new AwsError('InvalidParameter', `Private DNS can't be enabled because the service ${t.name} has not verified the private DNS name.`, 400);
  const dns = dnsAttributes(vpc);
  if (!dns.support || !dns.hostnames) {
    throw new AwsError('InvalidParameter', `Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for ${vpc.VpcId}`, 400);
  }
  const clash = all<VpcEndpoint>(env, K.vpcEndpoint).find((e) => e.VpcId === vpc.VpcId && e.VpcEndpointId !== exceptId && e.PrivateDnsEnabled && e.ServiceName === t.name);
  if (clash) throw new AwsError('InvalidParameter', `private-dns-enabled cannot be set because there is already a conflicting DNS domain for ${name} in the VPC ${vpc.VpcId}`, 400);
  return name;
}

/** Subnets for an interface endpoint: in the VPC, in zones the service offers, one per zone. */
function checkSubnets(env: HandlerEnv, t: Target, vpc: Vpc, ids: string[], existing: Subnet[] = []): Subnet[] {
  const zones = targetZones(env, t);
  const chosen = [...existing];
  const added: Subnet[] = [];
  for (const id of [...new Set(ids)]) {
    const subnet = must<Subnet>(env, K.subnet, id);
    if (subnet.VpcId !== vpc.VpcId) throw new AwsError('InvalidParameter', `The subnet ID '${id}' does not belong to the VPC '${vpc.VpcId}'.`, 400);
    if (!zones.includes(subnet.AvailabilityZone)) {
      throw new AwsError('InvalidParameter', `The VPC endpoint service ${t.name} does not support the availability zone of the subnet: ${id}.`, 400);
    }
    const sameZone = chosen.find((s) => s.AvailabilityZone === subnet.AvailabilityZone);
    if (sameZone) {
      // [3p] the first sentence as AWS answers it; the second is localnet's [unverified].
      throw new AwsError('DuplicateSubnetsInSameZone', `Found another VPC endpoint subnet in the availability zone of ${sameZone.SubnetId}. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.`, 400);
    }
    chosen.push(subnet);
    added.push(subnet);
  }
  return added;
}

/** One requester-managed interface in the subnet, with its loopback address. */
function createEndpointInterface(env: HandlerEnv, endpointId: string, subnet: Subnet, groups: VpcEndpoint['Groups'], privateIp?: string): NetworkInterface {
  const eni = createInterfaceRecord(env, subnet, {
    interfaceType: 'vpc_endpoint',
    description: endpointInterfaceDescription(endpointId),
    requesterManaged: true,
    requesterId: ENDPOINT_REQUESTER_ID,
    groups,
    privateIp,
  });
  eni.Status = 'in-use';
  eni._address = allocateLoopbackAddress(env.store, [], 'interface endpoint network interface');
  return save(env, K.networkInterface, eni);
}

/** The endpoint's DNS entries for its subnets' zones, keeping the label it was given; the private DNS name last when on. */
function dnsEntriesFor(env: HandlerEnv, e: VpcEndpoint, t: Target, zones: string[], privateName: string | undefined): DnsEntry[] {
  const base = targetBaseName(env, t);
  const wildcard = t.kind === 'aws' && t.aws.short === 's3';
  let entries = endpointDnsEntries(env.scope.region, e.VpcEndpointId, base, [...zones].sort(), wildcard);
  const first = e.DnsEntries[0]?.DnsName;
  if (first) {
    // Keep the endpoint's random label: only the zonal names follow the subnets.
    const label = first.replace(/^\*\./, '').split('.')[0];
    const fresh = entries[0].DnsName.replace(/^\*\./, '').split('.')[0];
    entries = entries.map((d) => ({ ...d, DnsName: d.DnsName.replace(fresh, label) }));
  }
  if (privateName) entries.push({ DnsName: privateName, HostedZoneId: privateDnsZoneId(e.VpcEndpointId) });
  return entries;
}

function zonesOfSubnets(env: HandlerEnv, ids: string[]): string[] {
  return ids.map((id) => find<Subnet>(env, K.subnet, id)?.AvailabilityZone).filter((z): z is string => z !== undefined);
}

function checkPolicy(policy: string): void {
  try {
    JSON.parse(policy);
  } catch {
    // Code from the EC2 error list; the wording is localnet's [unverified].
    throw new AwsError('InvalidPolicyDocument', 'The endpoint policy is not valid JSON.', 400);
  }
}

/** Route tables for a gateway endpoint: in its VPC, none already routing to the prefix list. */
function addGatewayRoutes(env: HandlerEnv, endpointId: string, vpcId: string, plId: string, tableIds: string[]): void {
  for (const id of [...new Set(tableIds)]) {
    const table = must<RouteTable>(env, K.routeTable, id);
    if (table.VpcId !== vpcId) throw new AwsError('InvalidParameter', `The route table ${id} does not belong to the VPC ${vpcId}.`, 400);
    // [3p] as users report AWS's answer for a second gateway endpoint to the same service.
    if (table.Routes.some((r) => r.DestinationPrefixListId === plId)) throw new AwsError('RouteAlreadyExists', `route table ${id} already has a route with destination-prefix-list-id ${plId}`, 400);
    // Origin as AWS shows these routes [unverified].
    const route: Route = { DestinationPrefixListId: plId, GatewayId: endpointId, Origin: 'CreateRoute', State: 'active' };
    table.Routes.push(route);
    save(env, K.routeTable, table);
  }
}

function removeGatewayRoutes(env: HandlerEnv, endpointId: string, tableIds: string[]): void {
  for (const id of tableIds) {
    const table = find<RouteTable>(env, K.routeTable, id);
    if (!table) continue;
    table.Routes = table.Routes.filter((r) => r.GatewayId !== endpointId);
    save(env, K.routeTable, table);
  }
}

interface CreateInput {
  VpcEndpointType?: string;
  VpcId: string;
  ServiceName: string;
  PolicyDocument?: string;
  RouteTableIds?: string[];
  SubnetIds?: string[];
  SecurityGroupIds?: string[];
  IpAddressType?: string;
  DnsOptions?: { DnsRecordIpType?: string; PrivateDnsOnlyForInboundResolverEndpoint?: boolean };
  ClientToken?: string;
  PrivateDnsEnabled?: boolean;
  TagSpecifications?: TagSpecification[];
  SubnetConfigurations?: { SubnetId?: string; Ipv4?: string; Ipv6?: string }[];
}

/** The state the create call answers with: AWS answers while it still provisions [3p: the AWS CLI's examples]. */
function answeredState(e: VpcEndpoint): string {
  return e.State === 'available' && e.VpcEndpointType === 'Interface' ? 'pending' : e.State;
}

export function createVpcEndpoint(input: CreateInput, env: HandlerEnv) {
  if (input.ClientToken) {
    const earlier = all<VpcEndpoint>(env, K.vpcEndpoint).find((e) => e._clientToken === input.ClientToken);
    if (earlier) {
      if (earlier.VpcId !== input.VpcId || earlier.ServiceName !== input.ServiceName) {
        throw new AwsError('IdempotentParameterMismatch', 'The client token you have provided is associated with a resource that is already deleted or has different parameters.', 400);
      }
      return { VpcEndpoint: earlier, ClientToken: input.ClientToken };
    }
  }
  const vpc = must<Vpc>(env, K.vpc, input.VpcId);
  // The API's default type is Gateway (CreateVpcEndpoint reference).
  const type = (input.VpcEndpointType ?? 'Gateway') as VpcEndpoint['VpcEndpointType'];
  if (!ENDPOINT_TYPES.includes(type)) throw new AwsError('InvalidParameterValue', `Value (${type}) for parameter VpcEndpointType is invalid. Valid values are: Interface, Gateway, GatewayLoadBalancer.`, 400);
  if (!input.ServiceName) throw new AwsError('MissingParameter', 'The request must contain the parameter ServiceName', 400);
  const target = resolveTarget(env, input.ServiceName);
  if (!targetTypes(target).includes(type)) {
    // Code AWS uses for bad arguments; the wording is localnet's [unverified].
    throw new AwsError('InvalidParameter', `The Vpc Endpoint Service '${input.ServiceName}' does not support the endpoint type '${type}'.`, 400);
  }
  const tags = tagsFromSpecs(input.TagSpecifications, 'vpc-endpoint');
  const id = newId('vpce');
  const base: VpcEndpoint = {
    VpcEndpointId: id,
    VpcEndpointType: type,
    VpcId: vpc.VpcId,
    ServiceName: input.ServiceName,
    State: 'available',
    RouteTableIds: [],
    SubnetIds: [],
    Groups: [],
    PrivateDnsEnabled: false,
    RequesterManaged: false,
    NetworkInterfaceIds: [],
    DnsEntries: [],
    CreationTimestamp: new Date().toISOString(),
    Tags: tags,
    OwnerId: env.scope.account,
    _clientToken: input.ClientToken,
  };
  const endpoint = type === 'Gateway' ? createGateway(env, input, base, target) : createInterface(env, input, base, target, vpc);
  save(env, K.vpcEndpoint, endpoint);
  return { VpcEndpoint: { ...endpoint, State: answeredState(endpoint) }, ClientToken: input.ClientToken };
}

function createGateway(env: HandlerEnv, input: CreateInput, e: VpcEndpoint, t: Target): VpcEndpoint {
  if (t.kind !== 'aws') throw new AwsError('InvalidParameter', `The Vpc Endpoint Service '${t.name}' does not support the endpoint type 'Gateway'.`, 400);
  if (input.SubnetIds?.length || input.SecurityGroupIds?.length || input.SubnetConfigurations?.length) {
    throw new AwsError('InvalidParameter', 'Subnets and security groups cannot be specified for a Gateway endpoint.', 400);
  }
  if (input.PrivateDnsEnabled) throw new AwsError('InvalidParameter', 'Private DNS cannot be enabled for a Gateway endpoint.', 400);
  const policy = input.PolicyDocument ?? DEFAULT_ENDPOINT_POLICY;
  checkPolicy(policy);
  const plId = prefixListId(env.scope.region, t.aws.short as 's3' | 'dynamodb');
  addGatewayRoutes(env, e.VpcEndpointId, e.VpcId, plId, input.RouteTableIds ?? []);
  return { ...e, PolicyDocument: policy, RouteTableIds: [...new Set(input.RouteTableIds ?? [])] };
}

function createInterface(env: HandlerEnv, input: CreateInput, e: VpcEndpoint, t: Target, vpc: Vpc): VpcEndpoint {
  if (e.VpcEndpointType === 'GatewayLoadBalancer') throw new AwsError('InvalidParameter', 'localnet does not emulate Gateway Load Balancer endpoints.', 400);
  if (input.RouteTableIds?.length) throw new AwsError('InvalidParameter', 'Route tables cannot be specified for an Interface endpoint.', 400);
  const ipType = input.IpAddressType ?? 'ipv4';
  if (!IP_ADDRESS_TYPES.includes(ipType)) throw new AwsError('InvalidParameterValue', `Value (${ipType}) for parameter IpAddressType is invalid. Valid values are: ipv4, dualstack, ipv6.`, 400);
  const supported = t.kind === 'custom' ? t.svc.SupportedIpAddressTypes : ['ipv4'];
  const needs = ipType === 'dualstack' ? ['ipv4', 'ipv6'] : [ipType];
  if (!needs.every((n) => supported.includes(n))) throw new AwsError('InvalidParameter', `The Vpc Endpoint Service '${t.name}' does not support IP address type ${ipType}.`, 400);
  let policy: string | undefined;
  if (t.kind === 'aws') {
    policy = input.PolicyDocument ?? DEFAULT_ENDPOINT_POLICY;
    checkPolicy(policy);
  } else if (input.PolicyDocument !== undefined) {
    throw new AwsError('InvalidParameter', `The Vpc Endpoint Service '${t.name}' does not support endpoint policies.`, 400);
  }
  // Private DNS is on by default (API reference); for an endpoint service that offers no verified name, it quietly stays off unless asked for.
  const privateName = targetPrivateName(env, t);
  const wantDns = input.PrivateDnsEnabled ?? (privateName.name !== undefined && privateName.verified);
  const dnsName = wantDns ? checkPrivateDns(env, t, vpc) : undefined;
  const configs = new Map((input.SubnetConfigurations ?? []).filter((c) => c.SubnetId).map((c) => [c.SubnetId!, c]));
  const subnets = checkSubnets(env, t, vpc, [...(input.SubnetIds ?? []), ...configs.keys()]);
  const groups = input.SecurityGroupIds?.length ? resolveGroups(env, vpc.VpcId, subnets[0]?.SubnetId ?? '', input.SecurityGroupIds) : defaultGroupOf(env, vpc.VpcId);
  const enis = subnets.map((s) => createEndpointInterface(env, e.VpcEndpointId, s, groups, configs.get(s.SubnetId)?.Ipv4));
  const out: VpcEndpoint = {
    ...e,
    State: t.kind === 'custom' && t.svc.AcceptanceRequired ? 'pendingAcceptance' : 'available',
    PolicyDocument: policy,
    SubnetIds: subnets.map((s) => s.SubnetId),
    Groups: groups,
    IpAddressType: ipType,
    DnsOptions: { DnsRecordIpType: input.DnsOptions?.DnsRecordIpType ?? (ipType === 'dualstack' ? 'dualstack' : ipType), ...(input.DnsOptions?.PrivateDnsOnlyForInboundResolverEndpoint !== undefined ? { PrivateDnsOnlyForInboundResolverEndpoint: input.DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint } : {}) },
    PrivateDnsEnabled: dnsName !== undefined,
    NetworkInterfaceIds: enis.map((n) => n.NetworkInterfaceId),
  };
  if (!policy) delete out.PolicyDocument;
  out.DnsEntries = dnsEntriesFor(env, out, t, subnets.map((s) => s.AvailabilityZone), dnsName);
  if (t.kind === 'custom') {
    out._service = { account: t.scope.account, region: t.scope.region, serviceId: t.svc.ServiceId };
    out._connectionId = newConnectionId();
  }
  return out;
}

/** The target an existing endpoint points at (its service may have gone: then only what the record holds is known). */
function targetOfEndpoint(env: HandlerEnv, e: VpcEndpoint): Target | undefined {
  if (e._service) {
    const svc = env.store.get<VpcEndpointServiceConfiguration>(KIND.vpcEndpointService, { account: e._service.account, region: e._service.region }, e._service.serviceId);
    return svc ? { kind: 'custom', name: e.ServiceName, scope: { account: e._service.account, region: e._service.region }, svc } : undefined;
  }
  const aws = awsEndpointService(env.scope.region, e.ServiceName);
  return aws ? { kind: 'aws', name: e.ServiceName, aws } : undefined;
}

function deleteEndpointInterfaces(env: HandlerEnv, ids: string[]): void {
  for (const id of ids) {
    const eni = find<NetworkInterface>(env, K.networkInterface, id);
    if (eni) deleteInterfaceRecord(env, eni);
  }
}

export function modifyVpcEndpoint(
  input: {
    VpcEndpointId: string;
    ResetPolicy?: boolean;
    PolicyDocument?: string;
    AddRouteTableIds?: string[];
    RemoveRouteTableIds?: string[];
    AddSubnetIds?: string[];
    RemoveSubnetIds?: string[];
    AddSecurityGroupIds?: string[];
    RemoveSecurityGroupIds?: string[];
    IpAddressType?: string;
    DnsOptions?: { DnsRecordIpType?: string; PrivateDnsOnlyForInboundResolverEndpoint?: boolean };
    PrivateDnsEnabled?: boolean;
  },
  env: HandlerEnv,
) {
  const e = mustEndpoint(env, input.VpcEndpointId);
  const vpc = must<Vpc>(env, K.vpc, e.VpcId);
  const t = targetOfEndpoint(env, e);
  if (!t) throw invalidServiceName(e.ServiceName);
  if (input.ResetPolicy && input.PolicyDocument !== undefined) throw new AwsError('InvalidParameterCombination', 'ResetPolicy and PolicyDocument cannot both be specified.', 400);
  if (input.PolicyDocument !== undefined || input.ResetPolicy) {
    if (t.kind === 'custom') throw new AwsError('InvalidParameter', `The Vpc Endpoint Service '${t.name}' does not support endpoint policies.`, 400);
    const policy = input.PolicyDocument ?? DEFAULT_ENDPOINT_POLICY;
    checkPolicy(policy);
    e.PolicyDocument = policy;
  }
  if (e.VpcEndpointType === 'Gateway') {
    if (input.AddSubnetIds?.length || input.AddSecurityGroupIds?.length || input.PrivateDnsEnabled) {
      throw new AwsError('InvalidParameter', 'Subnets, security groups and private DNS do not apply to a Gateway endpoint.', 400);
    }
    const removed = (input.RemoveRouteTableIds ?? []).filter((id) => e.RouteTableIds.includes(id));
    removeGatewayRoutes(env, e.VpcEndpointId, removed);
    const added = (input.AddRouteTableIds ?? []).filter((id) => !e.RouteTableIds.includes(id));
    if (t.kind === 'aws') addGatewayRoutes(env, e.VpcEndpointId, e.VpcId, prefixListId(env.scope.region, t.aws.short as 's3' | 'dynamodb'), added);
    e.RouteTableIds = [...e.RouteTableIds.filter((id) => !removed.includes(id)), ...new Set(added)];
    save(env, K.vpcEndpoint, e);
    return { Return: true };
  }
  if (input.AddRouteTableIds?.length) throw new AwsError('InvalidParameter', 'Route tables cannot be specified for an Interface endpoint.', 400);
  // Security groups first, so new interfaces get the endpoint's groups as they will be.
  if (input.AddSecurityGroupIds?.length || input.RemoveSecurityGroupIds?.length) {
    const ids = [...new Set([...e.Groups.map((g) => g.GroupId), ...(input.AddSecurityGroupIds ?? [])])].filter((id) => !(input.RemoveSecurityGroupIds ?? []).includes(id));
    if (ids.length === 0) throw new AwsError('InvalidParameter', `The VPC endpoint ${e.VpcEndpointId} must keep at least one security group.`, 400);
    e.Groups = resolveGroups(env, e.VpcId, e.SubnetIds[0] ?? '', ids);
    for (const eniId of e.NetworkInterfaceIds) {
      const eni = find<NetworkInterface>(env, K.networkInterface, eniId);
      if (eni) save(env, K.networkInterface, { ...eni, Groups: e.Groups });
    }
  }
  const removeSubnets = (input.RemoveSubnetIds ?? []).filter((id) => e.SubnetIds.includes(id));
  if (removeSubnets.length) {
    const gone = e.NetworkInterfaceIds.filter((id) => removeSubnets.includes(find<NetworkInterface>(env, K.networkInterface, id)?.SubnetId ?? ''));
    deleteEndpointInterfaces(env, gone);
    e.NetworkInterfaceIds = e.NetworkInterfaceIds.filter((id) => !gone.includes(id));
    e.SubnetIds = e.SubnetIds.filter((id) => !removeSubnets.includes(id));
  }
  if (input.AddSubnetIds?.length) {
    const kept = e.SubnetIds.map((id) => find<Subnet>(env, K.subnet, id)).filter((s): s is Subnet => s !== undefined);
    const added = checkSubnets(env, t, vpc, input.AddSubnetIds.filter((id) => !e.SubnetIds.includes(id)), kept);
    for (const s of added) {
      e.NetworkInterfaceIds.push(createEndpointInterface(env, e.VpcEndpointId, s, e.Groups).NetworkInterfaceId);
      e.SubnetIds.push(s.SubnetId);
    }
  }
  if (input.IpAddressType !== undefined) {
    if (!IP_ADDRESS_TYPES.includes(input.IpAddressType)) throw new AwsError('InvalidParameterValue', `Value (${input.IpAddressType}) for parameter IpAddressType is invalid. Valid values are: ipv4, dualstack, ipv6.`, 400);
    e.IpAddressType = input.IpAddressType;
  }
  if (input.DnsOptions) e.DnsOptions = { ...e.DnsOptions, ...input.DnsOptions };
  const wantDns = input.PrivateDnsEnabled ?? e.PrivateDnsEnabled;
  const dnsName = wantDns ? (input.PrivateDnsEnabled === true && !e.PrivateDnsEnabled ? checkPrivateDns(env, t, vpc, e.VpcEndpointId) : targetPrivateName(env, t).name) : undefined;
  e.PrivateDnsEnabled = dnsName !== undefined;
  e.DnsEntries = dnsEntriesFor(env, e, t, zonesOfSubnets(env, e.SubnetIds), dnsName);
  save(env, K.vpcEndpoint, e);
  return { Return: true };
}

interface UnsuccessfulItem {
  Error: { Code: string; Message: string };
  ResourceId: string;
}

/** Removes an endpoint with what it holds: its interfaces and its routes. */
export function deleteEndpointRecord(env: HandlerEnv, e: VpcEndpoint): void {
  deleteEndpointInterfaces(env, e.NetworkInterfaceIds);
  removeGatewayRoutes(env, e.VpcEndpointId, e.RouteTableIds);
  remove(env, K.vpcEndpoint, e.VpcEndpointId);
}

export function deleteVpcEndpoints(input: { VpcEndpointIds: string[] }, env: HandlerEnv) {
  const Unsuccessful: UnsuccessfulItem[] = [];
  for (const id of input.VpcEndpointIds ?? []) {
    const e = find<VpcEndpoint>(env, K.vpcEndpoint, id);
    if (!e) {
      // Code as DescribeVpcEndpoints answers it [unverified for the Unsuccessful item].
      const err = isIdOf(K.vpcEndpoint, id) ? notFound(K.vpcEndpoint, id) : malformed(K.vpcEndpoint, id);
      Unsuccessful.push({ Error: { Code: err.code, Message: err.message }, ResourceId: id });
      continue;
    }
    deleteEndpointRecord(env, e);
  }
  return { Unsuccessful };
}

export const VPC_ENDPOINT_FILTERS = {
  'ip-address-type': (e: VpcEndpoint) => e.IpAddressType,
  'service-name': (e: VpcEndpoint) => e.ServiceName,
  'vpc-id': (e: VpcEndpoint) => e.VpcId,
  'vpc-endpoint-id': (e: VpcEndpoint) => e.VpcEndpointId,
  'vpc-endpoint-state': (e: VpcEndpoint) => e.State,
  'vpc-endpoint-type': (e: VpcEndpoint) => e.VpcEndpointType,
};

export function describeVpcEndpoints(input: { VpcEndpointIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const named = byIds<VpcEndpoint>(env, K.vpcEndpoint, input.VpcEndpointIds);
  const items = applyFilters(named ?? all<VpcEndpoint>(env, K.vpcEndpoint), input.Filters, VPC_ENDPOINT_FILTERS);
  const { page, NextToken } = paginate(items, input, { min: 5, max: 1000 }, named !== undefined);
  // The serializer writes only the model's members, so records go out as they are.
  return { VpcEndpoints: page, NextToken };
}

interface ServiceDetail {
  ServiceName: string;
  ServiceId: string;
  ServiceType: { ServiceType: string }[];
  AvailabilityZones: string[];
  Owner: string;
  BaseEndpointDnsNames: string[];
  PrivateDnsName?: string;
  PrivateDnsNames?: { PrivateDnsName: string }[];
  VpcEndpointPolicySupported: boolean;
  AcceptanceRequired: boolean;
  ManagesVpcEndpoints: boolean;
  PayerResponsibility?: string;
  Tags?: VpcEndpointServiceConfiguration['Tags'];
  PrivateDnsNameVerificationState?: string;
  SupportedIpAddressTypes: string[];
}

/** The AWS services of the region, one detail per endpoint type (S3 shows up twice, as on AWS). */
function awsServiceDetails(region: string): ServiceDetail[] {
  const zones = zonesOf(region).map((z) => z.ZoneName);
  return AWS_ENDPOINT_SERVICES.flatMap((s) =>
    s.types.map((type) => {
      const name = `com.amazonaws.${region}.${s.short}`;
      const detail: ServiceDetail = {
        ServiceName: name,
        ServiceId: awsServiceId(region, `${s.short}:${type}`),
        ServiceType: [{ ServiceType: type }],
        AvailabilityZones: zones,
        Owner: 'amazon',
        BaseEndpointDnsNames: [`${s.short}.${region}.vpce.amazonaws.com`],
        VpcEndpointPolicySupported: true,
        AcceptanceRequired: false,
        ManagesVpcEndpoints: false,
        SupportedIpAddressTypes: ['ipv4'],
      };
      if (type === 'Interface') {
        const dns = awsServicePrivateDnsName(region, s.short);
        Object.assign(detail, { PrivateDnsName: dns, PrivateDnsNames: [{ PrivateDnsName: dns }], PrivateDnsNameVerificationState: 'verified' });
      }
      return detail;
    }),
  );
}

function customServiceDetail(svc: VpcEndpointServiceConfiguration, owner: string, mine: boolean): ServiceDetail {
  const detail: ServiceDetail = {
    ServiceName: svc.ServiceName,
    ServiceId: svc.ServiceId,
    ServiceType: svc.ServiceType,
    AvailabilityZones: svc.AvailabilityZones,
    Owner: owner,
    BaseEndpointDnsNames: svc.BaseEndpointDnsNames,
    VpcEndpointPolicySupported: false,
    AcceptanceRequired: svc.AcceptanceRequired,
    ManagesVpcEndpoints: svc.ManagesVpcEndpoints,
    PayerResponsibility: svc.PayerResponsibility,
    SupportedIpAddressTypes: svc.SupportedIpAddressTypes,
  };
  if (mine && svc.Tags) detail.Tags = svc.Tags;
  if (svc.PrivateDnsName) {
    Object.assign(detail, { PrivateDnsName: svc.PrivateDnsName, PrivateDnsNames: [{ PrivateDnsName: svc.PrivateDnsName }], PrivateDnsNameVerificationState: svc.PrivateDnsNameConfiguration?.State });
  }
  return detail;
}

const SERVICE_DETAIL_FILTERS = {
  owner: (d: ServiceDetail) => d.Owner,
  'service-name': (d: ServiceDetail) => d.ServiceName,
  'service-type': (d: ServiceDetail) => d.ServiceType.map((t) => t.ServiceType),
  'supported-ip-address-types': (d: ServiceDetail) => d.SupportedIpAddressTypes,
};

export function describeVpcEndpointServices(input: { ServiceNames?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const custom = env.store
    .listAll<VpcEndpointServiceConfiguration>(KIND.vpcEndpointService)
    .filter((s) => mayConnect(s, env.scope))
    .map((s) => customServiceDetail(s.value, s.scope.account, s.scope.account === env.scope.account));
  let details = [...awsServiceDetails(env.scope.region), ...custom];
  if (input.ServiceNames?.length) {
    for (const name of input.ServiceNames) if (!details.some((d) => d.ServiceName === name)) throw invalidServiceName(name);
    details = details.filter((d) => input.ServiceNames!.includes(d.ServiceName));
  }
  details = applyFilters(details, input.Filters, SERVICE_DETAIL_FILTERS);
  const { page, NextToken } = paginate(details, input, { min: 5, max: 1000 });
  return { ServiceNames: [...new Set(page.map((d) => d.ServiceName))], ServiceDetails: page, NextToken };
}

export const vpcEndpointHandlers = {
  CreateVpcEndpoint: createVpcEndpoint,
  ModifyVpcEndpoint: modifyVpcEndpoint,
  DeleteVpcEndpoints: deleteVpcEndpoints,
  DescribeVpcEndpoints: describeVpcEndpoints,
  DescribeVpcEndpointServices: describeVpcEndpointServices,
} satisfies Handlers;
