// What every Route 53 operation shares: ids, name servers, zone lookup and
// the errors AWS answers with.
import { randomBytes, randomInt } from 'node:crypto';
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv } from '../../aws/service.ts';
import { formatName } from './names.ts';
import { globalScope, KIND, type Change, type HostedZone } from './types.ts';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Route 53 style id: a letter (Z zones, C changes, N delegation sets) and 20 upper-case alphanumerics. */
export function newR53Id(prefix: 'Z' | 'C' | 'N'): string {
  const bytes = randomBytes(20);
  return prefix + Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
}

/** Ids are accepted with or without their path prefix (/hostedzone/Z..., /change/C...). */
export function bareId(id: string, prefix: 'hostedzone' | 'change' | 'delegationset'): string {
  const p = `/${prefix}/`;
  if (id.startsWith(p)) return id.slice(p.length);
  if (id.startsWith(`${prefix}/`)) return id.slice(prefix.length + 1);
  return id;
}

const TLDS = ['com', 'net', 'org', 'co.uk'] as const;

function nameServer(n: number): string {
  const tld = TLDS[Math.floor(n / 512)];
  return `ns-${n}.awsdns-${String(Math.floor((n % 512) / 8)).padStart(2, '0')}.${tld}`;
}

/** Four name servers in Route 53's style, one per TLD (ns-N.awsdns-NN.com/.net/.org/.co.uk). */
export function newNameServers(): string[] {
  return TLDS.map((_, i) => nameServer(i * 512 + randomInt(512)));
}

/** Private zones all report the same four servers. */
export const PRIVATE_NAME_SERVERS = TLDS.map((_, i) => nameServer(i * 512));

export const NS_TTL = 172800;
export const SOA_TTL = 900;

/** The SOA Route 53 puts at every apex: primary = the zone's first name server. */
export function soaValue(nameServers: string[]): string {
  return `${nameServers[0]}. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400`;
}

export function noSuchHostedZone(id: string): AwsError {
  return new AwsError('NoSuchHostedZone', `No hosted zone found with ID: ${id}`, 404);
}

export function invalidInput(message: string): AwsError {
  return new AwsError('InvalidInput', message, 400);
}

/** InvalidChangeBatch carries every problem of the batch; the rest-xml protocol lists them. */
export class InvalidChangeBatch extends AwsError {
  constructor(readonly messages: string[]) {
    super('InvalidChangeBatch', `[${messages.join(', ')}]`, 400);
  }
}

/** A zone of the caller's account (NoSuchHostedZone otherwise, also for another account's zone). */
export function mustZone(env: HandlerEnv, id: string | undefined): HostedZone {
  const bare = bareId(id ?? '', 'hostedzone');
  const zone = env.store.get<HostedZone>(KIND.zone, globalScope(env.ctx.account), bare);
  if (!zone) throw noSuchHostedZone(bare);
  return zone;
}

/** A zone of any account, with its owner (cross-account VPC association). */
export function findZoneAnywhere(env: HandlerEnv, id: string): { zone: HostedZone; owner: string } | undefined {
  const bare = bareId(id, 'hostedzone');
  const hit = env.store.listAll<HostedZone>(KIND.zone).find((z) => z.value.Id === bare);
  return hit ? { zone: hit.value, owner: hit.scope.account } : undefined;
}

export function saveZone(env: HandlerEnv, zone: HostedZone, account = env.ctx.account): void {
  env.store.put(KIND.zone, globalScope(account), zone.Id, zone);
}

/** Records a change and returns its ChangeInfo (PENDING; GetChange reports INSYNC, see changes.ts). */
export function newChange(env: HandlerEnv, comment?: string): { Id: string; Status: string; SubmittedAt: Date; Comment?: string } {
  const change: Change = { Id: newR53Id('C'), SubmittedAt: new Date().toISOString(), Comment: comment };
  env.store.put(KIND.change, globalScope(env.ctx.account), change.Id, change);
  return { Id: `/change/${change.Id}`, Status: 'PENDING', SubmittedAt: new Date(change.SubmittedAt), Comment: comment };
}

/** The HostedZone element of API answers. */
export function zoneOutput(zone: HostedZone) {
  return {
    Id: `/hostedzone/${zone.Id}`,
    Name: formatName(zone.Name),
    CallerReference: zone.CallerReference,
    Config: { Comment: zone.Comment, PrivateZone: zone.PrivateZone },
    ResourceRecordSetCount: zone.RecordSets.length,
  };
}

/** MaxItems as Route 53 reads it: a string of digits, default and cap given per operation. */
export function maxItems(raw: string | undefined, dflt: number, cap = dflt): number {
  if (raw === undefined) return dflt;
  if (!/^[0-9]+$/.test(raw)) throw invalidInput(`Invalid value for MaxItems: ${raw}`);
  const n = Number(raw);
  if (n < 1) throw invalidInput(`MaxItems must be greater than 0`);
  return Math.min(n, cap);
}
