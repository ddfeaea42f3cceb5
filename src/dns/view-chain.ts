// The views: each is a list of handlers tried in order until one answers,
// plus the loop that follows CNAMEs (and out-of-zone alias targets) through
// the same view, as a resolver would within what this machine knows.
import type { Answer } from 'dns-packet';
import { dnsSupport } from './handlers/dns-support.ts';
import { ec2PublicNames } from './handlers/ec2-public-names.ts';
import { endpointNames } from './handlers/endpoint-names.ts';
import { loadBalancerNames } from './handlers/load-balancer-names.ts';
import type { Handler, Question, Rcode, Step, ViewContext } from './handlers/handler.ts';
import { privateZones } from './handlers/private-zones.ts';
import { publicZones } from './handlers/public-zones.ts';
import { vpcNames } from './handlers/vpc-names.ts';
import { normalizeName } from './names.ts';
import type { SnapshotIndex } from './snapshot-index.ts';

/**
 * The order is the whole policy, so it is declared here and nowhere else.
 *
 * Public view (the internet): delegated public zones, then the public names
 * AWS gives hosts. Nothing else exists publicly.
 *
 * VPC view (Route 53 Resolver at VPC+2):
 *  1. dns-support: with enableDnsSupport off nothing below may answer.
 *  2. private-zone: associated private zones take precedence over every other
 *     source for their namespace (AWS: most specific private zone wins and
 *     there is no fallback), so they must run before VPC names and public DNS.
 *     The private DNS name of an interface endpoint of this VPC is one of
 *     them (AWS's managed zone), so it resolves here and in no other view.
 *  3. vpc-names: the VPC's own host names; before public DNS because a host's
 *     public name resolves to its private address inside its VPC.
 *  4. public-zone, ec2-public-names: what the resolver would find by
 *     recursing to the internet (here: the public view; no real internet).
 *  5. load-balancer-names: elb.amazonaws.com names (internal ones only in
 *     their VPC); last because no zone a user creates can hold them.
 *  6. endpoint-names: vpce.amazonaws.com names of interface endpoints, public
 *     DNS on AWS (every view); last for the same reason.
 */
export const VIEW_CHAINS: { public: Handler[]; vpc: Handler[] } = {
  public: [publicZones, ec2PublicNames, loadBalancerNames, endpointNames],
  vpc: [dnsSupport, privateZones, vpcNames, publicZones, ec2PublicNames, loadBalancerNames, endpointNames],
};

/** A resolver gives up on a CNAME chain this long (BIND and Unbound use similar bounds). */
export const MAX_CHAIN = 12;
const MAX_ALIAS_NESTING = 4;

export interface Resolution {
  rcode: Rcode;
  /** AA: the question name was answered from data this view is authoritative for. */
  authoritative: boolean;
  answers: Answer[];
  authorities: Answer[];
  cacheable: boolean;
  /** The handler that answered each name of the chain, in order. */
  steps: Step[];
}

export interface ResolveOptions {
  random?: () => number;
  trace?: string[];
}

function runChain(chain: Handler[], q: Question, ctx: ViewContext): Step {
  for (const h of chain) {
    const step = h.handle(q, ctx);
    if (step) return step;
  }
  ctx.trace?.push(`nothing in view ${ctx.view} serves ${q.lname}: REFUSED (localnet does not recurse to the real internet)`);
  return { by: 'none', rcode: 'REFUSED', authoritative: false, answers: [], authorities: [], cacheable: true };
}

export function resolveInView(index: SnapshotIndex, view: string, name: string, type: string, opts: ResolveOptions = {}, nesting = 0): Resolution {
  const ctx: ViewContext = {
    index, view, vpc: view === 'public' ? undefined : index.vpcs.get(view),
    loadBalancers: index.loadBalancers, random: opts.random ?? Math.random, trace: opts.trace,
  };
  const chain = view === 'public' ? VIEW_CHAINS.public : VIEW_CHAINS.vpc;
  const answers: Answer[] = [];
  const steps: Step[] = [];
  let authorities: Answer[] = [];
  let rcode: Rcode = 'NOERROR';
  let cacheable = true;
  const seen = new Set<string>();
  let q: Question = { name, lname: normalizeName(name), type };
  for (let hop = 0; ; hop++) {
    seen.add(q.lname);
    const step = runChain(chain, q, ctx);
    steps.push(step);
    cacheable &&= step.cacheable;
    if (hop > 0 && step.rcode === 'REFUSED') {
      // The chain leaves what this view knows: answer with what we have, as an authoritative server does for an out-of-zone target.
      ctx.trace?.push(`${q.lname} is outside what view ${view} knows: the answer stops at the CNAME`);
      authorities = [];
      rcode = 'NOERROR';
      break;
    }
    if (step.aliasTarget !== undefined) {
      ctx.trace?.push(`alias ${q.lname} -> ${step.aliasTarget}: resolved through view ${view}, answered under the alias name`);
      const sub = nesting < MAX_ALIAS_NESTING ? resolveInView(index, view, step.aliasTarget, type, opts, nesting + 1) : undefined;
      const owner = q.name;
      const finals = (sub?.answers ?? []).filter((a) => a.type === type).map((a) => ({ ...a, name: owner }) as Answer);
      answers.push(...finals);
      cacheable &&= sub?.cacheable ?? true;
      rcode = 'NOERROR';
      authorities = [];
      break;
    }
    answers.push(...step.answers);
    authorities = step.authorities;
    rcode = step.rcode;
    if (step.next === undefined || type === 'CNAME' || type === 'ANY') break;
    if (seen.has(step.next) || hop + 1 >= MAX_CHAIN) {
      ctx.trace?.push(`CNAME chain ${[...seen].join(' -> ')} -> ${step.next} loops or is too long: the answer stops here`);
      authorities = [];
      break;
    }
    q = { name: step.next, lname: step.next, type };
  }
  return { rcode, authoritative: steps[0].authoritative, answers, authorities, cacheable, steps };
}
