// Tags on hosted zones (and health checks, which localnet does not emulate:
// tagging one answers NoSuchHealthCheck as for a health check that does not
// exist).
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { bareId, invalidInput, saveZone } from './common.ts';
import { globalScope, KIND, type HostedZone, type Tag } from './types.ts';

const MAX_TAGS = 50;

function zoneFor(env: HandlerEnv, type: string, id: string): HostedZone {
  if (type === 'healthcheck') throw new AwsError('NoSuchHealthCheck', `No health check exists with the specified ID ${id}.`, 404);
  if (type !== 'hostedzone') throw invalidInput(`1 validation error detected: Value '${type}' at 'resourceType' failed to satisfy constraint: Member must satisfy enum value set: [healthcheck, hostedzone]`);
  const bare = bareId(id, 'hostedzone');
  const zone = env.store.get<HostedZone>(KIND.zone, globalScope(env.ctx.account), bare);
  if (!zone) throw new AwsError('NoSuchHostedZone', `No hosted zone found with ID: ${bare}`, 404);
  return zone;
}

export function changeTagsForResource(input: { ResourceType: string; ResourceId: string; AddTags?: Tag[]; RemoveTagKeys?: string[] }, env: HandlerEnv) {
  const zone = zoneFor(env, input.ResourceType, input.ResourceId);
  if (!input.AddTags?.length && !input.RemoveTagKeys?.length) throw invalidInput('You must specify at least one of AddTags and RemoveTagKeys.');
  if ((input.AddTags?.length ?? 0) > 10) throw invalidInput("1 validation error detected: Value at 'addTags' failed to satisfy constraint: Member must have length less than or equal to 10");
  let tags = zone.Tags.filter((t) => !(input.RemoveTagKeys ?? []).includes(t.Key));
  for (const t of input.AddTags ?? []) {
    if (!t.Key) throw invalidInput('A tag key must not be empty.');
    tags = [...tags.filter((e) => e.Key !== t.Key), { Key: t.Key, Value: t.Value ?? '' }];
  }
  if (tags.length > MAX_TAGS) throw invalidInput(`A resource can have at most ${MAX_TAGS} tags.`);
  zone.Tags = tags;
  saveZone(env, zone);
  return {};
}

export function listTagsForResource(input: { ResourceType: string; ResourceId: string }, env: HandlerEnv) {
  const zone = zoneFor(env, input.ResourceType, input.ResourceId);
  return { ResourceTagSet: { ResourceType: input.ResourceType, ResourceId: zone.Id, Tags: zone.Tags } };
}

export function listTagsForResources(input: { ResourceType: string; ResourceIds: string[] }, env: HandlerEnv) {
  if (input.ResourceIds.length > 10) throw invalidInput("1 validation error detected: Value at 'resourceIds' failed to satisfy constraint: Member must have length less than or equal to 10");
  return { ResourceTagSets: input.ResourceIds.map((id) => listTagsForResource({ ResourceType: input.ResourceType, ResourceId: id }, env).ResourceTagSet) };
}

export const tagHandlers = {
  ChangeTagsForResource: changeTagsForResource,
  ListTagsForResource: listTagsForResource,
  ListTagsForResources: listTagsForResources,
} satisfies Handlers;
