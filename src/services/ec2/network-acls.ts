// Network ACLs: stateless, numbered rules per direction; the default ACL of a
// VPC allows everything, a new ACL denies everything (only the '*' rules).
// Every subnet is associated with exactly one ACL: the default one until
// ReplaceNetworkAclAssociation moves it.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { formatCidr4, formatCidr6, parseCidr4, parseCidr6 } from '../../net/cidr.ts';
import { CATCH_ALL_IPV4, CATCH_ALL_IPV6 } from '../../net/network-acls.ts';
import { hasPorts, PROTOCOL_NUMBERS, protocolNumber } from '../../net/security-groups.ts';
import { applyFilters, paginate, type Filter } from './describe.ts';
import { all, byIds, K, must, newId, remove, save } from './resources.ts';
import { tagsFromSpecs, type TagSpecification } from './tags.ts';
import type { NetworkAcl, NetworkAclEntry, Vpc } from './types.ts';

/** A stored ACL: the API shape plus the client token it was created with (idempotent retries). */
type StoredAcl = NetworkAcl & { _clientToken?: string };

const MAX_ACLS_PER_VPC = 200;
/** Entries per ACL, per direction and address family, the '*' rule included. */
const MAX_ENTRIES = 20;

/** The final '*' rules that deny what no numbered rule matched (API numbers 32767 IPv4, 32768 IPv6). */
function catchAll(egress: boolean, ipv6: boolean): NetworkAclEntry[] {
  const deny: NetworkAclEntry[] = [{ RuleNumber: CATCH_ALL_IPV4, Protocol: '-1', RuleAction: 'deny', Egress: egress, CidrBlock: '0.0.0.0/0' }];
  if (ipv6) deny.push({ RuleNumber: CATCH_ALL_IPV6, Protocol: '-1', RuleAction: 'deny', Egress: egress, Ipv6CidrBlock: '::/0' });
  return deny;
}

function hasIpv6(vpc: Vpc): boolean {
  return (vpc.Ipv6CidrBlockAssociationSet ?? []).length > 0;
}

/** Egress entries first, each direction by rule number: the order DescribeNetworkAcls answers in. */
function sortEntries(entries: NetworkAclEntry[]): NetworkAclEntry[] {
  return [...entries].sort((a, b) => Number(b.Egress) - Number(a.Egress) || a.RuleNumber - b.RuleNumber);
}

/** The default ACL's IPv6 pair per direction: rule 101 allows ::/0, the * rule denies it. */
function defaultIpv6Entries(egress: boolean): NetworkAclEntry[] {
  return [{ RuleNumber: 101, Protocol: '-1', RuleAction: 'allow', Egress: egress, Ipv6CidrBlock: '::/0' }, ...catchAll(egress, true).filter((e) => e.Ipv6CidrBlock)];
}

export function createDefaultNetworkAcl(env: HandlerEnv, vpc: Vpc): NetworkAcl {
  const ipv6 = hasIpv6(vpc);
  const entries: NetworkAclEntry[] = [];
  for (const egress of [true, false]) {
    entries.push({ RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: egress, CidrBlock: '0.0.0.0/0' });
    entries.push(...catchAll(egress, false));
    if (ipv6) entries.push(...defaultIpv6Entries(egress));
  }
  return save(env, K.networkAcl, { NetworkAclId: newId('acl'), VpcId: vpc.VpcId, OwnerId: env.scope.account, IsDefault: true, Entries: sortEntries(entries), Associations: [] } satisfies NetworkAcl);
}

/**
 * When a VPC gains its first IPv6 block, AWS adds the IPv6 allow-all rules to
 * its default ACL (unless that ACL already has IPv6 rules) and the IPv6 *
 * rules to every ACL of the VPC.
 */
