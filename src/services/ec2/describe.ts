// What every EC2 Describe* shares: filters (with * and ? wildcards, tag:Key,
// tag-key, tag-value), MaxResults/NextToken pagination, and the AWS errors
// for bad filters, bad page sizes and bad tokens.
import { AwsError } from '../../aws/errors.ts';

export interface Filter {
  Name?: string;
  Values?: string[];
}

import type { Tag } from '../../records/tags.ts';
export type { Tag };

/** Filter name -> the value(s) of an item that the filter compares against. */
export type FilterFields<T> = Record<string, (item: T) => unknown>;

function globToRegExp(glob: string): RegExp {
  // EC2 filter values: * any run, ? one character, \ escapes either.
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\' && i + 1 < glob.length) re += glob[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

function asStrings(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.flatMap(asStrings);
  return [String(v)];
}

function tagsOf(item: object): Tag[] | undefined {
  // Network interfaces call their tags TagSet.
  const t = item as { Tags?: Tag[]; TagSet?: Tag[] };
  return t.Tags ?? t.TagSet;
}

/** Keeps the items that match every filter (values of one filter are OR-ed). */
export function applyFilters<T extends object>(items: T[], filters: Filter[] | undefined, fields: FilterFields<T>): T[] {
  if (!filters || filters.length === 0) return items;
  const tests = filters.map((f) => {
    const name = f.Name ?? '';
    const patterns = (f.Values ?? []).map(globToRegExp);
    let get: ((item: T) => unknown) | undefined = fields[name];
    if (name.startsWith('tag:')) {
      const key = name.slice(4);
      get = (item) => tagsOf(item)?.filter((t) => t.Key === key).map((t) => t.Value ?? '');
    } else if (name === 'tag-key') get = (item) => tagsOf(item)?.map((t) => t.Key);
    else if (name === 'tag-value') get = (item) => tagsOf(item)?.map((t) => t.Value ?? '');
    if (!get) throw new AwsError('InvalidParameterValue', `The filter '${name}' is invalid`, 400);
    const getter = get;
    return (item: T) => {
      const values = asStrings(getter(item));
      return values.some((v) => patterns.some((p) => p.test(v)));
    };
  });
  return items.filter((item) => tests.every((t) => t(item)));
}

export interface PageOptions {
  MaxResults?: number;
  NextToken?: string;
}

/**
 * Cuts one page. The token is an opaque offset; EC2 rejects page sizes outside
 * [min, max] and MaxResults combined with explicit ids.
 */
export function paginate<T>(items: T[], opts: PageOptions, limits: { min: number; max: number } = { min: 5, max: 1000 }, idsGiven = false): { page: T[]; NextToken?: string } {
  let start = 0;
  if (opts.NextToken !== undefined) {
    const m = /^ln1:(\d+)$/.exec(Buffer.from(opts.NextToken, 'base64url').toString('utf8'));
    if (!m || Number(m[1]) > items.length) throw new AwsError('InvalidPaginationToken', 'The specified pagination token is not valid or is expired.', 400);
    start = Number(m[1]);
  }
  if (opts.MaxResults === undefined) return { page: items.slice(start) };
  if (idsGiven) throw new AwsError('InvalidParameterCombination', 'The parameter MaxResults cannot be used with the parameter that specifies resource IDs.', 400);
  if (opts.MaxResults < limits.min || opts.MaxResults > limits.max) {
    throw new AwsError('InvalidParameterValue', `Value ( ${opts.MaxResults} ) for parameter maxResults is invalid. Parameter may only be between ${limits.min} and ${limits.max}.`, 400);
  }
  const end = start + opts.MaxResults;
  const page = items.slice(start, end);
  return end < items.length ? { page, NextToken: Buffer.from(`ln1:${end}`).toString('base64url') } : { page };
}
