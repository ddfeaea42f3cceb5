// Derived links kept in step after every listener or rule change: which load
// balancers use a target group (TargetGroup.LoadBalancerArns, also what makes
// a target "in use" for DescribeTargetHealth), and which load balancers use an
// ACM certificate (ACM's InUseBy lists the load balancer, as on AWS).
import type { HandlerEnv } from '../../aws/service.ts';
import { addCertificateUser, removeCertificateUser } from '../acm/index.ts';
import { listenersOf, targetGroupsOfActions } from './state.ts';
import { KIND, type Listener, type Rule, type TargetGroup } from './types.ts';

/** Recomputes LoadBalancerArns of every target group in scope from the stored rules (default rules included). */
export function syncTargetGroupUsage(env: HandlerEnv): void {
  const listeners = new Map(env.store.list<Listener>(KIND.listener, env.scope).map((l) => [l.ListenerArn, l]));
  const users = new Map<string, Set<string>>();
  for (const rule of env.store.list<Rule>(KIND.rule, env.scope)) {
    const lb = listeners.get(rule._listenerArn)?.LoadBalancerArn;
    if (!lb) continue;
    for (const tg of targetGroupsOfActions(rule.Actions)) {
      if (!users.has(tg)) users.set(tg, new Set());
      users.get(tg)!.add(lb);
    }
  }
  for (const tg of env.store.list<TargetGroup>(KIND.targetGroup, env.scope)) {
    const now = [...(users.get(tg.TargetGroupArn) ?? [])].sort();
    if (now.join() !== tg.LoadBalancerArns.join()) env.store.put(KIND.targetGroup, env.scope, tg.TargetGroupArn, { ...tg, LoadBalancerArns: now });
  }
}

/** Every certificate a listener serves: the default one and the SNI list. */
export function certificatesOfListener(l: Listener): string[] {
  return [...(l.Certificates ?? []).map((c) => c.CertificateArn), ...l._sniCertificates];
}

/** Marks each certificate used by the load balancer while one of its listeners serves it, and unused otherwise. */
export function syncCertificateUsers(env: HandlerEnv, lbArn: string, certificateArns: string[]): void {
  const inUse = new Set(listenersOf(env.store, env.scope, lbArn).flatMap(certificatesOfListener));
  for (const arn of new Set(certificateArns)) {
    if (inUse.has(arn)) addCertificateUser(env.store, env.scope, arn, lbArn);
    else removeCertificateUser(env.store, env.scope, arn, lbArn);
  }
}
