// PrivateLink, the provider's side: endpoint service configurations in
// front of Network Load Balancers (Create/Modify/Delete/Describe
// VpcEndpointServiceConfiguration[s]), and the readers both sides share:
// which service a ServiceName names, who may connect, which endpoints point
// at a service. The service lives in its provider's account and region; a
// consumer's endpoint lives in the consumer's and names the service's scope
// in `_service` (src/records/ec2.ts). Permissions, connections and private
// DNS verification are in endpoint-permissions.ts, endpoint-connections.ts
// and private-dns-verification.ts.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import type { VpcEndpoint, VpcEndpointServiceConfiguration } from '../../records/ec2.ts';
import type { LoadBalancer } from '../../records/elbv2.ts';
import { KIND } from '../../records/kinds.ts';
import type { Scope } from '../../store/store.ts';
import { applyFilters, paginate, type Filter } from './describe.ts';
import { baseEndpointDnsName, endpointServiceName, newVerificationRecord, validDomainName } from './endpoint-names.ts';
import { all, byIds, find, isIdOf, K, malformed, newId, notFound, remove, save } from './resources.ts';
import { tagsFromSpecs, type TagSpecification } from './tags.ts';

export type { VpcEndpointServiceConfiguration };

/** Endpoint states in which an endpoint holds its connection to the service. */
export const CONNECTED_STATES = ['pendingAcceptance', 'pending', 'available'];

const IP_ADDRESS_TYPES = ['ipv4', 'ipv6'];

/** The service configuration in the caller's account and region, or InvalidVpcEndpointServiceId.NotFound / .Malformed. */
export function mustService(env: HandlerEnv, id: string | undefined): VpcEndpointServiceConfiguration {
  if (id === undefined || id === '') throw new AwsError('MissingParameter', 'The request must contain the parameter ServiceId', 400);
  const svc = find<VpcEndpointServiceConfiguration>(env, K.vpcEndpointService, id);
  if (svc) return svc;
  if (!isIdOf(K.vpcEndpointService, id)) throw malformed(K.vpcEndpointService, id);
  throw notFound(K.vpcEndpointService, id);
}

/** An endpoint service of any account by its name, with where it is stored. */
export function serviceByName(env: HandlerEnv, serviceName: string): { scope: Scope; value: VpcEndpointServiceConfiguration } | undefined {
  return env.store.listAll<VpcEndpointServiceConfiguration>(KIND.vpcEndpointService).find((s) => s.value.ServiceName === serviceName);
}

/**
 * May the caller's account connect to the service? Its own account may, and
 * any account the provider allowed: `*` or the account's root ARN. localnet
 * has no IAM, so a caller is its account's root: a permission for a role or
 * user ARN names someone localnet never sees calling. Consumers connect in
 * the service's own region: the API model localnet speaks (aws-sdk v2) has
 * no SupportedRegions/ServiceRegion members for cross-region PrivateLink;
 * another region reaches the endpoint's interfaces through VPC peering.
 */
export function mayConnect(service: { scope: Scope; value: VpcEndpointServiceConfiguration }, caller: Scope): boolean {
  if (service.scope.region !== caller.region && !(service.value._supportedRegions ?? []).includes(caller.region)) return false;
  if (service.scope.account === caller.account) return true;
  return service.value._allowedPrincipals.some((p) => p.Principal === '*' || p.Principal === `arn:aws:iam::${caller.account}:root`);
}

/** Every endpoint, in any account and region, that points at the caller's service. */
export function endpointsOfService(env: HandlerEnv, serviceId: string): { scope: Scope; value: VpcEndpoint }[] {
  return env.store
    .listAll<VpcEndpoint>(KIND.vpcEndpoint)
    .filter(({ value: e }) => e._service?.serviceId === serviceId && e._service.account === env.scope.account && e._service.region === env.scope.region);
}

/**
 * Network Load Balancers named for a service: each must exist in the
 * caller's account and region, be of type network, and not front another
 * endpoint service. The codes are AWS's; the wordings are localnet's
 * [unverified: AWS's exact texts for these refusals were not found].
 */
function checkLoadBalancers(env: HandlerEnv, arns: string[], serviceId: string | undefined): LoadBalancer[] {
  const others = all<VpcEndpointServiceConfiguration>(env, K.vpcEndpointService).filter((s) => s.ServiceId !== serviceId);
  return [...new Set(arns)].map((arn) => {
    const lb = env.store.get<LoadBalancer>(KIND.loadBalancer, env.scope, arn);
    if (!lb) throw new AwsError('InvalidParameter', `Load balancer '${arn}' does not exist in this account and region.`, 400);
    if (lb.Type !== 'network') throw new AwsError('InvalidParameter', `Load balancer '${arn}' is not a Network Load Balancer; an endpoint service needs Network Load Balancers.`, 400);
    const taken = others.find((s) => (s.NetworkLoadBalancerArns ?? []).includes(arn));
    if (taken) throw new AwsError('InvalidParameter', `Load balancer '${arn}' is already associated with the endpoint service ${taken.ServiceId}.`, 400);
    return lb;
  });
}

