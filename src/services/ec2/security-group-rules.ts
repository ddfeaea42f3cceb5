// Security group rules: each is its own sgr- record (so it has an id, tags
// and a description of its own), and a group's IpPermissions are rebuilt
// from them. Authorize/Revoke take IpPermissions, each of which expands into
// one rule per CIDR, IPv6 CIDR, prefix list or referenced group.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv } from '../../aws/service.ts';
import { formatCidr4, formatCidr6, parseCidr4, parseCidr6 } from '../../net/cidr.ts';
import { hasPorts, isIcmp, protocolNumber } from '../../net/security-groups.ts';
import { applyFilters, paginate, type Filter, type Tag } from './describe.ts';
import { all, allWhere, byIds, isIdOf, K, malformed, must, newId, remove, save } from './resources.ts';
import { groupByNameInDefaultVpc, resolveGroup, syncPermissions, type IpPermission, type SecurityGroup } from './security-groups.ts';
import { tagsFromSpecs, type TagSpecification } from './tags.ts';
import type { Vpc } from './types.ts';

export interface ReferencedGroupInfo {
  GroupId: string;
  UserId: string;
  /** Set when the group sits across a VPC peering. */
  VpcId?: string;
  VpcPeeringConnectionId?: string;
  PeeringStatus?: string;
}

/** A stored rule, in DescribeSecurityGroupRules' shape. Exactly one of the four peers is set. */
export interface SecurityGroupRule {
  SecurityGroupRuleId: string;
  GroupId: string;
  GroupOwnerId: string;
  IsEgress: boolean;
  /** tcp | udp | icmp | icmpv6 | -1 | another protocol number. */
  IpProtocol: string;
  /** -1 when the protocol has no ports (ICMP: the type, -1 = all). */
  FromPort: number;
  ToPort: number;
  CidrIpv4?: string;
  CidrIpv6?: string;
  PrefixListId?: string;
  ReferencedGroupInfo?: ReferencedGroupInfo;
  Description?: string;
  Tags?: Tag[];
}

/** A rule before it is stored. */
export type RuleSpec = Omit<SecurityGroupRule, 'SecurityGroupRuleId' | 'GroupId' | 'GroupOwnerId' | 'IsEgress' | 'Tags'>;

/** An IpPermission as requests carry it. */
export interface IpPermissionInput {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: { CidrIp?: string; Description?: string }[];
  Ipv6Ranges?: { CidrIpv6?: string; Description?: string }[];
  PrefixListIds?: { PrefixListId?: string; Description?: string }[];
  UserIdGroupPairs?: { GroupId?: string; GroupName?: string; UserId?: string; Description?: string; VpcId?: string; VpcPeeringConnectionId?: string }[];
}

/** Rules per group, per direction, counted separately for IPv4 and IPv6 (group and prefix-list references count in both). */
const MAX_RULES = 60;
const DESCRIPTION = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]{0,255}$/;

export function allowAllRule(cidr: string): RuleSpec {
  return { IpProtocol: '-1', FromPort: -1, ToPort: -1, ...(cidr.includes(':') ? { CidrIpv6: cidr } : { CidrIpv4: cidr }) };
}

export function selfReferenceRule(env: HandlerEnv, group: SecurityGroup): RuleSpec {
  return { IpProtocol: '-1', FromPort: -1, ToPort: -1, ReferencedGroupInfo: { GroupId: group.GroupId, UserId: env.scope.account } };
}

export function rulesOf(env: HandlerEnv, groupId: string): SecurityGroupRule[] {
  return allWhere<SecurityGroupRule>(env, K.securityGroupRule, 'GroupId', groupId);
}

export function removeRulesOfGroup(env: HandlerEnv, groupId: string): void {
  for (const r of rulesOf(env, groupId)) remove(env, K.securityGroupRule, r.SecurityGroupRuleId);
}

/** Drops the rules of every group in a VPC (the VPC is being deleted with its default group). */
export function removeRulesOfVpc(env: HandlerEnv, vpcId: string): void {
  for (const g of all<SecurityGroup>(env, K.securityGroup)) if (g.VpcId === vpcId) removeRulesOfGroup(env, g.GroupId);
}

/** What makes two rules the same rule: direction aside, protocol, ports and peer (never the description). */
function ruleKey(r: RuleSpec): string {
  const peer = r.CidrIpv4 ?? r.CidrIpv6 ?? r.PrefixListId ?? `sg:${r.ReferencedGroupInfo?.GroupId}`;
  return `${r.IpProtocol}/${r.FromPort}/${r.ToPort}/${peer}`;
}