export function addIpv6Rules(env: HandlerEnv, vpcId: string): void {
  for (const acl of all<NetworkAcl>(env, K.networkAcl).filter((a) => a.VpcId === vpcId)) {
    if (acl.Entries.some((e) => e.Ipv6CidrBlock !== undefined)) continue;
    const added = [true, false].flatMap((egress) => (acl.IsDefault ? defaultIpv6Entries(egress) : catchAll(egress, true).filter((e) => e.Ipv6CidrBlock)));
    save(env, K.networkAcl, { ...acl, Entries: sortEntries([...acl.Entries, ...added]) });
  }
}

export function defaultNetworkAclOf(env: HandlerEnv, vpcId: string): NetworkAcl | undefined {
  return all<NetworkAcl>(env, K.networkAcl).find((a) => a.VpcId === vpcId && a.IsDefault);
}

/** A new subnet starts associated with its VPC's default ACL. */
export function associateDefaultNetworkAcl(env: HandlerEnv, vpcId: string, subnetId: string): void {
  const acl = defaultNetworkAclOf(env, vpcId);
  if (!acl) return;
  acl.Associations.push({ NetworkAclAssociationId: newId('aclassoc'), NetworkAclId: acl.NetworkAclId, SubnetId: subnetId });
  save(env, K.networkAcl, acl);
}

/** The ACL a subnet is associated with (for the data plane and `localnet why`). */
export function networkAclOfSubnet(env: HandlerEnv, subnetId: string): NetworkAcl | undefined {
  return all<NetworkAcl>(env, K.networkAcl).find((a) => a.Associations.some((s) => s.SubnetId === subnetId));
}

function present(acl: StoredAcl): NetworkAcl {
  const { _clientToken: _, ...wire } = acl;
  return wire;
}

export function createNetworkAcl(input: { VpcId: string; TagSpecifications?: TagSpecification[]; ClientToken?: string }, env: HandlerEnv) {
  if (input.ClientToken !== undefined) {
    const earlier = all<StoredAcl>(env, K.networkAcl).find((a) => a._clientToken === input.ClientToken);
    if (earlier) {
      if (earlier.VpcId !== input.VpcId) throw new AwsError('IdempotentParameterMismatch', 'The client token you have provided is associated with a resource that has different parameters.', 400);
      return { NetworkAcl: present(earlier), ClientToken: input.ClientToken };
    }
  }
  const vpc = must<Vpc>(env, K.vpc, input.VpcId);
  const tags = tagsFromSpecs(input.TagSpecifications, 'network-acl');
  if (all<NetworkAcl>(env, K.networkAcl).filter((a) => a.VpcId === vpc.VpcId).length >= MAX_ACLS_PER_VPC) {
    throw new AwsError('NetworkAclLimitExceeded', `The maximum number of network ACLs for VPC '${vpc.VpcId}' has been reached.`, 400);
  }
  const ipv6 = hasIpv6(vpc);
  const acl: StoredAcl = {
    NetworkAclId: newId('acl'),
    VpcId: vpc.VpcId,
    OwnerId: env.scope.account,
    IsDefault: false,
    Entries: sortEntries([...catchAll(true, ipv6), ...catchAll(false, ipv6)]),
    Associations: [],
    Tags: tags,
    _clientToken: input.ClientToken,
  };
  save(env, K.networkAcl, acl);
  return { NetworkAcl: present(acl), ClientToken: input.ClientToken };
}

export function deleteNetworkAcl(input: { NetworkAclId: string }, env: HandlerEnv) {
  const acl = must<NetworkAcl>(env, K.networkAcl, input.NetworkAclId);
  if (acl.IsDefault) throw new AwsError('InvalidParameterValue', `cannot delete default network ACL ${acl.NetworkAclId}`, 400);
  if (acl.Associations.length > 0) throw new AwsError('DependencyViolation', `The networkAcl '${acl.NetworkAclId}' has dependencies and cannot be deleted.`, 400);
  remove(env, K.networkAcl, acl.NetworkAclId);
  return {};
}

