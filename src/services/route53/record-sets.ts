// ChangeResourceRecordSets (atomic batches of CREATE / DELETE / UPSERT,
// validated as Route 53 validates them, every problem of a batch reported
// together) and ListResourceRecordSets in Route 53's order.
//
// A batch is applied in order to a working copy of the zone's record sets,
// so DELETE then CREATE of the same set in one batch works as on AWS; the
// copy is stored only when no change produced a problem.
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { aliasTargetProblem } from './alias-targets.ts';
import { bareId, invalidInput, InvalidChangeBatch, maxItems, mustZone, newChange, saveZone } from './common.ts';
import { compareNames, decodeName, formatName, inZone, isWildcard, nameProblem } from './names.ts';
import { RECORD_TYPES, valueProblems } from './rdata.ts';
import type { HostedZone, RecordSet } from './types.ts';

const ACTIONS = ['CREATE', 'DELETE', 'UPSERT'];
const POLICIES = ['Weight', 'Region', 'Failover', 'GeoLocation', 'MultiValueAnswer', 'GeoProximityLocation', 'CidrRoutingConfig'] as const;
const MAX_RECORDS_PER_BATCH = 1000;
const MAX_VALUE_CHARS_PER_BATCH = 32000;

interface ChangeInput {
  Action: string;
  ResourceRecordSet: RecordSet;
}

function key(r: Pick<RecordSet, 'Name' | 'Type' | 'SetIdentifier'>): string {
  return `${r.Name}|${r.Type}|${r.SetIdentifier ?? ''}`;
}

/** How Route 53 names a record set in its messages: [name='www.example.com.', type='A'] */
function describe(r: RecordSet): string {
  return `[name='${formatName(r.Name)}', type='${r.Type}'${r.SetIdentifier !== undefined ? `, set-identifier='${r.SetIdentifier}'` : ''}]`;
}

function changeLabel(action: string, raw: RecordSet): string {
  return `Change with [Action=${action}, Name=${raw.Name}, Type=${raw.Type}, SetIdentifier=${raw.SetIdentifier ?? 'null'}]`;
}

/** Request-level problems: InvalidInput, first one wins (AWS answers these before looking at the zone's records). */
function checkShape(changes: ChangeInput[]): void {
  if (changes.length === 0) throw invalidInput("1 validation error detected: Value '[]' at 'changeBatch.changes' failed to satisfy constraint: Member must have length greater than or equal to 1");
  changes.forEach((c, i) => {
    const r = c.ResourceRecordSet;
    if (!ACTIONS.includes(c.Action)) {
      throw invalidInput(`1 validation error detected: Value '${c.Action}' at 'changeBatch.changes.${i + 1}.member.action' failed to satisfy constraint: Member must satisfy enum value set: [${ACTIONS.join(', ')}]`);
    }
    if (!(RECORD_TYPES as readonly string[]).includes(r.Type)) {
      throw invalidInput(`1 validation error detected: Value '${r.Type}' at 'changeBatch.changes.${i + 1}.member.resourceRecordSet.type' failed to satisfy constraint: Member must satisfy enum value set: [${RECORD_TYPES.join(', ')}]`);
    }
    const label = changeLabel(c.Action, r);
    const basic = r.TTL !== undefined && r.ResourceRecords !== undefined;
    const forms = [r.AliasTarget !== undefined, basic, r.TrafficPolicyInstanceId !== undefined].filter(Boolean).length;
    const strays = r.AliasTarget !== undefined && (r.TTL !== undefined || r.ResourceRecords !== undefined);
    if (forms === 0 || forms > 1 || strays) {
      throw invalidInput(`Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found ${forms === 0 ? 'none' : 'more than one'} in ${label}`);
    }
    const policies = POLICIES.filter((p) => r[p] !== undefined);
    if (r.SetIdentifier !== undefined && policies.length !== 1) {
      throw invalidInput(`Invalid request: Expected exactly one of [${POLICIES.slice(0, -1).join(', ')}, or ${POLICIES[POLICIES.length - 1]}], but found ${policies.length === 0 ? 'none' : 'more than one'} in ${label}`);
    }
    if (r.SetIdentifier === undefined && policies.length > 0) throw invalidInput(`Invalid request: Missing field 'SetIdentifier' in ${label}`);
    if (r.TTL !== undefined && (r.TTL < 0 || r.TTL > 2147483647)) throw invalidInput(`Invalid request: TTL ${r.TTL} is out of range [0, 2147483647] in ${label}`);
    if (r.Weight !== undefined && (r.Weight < 0 || r.Weight > 255)) throw invalidInput(`Invalid request: Weight ${r.Weight} is out of range [0, 255] in ${label}`);
  });
  const records = changes.reduce((n, c) => n + (c.ResourceRecordSet.ResourceRecords?.length ?? 0) * (c.Action === 'UPSERT' ? 2 : 1), 0);
  if (records > MAX_RECORDS_PER_BATCH) throw new InvalidChangeBatch([`Number of records limit of ${MAX_RECORDS_PER_BATCH} exceeded.`]);
  const chars = changes.reduce((n, c) => n + (c.ResourceRecordSet.ResourceRecords ?? []).reduce((m, v) => m + v.Value.length, 0) * (c.Action === 'UPSERT' ? 2 : 1), 0);
  if (chars > MAX_VALUE_CHARS_PER_BATCH) throw new InvalidChangeBatch([`Number of characters limit of ${MAX_VALUE_CHARS_PER_BATCH} exceeded.`]);
}

