// Choosing where a request goes: a target group among the weighted ones of a
// forward action (AWSALBTG cookie for group stickiness), then a target in the
// group: the sticky one (AWSALB cookie) when it can still take traffic, else
// the group's policy chooses among the healthy targets; when none is
// healthy, among all registered ones (ALB fails open). Draining targets get
// no new requests. Policies keep state (a round-robin position): the
// Balancer holds it for one data plane, one policy per target group, and
// drops it with the group.
import type { HealthState } from './records.ts';
import type { ResolvedGroup, ResolvedTarget } from './state.ts';

export type HealthOf = (key: string) => HealthState | undefined;

/** Requests forwarded to one target and not answered yet. */
export interface InFlight {
  n: number;
}

/**
 * How one target group picks a target. choose() looks at the registered
 * targets that are not draining: the healthy ones, or all of them when none
 * is healthy (fail open); undefined when every target is draining.
 */
export interface TargetPolicy {
  choose(targets: readonly ResolvedTarget[], health: HealthOf): ResolvedTarget | undefined;
  /** The counter a request forwarded to t holds until it is answered; undefined when the policy counts nothing. */
  inFlight(t: ResolvedTarget): InFlight | undefined;
  /** The group's targets changed: forget state about targets no longer registered. */
  prune(targets: readonly ResolvedTarget[]): void;
}

/** round_robin: the targets in turn, from where the last choice left off. */
export class RoundRobin implements TargetPolicy {
  private next = 0;

  choose(targets: readonly ResolvedTarget[], health: HealthOf): ResolvedTarget | undefined {
    const n = targets.length;
    let fallback = -1;
    for (let i = 0; i < n; i++) {
      const at = (this.next + i) % n;
      const t = targets[at];
      if (t.draining) continue;
      if (health(t.key) === 'healthy') {
        this.next = at + 1;
        return t;
      }
      if (fallback < 0) fallback = at;
    }
    if (fallback < 0) return undefined;
    this.next = fallback + 1;
    return targets[fallback];
  }

  inFlight(): undefined {
    return undefined;
  }

  prune(): void {}
}

/** One data plane's balancing state: a policy per target group in use. */
export class Balancer {
  private readonly policies = new Map<string, TargetPolicy>();

  /** The group's policy, created on first use. */
  policyOf(group: ResolvedGroup): TargetPolicy {
    let p = this.policies.get(group.arn);
    if (p === undefined) {
      p = new RoundRobin();
      this.policies.set(group.arn, p);
    }
    return p;
  }

  /** After a reconcile: the state of groups no longer in use is dropped, that of deregistered targets forgotten. */
  sync(groups: ReadonlyMap<string, ResolvedGroup>): void {
    for (const [arn, p] of this.policies) {
      const g = groups.get(arn);
      if (g === undefined) this.policies.delete(arn);
      else p.prune(g.targets);
    }
  }

  /** Target groups with balancing state (tests). */
  get size(): number {
    return this.policies.size;
  }
}

/** The sticky target when it can still take traffic (healthy, not draining), else the policy's choice. */
export function pickTarget(group: ResolvedGroup, policy: TargetPolicy, health: HealthOf, stickyKey?: string): ResolvedTarget | undefined {
  if (stickyKey !== undefined) {
    for (const t of group.targets) if (t.key === stickyKey && !t.draining && health(t.key) === 'healthy') return t;
  }
  return policy.choose(group.targets, health);
}

/** Whether the group has a registered target that is not draining (else ALB answers 503). */
export function hasTargets(group: ResolvedGroup): boolean {
  for (const t of group.targets) if (!t.draining) return true;
  return false;
}

/** Weighted choice of a target group; `random` in [0, 1). Groups of weight 0 are never chosen. */
export function pickGroup(groups: { arn: string; weight: number }[], totalWeight: number, random: number, sticky?: string): string | undefined {
  if (groups.length === 1) return groups[0].arn;
  if (sticky !== undefined) for (const g of groups) if (g.arn === sticky && g.weight > 0) return g.arn;
  if (totalWeight <= 0) return undefined;
  let x = random * totalWeight;
  for (const g of groups) {
    if (x < g.weight) return g.arn;
    x -= g.weight;
  }
  return groups[groups.length - 1].arn;
}

/** Reads one cookie from a Cookie header without parsing the rest. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  let at = header.indexOf(`${name}=`);
  while (at >= 0) {
    if (at === 0 || header[at - 1] === ' ' || header[at - 1] === ';') {
      const start = at + name.length + 1;
      const end = header.indexOf(';', start);
      return header.slice(start, end < 0 ? undefined : end).trim();
    }
    at = header.indexOf(`${name}=`, at + 1);
  }
  return undefined;
}

export function encodeSticky(key: string): string {
  return Buffer.from(key).toString('base64url');
}

export function decodeSticky(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return Buffer.from(value, 'base64url').toString();
  } catch {
    return undefined;
  }
}

/** The pair of cookies ALB sets for a stickiness kind (AWSALB/AWSALBCORS, AWSALBTG/AWSALBTGCORS). */
export function stickyCookies(name: 'AWSALB' | 'AWSALBTG', key: string, durationMs: number): string[] {
  const v = encodeSticky(key);
  const expires = new Date(Date.now() + durationMs).toUTCString();
  return [`${name}=${v}; Expires=${expires}; Path=/`, `${name}CORS=${v}; Expires=${expires}; Path=/; SameSite=None; Secure`];
}
