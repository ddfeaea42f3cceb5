// Listener rules: CreateRule, DescribeRules, ModifyRule, DeleteRule,
// SetRulePriorities. Priorities are 1-50000 and unique per listener; the
// default rule (created with the listener) is listed last and can only have
// its actions changed.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { mustListener, mustLoadBalancer, mustRule, ruleArn } from './arns.ts';
import { validateActions } from './actions.ts';
import { validateConditions } from './conditions.ts';
import { page } from './paging.ts';
import { listenersOf, rulesOf } from './state.ts';
import { validateNewTags } from './tags.ts';
import { KIND, type Action, type Condition, type Listener, type Rule, type Tag } from './types.ts';
import { syncTargetGroupUsage } from './usage.ts';

/** Rules per Application Load Balancer, default rules not counted (AWS quota). */
const MAX_RULES_PER_LOAD_BALANCER = 100;

function checkPriority(p: number | undefined): number {
  if (p === undefined) throw new AwsError('ValidationError', 'A rule priority must be specified');
  if (!(Number.isInteger(p) && p >= 1 && p <= 50000)) throw new AwsError('ValidationError', `Priority '${p}' must be between 1 and 50000`);
  return p;
}

const priorityInUse = (p: number) => new AwsError('PriorityInUse', `Priority '${p}' is currently in use`);

function listenerOf(env: HandlerEnv, rule: Rule): Listener {
  return mustListener(env, rule._listenerArn);
}

function conditionsFor(listener: Listener, conditions: Condition[] | undefined): Condition[] {
  if (!conditions?.length) throw new AwsError('ValidationError', 'A rule must have at least one condition');
  if (listener.Protocol !== 'HTTP' && listener.Protocol !== 'HTTPS') throw new AwsError('ValidationError', `Rules with conditions are only supported on HTTP and HTTPS listeners, not ${listener.Protocol}`);
  return validateConditions(conditions);
}

export function createRule(input: { ListenerArn?: string; Conditions?: Condition[]; Priority?: number; Actions?: Action[]; Tags?: Tag[] }, env: HandlerEnv) {
  const listener = mustListener(env, input.ListenerArn);
  const lb = mustLoadBalancer(env, listener.LoadBalancerArn);
  const priority = checkPriority(input.Priority);
  const conditions = conditionsFor(listener, input.Conditions);
  const actions = validateActions(env, lb, listener.Protocol, input.Actions);
  const tags = validateNewTags(input.Tags);
  if (rulesOf(env.store, env.scope, listener.ListenerArn).some((r) => r.Priority === String(priority))) throw priorityInUse(priority);
  const count = listenersOf(env.store, env.scope, lb.LoadBalancerArn).reduce((n, l) => n + rulesOf(env.store, env.scope, l.ListenerArn).filter((r) => !r.IsDefault).length, 0);
  if (count >= MAX_RULES_PER_LOAD_BALANCER) throw new AwsError('TooManyRules', `A load balancer can have at most ${MAX_RULES_PER_LOAD_BALANCER} rules besides the default rules`);
  const rule: Rule = { RuleArn: ruleArn(listener.ListenerArn), Priority: String(priority), Conditions: conditions, Actions: actions, IsDefault: false, _listenerArn: listener.ListenerArn, _tags: tags };
  env.store.put(KIND.rule, env.scope, rule.RuleArn, rule);
  syncTargetGroupUsage(env);
  return { Rules: [rule] };
}

export function describeRules(input: { ListenerArn?: string; RuleArns?: string[]; Marker?: string; PageSize?: number }, env: HandlerEnv) {
  if (input.ListenerArn && input.RuleArns?.length) throw new AwsError('ValidationError', 'Rule ARNs and a listener ARN cannot be specified at the same time');
  let rules: Rule[];
  if (input.RuleArns?.length) rules = input.RuleArns.map((arn) => mustRule(env, arn));
  else if (input.ListenerArn) rules = rulesOf(env.store, env.scope, mustListener(env, input.ListenerArn).ListenerArn);
  else throw new AwsError('ValidationError', 'You must specify either listener ARN or rule ARNs');
  const { page: items, NextMarker } = page(rules, input);
  return { Rules: items, NextMarker };
}

export function modifyRule(input: { RuleArn?: string; Conditions?: Condition[]; Actions?: Action[] }, env: HandlerEnv) {
  const rule = mustRule(env, input.RuleArn);
  const listener = listenerOf(env, rule);
  const lb = mustLoadBalancer(env, listener.LoadBalancerArn);
  if (rule.IsDefault && input.Conditions?.length) throw new AwsError('OperationNotPermitted', 'The conditions of a default rule cannot be modified');
  const next: Rule = {
    ...rule,
    Conditions: input.Conditions?.length ? conditionsFor(listener, input.Conditions) : rule.Conditions,
    Actions: input.Actions?.length ? validateActions(env, lb, listener.Protocol, input.Actions) : rule.Actions,
  };
  env.store.put(KIND.rule, env.scope, next.RuleArn, next);
  // The default rule's actions are the listener's DefaultActions.
  if (next.IsDefault) env.store.put(KIND.listener, env.scope, listener.ListenerArn, { ...listener, DefaultActions: next.Actions });
  syncTargetGroupUsage(env);
  return { Rules: [next] };
}

export function deleteRule(input: { RuleArn?: string }, env: HandlerEnv) {
  const rule = mustRule(env, input.RuleArn);
  if (rule.IsDefault) throw new AwsError('OperationNotPermitted', `Default rule '${rule.RuleArn}' cannot be deleted`);
  env.store.delete(KIND.rule, env.scope, rule.RuleArn);
  syncTargetGroupUsage(env);
  return {};
}

export function setRulePriorities(input: { RulePriorities?: { RuleArn?: string; Priority?: number }[] }, env: HandlerEnv) {
  if (!input.RulePriorities?.length) throw new AwsError('ValidationError', 'At least one rule priority must be specified');
  const changes = input.RulePriorities.map((rp) => {
    const rule = mustRule(env, rp.RuleArn);
    if (rule.IsDefault) throw new AwsError('OperationNotPermitted', `The priority of default rule '${rule.RuleArn}' cannot be changed`);
    return { rule, priority: String(checkPriority(rp.Priority)) };
  });
  // Apply all changes together, then check every listener touched for clashes.
  const listeners = new Set(changes.map((c) => c.rule._listenerArn));
  for (const arn of listeners) {
    const byPriority = new Map<string, string>();
    for (const r of rulesOf(env.store, env.scope, arn)) {
      if (r.IsDefault) continue;
      const p = changes.find((c) => c.rule.RuleArn === r.RuleArn)?.priority ?? r.Priority;
      if (byPriority.has(p)) throw priorityInUse(Number(p));
      byPriority.set(p, r.RuleArn);
    }
  }
  const updated = changes.map(({ rule, priority }) => {
    const next = { ...rule, Priority: priority };
    env.store.put(KIND.rule, env.scope, next.RuleArn, next);
    return next;
  });
  return { Rules: updated };
}

export const ruleHandlers = {
  CreateRule: createRule,
  DescribeRules: describeRules,
  ModifyRule: modifyRule,
  DeleteRule: deleteRule,
  SetRulePriorities: setRulePriorities,
} satisfies Handlers;
