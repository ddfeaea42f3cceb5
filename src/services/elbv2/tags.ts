// Tags on load balancers, target groups, listeners and rules: AddTags,
// RemoveTags, DescribeTags, and the Tags member of the Create* calls. Tags
// live on the record itself (_tags).
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { arnKind, notFound, type ArnKind } from './arns.ts';
import { KIND, type Tag } from './types.ts';

const MAX_TAGS = 50;
const STORE_KIND: Record<ArnKind, string> = { loadBalancer: KIND.loadBalancer, targetGroup: KIND.targetGroup, listener: KIND.listener, rule: KIND.rule };

/** Tags given at creation: unique keys, AWS's lengths, at most 50. */
export function validateNewTags(tags: Tag[] | undefined): Tag[] {
  const list = tags ?? [];
  const keys = new Set<string>();
  for (const t of list) {
    if (!t.Key) throw new AwsError('ValidationError', 'A tag key must be specified');
    if (t.Key.length > 128) throw new AwsError('ValidationError', `Tag key '${t.Key}' cannot be longer than 128 characters`);
    if ((t.Value ?? '').length > 256) throw new AwsError('ValidationError', `The value of tag '${t.Key}' cannot be longer than 256 characters`);
    if (t.Key.toLowerCase().startsWith('aws:')) throw new AwsError('ValidationError', `Tag key '${t.Key}' uses the reserved prefix 'aws:'`);
    if (keys.has(t.Key)) throw new AwsError('DuplicateTagKeys', `Tag key '${t.Key}' is specified more than once`);
    keys.add(t.Key);
  }
  if (list.length > MAX_TAGS) throw new AwsError('TooManyTags', `A resource can have at most ${MAX_TAGS} tags`);
  return list.map((t) => ({ Key: t.Key, Value: t.Value ?? '' }));
}

interface Tagged {
  _tags: Tag[];
}

function resolve(env: HandlerEnv, arn: string): { kind: string; record: Tagged } {
  const k = arnKind(arn);
  if (!k) throw new AwsError('ValidationError', `'${arn}' is not a valid load balancer, target group, listener or rule ARN`);
  const record = env.store.get<Tagged>(STORE_KIND[k], env.scope, arn);
  if (!record) throw notFound[k]();
  return { kind: STORE_KIND[k], record };
}

function arnsOf(input: { ResourceArns?: string[] }): string[] {
  if (!input.ResourceArns?.length) throw new AwsError('ValidationError', 'At least one resource ARN must be specified');
  if (input.ResourceArns.length > 20) throw new AwsError('ValidationError', 'At most 20 resource ARNs can be specified');
  return input.ResourceArns;
}

export function addTags(input: { ResourceArns?: string[]; Tags?: Tag[] }, env: HandlerEnv) {
  const add = validateNewTags(input.Tags);
  if (add.length === 0) throw new AwsError('ValidationError', 'At least one tag must be specified');
  for (const arn of arnsOf(input)) {
    const { kind, record } = resolve(env, arn);
    const merged = [...record._tags.filter((t) => !add.some((a) => a.Key === t.Key)), ...add];
    if (merged.length > MAX_TAGS) throw new AwsError('TooManyTags', `The quota for the number of tags that can be assigned to '${arn}' has been reached`);
    env.store.put(kind, env.scope, arn, { ...record, _tags: merged });
  }
  return {};
}

export function removeTags(input: { ResourceArns?: string[]; TagKeys?: string[] }, env: HandlerEnv) {
  if (!input.TagKeys?.length) throw new AwsError('ValidationError', 'At least one tag key must be specified');
  for (const arn of arnsOf(input)) {
    const { kind, record } = resolve(env, arn);
    env.store.put(kind, env.scope, arn, { ...record, _tags: record._tags.filter((t) => !input.TagKeys!.includes(t.Key)) });
  }
  return {};
}

export function describeTags(input: { ResourceArns?: string[] }, env: HandlerEnv) {
  return { TagDescriptions: arnsOf(input).map((arn) => ({ ResourceArn: arn, Tags: resolve(env, arn).record._tags })) };
}

export const tagHandlers = {
  AddTags: addTags,
  RemoveTags: removeTags,
  DescribeTags: describeTags,
} satisfies Handlers;