/** Protocol names the entry.protocol filter also answers to. */
function protocolNames(p: string): string[] {
  const name = Object.keys(PROTOCOL_NUMBERS).find((k) => String(PROTOCOL_NUMBERS[k]) === p);
  return name ? [p, name] : p === '-1' ? [p, 'all'] : [p];
}

const str = (v: number | undefined) => (v === undefined ? undefined : String(v));

export const NETWORK_ACL_FILTERS = {
  'association.association-id': (a: NetworkAcl) => a.Associations.map((s) => s.NetworkAclAssociationId),
  'association.network-acl-id': (a: NetworkAcl) => a.Associations.map((s) => s.NetworkAclId),
  'association.subnet-id': (a: NetworkAcl) => a.Associations.map((s) => s.SubnetId),
  default: (a: NetworkAcl) => String(a.IsDefault),
  'entry.cidr': (a: NetworkAcl) => a.Entries.map((e) => e.CidrBlock),
  'entry.egress': (a: NetworkAcl) => a.Entries.map((e) => String(e.Egress)),
  'entry.icmp.code': (a: NetworkAcl) => a.Entries.map((e) => str(e.IcmpTypeCode?.Code)),
  'entry.icmp.type': (a: NetworkAcl) => a.Entries.map((e) => str(e.IcmpTypeCode?.Type)),
  'entry.ipv6-cidr': (a: NetworkAcl) => a.Entries.map((e) => e.Ipv6CidrBlock),
  'entry.port-range.from': (a: NetworkAcl) => a.Entries.map((e) => str(e.PortRange?.From)),
  'entry.port-range.to': (a: NetworkAcl) => a.Entries.map((e) => str(e.PortRange?.To)),
  'entry.protocol': (a: NetworkAcl) => a.Entries.flatMap((e) => protocolNames(e.Protocol)),
  'entry.rule-action': (a: NetworkAcl) => a.Entries.map((e) => e.RuleAction),
  'entry.rule-number': (a: NetworkAcl) => a.Entries.map((e) => String(e.RuleNumber)),
  'network-acl-id': (a: NetworkAcl) => a.NetworkAclId,
  'owner-id': (a: NetworkAcl) => a.OwnerId,
  'vpc-id': (a: NetworkAcl) => a.VpcId,
};

export function describeNetworkAcls(input: { NetworkAclIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const items = (byIds<StoredAcl>(env, K.networkAcl, input.NetworkAclIds) ?? all<StoredAcl>(env, K.networkAcl)).map(present);
  const { page, NextToken } = paginate(applyFilters(items, input.Filters, NETWORK_ACL_FILTERS), input, { min: 5, max: 1000 }, !!input.NetworkAclIds?.length);
  return { NetworkAcls: page, NextToken };
}

interface EntryInput {
  NetworkAclId: string;
  RuleNumber: number;
  Egress: boolean;
  Protocol: string;
  RuleAction: string;
  CidrBlock?: string;
  Ipv6CidrBlock?: string;
  PortRange?: { From?: number; To?: number };
  IcmpTypeCode?: { Type?: number; Code?: number };
}

function checkRuleNumber(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 32766) throw new AwsError('InvalidParameterValue', `Value (${n}) for parameter ruleNumber is invalid. Rulenumber must be in range 1..32766`, 400);
}

