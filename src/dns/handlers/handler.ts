// The contract of one link in a view's chain (CoreDNS-style): a handler looks
// at the question and either answers it (returns a Step) or passes
// (returns undefined) to the next handler in the view's list.
import type { Answer } from 'dns-packet';
import type { SnapshotIndex, VpcIndex } from '../snapshot-index.ts';
import type { LookupContext, ZoneIndex, ZoneResult } from '../zone-index.ts';

export interface Question {
  /** The name as the client spelled it (kept for the answer's owner names). */
  name: string;
  /** Lower-case, no trailing dot. */
  lname: string;
  type: string;
}

export interface ViewContext extends LookupContext {
  index: SnapshotIndex;
  /** 'public' or a VPC id. */
  view: string;
  /** The VPC of a VPC view (undefined for the public view or an unknown VPC). */
  vpc?: VpcIndex;
}

export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'REFUSED' | 'SERVFAIL';

export interface Step {
  /** Which handler answered (for explanations). */
  by: string;
  rcode: Rcode;
  authoritative: boolean;
  answers: Answer[];
  authorities: Answer[];
  /** A CNAME target the view should go on resolving (lower-case). */
  next?: string;
  /** An alias whose target lies outside its zone: the view resolves it and answers the records under the alias name. */
  aliasTarget?: string;
  cacheable: boolean;
}

export interface Handler {
  name: string;
  handle(q: Question, ctx: ViewContext): Step | undefined;
}

/** A zone's result as a step of the chain: zones are authoritative for their names, except at a delegation. */
export function zoneStep(by: string, zone: ZoneIndex, r: ZoneResult): Step {
  const base = { by, authoritative: true, answers: [] as Answer[], authorities: [] as Answer[], cacheable: true };
  switch (r.kind) {
    case 'records': return { ...base, rcode: 'NOERROR', answers: r.rrs, cacheable: r.cacheable };
    case 'cname': return { ...base, rcode: 'NOERROR', answers: r.rrs, next: r.target, cacheable: r.cacheable };
    case 'alias': return { ...base, rcode: 'NOERROR', aliasTarget: r.target, cacheable: r.cacheable };
    case 'nodata': return { ...base, rcode: 'NOERROR', authorities: [zone.negativeSoa] };
    case 'nxdomain': return { ...base, rcode: 'NXDOMAIN', authorities: [zone.negativeSoa] };
    case 'referral': return { ...base, rcode: 'NOERROR', authoritative: false, authorities: r.ns };
  }
}
