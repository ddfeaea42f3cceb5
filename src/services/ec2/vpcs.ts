// VPCs: creation with their main route table, default network ACL and
// default security group; attributes; secondary CIDR blocks; deletion only
// when nothing depends on them.
import { randomBytes } from 'node:crypto';
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { containsCidr4, formatCidr4, overlaps4, parseCidr4, type Cidr4 } from '../../net/cidr.ts';
import { activeCidrBlocks, activeIpv6Blocks } from '../../records/vpcs.ts';
import { applyFilters, paginate, type Filter } from './describe.ts';
import { ensureDhcpOptions } from './dhcp-options.ts';
import { addIpv6Rules, createDefaultNetworkAcl } from './network-acls.ts';
import { allPeerings } from './peering.ts';
import { all, byIds, K, must, newId, remove, save } from './resources.ts';
import { createMainRouteTable, localRoutes } from './route-tables.ts';
import { removeRulesOfVpc } from './security-group-store.ts';
import { createDefaultSecurityGroup } from './security-groups.ts';
import { tagsFromSpecs, type TagSpecification } from './tags.ts';
import type { NetworkAcl, RouteTable, Vpc } from './types.ts';

const MAX_VPCS = 5;
const MAX_CIDRS = 5;

function invalidCidr(value: string): AwsError {
  return new AwsError('InvalidParameterValue', `Value (${value}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`, 400);
}

/** Parses a VPC CIDR: valid form, /16 to /28 (InvalidVpc.Range), host bits cleared as AWS does. */
export function parseVpcCidr(value: string): Cidr4 {
  const cidr = parseCidr4(value);
  if (!cidr) throw invalidCidr(value);
  if (cidr.prefix < 16 || cidr.prefix > 28) throw new AwsError('InvalidVpc.Range', `The CIDR '${value}' is invalid.`, 400);
  return cidr;
}

function randomIpv6Block(): string {
  // Amazon-provided blocks are /56s out of 2600:1f00::/24; pick one at random.
  const b = randomBytes(4);
  const g2 = 0x1f00 | b[0];
  return `2600:${g2.toString(16)}:${((b[1] << 8) | b[2]).toString(16)}:${(b[3] << 8).toString(16)}::/56`;
}

export interface CreateVpcOptions {
  cidr: Cidr4;
  isDefault?: boolean;
  tags?: Vpc['Tags'];
  instanceTenancy?: string;
  amazonIpv6?: boolean;
}

/** Creates a VPC and everything AWS creates with it. */
export function createVpcResources(env: HandlerEnv, opts: CreateVpcOptions): Vpc {
  const vpc: Vpc = {
    VpcId: newId('vpc'),
    OwnerId: env.scope.account,
    CidrBlock: formatCidr4(opts.cidr),
    State: 'available',
    DhcpOptionsId: ensureDhcpOptions(env),
    InstanceTenancy: opts.instanceTenancy ?? 'default',
    IsDefault: opts.isDefault ?? false,
    CidrBlockAssociationSet: [{ AssociationId: newId('vpc-cidr-assoc'), CidrBlock: formatCidr4(opts.cidr), CidrBlockState: { State: 'associated' } }],
    Ipv6CidrBlockAssociationSet: opts.amazonIpv6
      ? [{ AssociationId: newId('vpc-cidr-assoc'), Ipv6CidrBlock: randomIpv6Block(), Ipv6CidrBlockState: { State: 'associated' }, NetworkBorderGroup: env.scope.region, Ipv6Pool: 'Amazon' }]
      : undefined,
    Tags: opts.tags,
    // The default VPC has DNS hostnames on; a VPC you create does not.
    _attributes: { EnableDnsSupport: true, EnableDnsHostnames: opts.isDefault ?? false, EnableNetworkAddressUsageMetrics: false },
  };
  save(env, K.vpc, vpc);
  createMainRouteTable(env, vpc);
  createDefaultNetworkAcl(env, vpc);
  createDefaultSecurityGroup(env, vpc);
  return vpc;
}