/** Validates an entry request into the stored entry: protocol as its number string, ports and ICMP only where the protocol has them. */
function entryFrom(input: EntryInput): NetworkAclEntry {
  checkRuleNumber(input.RuleNumber);
  const action = input.RuleAction.toLowerCase();
  if (action !== 'allow' && action !== 'deny') throw new AwsError('InvalidParameterValue', `Value (${input.RuleAction}) for parameter ruleAction is invalid. Allowed values: allow, deny`, 400);
  const proto = protocolNumber(input.Protocol);
  if (proto === undefined) throw new AwsError('InvalidParameterValue', `Value (${input.Protocol}) for parameter protocol is invalid.`, 400);
  if (input.CidrBlock === undefined && input.Ipv6CidrBlock === undefined) throw new AwsError('MissingParameter', 'The request must contain the parameter cidrBlock or ipv6CidrBlock', 400);
  if (input.CidrBlock !== undefined && input.Ipv6CidrBlock !== undefined) throw new AwsError('InvalidParameterCombination', 'Only one of cidrBlock or ipv6CidrBlock may be specified', 400);
  const entry: NetworkAclEntry = { RuleNumber: input.RuleNumber, Protocol: String(proto), RuleAction: action, Egress: input.Egress };
  if (input.CidrBlock !== undefined) {
    const c = parseCidr4(input.CidrBlock);
    if (!c) throw new AwsError('InvalidParameterValue', `Value (${input.CidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`, 400);
    entry.CidrBlock = formatCidr4(c);
  } else {
    const c = parseCidr6(input.Ipv6CidrBlock!);
    if (!c) throw new AwsError('InvalidParameterValue', `Value (${input.Ipv6CidrBlock}) for parameter ipv6CidrBlock is invalid. This is not a valid CIDR block.`, 400);
    entry.Ipv6CidrBlock = formatCidr6(c);
  }
  if (hasPorts(proto)) {
    const { From, To } = input.PortRange ?? {};
    if (From === undefined || To === undefined) throw new AwsError('MissingParameter', 'The request must contain the parameter portRange.from and portRange.to for TCP and UDP', 400);
    if (From < 0 || From > 65535 || To < 0 || To > 65535 || From > To) {
      throw new AwsError('InvalidParameterValue', `Value (${From}-${To}) for parameter portRange is invalid. Ports must be between 0 and 65535 and From must not exceed To.`, 400);
    }
    entry.PortRange = { From, To };
  } else if (proto === 1 || (proto === 58 && entry.Ipv6CidrBlock !== undefined)) {
    // ICMP, and ICMPv6 with an IPv6 block, need a type and code (-1 = all).
    const { Type, Code } = input.IcmpTypeCode ?? {};
    if (Type === undefined || Code === undefined) throw new AwsError('MissingParameter', 'The request must contain the parameter icmpTypeCode.type and icmpTypeCode.code for ICMP', 400);
    for (const [name, v] of [['type', Type], ['code', Code]] as const) {
      if (v < -1 || v > 255) throw new AwsError('InvalidParameterValue', `Value (${v}) for parameter icmpTypeCode.${name} is invalid.`, 400);
    }
    entry.IcmpTypeCode = { Code, Type };
  }
  // Any other protocol (or -1) covers all of its traffic: ports and ICMP fields are ignored.
  return entry;
}

const sameSlot = (a: { RuleNumber: number; Egress: boolean }, b: { RuleNumber: number; Egress: boolean }) => a.RuleNumber === b.RuleNumber && a.Egress === b.Egress;

function entryNotFound(n: number, egress: boolean, aclId: string): AwsError {
  // [U] AWS's exact wording for a missing entry is not confirmed.
  return new AwsError('InvalidNetworkAclEntry.NotFound', `The network acl entry identified by ${n} (${egress ? 'egress' : 'ingress'}) does not exist in network ACL '${aclId}'.`, 400);
}

function checkEntryQuota(entries: NetworkAclEntry[], entry: NetworkAclEntry): void {
  const v6 = entry.Ipv6CidrBlock !== undefined;
  const numbered = entries.filter((e) => e.Egress === entry.Egress && (e.Ipv6CidrBlock !== undefined) === v6 && e.RuleNumber < CATCH_ALL_IPV4);
  // The '*' rule of the family counts against the quota too.
  if (numbered.length + 1 > MAX_ENTRIES - 1) throw new AwsError('NetworkAclEntryLimitExceeded', `The maximum number of network ACL entries (${MAX_ENTRIES} per direction, including the default deny rule) has been reached.`, 400);
}