/** A service's zones: every zone one of its load balancers is in. */
function zonesOf(lbs: LoadBalancer[]): string[] {
  return [...new Set(lbs.flatMap((lb) => lb.AvailabilityZones.map((z) => z.ZoneName)))].sort();
}

function checkIpAddressTypes(types: string[]): void {
  for (const t of types) {
    if (!IP_ADDRESS_TYPES.includes(t)) throw new AwsError('InvalidParameterValue', `Invalid value '${t}' for SupportedIpAddressType. Valid values are: ipv4, ipv6.`, 400);
  }
}

function checkPrivateDnsName(name: string): void {
  if (!validDomainName(name)) throw new AwsError('InvalidParameter', `The private DNS name '${name}' is not a valid domain name.`, 400);
}

/** The configuration as the API shows it (the private DNS name's TXT check only while there is a name). */
export function presentService(svc: VpcEndpointServiceConfiguration): VpcEndpointServiceConfiguration {
  const out = { ...svc };
  if (!out.PrivateDnsName) delete out.PrivateDnsNameConfiguration;
  return out;
}

export function createVpcEndpointServiceConfiguration(
  input: { AcceptanceRequired?: boolean; PrivateDnsName?: string; NetworkLoadBalancerArns?: string[]; GatewayLoadBalancerArns?: string[]; SupportedIpAddressTypes?: string[]; ClientToken?: string; TagSpecifications?: TagSpecification[] },
  env: HandlerEnv,
) {
  if (input.ClientToken) {
    const earlier = all<VpcEndpointServiceConfiguration>(env, K.vpcEndpointService).find((s) => s._clientToken === input.ClientToken);
    if (earlier) return { ServiceConfiguration: presentService(earlier), ClientToken: input.ClientToken };
  }
  if (input.GatewayLoadBalancerArns?.length) {
    // ELBv2 in localnet makes no Gateway Load Balancers, so no ARN can name one.
    throw new AwsError('InvalidParameter', 'localnet does not emulate Gateway Load Balancers, so GatewayLoadBalancerArns cannot name one; use NetworkLoadBalancerArns.', 400);
  }
  const arns = input.NetworkLoadBalancerArns ?? [];
  if (arns.length === 0) throw new AwsError('InvalidParameter', 'Either NetworkLoadBalancerArns or GatewayLoadBalancerArns must be specified.', 400);
  const id = newId('vpce-svc');
  const lbs = checkLoadBalancers(env, arns, id);
  const ipTypes = [...new Set(input.SupportedIpAddressTypes ?? ['ipv4'])];
  checkIpAddressTypes(ipTypes);
  if (input.PrivateDnsName !== undefined) checkPrivateDnsName(input.PrivateDnsName);
  const tags = tagsFromSpecs(input.TagSpecifications, 'vpc-endpoint-service');
  const svc: VpcEndpointServiceConfiguration = {
    ServiceType: [{ ServiceType: 'Interface' }],
    ServiceId: id,
    ServiceName: endpointServiceName(env.scope.region, id),
    ServiceState: 'Available',
    AvailabilityZones: zonesOf(lbs),
    AcceptanceRequired: input.AcceptanceRequired ?? true,
    ManagesVpcEndpoints: false,
    NetworkLoadBalancerArns: lbs.map((lb) => lb.LoadBalancerArn),
    SupportedIpAddressTypes: ipTypes,
    BaseEndpointDnsNames: [baseEndpointDnsName(env.scope.region, id)],
    PayerResponsibility: 'ServiceOwner',
    Tags: tags,
    _allowedPrincipals: [],
    _clientToken: input.ClientToken,
  };
  if (input.PrivateDnsName !== undefined) {
    svc.PrivateDnsName = input.PrivateDnsName;
    svc.PrivateDnsNameConfiguration = { State: 'pendingVerification', Type: 'TXT', ...newVerificationRecord() };
  }
  save(env, K.vpcEndpointService, svc);
  return { ServiceConfiguration: presentService(svc), ClientToken: input.ClientToken };
}

