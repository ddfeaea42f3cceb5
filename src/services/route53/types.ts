// How Route 53 state is stored. Route 53 is global: everything lives in the
// scope { account, region: 'global' }. A zone holds its record sets, VPC
// associations, authorizations and tags, so one put() changes a zone
// atomically. Names are stored decoded and lower-case without the final dot.
import { KIND as ALL } from '../../records/kinds.ts';
export type { Tag, VpcRef, RecordSet, HostedZone, DelegationSet } from '../../records/route53.ts';

export interface Change {
  /** C... without the /change/ prefix. */
  Id: string;
  SubmittedAt: string;
  Comment?: string;
}

export const KIND = {
  zone: ALL.hostedZone,
  delegationSet: ALL.delegationSet,
  change: 'route53:change',
} as const;

/** Route 53 is a global service: one scope per account. */
export function globalScope(account: string) {
  return { account, region: 'global' };
}