/** The record as stored: decoded lower-case name, alias target normalized, only the members given. */
function normalize(raw: RecordSet, name: string): RecordSet {
  const r: RecordSet = { ...raw, Name: name };
  for (const k of Object.keys(r) as (keyof RecordSet)[]) if (r[k] === undefined) delete r[k];
  if (raw.AliasTarget) {
    r.AliasTarget = { HostedZoneId: bareId(raw.AliasTarget.HostedZoneId, 'hostedzone'), DNSName: decodeName(raw.AliasTarget.DNSName), EvaluateTargetHealth: raw.AliasTarget.EvaluateTargetHealth };
  }
  return r;
}

function sameValues(a: RecordSet, b: RecordSet): boolean {
  const canon = (r: RecordSet) =>
    JSON.stringify({
      TTL: r.TTL,
      Values: (r.ResourceRecords ?? []).map((v) => v.Value).sort(),
      Alias: r.AliasTarget,
      Weight: r.Weight,
      Region: r.Region,
      Failover: r.Failover,
      Geo: r.GeoLocation,
      Multi: r.MultiValueAnswer,
      HealthCheckId: r.HealthCheckId,
      Cidr: r.CidrRoutingConfig,
      GeoProximity: r.GeoProximityLocation,
    });
  return canon(a) === canon(b);
}

function policyOf(r: RecordSet): string {
  return POLICIES.find((p) => r[p] !== undefined) ?? 'simple';
}

/** Problems of one record set on its own (syntax, placement), in Route 53's words. */
function recordProblems(zone: HostedZone, r: RecordSet, raw: RecordSet): string[] {
  const out: string[] = [];
  const fqdn = formatName(r.Name);
  const apex = formatName(zone.Name);
  if (r.AliasTarget === undefined && r.TrafficPolicyInstanceId === undefined) {
    const values = (r.ResourceRecords ?? []).map((v) => v.Value);
    if (values.length === 0) out.push(`Invalid Resource Record: 'FATAL problem: RRDATANoValues (RRSet must have at least one ResourceRecord) encountered with '${fqdn}''`);
    if ((r.Type === 'CNAME' || r.Type === 'SOA') && values.length > 1) out.push(`RRSet of type ${r.Type} with DNS name ${fqdn} has more than one ResourceRecord.`);
    out.push(...valueProblems(r.Type, values));
  }
  if (r.Type === 'NS' && isWildcard(r.Name)) out.push(`RRSet of type NS with DNS name ${fqdn} is not permitted: NS records cannot use a wildcard name.`);
  if (r.Type === 'NS' && zone.PrivateZone && r.Name !== zone.Name) out.push(`RRSet of type NS with DNS name ${fqdn} is not permitted in private hosted zone ${apex}: private hosted zones do not support delegating a subdomain.`);
  if (r.Type === 'SOA' && r.Name !== zone.Name) out.push(`RRSet of type SOA with DNS name ${fqdn} is not permitted: an SOA record is only permitted at the apex of zone ${apex}.`);
  if (r.AliasTarget && r.AliasTarget.HostedZoneId === zone.Id && !inZone(r.AliasTarget.DNSName, zone.Name)) {
    out.push(`Tried to create an alias that targets ${raw.AliasTarget!.DNSName}, type ${r.Type} in zone ${zone.Id}, but the alias target name does not lie within the target zone`);
  }
  return out;
}

