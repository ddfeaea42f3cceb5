// Choosing where a request goes: a target group among the weighted ones of a
// forward action (AWSALBTG cookie for group stickiness), then a target in the
// group: the sticky one (AWSALB cookie) when it can still take traffic, else
// the group's policy (load_balancing.algorithm.type) chooses among the
// healthy targets; when none is healthy, among all registered ones (ALB
// fails open). Draining targets get no new requests. One small class per
// policy; their state (a round-robin position, in-flight counts) lives in
// the Balancer of one data plane, one policy object per target group,
// dropped with the group.
import type { HealthState } from './records.ts';
import type { ResolvedGroup, ResolvedTarget } from './state.ts';

export type HealthOf = (key: string) => HealthState | undefined;
export type Algorithm = ResolvedGroup['algorithm'];

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
  readonly algorithm: Algorithm;
  choose(targets: readonly ResolvedTarget[], health: HealthOf): ResolvedTarget | undefined;
  /** The counter a request forwarded to t holds until it is answered; undefined when the policy counts nothing. */
  inFlight(t: ResolvedTarget): InFlight | undefined;
  /** The group's targets changed: forget state about targets no longer registered. */
  prune(targets: readonly ResolvedTarget[]): void;
}

/** round_robin: the targets in turn, from where the last choice left off. */
export class RoundRobin implements TargetPolicy {
  readonly algorithm = 'round_robin';
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

/**
 * least_outstanding_requests: the target with the fewest requests forwarded
 * and not answered yet; among equals, the next in round-robin order (so
 * idle targets still take turns).
 */
export class LeastOutstandingRequests implements TargetPolicy {
  readonly algorithm = 'least_outstanding_requests';
  private next = 0;
  private readonly counts = new Map<string, InFlight>();

  choose(targets: readonly ResolvedTarget[], health: HealthOf): ResolvedTarget | undefined {
    const n = targets.length;
    let best = -1;
    let bestLoad = Infinity;
    let fallback = -1;
    let fallbackLoad = Infinity;
    for (let i = 0; i < n; i++) {
      const at = (this.next + i) % n;
      const t = targets[at];
      if (t.draining) continue;
      const load = this.counts.get(t.key)?.n ?? 0;
      if (health(t.key) === 'healthy') {
        if (load < bestLoad) {
          best = at;
          bestLoad = load;
          if (load === 0) break; // nothing beats an idle target that comes first
        }
      } else if (best < 0 && load < fallbackLoad) {
        fallback = at;
        fallbackLoad = load;
      }
    }
    const at = best >= 0 ? best : fallback;
    if (at < 0) return undefined;
    this.next = at + 1;
    return targets[at];
  }

  inFlight(t: ResolvedTarget): InFlight {
    let c = this.counts.get(t.key);
    if (c === undefined) {
      c = { n: 0 };
      this.counts.set(t.key, c);
    }
    return c;
  }

  prune(targets: readonly ResolvedTarget[]): void {
    if (this.counts.size === 0) return;
    const registered = new Set(targets.map((t) => t.key));
    // A request still in flight to a forgotten target ends on its orphaned counter.
    for (const key of this.counts.keys()) if (!registered.has(key)) this.counts.delete(key);
  }
}

/**
 * weighted_random: a target at random. On AWS the weights come from
 * Automatic Target Weights, which lower an anomalous target's (one with a
 * disproportionate share of 5XX and connection errors) when
 * load_balancing.algorithm.anomaly_mitigation is on; localnet detects no
 * anomalies, so every weight is equal and the attribute changes nothing.
 */
export class WeightedRandom implements TargetPolicy {
  readonly algorithm = 'weighted_random';

  constructor(private readonly random: () => number = Math.random) {}

  choose(targets: readonly ResolvedTarget[], health: HealthOf): ResolvedTarget | undefined {
    let open = 0;
    let healthy = 0;
    for (const t of targets) {
      if (t.draining) continue;
      open++;
      if (health(t.key) === 'healthy') healthy++;
    }
    if (open === 0) return undefined;
    const onlyHealthy = healthy > 0;
    let k = Math.floor(this.random() * (onlyHealthy ? healthy : open));
    for (const t of targets) {
      if (t.draining || (onlyHealthy && health(t.key) !== 'healthy')) continue;
      if (k-- === 0) return t;
    }
    return undefined;
  }

  inFlight(): undefined {
    return undefined;
  }

  prune(): void {}
}

export function newPolicy(algorithm: Algorithm): TargetPolicy {
  switch (algorithm) {
    case 'least_outstanding_requests':
      return new LeastOutstandingRequests();
    case 'weighted_random':
      return new WeightedRandom();
    default:
      return new RoundRobin();
  }
}

/** One data plane's balancing state: a policy per target group in use. */
export class Balancer {
  private readonly policies = new Map<string, TargetPolicy>();

  /** The group's policy, created on first use and when the group's algorithm changes (its state starts afresh). */
  policyOf(group: ResolvedGroup): TargetPolicy {
    let p = this.policies.get(group.arn);
    if (p === undefined || p.algorithm !== group.algorithm) {
      p = newPolicy(group.algorithm);
      this.policies.set(group.arn, p);
    }
    return p;
  }

  /** After a reconcile: the state of groups no longer in use is dropped, that of deregistered targets forgotten. */
  sync(groups: ReadonlyMap<string, ResolvedGroup>): void {
    for (const [arn, p] of this.policies) {
      const g = groups.get(arn);
      if (g === undefined || g.algorithm !== p.algorithm) this.policies.delete(arn);
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
