// Tags on every EC2 resource: TagSpecifications at creation, CreateTags,
// DeleteTags, DescribeTags. Tags live on the resource itself (its Tags list).
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { applyFilters, paginate, type Filter, type Tag } from './describe.ts';
import { ALL_KINDS, isIdOf, kindOfId, malformed, notFound, type Kind } from './resources.ts';

export interface TagSpecification {
  ResourceType?: string;
  Tags?: Tag[];
}

const MAX_TAGS = 50;

export function validateTags(tags: Tag[]): void {
  if (tags.length > MAX_TAGS) throw new AwsError('TagLimitExceeded', `The maximum number of tags per resource is ${MAX_TAGS}.`, 400);
  for (const t of tags) {
    if (t.Key === undefined || t.Key === '') throw new AwsError('InvalidParameterValue', 'Tag key must not be empty.', 400);
    if (t.Key.length > 128) throw new AwsError('InvalidParameterValue', `Tag key exceeds the maximum length of 128 characters.`, 400);
    if (t.Key.toLowerCase().startsWith('aws:')) throw new AwsError('InvalidParameterValue', 'Tag keys starting with \'aws:\' are reserved for internal use', 400);
    if ((t.Value ?? '').length > 256) throw new AwsError('InvalidParameterValue', 'Tag value exceeds the maximum length of 256 characters.', 400);
  }
}

/** The tags a creation call asks for resourceType (InvalidParameterValue for a spec of another type). */
export function tagsFromSpecs(specs: TagSpecification[] | undefined, resourceType: string): Tag[] | undefined {
  if (!specs || specs.length === 0) return undefined;
  const tags: Tag[] = [];
  for (const s of specs) {
    if (s.ResourceType !== resourceType) {
      throw new AwsError('InvalidParameterValue', `'${s.ResourceType ?? ''}' is not a valid taggable resource type for this operation.`, 400);
    }
    for (const t of s.Tags ?? []) tags.push({ Key: t.Key, Value: t.Value ?? '' });
  }
  validateTags(tags);
  return tags.length > 0 ? tags : undefined;
}

function merge(existing: Tag[] | undefined, add: Tag[]): Tag[] {
  const out = [...(existing ?? [])];
  for (const t of add) {
    const i = out.findIndex((e) => e.Key === t.Key);
    if (i >= 0) out[i] = { Key: t.Key, Value: t.Value ?? '' };
    else out.push({ Key: t.Key, Value: t.Value ?? '' });
  }
  return out;
}

type Taggable = Record<string, unknown> & { Tags?: Tag[]; TagSet?: Tag[] };

function resolveResource(env: HandlerEnv, id: string): { k: Kind; r: Taggable } {
  const k = kindOfId(id);
  if (!k) throw new AwsError('InvalidID', `The ID '${id}' is not valid`, 400);
  if (!isIdOf(k, id)) throw malformed(k, id);
  const r = env.store.get<Taggable>(k.kind, env.scope, id);
  if (!r) throw notFound(k, id);
  return { k, r };
}

export function createTags(input: { Resources: string[]; Tags: Tag[] }, env: HandlerEnv): Record<string, never> {
  validateTags(input.Tags ?? []);
  for (const id of input.Resources ?? []) {
    const { k, r } = resolveResource(env, id);
    const tags = merge(r[k.tagField], input.Tags ?? []);
    validateTags(tags);
    r[k.tagField] = tags;
    env.store.put(k.kind, env.scope, id, r);
  }
  return {};
}

export function deleteTags(input: { Resources: string[]; Tags?: Tag[] }, env: HandlerEnv): Record<string, never> {
  for (const id of input.Resources ?? []) {
    const { k, r } = resolveResource(env, id);
    // A tag given with a value is deleted only when the value matches; without a value, whatever its value.
    const kept = (r[k.tagField] ?? []).filter((t) => !(input.Tags ?? [{ Key: t.Key }]).some((d) => d.Key === t.Key && (d.Value === undefined || d.Value === t.Value)));
    if (kept.length === 0) delete r[k.tagField];
    else r[k.tagField] = kept;
    env.store.put(k.kind, env.scope, id, r);
  }
  return {};
}

interface TagDescription {
  Key: string;
  Value: string;
  ResourceId: string;
  ResourceType: string;
  Tags?: Tag[];
}

export function describeTags(input: { Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv): { Tags: TagDescription[]; NextToken?: string } {
  const rows: TagDescription[] = [];
  for (const k of ALL_KINDS) {
    for (const r of env.store.list<Taggable>(k.kind, env.scope)) {
      for (const t of r[k.tagField] ?? []) rows.push({ Key: t.Key!, Value: t.Value ?? '', ResourceId: String(r[k.idField]), ResourceType: k.resourceType });
    }
  }
  // Filters on DescribeTags name the tag's own fields (key, value, resource-id, resource-type).
  const filtered = applyFilters(rows, input.Filters, {
    key: (t) => t.Key,
    value: (t) => t.Value,
    'resource-id': (t) => t.ResourceId,
    'resource-type': (t) => t.ResourceType,
  });
  const { page, NextToken } = paginate(filtered, input, { min: 5, max: 1000 });
  return { Tags: page, NextToken };
}

export const tagHandlers = {
  CreateTags: createTags,
  DeleteTags: deleteTags,
  DescribeTags: describeTags,
} satisfies Handlers;
