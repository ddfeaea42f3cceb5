// Security groups: stateful, allow-only firewalls per VPC. Every VPC has a
// 'default' group that admits its own members and allows all egress; a group
// you create starts with no inbound rules and one allow-all IPv4 egress rule.
// The rules themselves live in security-group-rules.ts (one sgr- record
// each); a group's IpPermissions are rebuilt from them on every change
// (security-group-store.ts).
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { applyFilters, paginate, type Filter, type Tag } from './describe.ts';
import { all, byIds, K, must, newId, remove, save } from './resources.ts';
import { addRules, allowAllRule, selfReferenceRule } from './security-group-rules.ts';
import { defaultVpcOf, groupByNameInDefaultVpc, noDefaultVpc, removeRulesOfGroup, resolveGroup } from './security-group-store.ts';
import { tagsFromSpecs, type TagSpecification } from './tags.ts';
import type { NetworkInterface, Vpc } from './types.ts';
import type { IpPermission, SecurityGroup, SecurityGroupRule } from '../../records/ec2.ts';
export type { IpPermission, SecurityGroup } from '../../records/ec2.ts';

const MAX_GROUPS_PER_REGION = 2500;
/** Names and descriptions of VPC security groups: printable ASCII from this set, at most 255 characters. */
const ALLOWED = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;
const ALLOWED_SET = 'a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*';

function newGroup(env: HandlerEnv, vpc: Vpc, name: string, description: string, tags?: Tag[]): SecurityGroup {
  const id = newId('sg');
  return save(env, K.securityGroup, {
    GroupId: id,
    GroupName: name,
    Description: description,
    VpcId: vpc.VpcId,
    OwnerId: env.scope.account,
    SecurityGroupArn: `arn:aws:ec2:${env.scope.region}:${env.scope.account}:security-group/${id}`,
    IpPermissions: [],
    IpPermissionsEgress: [],
    Tags: tags,
  } satisfies SecurityGroup);
}

/** The VPC's 'default' group: all traffic from its own members in, all traffic out (IPv6 too when the VPC has an IPv6 block). */
export function createDefaultSecurityGroup(env: HandlerEnv, vpc: Vpc): SecurityGroup {
  const group = newGroup(env, vpc, 'default', 'default VPC security group');
  const egress = [allowAllRule('0.0.0.0/0')];
  if ((vpc.Ipv6CidrBlockAssociationSet ?? []).length > 0) egress.push(allowAllRule('::/0'));
  addRules(env, group, false, [selfReferenceRule(env, group)]);
  addRules(env, group, true, egress);
  return must<SecurityGroup>(env, K.securityGroup, group.GroupId);
}

function validateText(param: 'GroupName' | 'GroupDescription', value: string): void {
  if (value.length > 255) throw new AwsError('InvalidParameterValue', `Value (${value}) for parameter ${param} is invalid. Length exceeds maximum of 255 characters.`, 400);
  if (/[^\x20-\x7e]/.test(value)) throw new AwsError('InvalidParameterValue', `Value (${value}) for parameter ${param} is invalid. Character sets beyond ASCII are not supported.`, 400);
  if (!ALLOWED.test(value)) {
    const what = param === 'GroupName' ? 'name' : 'description';
    throw new AwsError('InvalidParameterValue', `Invalid security group ${what}. Valid ${what}s are strings less than 256 characters from the following set:  ${ALLOWED_SET}`, 400);
  }
}

export function createSecurityGroup(input: { GroupName: string; Description: string; VpcId?: string; TagSpecifications?: TagSpecification[] }, env: HandlerEnv) {
  if (input.GroupName === '') throw new AwsError('MissingParameter', 'The request must contain the parameter GroupName', 400);
  if (input.Description === '') throw new AwsError('MissingParameter', 'The request must contain the parameter GroupDescription', 400);
  validateText('GroupName', input.GroupName);
  validateText('GroupDescription', input.Description);
  if (input.GroupName.startsWith('sg-')) throw new AwsError('InvalidParameterValue', 'Group names may not be in the format sg-*.', 400);
  const vpc = input.VpcId ? must<Vpc>(env, K.vpc, input.VpcId) : defaultVpcOf(env);
  if (!vpc) throw noDefaultVpc();
  if (input.GroupName === 'default') throw new AwsError('InvalidGroup.Reserved', "The security group 'default' is reserved", 400);
  const groups = all<SecurityGroup>(env, K.securityGroup);
  if (groups.some((g) => g.VpcId === vpc.VpcId && g.GroupName === input.GroupName)) {
    throw new AwsError('InvalidGroup.Duplicate', `The security group '${input.GroupName}' already exists for VPC '${vpc.VpcId}'`, 400);
  }
  const tags = tagsFromSpecs(input.TagSpecifications, 'security-group');
  if (groups.length >= MAX_GROUPS_PER_REGION) throw new AwsError('SecurityGroupLimitExceeded', 'The maximum number of security groups for the region has been reached.', 400);
  const group = newGroup(env, vpc, input.GroupName, input.Description, tags);
  addRules(env, group, true, [allowAllRule('0.0.0.0/0')]);
  return { GroupId: group.GroupId, Tags: tags };
}

