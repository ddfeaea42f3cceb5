// The EC2 resource kinds: how each is stored, identified and reported missing.
// Every EC2 module reaches state through these helpers, so ids, not-found
// errors and tags behave the same for every resource.
import { randomBytes } from 'node:crypto';
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv } from '../../aws/service.ts';
import { KIND } from '../../records/kinds.ts';

export interface Kind {
  /** Store kind. */
  kind: string;
  /** Id prefix (vpc, subnet, ...). */
  prefix: string;
  /** The member of the stored object that holds the id. */
  idField: string;
  /** Error code for an id that does not exist, and the noun in its message. */
  notFound: string;
  noun: string;
  /** Error code for an id of the wrong form. */
  malformed: string;
  /** ResourceType in tag specifications and DescribeTags. */
  resourceType: string;
  /** The member that holds the resource's tags (network interfaces call it TagSet). */
  tagField: 'Tags' | 'TagSet';
}

function kind(prefix: string, storeKind: string, idField: string, notFound: string, noun: string, resourceType: string, malformed?: string): Kind {
  return { kind: storeKind, prefix, idField, notFound, noun, resourceType, malformed: malformed ?? notFound.replace(/NotFound$/, 'Malformed'), tagField: prefix === 'eni' ? 'TagSet' : 'Tags' };
}

export const K = {
  vpc: kind('vpc', KIND.vpc, 'VpcId', 'InvalidVpcID.NotFound', 'vpc ID', 'vpc'),
  subnet: kind('subnet', KIND.subnet, 'SubnetId', 'InvalidSubnetID.NotFound', 'subnet ID', 'subnet'),
  routeTable: kind('rtb', KIND.routeTable, 'RouteTableId', 'InvalidRouteTableID.NotFound', 'routeTable ID', 'route-table'),
  internetGateway: kind('igw', KIND.internetGateway, 'InternetGatewayId', 'InvalidInternetGatewayID.NotFound', 'internetGateway ID', 'internet-gateway'),
  natGateway: kind('nat', KIND.natGateway, 'NatGatewayId', 'NatGatewayNotFound', 'NAT gateway ID', 'natgateway', 'InvalidNatGatewayID.Malformed'),
  address: kind('eipalloc', KIND.elasticIp, 'AllocationId', 'InvalidAllocationID.NotFound', 'allocation ID', 'elastic-ip', 'InvalidAllocationID.Malformed'),
  securityGroup: kind('sg', KIND.securityGroup, 'GroupId', 'InvalidGroup.NotFound', 'security group', 'security-group', 'InvalidGroupId.Malformed'),
  securityGroupRule: kind('sgr', KIND.securityGroupRule, 'SecurityGroupRuleId', 'InvalidSecurityGroupRuleId.NotFound', 'security group rule ID', 'security-group-rule', 'InvalidSecurityGroupRuleId.Malformed'),
  networkAcl: kind('acl', KIND.networkAcl, 'NetworkAclId', 'InvalidNetworkAclID.NotFound', 'network ACL ID', 'network-acl'),
  peering: kind('pcx', KIND.peering, 'VpcPeeringConnectionId', 'InvalidVpcPeeringConnectionID.NotFound', 'vpc peering connection ID', 'vpc-peering-connection', 'InvalidVpcPeeringConnectionId.Malformed'),
  networkInterface: kind('eni', KIND.networkInterface, 'NetworkInterfaceId', 'InvalidNetworkInterfaceID.NotFound', 'network interface ID', 'network-interface', 'InvalidNetworkInterfaceId.Malformed'),
  instance: kind('i', KIND.instance, 'InstanceId', 'InvalidInstanceID.NotFound', 'instance ID', 'instance'),
  // PrivateLink (vpc-endpoint-services.ts, vpc-endpoints.ts). Wordings from botocore/moto test expectations [3p].
  vpcEndpoint: kind('vpce', KIND.vpcEndpoint, 'VpcEndpointId', 'InvalidVpcEndpointId.NotFound', 'VpcEndPoint ID', 'vpc-endpoint', 'InvalidVpcEndpointId.Malformed'),
  vpcEndpointService: kind('vpce-svc', KIND.vpcEndpointService, 'ServiceId', 'InvalidVpcEndpointServiceId.NotFound', 'VpcEndpointService Id', 'vpc-endpoint-service', 'InvalidVpcEndpointServiceId.Malformed'),
  dhcpOptions: kind('dopt', KIND.dhcpOptions, 'DhcpOptionsId', 'InvalidDhcpOptionID.NotFound', 'DHCP options ID', 'dhcp-options'),
  networkInsightsPath: kind('nip', 'ec2:network-insights-path', 'NetworkInsightsPathId', 'InvalidNetworkInsightsPathId.NotFound', 'network insights path', 'network-insights-path', 'InvalidNetworkInsightsPathId.Malformed'),
  networkInsightsAnalysis: kind('nia', 'ec2:network-insights-analysis', 'NetworkInsightsAnalysisId', 'InvalidNetworkInsightsAnalysisId.NotFound', 'network insights analysis', 'network-insights-analysis', 'InvalidNetworkInsightsAnalysisId.Malformed'),
} as const;

