// AddTagsToCertificate, RemoveTagsFromCertificate, ListTagsForCertificate.
// Tags live on the certificate record.
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { constraint, invalidTag, tooManyTags } from './errors.ts';
import { getCertificate, putCertificate } from './records.ts';
import type { Tag } from './types.ts';

const MAX_TAGS = 50;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function checkTags(tags: Tag[]): void {
  tags.forEach((t, i) => {
    if (t.Key.length < 1 || t.Key.length > 128) throw constraint(t.Key, `tags.${i + 1}.member.key`, 'Member must have length between 1 and 128');
    if (!TAG_CHARS.test(t.Key)) throw constraint(t.Key, `tags.${i + 1}.member.key`, 'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*');
    if ((t.Value ?? '').length > 256) throw constraint(t.Value ?? '', `tags.${i + 1}.member.value`, 'Member must have length less than or equal to 256');
    if (!TAG_CHARS.test(t.Value ?? '')) throw constraint(t.Value ?? '', `tags.${i + 1}.member.value`, 'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*');
    if (t.Key.toLowerCase().startsWith('aws:')) throw invalidTag(`Tag key ${t.Key} is not valid: the aws: prefix is reserved for AWS use.`);
  });
  if (tags.length > MAX_TAGS) throw tooManyTags(`A certificate can have at most ${MAX_TAGS} tags.`);
}

export function addTagsToCertificate(input: { CertificateArn: string; Tags: Tag[] }, env: HandlerEnv): Record<string, never> {
  const rec = getCertificate(env, input.CertificateArn);
  checkTags(input.Tags);
  const tags = [...rec.tags];
  for (const t of input.Tags) {
    const i = tags.findIndex((e) => e.Key === t.Key);
    const tag = { Key: t.Key, Value: t.Value ?? '' };
    if (i >= 0) tags[i] = tag;
    else tags.push(tag);
  }
  if (tags.length > MAX_TAGS) throw tooManyTags(`The request contains too many tags: a certificate can have at most ${MAX_TAGS} tags.`);
  putCertificate(env, { ...rec, tags });
  return {};
}

export function removeTagsFromCertificate(input: { CertificateArn: string; Tags: Tag[] }, env: HandlerEnv): Record<string, never> {
  const rec = getCertificate(env, input.CertificateArn);
  for (const t of input.Tags) if (t.Key.toLowerCase().startsWith('aws:')) throw invalidTag(`Tag key ${t.Key} is not valid: the aws: prefix is reserved for AWS use.`);
  // A tag given with a value is removed only when the value matches; given without one, whatever its value.
  const tags = rec.tags.filter((e) => !input.Tags.some((t) => t.Key === e.Key && (t.Value === undefined || t.Value === e.Value)));
  putCertificate(env, { ...rec, tags });
  return {};
}

export function listTagsForCertificate(input: { CertificateArn: string }, env: HandlerEnv) {
  return { Tags: getCertificate(env, input.CertificateArn).tags };
}

export const tagHandlers = {
  AddTagsToCertificate: addTagsToCertificate,
  RemoveTagsFromCertificate: removeTagsFromCertificate,
  ListTagsForCertificate: listTagsForCertificate,
} satisfies Handlers;
