// What a listener or rule action list means for traffic: the target groups
// it forwards to. The control plane keeps TargetGroup.LoadBalancerArns from
// it, and the network model finds the listeners in front of a target by it.
import type { Action } from './elbv2.ts';

/** The target groups an action list forwards to (TargetGroupArn or ForwardConfig), each once, in order. */
export function targetGroupsOfActions(actions: Action[] | undefined): string[] {
  const arns = new Set<string>();
  for (const a of actions ?? []) {
    if (a.Type !== 'forward') continue;
    if (a.TargetGroupArn) arns.add(a.TargetGroupArn);
    for (const g of a.ForwardConfig?.TargetGroups ?? []) arns.add(g.TargetGroupArn);
  }
  return [...arns];
}
