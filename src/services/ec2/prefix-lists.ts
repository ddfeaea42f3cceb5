// The AWS-managed prefix lists gateway endpoints route to: one for S3 and
// one for DynamoDB per region (com.amazonaws.<region>.s3 / .dynamodb), with
// fixed pl- ids. Read through DescribePrefixLists, DescribeManagedPrefixLists
// and GetManagedPrefixListEntries. Customer-managed prefix lists are not
// emulated (CreateManagedPrefixList answers 501).
//
// Ids: us-east-1's (pl-63a5400a for S3, pl-02cd2c6b for DynamoDB) and a few
// other regions' are the ones AWS users report [3p]; every other region gets
// a stable made-up id of the same form. The CIDRs are a plausible sample of
// AWS's published us-east-1 ranges, used for every region: localnet never
// sends traffic to them, they only fill the lists.
import { createHash } from 'node:crypto';
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { applyFilters, paginate, type Filter } from './describe.ts';

const KNOWN_IDS: Record<string, { s3: string; dynamodb: string }> = {
  'us-east-1': { s3: 'pl-63a5400a', dynamodb: 'pl-02cd2c6b' },
  'us-east-2': { s3: 'pl-7ba54012', dynamodb: 'pl-4ca54025' },
  'us-west-1': { s3: 'pl-6ba54002', dynamodb: 'pl-6ea54007' },
  'us-west-2': { s3: 'pl-68a54001', dynamodb: 'pl-00a54069' },
  'eu-west-1': { s3: 'pl-6da54004', dynamodb: 'pl-6fa54006' },
  'eu-central-1': { s3: 'pl-6ea54007', dynamodb: 'pl-66a5400f' },
};

const CIDRS: Record<'s3' | 'dynamodb', string[]> = {
  s3: ['3.5.0.0/19', '16.182.0.0/16', '18.34.0.0/19', '18.34.232.0/21', '52.216.0.0/15', '54.231.0.0/16'],
  dynamodb: ['3.218.180.0/22', '3.218.184.0/22', '52.94.0.0/22', '52.119.224.0/20'],
};

export type ManagedService = 's3' | 'dynamodb';

export interface AwsPrefixList {
  PrefixListId: string;
  PrefixListName: string;
  service: ManagedService;
  Cidrs: string[];
}

export function prefixListId(region: string, service: ManagedService): string {
  const known = KNOWN_IDS[region]?.[service];
  if (known) return known;
  return `pl-${createHash('sha256').update(`prefix-list:${region}:${service}`).digest('hex').slice(0, 8)}`;
}

/** The region's AWS-managed prefix lists. */
export function awsPrefixLists(region: string): AwsPrefixList[] {
  return (['dynamodb', 's3'] as const).map((service) => ({ PrefixListId: prefixListId(region, service), PrefixListName: `com.amazonaws.${region}.${service}`, service, Cidrs: CIDRS[service] }));
}

function notFound(id: string): AwsError {
  // Code from the EC2 error list; the wording follows the other not-found errors [unverified].
  return new AwsError('InvalidPrefixListID.NotFound', `The prefix list ID '${id}' does not exist`, 400);
}

function named(region: string, ids: string[] | undefined): AwsPrefixList[] {
  const lists = awsPrefixLists(region);
  if (!ids?.length) return lists;
  return ids.map((id) => {
    const list = lists.find((l) => l.PrefixListId === id);
    if (!list) throw notFound(id);
    return list;
  });
}

export function describePrefixLists(input: { PrefixListIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const lists = applyFilters(named(env.scope.region, input.PrefixListIds), input.Filters, { 'prefix-list-id': (l) => l.PrefixListId, 'prefix-list-name': (l) => l.PrefixListName });
  const { page, NextToken } = paginate(lists, input, { min: 5, max: 1000 });
  return { PrefixLists: page.map((l) => ({ PrefixListId: l.PrefixListId, PrefixListName: l.PrefixListName, Cidrs: l.Cidrs })), NextToken };
}

function managedView(region: string, l: AwsPrefixList) {
  return {
    PrefixListId: l.PrefixListId,
    AddressFamily: 'IPv4',
    State: 'create-complete',
    PrefixListArn: `arn:aws:ec2:${region}:aws:prefix-list/${l.PrefixListId}`,
    PrefixListName: l.PrefixListName,
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
  const { page, NextToken } = paginate(list.Cidrs.map((Cidr) => ({ Cidr })), input, { min: 1, max: 100 });
  return { Entries: page, NextToken };
}

export const prefixListHandlers = {
  DescribePrefixLists: describePrefixLists,
  DescribeManagedPrefixLists: describeManagedPrefixLists,
  GetManagedPrefixListEntries: getManagedPrefixListEntries,
} satisfies Handlers;
