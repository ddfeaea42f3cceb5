// Readers over the stored ELBv2 records, shared by the API handlers and the
// data plane (src/lb/). They only read, except writeTargetHealth, which is the
// health checker's one way to report what it saw.
import type { Scope, Store } from '../../store/store.ts';
import { KIND, type Listener, type LoadBalancer, type Rule, type Target, type TargetGroup, type TargetHealthRecord } from './types.ts';

/** Every load balancer in every account and region (the data plane binds them all). */
export function loadBalancersIn(store: Store): { scope: Scope; value: LoadBalancer }[] {
  return store.listAll<LoadBalancer>(KIND.loadBalancer);
}

export function loadBalancer(store: Store, scope: Scope, arn: string): LoadBalancer | undefined {
  return store.get<LoadBalancer>(KIND.loadBalancer, scope, arn);
}

/** The load balancer's listeners, by port. */
export function listenersOf(store: Store, scope: Scope, lbArn: string): Listener[] {
  return store
    .list<Listener>(KIND.listener, scope)
    .filter((l) => l.LoadBalancerArn === lbArn)
    .sort((a, b) => a.Port - b.Port);
}

/** The listener's rules in evaluation order: lowest priority first, the default rule last. */
export function rulesOf(store: Store, scope: Scope, listenerArn: string): Rule[] {
  const order = (r: Rule) => (r.IsDefault ? Number.POSITIVE_INFINITY : Number(r.Priority));
  return store
    .list<Rule>(KIND.rule, scope)
    .filter((r) => r._listenerArn === listenerArn)
    .sort((a, b) => order(a) - order(b));
}

export function targetGroup(store: Store, scope: Scope, arn: string): TargetGroup | undefined {
  return store.get<TargetGroup>(KIND.targetGroup, scope, arn);
}

/** The store id of a target and of its health record. */
export function targetKey(tgArn: string, id: string, port: number): string {
  return `${tgArn}|${id}|${port}`;
}

/** The deregistration delay of a group, in milliseconds. */
export function drainMillis(tg: TargetGroup): number {
  return Number(tg._attributes['deregistration_delay.timeout_seconds'] ?? 300) * 1000;
}

/** True once a deregistered target has drained (its record may still be stored until the next write). */
export function drained(tg: TargetGroup, t: Target, now = Date.now()): boolean {
  return t._deregisteredAt !== undefined && Date.parse(t._deregisteredAt) + drainMillis(tg) <= now;
}

/** The group's targets: registered ones and those still draining (a drained target is gone). */
export function targetsOf(store: Store, scope: Scope, tgArn: string, now = Date.now()): Target[] {
  const tg = targetGroup(store, scope, tgArn);
  if (!tg) return [];
  return store.list<Target>(KIND.target, scope).filter((t) => t.TargetGroupArn === tgArn && !drained(tg, t, now));
}

export function targetHealthRecord(store: Store, scope: Scope, key: string): TargetHealthRecord | undefined {
  return store.get<TargetHealthRecord>(KIND.targetHealth, scope, key);
}

/** The health checker's report for one target (key = targetKey(...)). */
export function writeTargetHealth(store: Store, scope: Scope, key: string, state: Omit<TargetHealthRecord, '_updatedAt'> & { _updatedAt?: string }): void {
  store.put<TargetHealthRecord>(KIND.targetHealth, scope, key, { ...state, _updatedAt: state._updatedAt ?? new Date().toISOString() });
}

export { targetGroupsOfActions } from '../../records/actions.ts';