/** The rule as AWS names it in InvalidPermission.Duplicate. */
function describeRule(r: RuleSpec): string {
  const peer = r.CidrIpv4 ?? r.CidrIpv6 ?? r.PrefixListId ?? r.ReferencedGroupInfo?.GroupId;
  const proto = r.IpProtocol === '-1' ? 'ALL' : r.IpProtocol.toUpperCase();
  if (r.IpProtocol === 'tcp' || r.IpProtocol === 'udp') return `peer: ${peer}, ${proto}, from port: ${r.FromPort}, to port: ${r.ToPort}, ALLOW`;
  // [U] The ICMP wording is not confirmed; TCP/UDP and ALL are as AWS writes them.
  if (r.IpProtocol === 'icmp' || r.IpProtocol === 'icmpv6') return `peer: ${peer}, ${proto}, type: ${r.FromPort}, code: ${r.ToPort}, ALLOW`;
  return `peer: ${peer}, ${proto}, ALLOW`;
}

function protocolName(raw: string | undefined, path: string): string {
  if (raw === undefined || raw === '') throw new AwsError('MissingParameter', `The request must contain the parameter ${path}.IpProtocol`, 400);
  const n = protocolNumber(raw);
  if (n === undefined) throw new AwsError('InvalidParameterValue', `Invalid value '${raw}' for IP protocol. Unknown protocol.`, 400);
  const names: Record<number, string> = { [-1]: '-1', 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmpv6' };
  return names[n] ?? String(n);
}

function portsOf(proto: string, from: number | undefined, to: number | undefined): { FromPort: number; ToPort: number } {
  const n = protocolNumber(proto)!;
  if (hasPorts(n)) {
    if (from === undefined || to === undefined) throw new AwsError('InvalidParameterValue', 'Invalid value for portRange. Must specify both from and to ports with TCP/UDP.', 400);
    if (from < 0 || from > 65535) throw new AwsError('InvalidParameterValue', `TCP/UDP (from) port (${from}) out of range`, 400);
    if (to < 0 || to > 65535) throw new AwsError('InvalidParameterValue', `TCP/UDP (to) port (${to}) out of range`, 400);
    // [U] AWS's wording for a reversed range is not confirmed.
    if (from > to) throw new AwsError('InvalidParameterValue', `Invalid port range ${from}-${to} for protocol '${proto}'`, 400);
    return { FromPort: from, ToPort: to };
  }
  if (isIcmp(n)) {
    // Without a type and code the rule covers every ICMP message.
    const type = from ?? -1;
    const code = to ?? -1;
    if (type < -1 || type > 255) throw new AwsError('InvalidParameterValue', `ICMP type (${type}) out of range`, 400);
    if (code < -1 || code > 255) throw new AwsError('InvalidParameterValue', `ICMP code (${code}) out of range`, 400);
    if (type === -1 && code !== -1) throw new AwsError('InvalidParameterValue', `ICMP code (${code}) must be -1 when the ICMP type is -1`, 400);
    return { FromPort: type, ToPort: code };
  }
  // All protocols, or one without ports: whatever ports were sent, the rule covers the whole protocol.
  return { FromPort: -1, ToPort: -1 };
}

function description(d: string | undefined): { Description?: string } {
  if (d === undefined) return {};
  if (!DESCRIPTION.test(d)) {
    throw new AwsError('InvalidParameterValue', 'Invalid rule description. Valid descriptions are strings less than 256 characters from the following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*', 400);
  }
  return { Description: d };
}

function malformedCidr(c: string | undefined): AwsError {
  return new AwsError('InvalidParameterValue', `CIDR block ${c ?? ''} is malformed`, 400);
}

interface Peering {
  VpcPeeringConnectionId: string;
  Status?: { Code?: string };
  RequesterVpcInfo?: { VpcId?: string; Region?: string };
  AccepterVpcInfo?: { VpcId?: string; Region?: string };
}

/** The active same-region peering between two VPCs, if any. */
function activePeering(env: HandlerEnv, a: string, b: string): Peering | undefined {
  return env.store
    .listAll<Peering>(K.peering.kind)
    .map(({ value }) => value)
    .find((p) => {
      if (p.Status?.Code !== 'active') return false;
      const r = p.RequesterVpcInfo;
      const c = p.AccepterVpcInfo;
      const sameRegion = (r?.Region ?? env.scope.region) === env.scope.region && (c?.Region ?? env.scope.region) === env.scope.region;
      return sameRegion && ((r?.VpcId === a && c?.VpcId === b) || (r?.VpcId === b && c?.VpcId === a));
    });
}

/**
 * The group a UserIdGroupPair names. It must exist and sit in the same VPC or
 * in a VPC peered within the region. On revoke the group only has to be
 * named, so stale references (peering gone) can still be removed.
 */
function referencedGroup(env: HandlerEnv, group: SecurityGroup, pair: NonNullable<IpPermissionInput['UserIdGroupPairs']>[number], revoke: boolean): ReferencedGroupInfo {
  const owner = pair.UserId && pair.UserId !== env.scope.account ? pair.UserId : env.scope.account;
  let ref: SecurityGroup | undefined;
  if (pair.GroupId) {
    if (owner === env.scope.account) ref = must<SecurityGroup>(env, K.securityGroup, pair.GroupId);
    else ref = env.store.get<SecurityGroup>(K.securityGroup.kind, { account: owner, region: env.scope.region }, pair.GroupId);
    if (!ref) {
      if (revoke) return { GroupId: pair.GroupId, UserId: owner };
      throw new AwsError('InvalidGroup.NotFound', `The security group '${pair.GroupId}' does not exist`, 400);
    }
  } else if (pair.GroupName) {
    ref = groupByNameInDefaultVpc(env, pair.GroupName);
  } else {
    throw new AwsError('MissingParameter', 'The request must contain the parameter groupId or groupName for each source security group', 400);
  }
  if (ref.VpcId === group.VpcId) return { GroupId: ref.GroupId, UserId: ref.OwnerId };
  const peering = activePeering(env, group.VpcId, ref.VpcId);
  if (!peering) {
    if (revoke) return { GroupId: ref.GroupId, UserId: ref.OwnerId };
    throw new AwsError('InvalidGroup.NotFound', 'You have specified two resources that belong to different networks.', 400);
  }
  return { GroupId: ref.GroupId, UserId: ref.OwnerId, VpcId: ref.VpcId, VpcPeeringConnectionId: peering.VpcPeeringConnectionId, PeeringStatus: 'active' };
}

/** Expands and validates IpPermissions into one spec per peer. */
export function specsFromPermissions(env: HandlerEnv, group: SecurityGroup, perms: IpPermissionInput[], opts: { revoke?: boolean } = {}): RuleSpec[] {
  const specs: RuleSpec[] = [];
  perms.forEach((p, i) => {
    const IpProtocol = protocolName(p.IpProtocol, `IpPermissions.${i + 1}`);
    const ports = portsOf(IpProtocol, p.FromPort, p.ToPort);
    const base = { IpProtocol, ...ports };
    const before = specs.length;
    for (const r of p.IpRanges ?? []) {
      const c = r.CidrIp === undefined ? undefined : parseCidr4(r.CidrIp);
      if (!c) throw malformedCidr(r.CidrIp);
      specs.push({ ...base, CidrIpv4: formatCidr4(c), ...description(r.Description) });
    }
    for (const r of p.Ipv6Ranges ?? []) {
      const c = r.CidrIpv6 === undefined ? undefined : parseCidr6(r.CidrIpv6);
      if (!c) throw malformedCidr(r.CidrIpv6);
      specs.push({ ...base, CidrIpv6: formatCidr6(c), ...description(r.Description) });
    }
    for (const r of p.PrefixListIds ?? []) {
      // localnet has no managed prefix lists yet: a well-formed id is taken as given.
      if (!r.PrefixListId || !/^pl-[0-9a-f]{8,17}$/.test(r.PrefixListId)) {
        throw new AwsError('InvalidPrefixListId.Malformed', `Invalid id: "${r.PrefixListId ?? ''}" (expecting "pl-...")`, 400);
      }
      specs.push({ ...base, PrefixListId: r.PrefixListId, ...description(r.Description) });
    }
    for (const pair of p.UserIdGroupPairs ?? []) {
      specs.push({ ...base, ReferencedGroupInfo: referencedGroup(env, group, pair, !!opts.revoke), ...description(pair.Description) });
    }
    if (specs.length === before) {
      throw new AwsError('MissingParameter', `The request must contain the parameter IpPermissions.${i + 1}.IpRanges, Ipv6Ranges, PrefixListIds or UserIdGroupPairs`, 400);
    }
  });
  return specs;
}

/** Stores new rules in a group after the duplicate and quota checks; keeps the group's IpPermissions in step. */
export function addRules(env: HandlerEnv, group: SecurityGroup, egress: boolean, specs: RuleSpec[], tags?: Tag[]): SecurityGroupRule[] {
  const existing = rulesOf(env, group.GroupId).filter((r) => r.IsEgress === egress);
  const seen = new Set(existing.map(ruleKey));
  const added: SecurityGroupRule[] = [];
  for (const spec of specs) {
    const key = ruleKey(spec);
    if (seen.has(key)) throw new AwsError('InvalidPermission.Duplicate', `the specified rule "${describeRule(spec)}" already exists`, 400);
    seen.add(key);
    added.push({ SecurityGroupRuleId: newId('sgr'), GroupId: group.GroupId, GroupOwnerId: group.OwnerId, IsEgress: egress, ...spec, ...(tags ? { Tags: tags } : {}) });
  }
  checkQuota([...existing, ...added]);
  for (const r of added) save(env, K.securityGroupRule, r);
  syncPermissions(env, group.GroupId);
  return added;
}

function checkQuota(rules: RuleSpec[]): void {
  const v4 = rules.filter((r) => r.CidrIpv6 === undefined).length;
  const v6 = rules.filter((r) => r.CidrIpv4 === undefined).length;
  if (v4 > MAX_RULES || v6 > MAX_RULES) throw new AwsError('RulesPerSecurityGroupLimitExceeded', 'The maximum number of rules per security group has been reached.', 400);
}

interface LegacyPermission {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  CidrIp?: string;
  SourceSecurityGroupName?: string;
  SourceSecurityGroupOwnerId?: string;
}

/** The older flat parameters (CidrIp, IpProtocol, ports, SourceSecurityGroupName) as one IpPermission. */
function legacyPermission(input: LegacyPermission): IpPermissionInput[] {
  if (input.CidrIp === undefined && input.SourceSecurityGroupName === undefined && input.IpProtocol === undefined) return [];
  return [
    {
      // A source group without a protocol grants all traffic from it.
      IpProtocol: input.IpProtocol ?? (input.SourceSecurityGroupName !== undefined ? '-1' : undefined),
      FromPort: input.FromPort,
      ToPort: input.ToPort,
      IpRanges: input.CidrIp !== undefined ? [{ CidrIp: input.CidrIp }] : [],
      UserIdGroupPairs: input.SourceSecurityGroupName !== undefined ? [{ GroupName: input.SourceSecurityGroupName, UserId: input.SourceSecurityGroupOwnerId }] : [],
    },
  ];
}

type AuthorizeInput = LegacyPermission & { GroupId?: string; GroupName?: string; IpPermissions?: IpPermissionInput[]; TagSpecifications?: TagSpecification[] };

function authorize(input: AuthorizeInput, env: HandlerEnv, egress: boolean) {
  const group = resolveGroup(env, input);
  const perms = [...(input.IpPermissions ?? []), ...legacyPermission(input)];
  if (perms.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter IpPermissions', 400);
  const tags = tagsFromSpecs(input.TagSpecifications, 'security-group-rule');
  const added = addRules(env, group, egress, specsFromPermissions(env, group, perms), tags);
  return { Return: true, SecurityGroupRules: added };
}

export function authorizeSecurityGroupIngress(input: AuthorizeInput, env: HandlerEnv) {
  return authorize(input, env, false);
}

export function authorizeSecurityGroupEgress(input: AuthorizeInput, env: HandlerEnv) {
  return authorize(input, env, true);
}

/** A spec back in IpPermission form (UnknownIpPermissions). */
function toPermission(s: RuleSpec): IpPermission {
  const ported = ['tcp', 'udp', 'icmp', 'icmpv6'].includes(s.IpProtocol);
  return {
    IpProtocol: s.IpProtocol,
    ...(ported ? { FromPort: s.FromPort, ToPort: s.ToPort } : {}),
    IpRanges: s.CidrIpv4 !== undefined ? [{ CidrIp: s.CidrIpv4 }] : [],
    Ipv6Ranges: s.CidrIpv6 !== undefined ? [{ CidrIpv6: s.CidrIpv6 }] : [],
    PrefixListIds: s.PrefixListId !== undefined ? [{ PrefixListId: s.PrefixListId }] : [],
    UserIdGroupPairs: s.ReferencedGroupInfo ? [{ GroupId: s.ReferencedGroupInfo.GroupId, UserId: s.ReferencedGroupInfo.UserId }] : [],
  };
}

function ruleNotFound(id: string): AwsError {
  return new AwsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`, 400);
}

/** The group's rules of one direction named by id (each must exist there). */
function rulesById(env: HandlerEnv, group: SecurityGroup, egress: boolean, ids: string[]): SecurityGroupRule[] {
  const mine = rulesOf(env, group.GroupId).filter((r) => r.IsEgress === egress);
  return ids.map((id) => {
    const r = mine.find((x) => x.SecurityGroupRuleId === id);
    if (r) return r;
    if (!isIdOf(K.securityGroupRule, id)) throw malformed(K.securityGroupRule, id);
    throw ruleNotFound(id);
  });
}

type RevokeInput = LegacyPermission & { GroupId?: string; GroupName?: string; IpPermissions?: IpPermissionInput[]; SecurityGroupRuleIds?: string[] };

/**
 * Removes rules named by id or by permission. A permission that matches no
 * rule fails the whole call (InvalidPermission.NotFound), except in the
 * default VPC, where AWS revokes what matches and returns the rest as
 * UnknownIpPermissions.
 */
function revoke(input: RevokeInput, env: HandlerEnv, egress: boolean) {
  const group = resolveGroup(env, input);
  const perms = [...(input.IpPermissions ?? []), ...legacyPermission(input)];
  const ids = input.SecurityGroupRuleIds ?? [];
  if (perms.length === 0 && ids.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter IpPermissions or SecurityGroupRuleIds', 400);
  const doomed = new Map(rulesById(env, group, egress, ids).map((r) => [r.SecurityGroupRuleId, r]));
  const byKey = new Map(rulesOf(env, group.GroupId).filter((r) => r.IsEgress === egress).map((r) => [ruleKey(r), r]));
  const unknown: RuleSpec[] = [];
  for (const spec of specsFromPermissions(env, group, perms, { revoke: true })) {
    const r = byKey.get(ruleKey(spec));
    if (r) doomed.set(r.SecurityGroupRuleId, r);
    else unknown.push(spec);
  }
  if (unknown.length > 0 && !must<Vpc>(env, K.vpc, group.VpcId).IsDefault) {
    throw new AwsError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.', 400);
  }
  for (const id of doomed.keys()) remove(env, K.securityGroupRule, id);
  syncPermissions(env, group.GroupId);
  return { Return: true, ...(unknown.length ? { UnknownIpPermissions: unknown.map(toPermission) } : {}) };
}

export function revokeSecurityGroupIngress(input: RevokeInput, env: HandlerEnv) {
  return revoke(input, env, false);
}

export function revokeSecurityGroupEgress(input: RevokeInput, env: HandlerEnv) {
  return revoke(input, env, true);
}

export function describeSecurityGroupRules(input: { SecurityGroupRuleIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const items = byIds<SecurityGroupRule>(env, K.securityGroupRule, input.SecurityGroupRuleIds) ?? all<SecurityGroupRule>(env, K.securityGroupRule);
  const filters = {
    'group-id': (r: SecurityGroupRule) => r.GroupId,
    'security-group-rule-id': (r: SecurityGroupRule) => r.SecurityGroupRuleId,
  };
  const { page, NextToken } = paginate(applyFilters(items, input.Filters, filters), input, { min: 5, max: 1000 }, !!input.SecurityGroupRuleIds?.length);
  return { SecurityGroupRules: page, NextToken };
}

interface RuleRequest {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  CidrIpv4?: string;
  CidrIpv6?: string;
  PrefixListId?: string;
  ReferencedGroupId?: string;
  Description?: string;
}

/** Rewrites rules in place (same id, same tags); the result must not duplicate another rule of the group. */
export function modifySecurityGroupRules(input: { GroupId: string; SecurityGroupRules: { SecurityGroupRuleId: string; SecurityGroupRule?: RuleRequest }[] }, env: HandlerEnv) {
  const group = must<SecurityGroup>(env, K.securityGroup, input.GroupId);
  const rules = rulesOf(env, group.GroupId);
  for (const [i, change] of input.SecurityGroupRules.entries()) {
    const rule = rules.find((r) => r.SecurityGroupRuleId === change.SecurityGroupRuleId);
    if (!rule) {
      if (!isIdOf(K.securityGroupRule, change.SecurityGroupRuleId)) throw malformed(K.securityGroupRule, change.SecurityGroupRuleId);
      throw ruleNotFound(change.SecurityGroupRuleId);
    }
    const req = change.SecurityGroupRule;
    if (!req) throw new AwsError('MissingParameter', `The request must contain the parameter SecurityGroupRule.${i + 1}.SecurityGroupRule`, 400);
    const peers = [req.CidrIpv4, req.CidrIpv6, req.PrefixListId, req.ReferencedGroupId].filter((p) => p !== undefined);
    if (peers.length !== 1) {
      throw new AwsError('InvalidParameterCombination', 'Exactly one of CidrIpv4, CidrIpv6, PrefixListId or ReferencedGroupId must be specified.', 400);
    }
    const perm: IpPermissionInput = {
      IpProtocol: req.IpProtocol,
      FromPort: req.FromPort,
      ToPort: req.ToPort,
      IpRanges: req.CidrIpv4 !== undefined ? [{ CidrIp: req.CidrIpv4, Description: req.Description }] : [],
      Ipv6Ranges: req.CidrIpv6 !== undefined ? [{ CidrIpv6: req.CidrIpv6, Description: req.Description }] : [],
      PrefixListIds: req.PrefixListId !== undefined ? [{ PrefixListId: req.PrefixListId, Description: req.Description }] : [],
      UserIdGroupPairs: req.ReferencedGroupId !== undefined ? [{ GroupId: req.ReferencedGroupId, Description: req.Description }] : [],
    };
    const [spec] = specsFromPermissions(env, group, [perm]);
    const clash = rulesOf(env, group.GroupId).find((r) => r.IsEgress === rule.IsEgress && r.SecurityGroupRuleId !== rule.SecurityGroupRuleId && ruleKey(r) === ruleKey(spec));
    if (clash) throw new AwsError('InvalidPermission.Duplicate', `the specified rule "${describeRule(spec)}" already exists`, 400);
    const updated: SecurityGroupRule = { SecurityGroupRuleId: rule.SecurityGroupRuleId, GroupId: rule.GroupId, GroupOwnerId: rule.GroupOwnerId, IsEgress: rule.IsEgress, ...spec, ...(rule.Tags ? { Tags: rule.Tags } : {}) };
    save(env, K.securityGroupRule, updated);
  }
  checkQuota(rulesOf(env, group.GroupId).filter((r) => r.IsEgress));
  checkQuota(rulesOf(env, group.GroupId).filter((r) => !r.IsEgress));
  syncPermissions(env, group.GroupId);
  return { Return: true };
}

type DescriptionsInput = { GroupId?: string; GroupName?: string; IpPermissions?: IpPermissionInput[]; SecurityGroupRuleDescriptions?: { SecurityGroupRuleId?: string; Description?: string }[] };

/** Sets (or, when left out, clears) the descriptions of existing rules named by permission or by id. */
function updateDescriptions(input: DescriptionsInput, env: HandlerEnv, egress: boolean) {
  const group = resolveGroup(env, input);
  const byKey = new Map(rulesOf(env, group.GroupId).filter((r) => r.IsEgress === egress).map((r) => [ruleKey(r), r]));
  const changes: [SecurityGroupRule, string | undefined][] = [];
  for (const spec of specsFromPermissions(env, group, input.IpPermissions ?? [], { revoke: true })) {
    const r = byKey.get(ruleKey(spec));
    if (!r) throw new AwsError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.', 400);
    changes.push([r, spec.Description]);
  }
  const named = input.SecurityGroupRuleDescriptions ?? [];
  const rules = rulesById(env, group, egress, named.map((d) => d.SecurityGroupRuleId ?? ''));
  rules.forEach((r, i) => changes.push([r, description(named[i].Description).Description]));
  if (changes.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter IpPermissions or SecurityGroupRuleDescriptions', 400);
  for (const [r, d] of changes) {
    const next = { ...r };
    if (d === undefined) delete next.Description;
    else next.Description = d;
    save(env, K.securityGroupRule, next);
  }
  syncPermissions(env, group.GroupId);
  return { Return: true };
}

export function updateSecurityGroupRuleDescriptionsIngress(input: DescriptionsInput, env: HandlerEnv) {
  return updateDescriptions(input, env, false);
}

export function updateSecurityGroupRuleDescriptionsEgress(input: DescriptionsInput, env: HandlerEnv) {
  return updateDescriptions(input, env, true);
}
