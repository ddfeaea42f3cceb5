// DescribePrefixLists, DescribeManagedPrefixLists and
// GetManagedPrefixListEntries over the AWS-managed lists gateway endpoints
// route to (src/records/prefix-lists.ts: their ids and ranges, which the
// reachability engine reads too). Customer-managed prefix lists are not
// emulated (CreateManagedPrefixList answers 501).
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { awsPrefixLists, type ManagedPrefixList } from '../../records/prefix-lists.ts';
import { applyFilters, paginate, type Filter } from './describe.ts';

function notFound(id: string): AwsError {
  // Code from the EC2 error list; the wording follows the other not-found errors [unverified].
  return new AwsError('InvalidPrefixListID.NotFound', `The prefix list ID '${id}' does not exist`, 400);
}

function named(region: string, ids: string[] | undefined): ManagedPrefixList[] {
  const lists = awsPrefixLists(region);
  if (!ids?.length) return lists;
  return ids.map((id) => {
    const list = lists.find((l) => l.id === id);
    if (!list) throw notFound(id);
    return list;
  });
}

export function describePrefixLists(input: { PrefixListIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const lists = applyFilters(named(env.scope.region, input.PrefixListIds), input.Filters, { 'prefix-list-id': (l) => l.id, 'prefix-list-name': (l) => l.name });
  const { page, NextToken } = paginate(lists, input, { min: 5, max: 1000 });
  return { PrefixLists: page.map((l) => ({ PrefixListId: l.id, PrefixListName: l.name, Cidrs: l.cidrs })), NextToken };
}

function managedView(region: string, l: ManagedPrefixList) {
  return {
    PrefixListId: l.id,
    AddressFamily: 'IPv4',
    State: 'create-complete',
    PrefixListArn: `arn:aws:ec2:${region}:aws:prefix-list/${l.id}`,
    PrefixListName: l.name,
    Version: 1,
    OwnerId: 'AWS',
  };
}

export function describeManagedPrefixLists(input: { PrefixListIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const region = env.scope.region;
  const views = named(region, input.PrefixListIds).map((l) => managedView(region, l));
  const filtered = applyFilters(views, input.Filters, { 'owner-id': (v) => v.OwnerId, 'prefix-list-id': (v) => v.PrefixListId, 'prefix-list-name': (v) => v.PrefixListName });
  const { page, NextToken } = paginate(filtered, input, { min: 1, max: 100 });
  return { PrefixLists: page, NextToken };
}

export function getManagedPrefixListEntries(input: { PrefixListId: string; TargetVersion?: number; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const [list] = named(env.scope.region, [input.PrefixListId]);
  if (input.TargetVersion !== undefined && input.TargetVersion !== 1) {
    throw new AwsError('InvalidParameterValue', `The prefix list ${input.PrefixListId} has no version ${input.TargetVersion}.`, 400);
  }
  const { page, NextToken } = paginate(list.cidrs.map((Cidr) => ({ Cidr })), input, { min: 1, max: 100 });
  return { Entries: page, NextToken };
}

export const prefixListHandlers = {
  DescribePrefixLists: describePrefixLists,
  DescribeManagedPrefixLists: describeManagedPrefixLists,
  GetManagedPrefixListEntries: getManagedPrefixListEntries,
} satisfies Handlers;