/** Problems of putting r beside the other record sets (CNAME exclusivity, routing policies, alias targets). */
function conflicts(zone: HostedZone, records: RecordSet[], r: RecordSet): string[] {
  const out: string[] = [];
  const fqdn = formatName(r.Name);
  const apex = formatName(zone.Name);
  const others = records.filter((o) => o.Name === r.Name && key(o) !== key(r));
  if (r.Type === 'CNAME' && r.Name === zone.Name) out.push(`RRSet of type CNAME with DNS name ${fqdn} is not permitted at apex in zone ${apex}`);
  else if (r.Type === 'CNAME' && others.some((o) => o.Type !== 'CNAME')) {
    out.push(`RRSet of type CNAME with DNS name ${fqdn} is not permitted as it conflicts with other records with the same DNS name in zone ${apex}`);
  } else if (r.Type !== 'CNAME' && others.some((o) => o.Type === 'CNAME')) {
    out.push(`RRSet of type ${r.Type} with DNS name ${fqdn} is not permitted because a conflicting RRSet of type  CNAME with the same DNS name already exists in zone ${apex}`);
  }
  const sameType = others.filter((o) => o.Type === r.Type);
  if (sameType.some((o) => policyOf(o) !== policyOf(r))) {
    out.push(`RRSet with DNS name ${fqdn}, type ${r.Type}${r.SetIdentifier !== undefined ? `, SetIdentifier ${r.SetIdentifier}` : ''} cannot be created as other RRSets exist with the same name and type but a different routing policy.`);
  }
  const t = r.AliasTarget;
  if (t && t.HostedZoneId === zone.Id && inZone(t.DNSName, zone.Name) && !records.some((o) => o.Name === t.DNSName && o.Type === r.Type && key(o) !== key(r))) {
    out.push(`Tried to create an alias that targets ${formatName(t.DNSName)}, type ${r.Type} in zone ${zone.Id}, but that target was not found`);
  }
  return out;
}

/**
 * Applies a change batch to a zone's record sets, or says why not.
 * outsideAlias: the problem of an alias to a target outside the zone (see
 * alias-targets.ts); the batch's own records are checked here.
 */
export function applyChanges(zone: HostedZone, changes: ChangeInput[], outsideAlias: (r: RecordSet) => string | undefined = () => undefined): { records: RecordSet[]; messages: string[] } {
  let records = [...zone.RecordSets];
  const messages: string[] = [];
  for (const change of changes) {
    const raw = change.ResourceRecordSet;
    const name = decodeName(raw.Name);
    const problem = nameProblem(name);
    if (problem) {
      messages.push(`FATAL problem: ${problem.code} (${problem.text}) encountered with '${raw.Name}'`);
      continue;
    }
    if (!inZone(name, zone.Name)) {
      messages.push(`RRSet with DNS name ${formatName(name)} is not permitted in zone ${formatName(zone.Name)}`);
      continue;
    }
    const r = normalize(raw, name);
    const own = recordProblems(zone, r, raw);
    if (own.length > 0) {
      messages.push(...own);
      continue;
    }
    const existing = records.find((o) => key(o) === key(r));
    const atApex = r.Name === zone.Name && (r.Type === 'SOA' || r.Type === 'NS');
    if (change.Action === 'DELETE') {
      if (atApex && r.Type === 'SOA') messages.push('A HostedZone must contain exactly one SOA record.');
      else if (atApex && r.Type === 'NS') messages.push('A HostedZone must contain at least one NS record for the zone itself.');
      else if (!existing) messages.push(`Tried to delete resource record set ${describe(r)} but it was not found`);
      else if (!sameValues(existing, r)) messages.push(`Tried to delete resource record set ${describe(r)} but the values provided do not match the current values`);
      else records = records.filter((o) => o !== existing);
      continue;
    }
    if (change.Action === 'CREATE' && existing) {
      messages.push(`Tried to create resource record set ${describe(r)} but it already exists`);
      continue;
    }
    const found = conflicts(zone, records, r);
    const outside = r.AliasTarget && r.AliasTarget.HostedZoneId !== zone.Id ? outsideAlias(r) : undefined;
    if (outside) found.push(outside);
    if (found.length > 0) {
      messages.push(...found);
      continue;
    }
    records = existing ? records.map((o) => (o === existing ? r : o)) : [...records, r];
  }
  return { records, messages };
}