export function createNetworkAclEntry(input: EntryInput, env: HandlerEnv) {
  const acl = must<NetworkAcl>(env, K.networkAcl, input.NetworkAclId);
  const entry = entryFrom(input);
  if (acl.Entries.some((e) => sameSlot(e, entry))) throw new AwsError('NetworkAclEntryAlreadyExists', `The network acl entry identified by ${entry.RuleNumber} already exists.`, 400);
  checkEntryQuota(acl.Entries, entry);
  acl.Entries = sortEntries([...acl.Entries, entry]);
  save(env, K.networkAcl, acl);
  return {};
}

export function replaceNetworkAclEntry(input: EntryInput, env: HandlerEnv) {
  const acl = must<NetworkAcl>(env, K.networkAcl, input.NetworkAclId);
  const entry = entryFrom(input);
  if (!acl.Entries.some((e) => sameSlot(e, entry))) throw entryNotFound(entry.RuleNumber, entry.Egress, acl.NetworkAclId);
  const others = acl.Entries.filter((e) => !sameSlot(e, entry));
  checkEntryQuota(others, entry);
  acl.Entries = sortEntries([...others, entry]);
  save(env, K.networkAcl, acl);
  return {};
}

export function deleteNetworkAclEntry(input: { NetworkAclId: string; RuleNumber: number; Egress: boolean }, env: HandlerEnv) {
  const acl = must<NetworkAcl>(env, K.networkAcl, input.NetworkAclId);
  checkRuleNumber(input.RuleNumber);
  if (!acl.Entries.some((e) => sameSlot(e, input))) throw entryNotFound(input.RuleNumber, input.Egress, acl.NetworkAclId);
  acl.Entries = acl.Entries.filter((e) => !sameSlot(e, input));
  save(env, K.networkAcl, acl);
  return {};
}

/** Moves a subnet's association (named by its current association id) to another ACL of the same VPC; the association gets a new id. */
export function replaceNetworkAclAssociation(input: { AssociationId: string; NetworkAclId: string }, env: HandlerEnv) {
  const from = all<NetworkAcl>(env, K.networkAcl).find((a) => a.Associations.some((s) => s.NetworkAclAssociationId === input.AssociationId));
  if (!from) throw new AwsError('InvalidAssociationID.NotFound', `The association ID '${input.AssociationId}' does not exist`, 400);
  const to = must<NetworkAcl>(env, K.networkAcl, input.NetworkAclId);
  const old = from.Associations.find((s) => s.NetworkAclAssociationId === input.AssociationId)!;
  if (to.VpcId !== from.VpcId) {
    throw new AwsError('InvalidParameterValue', `Network ACL '${to.NetworkAclId}' and subnet '${old.SubnetId}' belong to different networks.`, 400);
  }
  const NewAssociationId = newId('aclassoc');
  from.Associations = from.Associations.filter((s) => s !== old);
  save(env, K.networkAcl, from);
  // Re-read: the target may be the same ACL, just saved.
  const target = must<NetworkAcl>(env, K.networkAcl, to.NetworkAclId);
  target.Associations.push({ NetworkAclAssociationId: NewAssociationId, NetworkAclId: target.NetworkAclId, SubnetId: old.SubnetId });
  save(env, K.networkAcl, target);
  return { NewAssociationId };
}

export const networkAclHandlers = {
  CreateNetworkAcl: createNetworkAcl,
  DeleteNetworkAcl: deleteNetworkAcl,
  DescribeNetworkAcls: describeNetworkAcls,
  CreateNetworkAclEntry: createNetworkAclEntry,
  ReplaceNetworkAclEntry: replaceNetworkAclEntry,
  DeleteNetworkAclEntry: deleteNetworkAclEntry,
  ReplaceNetworkAclAssociation: replaceNetworkAclAssociation,
} satisfies Handlers;