export const ALL_KINDS: Kind[] = Object.values(K);

/** A new id in AWS's form: prefix, dash, 17 lower-case hex digits. */
export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

export function isIdOf(k: Kind, id: string): boolean {
  return new RegExp(`^${k.prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`).test(id);
}

export function kindOfId(id: string): Kind | undefined {
  const prefix = id.slice(0, id.lastIndexOf('-'));
  return ALL_KINDS.find((k) => k.prefix === prefix);
}

export function notFound(k: Kind, id: string): AwsError {
  return new AwsError(k.notFound, `The ${k.noun} '${id}' does not exist`, 400);
}

export function malformed(k: Kind, id: string): AwsError {
  return new AwsError(k.malformed, `Invalid id: "${id}" (expecting "${k.prefix}-...")`, 400);
}

/** The resource, or the not-found / malformed error AWS answers with. */
export function must<T>(env: HandlerEnv, k: Kind, id: string | undefined): T {
  if (id === undefined || id === '') throw new AwsError('MissingParameter', `The request must contain the parameter ${k.idField}`, 400);
  const found = env.store.get<T>(k.kind, env.scope, id);
  if (found) return found;
  if (!isIdOf(k, id)) throw malformed(k, id);
  throw notFound(k, id);
}

export function find<T>(env: HandlerEnv, k: Kind, id: string): T | undefined {
  return env.store.get<T>(k.kind, env.scope, id);
}

export function all<T>(env: HandlerEnv, k: Kind): T[] {
  return env.store.list<T>(k.kind, env.scope);
}

/** all(env, k).filter((r) => r[field] === value), read from the store's index (Store.listWhere). */
export function allWhere<T>(env: HandlerEnv, k: Kind, field: 'VpcId' | 'SubnetId' | 'GroupId', value: string): T[] {
  return env.store.listWhere<T>(k.kind, env.scope, field, value);
}

export function save<T extends object>(env: HandlerEnv, k: Kind, value: T): T {
  env.store.put(k.kind, env.scope, (value as Record<string, string>)[k.idField], value);
  return value;
}

export function remove(env: HandlerEnv, k: Kind, id: string): void {
  env.store.delete(k.kind, env.scope, id);
}

/** Resources named by id in a Describe call, each checked to exist (InvalidXID.NotFound names the first missing). */
export function byIds<T>(env: HandlerEnv, k: Kind, ids: string[] | undefined): T[] | undefined {
  if (!ids || ids.length === 0) return undefined;
  const missing: string[] = [];
  const out: T[] = [];
  for (const id of ids) {
    const r = env.store.get<T>(k.kind, env.scope, id);
    if (r) out.push(r);
    else if (!isIdOf(k, id)) throw malformed(k, id);
    else missing.push(id);
  }
  if (missing.length === 1) throw notFound(k, missing[0]);
  if (missing.length > 1) throw new AwsError(k.notFound, `The ${k.noun}s '${missing.join(', ')}' do not exist`, 400);
  return out;
}

/**
 * Bookkeeping per account and region (never on the wire): the default DHCP
 * options set (dhcp-options.ts) and the default VPC (defaults.ts), once made.
 */
export interface RegionDefaults {
  defaultVpcId?: string;
  dhcpOptionsId: string;
}

const REGION_DEFAULTS_KIND = 'ec2:defaults';

export function regionDefaults(env: HandlerEnv): RegionDefaults | undefined {
  return env.store.get<RegionDefaults>(REGION_DEFAULTS_KIND, env.scope, 'defaults');
}

export function saveRegionDefaults(env: HandlerEnv, value: RegionDefaults): void {
  env.store.put(REGION_DEFAULTS_KIND, env.scope, 'defaults', value);
}