export function changeResourceRecordSets(input: { HostedZoneId: string; ChangeBatch: { Comment?: string; Changes: ChangeInput[] } }, env: HandlerEnv) {
  const zone = mustZone(env, input.HostedZoneId);
  const changes = input.ChangeBatch.Changes;
  checkShape(changes);
  const { records, messages } = applyChanges(zone, changes, (r) => aliasTargetProblem(env.store, r.AliasTarget!, r.Type, r.AliasTarget!.HostedZoneId));
  if (messages.length > 0) throw new InvalidChangeBatch(messages);
  zone.RecordSets = records;
  saveZone(env, zone);
  return { ChangeInfo: newChange(env, input.ChangeBatch.Comment) };
}

/** Route 53's listing order: name with labels reversed, then type, then set identifier. */
export function compareRecords(a: Pick<RecordSet, 'Name' | 'Type' | 'SetIdentifier'>, b: Pick<RecordSet, 'Name' | 'Type' | 'SetIdentifier'>): number {
  const byName = compareNames(a.Name, b.Name);
  if (byName !== 0) return byName;
  if (a.Type !== b.Type) return a.Type < b.Type ? -1 : 1;
  const sa = a.SetIdentifier ?? '';
  const sb = b.SetIdentifier ?? '';
  return sa === sb ? 0 : sa < sb ? -1 : 1;
}

/** A stored record set as the API returns it (escaped absolute names). */
export function recordOutput(r: RecordSet) {
  return { ...r, Name: formatName(r.Name), AliasTarget: r.AliasTarget ? { ...r.AliasTarget, DNSName: formatName(r.AliasTarget.DNSName) } : undefined };
}

export function listResourceRecordSets(input: { HostedZoneId: string; StartRecordName?: string; StartRecordType?: string; StartRecordIdentifier?: string; MaxItems?: string }, env: HandlerEnv) {
  const zone = mustZone(env, input.HostedZoneId);
  const max = maxItems(input.MaxItems, 300);
  if (input.StartRecordType !== undefined && input.StartRecordName === undefined) throw invalidInput('The input is not valid: StartRecordType requires StartRecordName.');
  if (input.StartRecordIdentifier !== undefined && input.StartRecordType === undefined) throw invalidInput('The input is not valid: StartRecordIdentifier requires StartRecordType.');
  if (input.StartRecordType !== undefined && !(RECORD_TYPES as readonly string[]).includes(input.StartRecordType)) throw invalidInput(`Invalid type: ${input.StartRecordType}`);
  const all = [...zone.RecordSets].sort(compareRecords);
  let start = 0;
  if (input.StartRecordName !== undefined) {
    const from = { Name: decodeName(input.StartRecordName), Type: input.StartRecordType ?? '', SetIdentifier: input.StartRecordIdentifier };
    start = all.findIndex((r) => compareRecords(r, from) >= 0);
    if (start < 0) start = all.length;
  }
  const page = all.slice(start, start + max);
  const next = all[start + max];
  return {
    ResourceRecordSets: page.map(recordOutput),
    IsTruncated: next !== undefined,
    NextRecordName: next ? formatName(next.Name) : undefined,
    NextRecordType: next?.Type,
    NextRecordIdentifier: next?.SetIdentifier,
    MaxItems: String(max),
  };
}

export const recordSetHandlers = {
  ChangeResourceRecordSets: changeResourceRecordSets,
  ListResourceRecordSets: listResourceRecordSets,
} satisfies Handlers;