export function deleteSecurityGroup(input: { GroupId?: string; GroupName?: string }, env: HandlerEnv) {
  const group = resolveGroup(env, input);
  if (group.GroupName === 'default') {
    throw new AwsError('CannotDelete', `the specified group: "${group.GroupId}" name: "default" cannot be deleted by a user`, 400);
  }
  // Another group's rule that names this one (in any account, across a peering) keeps it alive; its own self-references do not.
  const referenced = env.store
    .listAll<SecurityGroupRule>(K.securityGroupRule.kind)
    .some(({ value: r }) => r.ReferencedGroupInfo?.GroupId === group.GroupId && r.GroupId !== group.GroupId);
  const inUse = env.store.list<NetworkInterface>(K.networkInterface.kind, env.scope).some((e) => (e.Groups ?? []).some((g) => g.GroupId === group.GroupId));
  if (referenced || inUse) throw new AwsError('DependencyViolation', `resource ${group.GroupId} has a dependent object`, 400);
  removeRulesOfGroup(env, group.GroupId);
  remove(env, K.securityGroup, group.GroupId);
  return {};
}

function permissionValues(perms: IpPermission[], pick: (p: IpPermission) => unknown): unknown[] {
  return perms.map(pick);
}

function permissionFilters(prefix: string, get: (g: SecurityGroup) => IpPermission[], names: (ids: string[]) => string[]) {
  return {
    [`${prefix}.cidr`]: (g: SecurityGroup) => permissionValues(get(g), (p) => p.IpRanges.map((r) => r.CidrIp)),
    [`${prefix}.from-port`]: (g: SecurityGroup) => permissionValues(get(g), (p) => (p.FromPort === undefined ? undefined : String(p.FromPort))),
    [`${prefix}.group-id`]: (g: SecurityGroup) => permissionValues(get(g), (p) => p.UserIdGroupPairs.map((u) => u.GroupId)),
    [`${prefix}.group-name`]: (g: SecurityGroup) => names(get(g).flatMap((p) => p.UserIdGroupPairs.map((u) => u.GroupId))),
    [`${prefix}.ipv6-cidr`]: (g: SecurityGroup) => permissionValues(get(g), (p) => p.Ipv6Ranges.map((r) => r.CidrIpv6)),
    [`${prefix}.prefix-list-id`]: (g: SecurityGroup) => permissionValues(get(g), (p) => p.PrefixListIds.map((r) => r.PrefixListId)),
    [`${prefix}.protocol`]: (g: SecurityGroup) => permissionValues(get(g), (p) => p.IpProtocol),
    [`${prefix}.to-port`]: (g: SecurityGroup) => permissionValues(get(g), (p) => (p.ToPort === undefined ? undefined : String(p.ToPort))),
    [`${prefix}.user-id`]: (g: SecurityGroup) => permissionValues(get(g), (p) => p.UserIdGroupPairs.map((u) => u.UserId)),
  };
}

export function describeSecurityGroups(input: { GroupIds?: string[]; GroupNames?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  let items = byIds<SecurityGroup>(env, K.securityGroup, input.GroupIds) ?? all<SecurityGroup>(env, K.securityGroup);
  if (input.GroupNames?.length) {
    const named = input.GroupNames.map((n) => groupByNameInDefaultVpc(env, n).GroupId);
    items = items.filter((g) => named.includes(g.GroupId));
  }
  const nameOf = new Map(all<SecurityGroup>(env, K.securityGroup).map((g) => [g.GroupId, g.GroupName]));
  const names = (ids: string[]) => ids.map((id) => nameOf.get(id)).filter((n): n is string => n !== undefined);
  const filters = {
    description: (g: SecurityGroup) => g.Description,
    'group-id': (g: SecurityGroup) => g.GroupId,
    'group-name': (g: SecurityGroup) => g.GroupName,
    'owner-id': (g: SecurityGroup) => g.OwnerId,
    'vpc-id': (g: SecurityGroup) => g.VpcId,
    ...permissionFilters('ip-permission', (g) => g.IpPermissions, names),
    ...permissionFilters('egress.ip-permission', (g) => g.IpPermissionsEgress, names),
  };
  const idsGiven = !!input.GroupIds?.length || !!input.GroupNames?.length;
  const { page, NextToken } = paginate(applyFilters(items, input.Filters, filters), input, { min: 5, max: 1000 }, idsGiven);
  return { SecurityGroups: page, NextToken };
}

export const securityGroupHandlers = {
  CreateSecurityGroup: createSecurityGroup,
  DeleteSecurityGroup: deleteSecurityGroup,
  DescribeSecurityGroups: describeSecurityGroups,
} satisfies Handlers;
