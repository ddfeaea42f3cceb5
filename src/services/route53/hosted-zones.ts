// Hosted zones: creation (public, or private with a VPC), lookups, listings
// in Route 53's orders, comments, counts and limits, deletion.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import {
  bareId,
  invalidInput,
  maxItems,
  mustZone,
  newChange,
  newNameServers,
  newR53Id,
  NS_TTL,
  PRIVATE_NAME_SERVERS,
  saveZone,
  SOA_TTL,
  soaValue,
  zoneOutput,
} from './common.ts';
import { mustDelegationSet } from './delegation-sets.ts';
import { compareNames, decodeName, formatName, nameProblem } from './names.ts';
import { globalScope, KIND, type HostedZone, type VpcRef } from './types.ts';
import { checkVpcFree, mustOwnVpc } from './vpc-associations.ts';

function zones(env: HandlerEnv): HostedZone[] {
  return env.store.list<HostedZone>(KIND.zone, globalScope(env.ctx.account));
}

/** A zone name as Route 53 accepts it: InvalidDomainName otherwise. */
export function parseZoneName(raw: string): string {
  const name = decodeName(raw);
  const problem = nameProblem(name);
  if (problem || name.includes('*')) throw new AwsError('InvalidDomainName', `${raw} is not a valid domain name: ${problem?.text ?? 'a hosted zone name cannot contain a wildcard'}.`, 400);
  return name;
}

export interface NewZone {
  name: string;
  callerReference: string;
  comment?: string;
  vpc?: VpcRef & { Account: string };
  delegationSetId?: string;
  nameServers?: string[];
}

/** Builds and stores a zone with its apex SOA and NS (also used by Route 53 Domains' RegisterDomain). */
export function createZoneRecord(env: HandlerEnv, account: string, z: NewZone): HostedZone {
  const nameServers = z.vpc ? PRIVATE_NAME_SERVERS : (z.nameServers ?? newNameServers());
  const zone: HostedZone = {
    Id: newR53Id('Z'),
    Name: z.name,
    CallerReference: z.callerReference,
    Comment: z.comment,
    PrivateZone: z.vpc !== undefined,
    CreatedAt: new Date().toISOString(),
    DelegationSetId: z.delegationSetId,
    NameServers: [...nameServers],
    VPCs: z.vpc ? [z.vpc] : [],
    Authorizations: [],
    Tags: [],
    RecordSets: [
      { Name: z.name, Type: 'NS', TTL: NS_TTL, ResourceRecords: nameServers.map((ns) => ({ Value: `${ns}.` })) },
      { Name: z.name, Type: 'SOA', TTL: SOA_TTL, ResourceRecords: [{ Value: soaValue(nameServers) }] },
    ],
  };
  saveZone(env, zone, account);
  return zone;
}

function delegationSetOutput(zone: HostedZone) {
  return { Id: zone.DelegationSetId ? `/delegationset/${zone.DelegationSetId}` : undefined, NameServers: zone.NameServers };
}

export function createHostedZone(
  input: { Name: string; CallerReference: string; VPC?: Partial<VpcRef>; HostedZoneConfig?: { Comment?: string; PrivateZone?: boolean }; DelegationSetId?: string },
  env: HandlerEnv,
) {
  const account = env.ctx.account;
  if (zones(env).some((z) => z.CallerReference === input.CallerReference)) {
    throw new AwsError('HostedZoneAlreadyExists', `A hosted zone has already been created with the specified caller reference.`, 409);
  }
  const name = parseZoneName(input.Name);
  // Route 53 does not host top-level domains (com, org ...) as public zones.
  if (!input.VPC && !name.includes('.')) throw new AwsError('InvalidDomainName', `${name} is reserved by AWS: a public hosted zone cannot be created for a top-level domain.`, 400);
  if (input.HostedZoneConfig?.PrivateZone === true && !input.VPC) throw invalidInput('A private hosted zone must be created with a VPC (VPC.VPCId and VPC.VPCRegion).');
  let vpc: (VpcRef & { Account: string }) | undefined;
  if (input.VPC) {
    if (input.HostedZoneConfig?.PrivateZone === false) throw new AwsError('ConflictingTypes', 'A public hosted zone cannot be created with a VPC.', 400);
    if (input.DelegationSetId) throw invalidInput('A reusable delegation set cannot be used with a private hosted zone.');
    vpc = { ...mustOwnVpc(env, input.VPC), Account: account };
    checkVpcFree(env, name, vpc);
  }
  let nameServers: string[] | undefined;
  let delegationSetId: string | undefined;
  if (input.DelegationSetId) {
    const set = mustDelegationSet(env, input.DelegationSetId);
    if (zones(env).some((z) => z.DelegationSetId === set.Id && z.Name === name)) {
      throw new AwsError('ConflictingDomainExists', `The reusable delegation set ${set.Id} is already used by a hosted zone named ${formatName(name)}.`, 400);
    }
    nameServers = set.NameServers;
    delegationSetId = set.Id;
  }
  const zone = createZoneRecord(env, account, { name, callerReference: input.CallerReference, comment: input.HostedZoneConfig?.Comment, vpc, delegationSetId, nameServers });
  return {
    HostedZone: zoneOutput(zone),
    ChangeInfo: newChange(env),
    DelegationSet: delegationSetOutput(zone),
    VPC: vpc ? { VPCRegion: vpc.VPCRegion, VPCId: vpc.VPCId } : undefined,
    Location: `https://route53.amazonaws.com/2013-04-01/hostedzone/${zone.Id}`,
  };
}