export function createVpc(input: { CidrBlock?: string; AmazonProvidedIpv6CidrBlock?: boolean; InstanceTenancy?: string; TagSpecifications?: TagSpecification[]; Ipv4IpamPoolId?: string }, env: HandlerEnv) {
  if (input.CidrBlock === undefined) {
    if (input.Ipv4IpamPoolId) throw new AwsError('InvalidIpamPoolId.NotFound', `The pool ID '${input.Ipv4IpamPoolId}' does not exist`, 400);
    throw new AwsError('MissingParameter', "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.", 400);
  }
  const cidr = parseVpcCidr(input.CidrBlock);
  if (input.InstanceTenancy !== undefined && !['default', 'dedicated'].includes(input.InstanceTenancy)) {
    throw new AwsError('InvalidParameterValue', `Value (${input.InstanceTenancy}) for parameter instanceTenancy is invalid.`, 400);
  }
  const tags = tagsFromSpecs(input.TagSpecifications, 'vpc');
  if (all<Vpc>(env, K.vpc).length >= MAX_VPCS) throw new AwsError('VpcLimitExceeded', 'The maximum number of VPCs has been reached.', 400);
  const vpc = createVpcResources(env, { cidr, tags, instanceTenancy: input.InstanceTenancy, amazonIpv6: input.AmazonProvidedIpv6CidrBlock });
  return { Vpc: { ...vpc, State: 'pending' } };
}

export const VPC_FILTERS = {
  cidr: (v: Vpc) => v.CidrBlock,
  'cidr-block-association.cidr-block': (v: Vpc) => v.CidrBlockAssociationSet.map((a) => a.CidrBlock),
  'cidr-block-association.association-id': (v: Vpc) => v.CidrBlockAssociationSet.map((a) => a.AssociationId),
  'cidr-block-association.state': (v: Vpc) => v.CidrBlockAssociationSet.map((a) => a.CidrBlockState.State),
  'dhcp-options-id': (v: Vpc) => v.DhcpOptionsId,
  'ipv6-cidr-block-association.ipv6-cidr-block': (v: Vpc) => v.Ipv6CidrBlockAssociationSet?.map((a) => a.Ipv6CidrBlock),
  'ipv6-cidr-block-association.ipv6-pool': (v: Vpc) => v.Ipv6CidrBlockAssociationSet?.map((a) => a.Ipv6Pool),
  'ipv6-cidr-block-association.association-id': (v: Vpc) => v.Ipv6CidrBlockAssociationSet?.map((a) => a.AssociationId),
  'ipv6-cidr-block-association.state': (v: Vpc) => v.Ipv6CidrBlockAssociationSet?.map((a) => a.Ipv6CidrBlockState.State),
  'is-default': (v: Vpc) => String(v.IsDefault),
  'owner-id': (v: Vpc) => v.OwnerId,
  state: (v: Vpc) => v.State,
  'vpc-id': (v: Vpc) => v.VpcId,
};

