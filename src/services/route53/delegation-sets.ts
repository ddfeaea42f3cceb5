// Reusable delegation sets: four name servers shared by several public zones
// (CreateHostedZone with DelegationSetId), optionally taken over from an
// existing zone.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { bareId, invalidInput, maxItems, mustZone, newNameServers, newR53Id, saveZone } from './common.ts';
import { globalScope, KIND, type DelegationSet, type HostedZone } from './types.ts';

function sets(env: HandlerEnv): DelegationSet[] {
  return env.store.list<DelegationSet>(KIND.delegationSet, globalScope(env.ctx.account));
}

export function mustDelegationSet(env: HandlerEnv, id: string): DelegationSet {
  const bare = bareId(id, 'delegationset');
  const set = env.store.get<DelegationSet>(KIND.delegationSet, globalScope(env.ctx.account), bare);
  if (!set) throw new AwsError('NoSuchDelegationSet', `A reusable delegation set with the specified ID does not exist: ${bare}`, 400);
  return set;
}

function output(set: DelegationSet) {
  return { Id: `/delegationset/${set.Id}`, CallerReference: set.CallerReference, NameServers: set.NameServers };
}

export function createReusableDelegationSet(input: { CallerReference: string; HostedZoneId?: string }, env: HandlerEnv) {
  if (sets(env).some((s) => s.CallerReference === input.CallerReference)) {
    throw new AwsError('DelegationSetAlreadyCreated', 'A delegation set with the same owner and caller reference combination has already been created.', 400);
  }
  let nameServers = newNameServers();
  let zone: HostedZone | undefined;
  if (input.HostedZoneId !== undefined) {
    zone = mustZone(env, input.HostedZoneId);
    if (zone.PrivateZone) throw invalidInput('A reusable delegation set cannot be created from a private hosted zone.');
    if (zone.DelegationSetId) throw new AwsError('DelegationSetAlreadyReusable', `The hosted zone ${zone.Id} already uses the reusable delegation set ${zone.DelegationSetId}.`, 400);
    nameServers = zone.NameServers;
  }
  const set: DelegationSet = { Id: newR53Id('N'), CallerReference: input.CallerReference, NameServers: nameServers };
  env.store.put(KIND.delegationSet, globalScope(env.ctx.account), set.Id, set);
  if (zone) {
    zone.DelegationSetId = set.Id;
    saveZone(env, zone);
  }
  return { DelegationSet: output(set), Location: `https://route53.amazonaws.com/2013-04-01/delegationset/${set.Id}` };
}

export function getReusableDelegationSet(input: { Id: string }, env: HandlerEnv) {
  return { DelegationSet: output(mustDelegationSet(env, input.Id)) };
}

export function listReusableDelegationSets(input: { Marker?: string; MaxItems?: string }, env: HandlerEnv) {
  const max = maxItems(input.MaxItems, 100);
  const all = sets(env);
  let start = 0;
  if (input.Marker !== undefined) {
    start = all.findIndex((s) => s.Id === bareId(input.Marker!, 'delegationset'));
    if (start < 0) throw invalidInput(`The marker ${input.Marker} is not a reusable delegation set of this account.`);
  }
  const next = all[start + max];
  return { DelegationSets: all.slice(start, start + max).map(output), Marker: input.Marker ?? '', IsTruncated: next !== undefined, NextMarker: next?.Id, MaxItems: String(max) };
}

function zonesUsing(env: HandlerEnv, id: string): HostedZone[] {
  return env.store.list<HostedZone>(KIND.zone, globalScope(env.ctx.account)).filter((z) => z.DelegationSetId === id);
}

export function deleteReusableDelegationSet(input: { Id: string }, env: HandlerEnv) {
  const set = mustDelegationSet(env, input.Id);
  if (zonesUsing(env, set.Id).length > 0) {
    throw new AwsError('DelegationSetInUse', 'The specified delegation contains associated hosted zones which must be deleted before the reusable delegation set can be deleted.', 400);
  }
  env.store.delete(KIND.delegationSet, globalScope(env.ctx.account), set.Id);
  return {};
}

export function getReusableDelegationSetLimit(input: { Type: string; DelegationSetId: string }, env: HandlerEnv) {
  const set = mustDelegationSet(env, input.DelegationSetId);
  if (input.Type !== 'MAX_ZONES_BY_REUSABLE_DELEGATION_SET') throw invalidInput(`Invalid value for limit type: ${input.Type}`);
  return { Limit: { Type: input.Type, Value: 100 }, Count: zonesUsing(env, set.Id).length };
}

export const delegationSetHandlers = {
  CreateReusableDelegationSet: createReusableDelegationSet,
  GetReusableDelegationSet: getReusableDelegationSet,
  ListReusableDelegationSets: listReusableDelegationSets,
  DeleteReusableDelegationSet: deleteReusableDelegationSet,
  GetReusableDelegationSetLimit: getReusableDelegationSetLimit,
} satisfies Handlers;