export function modifyVpcEndpointServiceConfiguration(
  input: {
    ServiceId: string;
    PrivateDnsName?: string;
    RemovePrivateDnsName?: boolean;
    AcceptanceRequired?: boolean;
    AddNetworkLoadBalancerArns?: string[];
    RemoveNetworkLoadBalancerArns?: string[];
    AddGatewayLoadBalancerArns?: string[];
    RemoveGatewayLoadBalancerArns?: string[];
    AddSupportedIpAddressTypes?: string[];
    RemoveSupportedIpAddressTypes?: string[];
  },
  env: HandlerEnv,
) {
  const svc = mustService(env, input.ServiceId);
  if (input.AddGatewayLoadBalancerArns?.length || input.RemoveGatewayLoadBalancerArns?.length) {
    throw new AwsError('InvalidParameter', 'localnet does not emulate Gateway Load Balancers; this service is in front of Network Load Balancers.', 400);
  }
  if (input.PrivateDnsName !== undefined && input.RemovePrivateDnsName) {
    throw new AwsError('InvalidParameterCombination', 'PrivateDnsName and RemovePrivateDnsName cannot both be specified.', 400);
  }
  if (input.AddNetworkLoadBalancerArns?.length || input.RemoveNetworkLoadBalancerArns?.length) {
    const kept = (svc.NetworkLoadBalancerArns ?? []).filter((a) => !(input.RemoveNetworkLoadBalancerArns ?? []).includes(a));
    const arns = [...new Set([...kept, ...(input.AddNetworkLoadBalancerArns ?? [])])];
    if (arns.length === 0) throw new AwsError('InvalidParameter', `The endpoint service ${svc.ServiceId} must keep at least one load balancer.`, 400);
    const lbs = checkLoadBalancers(env, arns, svc.ServiceId);
    svc.NetworkLoadBalancerArns = lbs.map((lb) => lb.LoadBalancerArn);
    svc.AvailabilityZones = zonesOf(lbs);
  }
  if (input.AcceptanceRequired !== undefined) svc.AcceptanceRequired = input.AcceptanceRequired;
  if (input.AddSupportedIpAddressTypes?.length || input.RemoveSupportedIpAddressTypes?.length) {
    checkIpAddressTypes([...(input.AddSupportedIpAddressTypes ?? []), ...(input.RemoveSupportedIpAddressTypes ?? [])]);
    const types = [...new Set([...svc.SupportedIpAddressTypes, ...(input.AddSupportedIpAddressTypes ?? [])])].filter((t) => !(input.RemoveSupportedIpAddressTypes ?? []).includes(t));
    if (types.length === 0) throw new AwsError('InvalidParameter', 'An endpoint service must support at least one IP address type.', 400);
    svc.SupportedIpAddressTypes = types;
  }
  if (input.RemovePrivateDnsName) {
    delete svc.PrivateDnsName;
    delete svc.PrivateDnsNameConfiguration;
    delete svc._verification;
  } else if (input.PrivateDnsName !== undefined && input.PrivateDnsName !== svc.PrivateDnsName) {
    // A new name must be proven again, with a new TXT record.
    checkPrivateDnsName(input.PrivateDnsName);
    svc.PrivateDnsName = input.PrivateDnsName;
    svc.PrivateDnsNameConfiguration = { State: 'pendingVerification', Type: 'TXT', ...newVerificationRecord() };
    delete svc._verification;
  }
  save(env, K.vpcEndpointService, svc);
  return { Return: true };
}

interface UnsuccessfulItem {
  Error: { Code: string; Message: string };
  ResourceId: string;
}

export function deleteVpcEndpointServiceConfigurations(input: { ServiceIds: string[] }, env: HandlerEnv) {
  const Unsuccessful: UnsuccessfulItem[] = [];
  for (const id of input.ServiceIds ?? []) {
    const svc = find<VpcEndpointServiceConfiguration>(env, K.vpcEndpointService, id);
    if (!svc) {
      const err = isIdOf(K.vpcEndpointService, id) ? notFound(K.vpcEndpointService, id) : malformed(K.vpcEndpointService, id);
      Unsuccessful.push({ Error: { Code: err.code, Message: err.message }, ResourceId: id });
      continue;
    }
    // AWS's own code and text [3p: seen in Go test fixtures of AWS controllers].
    if (endpointsOfService(env, id).some(({ value: e }) => CONNECTED_STATES.includes(e.State))) {
      Unsuccessful.push({ Error: { Code: 'ExistingVpcEndpointConnections', Message: 'Service has existing active VPC Endpoint connections!' }, ResourceId: id });
      continue;
    }
    remove(env, K.vpcEndpointService, id);
  }
  return { Unsuccessful };
}

export const SERVICE_CONFIGURATION_FILTERS = {
  'service-name': (s: VpcEndpointServiceConfiguration) => s.ServiceName,
  'service-id': (s: VpcEndpointServiceConfiguration) => s.ServiceId,
  'service-state': (s: VpcEndpointServiceConfiguration) => s.ServiceState,
  'supported-ip-address-types': (s: VpcEndpointServiceConfiguration) => s.SupportedIpAddressTypes,
};

export function describeVpcEndpointServiceConfigurations(input: { ServiceIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const named = byIds<VpcEndpointServiceConfiguration>(env, K.vpcEndpointService, input.ServiceIds);
  const items = applyFilters(named ?? all<VpcEndpointServiceConfiguration>(env, K.vpcEndpointService), input.Filters, SERVICE_CONFIGURATION_FILTERS);
  const { page, NextToken } = paginate(items, input, { min: 5, max: 1000 }, named !== undefined);
  return { ServiceConfigurations: page.map(presentService), NextToken };
}

export const vpcEndpointServiceHandlers = {
  CreateVpcEndpointServiceConfiguration: createVpcEndpointServiceConfiguration,
  ModifyVpcEndpointServiceConfiguration: modifyVpcEndpointServiceConfiguration,
  DeleteVpcEndpointServiceConfigurations: deleteVpcEndpointServiceConfigurations,
  DescribeVpcEndpointServiceConfigurations: describeVpcEndpointServiceConfigurations,
} satisfies Handlers;