export function describeVpcs(input: { VpcIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const items = byIds<Vpc>(env, K.vpc, input.VpcIds) ?? all<Vpc>(env, K.vpc);
  const { page, NextToken } = paginate(applyFilters(items, input.Filters, VPC_FILTERS), input, { min: 5, max: 1000 }, !!input.VpcIds?.length);
  return { Vpcs: page, NextToken };
}

/** What still uses a VPC, in the order AWS reports; undefined when it can be deleted. */
function vpcDependency(env: HandlerEnv, vpcId: string): string | undefined {
  const inVpc = (kind: string) => env.store.list<{ VpcId?: string }>(kind, env.scope).filter((r) => r.VpcId === vpcId);
  if (inVpc(K.subnet.kind).length) return 'subnets';
  const igws = env.store.list<{ Attachments?: { VpcId: string }[] }>(K.internetGateway.kind, env.scope);
  if (igws.some((g) => g.Attachments?.some((a) => a.VpcId === vpcId))) return 'an attached internet gateway';
  if (inVpc(K.securityGroup.kind).some((g) => (g as { GroupName?: string }).GroupName !== 'default')) return 'security groups';
  if (inVpc(K.routeTable.kind).some((t) => !(t as RouteTable).Associations.some((a) => a.Main))) return 'route tables';
  if (inVpc(K.networkAcl.kind).some((a) => !(a as NetworkAcl).IsDefault)) return 'network ACLs';
  if (inVpc(K.networkInterface.kind).length) return 'network interfaces';
  if (inVpc(K.vpcEndpoint.kind).length) return 'VPC endpoints';
  // As each connection stands now: a request that expired no longer holds the VPC.
  if (allPeerings(env).some((p) => ['active', 'pending-acceptance', 'provisioning'].includes(p.Status.Code) && (p.RequesterVpcInfo.VpcId === vpcId || p.AccepterVpcInfo.VpcId === vpcId))) return 'VPC peering connections';
  return undefined;
}

export function deleteVpc(input: { VpcId: string }, env: HandlerEnv) {
  const vpc = must<Vpc>(env, K.vpc, input.VpcId);
  if (vpcDependency(env, vpc.VpcId)) throw new AwsError('DependencyViolation', `The vpc '${vpc.VpcId}' has dependencies and cannot be deleted.`, 400);
  // What AWS created with the VPC goes with it (the default group's rules are records of their own).
  removeRulesOfVpc(env, vpc.VpcId);
  for (const k of [K.routeTable, K.networkAcl, K.securityGroup]) {
    for (const r of env.store.list<Record<string, string>>(k.kind, env.scope)) if (r.VpcId === vpc.VpcId) remove(env, k, r[k.idField]);
  }
  remove(env, K.vpc, vpc.VpcId);
  return { Return: true };
}

const ATTRIBUTES = { enableDnsSupport: 'EnableDnsSupport', enableDnsHostnames: 'EnableDnsHostnames', enableNetworkAddressUsageMetrics: 'EnableNetworkAddressUsageMetrics' } as const;

export function describeVpcAttribute(input: { VpcId: string; Attribute: string }, env: HandlerEnv) {
  const vpc = must<Vpc>(env, K.vpc, input.VpcId);
  const key = ATTRIBUTES[input.Attribute as keyof typeof ATTRIBUTES];
  if (!key) throw new AwsError('InvalidParameterValue', `Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`, 400);
  return { VpcId: vpc.VpcId, [key]: { Value: vpc._attributes[key] } };
}

export function modifyVpcAttribute(input: { VpcId: string; EnableDnsSupport?: { Value?: boolean }; EnableDnsHostnames?: { Value?: boolean }; EnableNetworkAddressUsageMetrics?: { Value?: boolean } }, env: HandlerEnv) {
  const vpc = must<Vpc>(env, K.vpc, input.VpcId);
  const given = Object.values(ATTRIBUTES).filter((k) => input[k] !== undefined);
  if (given.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter EnableDnsSupport, EnableDnsHostnames or EnableNetworkAddressUsageMetrics', 400);
  if (given.length > 1) {
    throw new AwsError('InvalidParameterCombination', `Fields for multiple attribute types specified: ${given.map((k) => k.charAt(0).toLowerCase() + k.slice(1)).join(', ')}`, 400);
  }
  const key = given[0];
  const value = input[key]!.Value;
  if (value === undefined) throw new AwsError('MissingParameter', `The request must contain the parameter ${key}.Value`, 400);
  vpc._attributes[key] = value;
  save(env, K.vpc, vpc);
  return {};
}

/** Secondary blocks AWS refuses for a VPC whose primary block is `primary` (AWS-BEHAVIOUR §1). */
function restrictedFor(primary: Cidr4, cidr: Cidr4): boolean {
  const c = (s: string) => parseCidr4(s)!;
  const inRange = (r: string) => containsCidr4(c(r), cidr);
  const rfc1918 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
  const home = rfc1918.find((r) => containsCidr4(c(r), primary));
  if (home === '10.0.0.0/8') {
    if (inRange('172.16.0.0/12') || inRange('192.168.0.0/16') || inRange('198.19.0.0/16')) return true;
    return containsCidr4(c('10.0.0.0/15'), primary) && overlaps4(c('10.0.0.0/16'), cidr);
  }
  if (home === '172.16.0.0/12') return inRange('10.0.0.0/8') || inRange('192.168.0.0/16') || inRange('198.19.0.0/16') || overlaps4(c('172.31.0.0/16'), cidr);
  if (home === '192.168.0.0/16') return inRange('10.0.0.0/8') || inRange('172.16.0.0/12') || inRange('198.19.0.0/16');
  return false;
}

export function associateVpcCidrBlock(input: { VpcId: string; CidrBlock?: string; AmazonProvidedIpv6CidrBlock?: boolean }, env: HandlerEnv) {
  const vpc = must<Vpc>(env, K.vpc, input.VpcId);
  if (input.AmazonProvidedIpv6CidrBlock) {
    if (activeIpv6Blocks(vpc).length > 0) {
      throw new AwsError('CidrLimitExceeded', `This network '${vpc.VpcId}' has met its maximum number of allowed CIDRs: 1`, 400);
    }
    const assoc = { AssociationId: newId('vpc-cidr-assoc'), Ipv6CidrBlock: randomIpv6Block(), Ipv6CidrBlockState: { State: 'associated' }, NetworkBorderGroup: env.scope.region, Ipv6Pool: 'Amazon' };
    vpc.Ipv6CidrBlockAssociationSet = [...(vpc.Ipv6CidrBlockAssociationSet ?? []), assoc];
    save(env, K.vpc, vpc);
    addLocalRoutes(env, vpc);
    addIpv6Rules(env, vpc.VpcId);
    return { VpcId: vpc.VpcId, Ipv6CidrBlockAssociation: { ...assoc, Ipv6CidrBlockState: { State: 'associating' } } };
  }
  if (input.CidrBlock === undefined) throw new AwsError('MissingParameter', "Either 'cidrBlock' or 'amazonProvidedIpv6CidrBlock' should be provided.", 400);
  const cidr = parseVpcCidr(input.CidrBlock);
  const active = activeCidrBlocks(vpc);
  if (active.length >= MAX_CIDRS) throw new AwsError('CidrLimitExceeded', `This network '${vpc.VpcId}' has met its maximum number of allowed CIDRs: ${MAX_CIDRS}`, 400);
  const clash = active.find((b) => overlaps4(parseCidr4(b)!, cidr));
  if (clash) throw new AwsError('InvalidVpc.Range', `The CIDR '${input.CidrBlock}' conflicts with another CIDR block '${clash}' of the VPC.`, 400);
  if (restrictedFor(parseCidr4(vpc.CidrBlock)!, cidr)) {
    throw new AwsError('InvalidVpc.Range', `The CIDR '${input.CidrBlock}' is restricted. Use a CIDR from the same private address range as the current VPC CIDR, or use a publicly-routable CIDR.`, 400);
  }
  // A new block may not be as large as, or larger than, a route destination already in the VPC's tables.
  for (const t of all<RouteTable>(env, K.routeTable).filter((t) => t.VpcId === vpc.VpcId)) {
    for (const r of t.Routes) {
      const dest = r.DestinationCidrBlock ? parseCidr4(r.DestinationCidrBlock) : undefined;
      if (r.GatewayId !== 'local' && dest && dest.prefix > 0 && overlaps4(dest, cidr) && cidr.prefix <= dest.prefix) {
        throw new AwsError('InvalidVpc.Range', `The CIDR '${input.CidrBlock}' is the same size as or larger than the route destination '${r.DestinationCidrBlock}' in route table '${t.RouteTableId}'.`, 400);
      }
    }
  }
  const assoc = { AssociationId: newId('vpc-cidr-assoc'), CidrBlock: formatCidr4(cidr), CidrBlockState: { State: 'associated' } };
  vpc.CidrBlockAssociationSet.push(assoc);
  save(env, K.vpc, vpc);
  addLocalRoutes(env, vpc);
  return { VpcId: vpc.VpcId, CidrBlockAssociation: { ...assoc, CidrBlockState: { State: 'associating' } } };
}

/**
 * Every route table of the VPC has one local route per associated block:
 * added for a new block, dropped for a removed one, and kept as it is
 * otherwise (its target may have been replaced, e.g. with a middlebox ENI).
 */
function addLocalRoutes(env: HandlerEnv, vpc: Vpc): void {
  const destOf = (r: RouteTable['Routes'][number]) => r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock;
  const wanted = localRoutes(vpc);
  const wantedDest = new Set(wanted.map(destOf));
  for (const t of all<RouteTable>(env, K.routeTable).filter((t) => t.VpcId === vpc.VpcId)) {
    const kept = t.Routes.filter((r) => r.Origin !== 'CreateRouteTable' || wantedDest.has(destOf(r)));
    const locals = kept.filter((r) => r.Origin === 'CreateRouteTable');
    const have = new Set(locals.map(destOf));
    t.Routes = [...locals, ...wanted.filter((r) => !have.has(destOf(r))), ...kept.filter((r) => r.Origin !== 'CreateRouteTable')];
    save(env, K.routeTable, t);
  }
}

export function disassociateVpcCidrBlock(input: { AssociationId: string }, env: HandlerEnv) {
  for (const vpc of all<Vpc>(env, K.vpc)) {
    const v4 = vpc.CidrBlockAssociationSet.find((a) => a.AssociationId === input.AssociationId);
    const v6 = vpc.Ipv6CidrBlockAssociationSet?.find((a) => a.AssociationId === input.AssociationId);
    if (!v4 && !v6) continue;
    if (v4) {
      if (v4.CidrBlock === vpc.CidrBlock) {
        throw new AwsError('OperationNotPermitted', `The vpc CIDR block with association ID ${input.AssociationId} may not be disassociated. It is the primary IPv4 CIDR block of the VPC`, 400);
      }
      const block = parseCidr4(v4.CidrBlock)!;
      const used = env.store.list<{ VpcId: string; CidrBlock: string; SubnetId: string }>(K.subnet.kind, env.scope).find((s) => s.VpcId === vpc.VpcId && containsCidr4(block, parseCidr4(s.CidrBlock)!));
      if (used) throw new AwsError('DependencyViolation', `The vpc CIDR block with association ID ${input.AssociationId} has dependencies (subnet ${used.SubnetId}) and cannot be disassociated.`, 400);
      vpc.CidrBlockAssociationSet = vpc.CidrBlockAssociationSet.filter((a) => a !== v4);
    } else {
      vpc.Ipv6CidrBlockAssociationSet = vpc.Ipv6CidrBlockAssociationSet!.filter((a) => a !== v6);
      if (vpc.Ipv6CidrBlockAssociationSet.length === 0) delete vpc.Ipv6CidrBlockAssociationSet;
    }
    save(env, K.vpc, vpc);
    addLocalRoutes(env, vpc);
    return v4
      ? { VpcId: vpc.VpcId, CidrBlockAssociation: { ...v4, CidrBlockState: { State: 'disassociating' } } }
      : { VpcId: vpc.VpcId, Ipv6CidrBlockAssociation: { ...v6!, Ipv6CidrBlockState: { State: 'disassociating' } } };
  }
  throw new AwsError('InvalidVpcCidrBlockAssociationID.NotFound', `The vpc CIDR block association ID '${input.AssociationId}' does not exist`, 400);
}

export const vpcHandlers = {
  CreateVpc: createVpc,
  DeleteVpc: deleteVpc,
  DescribeVpcs: describeVpcs,
  DescribeVpcAttribute: describeVpcAttribute,
  ModifyVpcAttribute: modifyVpcAttribute,
  AssociateVpcCidrBlock: associateVpcCidrBlock,
  DisassociateVpcCidrBlock: disassociateVpcCidrBlock,
} satisfies Handlers;