export function getHostedZone(input: { Id: string }, env: HandlerEnv) {
  const zone = mustZone(env, input.Id);
  return {
    HostedZone: zoneOutput(zone),
    DelegationSet: zone.PrivateZone ? undefined : delegationSetOutput(zone),
    VPCs: zone.PrivateZone ? zone.VPCs.map((v) => ({ VPCRegion: v.VPCRegion, VPCId: v.VPCId })) : undefined,
  };
}

export function getHostedZoneCount(_input: unknown, env: HandlerEnv) {
  return { HostedZoneCount: zones(env).length };
}

function typeFilter(zone: HostedZone, type: string | undefined): boolean {
  if (type === undefined) return true;
  if (type === 'PrivateHostedZone') return zone.PrivateZone;
  throw invalidInput(`Invalid value for HostedZoneType: ${type}`);
}

export function listHostedZones(input: { Marker?: string; MaxItems?: string; DelegationSetId?: string; HostedZoneType?: string }, env: HandlerEnv) {
  const max = maxItems(input.MaxItems, 100);
  const setId = input.DelegationSetId ? mustDelegationSet(env, input.DelegationSetId).Id : undefined;
  const all = zones(env).filter((z) => (setId === undefined || z.DelegationSetId === setId) && typeFilter(z, input.HostedZoneType));
  let start = 0;
  if (input.Marker !== undefined) {
    start = all.findIndex((z) => z.Id === bareId(input.Marker!, 'hostedzone'));
    if (start < 0) throw invalidInput(`The marker ${input.Marker} is not a hosted zone of this account.`);
  }
  const page = all.slice(start, start + max);
  const next = all[start + max];
  return {
    HostedZones: page.map(zoneOutput),
    Marker: input.Marker ?? '',
    IsTruncated: next !== undefined,
    NextMarker: next?.Id,
    MaxItems: String(max),
  };
}

/** Zones by name with labels reversed, then by id (ListHostedZonesByName's order). */
function byName(a: HostedZone, b: HostedZone): number {
  return compareNames(a.Name, b.Name) || (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0);
}

export function listHostedZonesByName(input: { DNSName?: string; HostedZoneId?: string; MaxItems?: string }, env: HandlerEnv) {
  const max = maxItems(input.MaxItems, 100);
  if (input.HostedZoneId !== undefined && input.DNSName === undefined) throw invalidInput('The HostedZoneId parameter is only valid together with the DNSName parameter.');
  const all = [...zones(env)].sort(byName);
  let start = 0;
  if (input.DNSName !== undefined) {
    const name = parseZoneName(input.DNSName);
    const id = input.HostedZoneId ? bareId(input.HostedZoneId, 'hostedzone') : undefined;
    start = all.findIndex((z) => {
      const c = compareNames(z.Name, name);
      return c > 0 || (c === 0 && (id === undefined || z.Id >= id));
    });
    if (start < 0) start = all.length;
  }
  const page = all.slice(start, start + max);
  const next = all[start + max];
  return {
    HostedZones: page.map(zoneOutput),
    DNSName: input.DNSName,
    HostedZoneId: input.HostedZoneId,
    IsTruncated: next !== undefined,
    NextDNSName: next ? formatName(next.Name) : undefined,
    NextHostedZoneId: next?.Id,
    MaxItems: String(max),
  };
}

export function updateHostedZoneComment(input: { Id: string; Comment?: string }, env: HandlerEnv) {
  const zone = mustZone(env, input.Id);
  zone.Comment = input.Comment;
  saveZone(env, zone);
  return { HostedZone: zoneOutput(zone) };
}

export function deleteHostedZone(input: { Id: string }, env: HandlerEnv) {
  const zone = mustZone(env, input.Id);
  const extra = zone.RecordSets.some((r) => !(r.Name === zone.Name && (r.Type === 'SOA' || r.Type === 'NS')));
  if (extra) throw new AwsError('HostedZoneNotEmpty', 'The specified hosted zone contains non-required resource record sets and so cannot be deleted.', 400);
  env.store.delete(KIND.zone, globalScope(env.ctx.account), zone.Id);
  return { ChangeInfo: newChange(env) };
}

const ZONE_LIMITS: Record<string, (z: HostedZone) => { limit: number; count: number }> = {
  MAX_RRSETS_BY_ZONE: (z) => ({ limit: 10000, count: z.RecordSets.length }),
  MAX_VPCS_ASSOCIATED_BY_ZONE: (z) => ({ limit: 300, count: z.VPCs.length }),
};

export function getHostedZoneLimit(input: { Type: string; HostedZoneId: string }, env: HandlerEnv) {
  const zone = mustZone(env, input.HostedZoneId);
  const fn = ZONE_LIMITS[input.Type];
  if (!fn) throw invalidInput(`Invalid value for limit type: ${input.Type}`);
  const { limit, count } = fn(zone);
  return { Limit: { Type: input.Type, Value: limit }, Count: count };
}

export const hostedZoneHandlers = {
  CreateHostedZone: createHostedZone,
  GetHostedZone: getHostedZone,
  ListHostedZones: listHostedZones,
  ListHostedZonesByName: listHostedZonesByName,
  GetHostedZoneCount: getHostedZoneCount,
  GetHostedZoneLimit: getHostedZoneLimit,
  UpdateHostedZoneComment: updateHostedZoneComment,
  DeleteHostedZone: deleteHostedZone,
} satisfies Handlers;
