// ELBv2 ARNs and the lookups by ARN every operation shares: a malformed ARN is
// a ValidationError, a well-formed one that names nothing in this account and
// region is the resource's *NotFound (AWS answers the same for another
// account's or region's ARN).
import { randomBytes } from 'node:crypto';
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv } from '../../aws/service.ts';
import type { Scope } from '../../store/store.ts';
import { KIND, type Listener, type LoadBalancer, type LoadBalancerType, type Rule, type TargetGroup } from './types.ts';

/** 16 lower-case hex digits, the id part of every ELBv2 ARN. */
export function newElbId(): string {
  return randomBytes(8).toString('hex');
}

function prefix(scope: Scope): string {
  return `arn:aws:elasticloadbalancing:${scope.region}:${scope.account}`;
}

export function typeSegment(type: LoadBalancerType): 'app' | 'net' {
  return type === 'application' ? 'app' : 'net';
}

export function loadBalancerArn(scope: Scope, type: LoadBalancerType, name: string, id: string): string {
  return `${prefix(scope)}:loadbalancer/${typeSegment(type)}/${name}/${id}`;
}

export function targetGroupArn(scope: Scope, name: string, id: string): string {
  return `${prefix(scope)}:targetgroup/${name}/${id}`;
}

/** listener/app/<lb-name>/<lb-id>/<listener-id>: the load balancer's path with an id appended. */
export function listenerArn(lbArn: string): string {
  return `${lbArn.replace(':loadbalancer/', ':listener/')}/${newElbId()}`;
}

export function ruleArn(listenerArnValue: string): string {
  return `${listenerArnValue.replace(':listener/', ':listener-rule/')}/${newElbId()}`;
}

const ARN = '^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:';
const PATTERNS = {
  loadBalancer: new RegExp(`${ARN}loadbalancer/(app|net|gwy)/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`),
  targetGroup: new RegExp(`${ARN}targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`),
  listener: new RegExp(`${ARN}listener/(app|net|gwy)/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}$`),
  rule: new RegExp(`${ARN}listener-rule/(app|net|gwy)/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}/[0-9a-f]{16}$`),
};

export type ArnKind = keyof typeof PATTERNS;

export function arnKind(arn: string): ArnKind | undefined {
  return (Object.keys(PATTERNS) as ArnKind[]).find((k) => PATTERNS[k].test(arn));
}

const NOUN: Record<ArnKind, string> = { loadBalancer: 'load balancer', targetGroup: 'target group', listener: 'listener', rule: 'rule' };

export function checkArn(kind: ArnKind, arn: string | undefined): string {
  if (!arn) throw new AwsError('ValidationError', `A ${NOUN[kind]} ARN must be specified`);
  if (!PATTERNS[kind].test(arn)) throw new AwsError('ValidationError', `'${arn}' is not a valid ${NOUN[kind]} ARN`);
  return arn;
}

export const notFound = {
  loadBalancer: () => new AwsError('LoadBalancerNotFound', 'One or more load balancers not found'),
  targetGroup: () => new AwsError('TargetGroupNotFound', 'One or more target groups not found'),
  listener: () => new AwsError('ListenerNotFound', 'One or more listeners not found'),
  rule: () => new AwsError('RuleNotFound', 'One or more rules not found'),
};

export function mustLoadBalancer(env: HandlerEnv, arn: string | undefined): LoadBalancer {
  const lb = env.store.get<LoadBalancer>(KIND.loadBalancer, env.scope, checkArn('loadBalancer', arn));
  if (!lb) throw notFound.loadBalancer();
  return lb;
}

export function mustTargetGroup(env: HandlerEnv, arn: string | undefined): TargetGroup {
  const tg = env.store.get<TargetGroup>(KIND.targetGroup, env.scope, checkArn('targetGroup', arn));
  if (!tg) throw notFound.targetGroup();
  return tg;
}

export function mustListener(env: HandlerEnv, arn: string | undefined): Listener {
  const l = env.store.get<Listener>(KIND.listener, env.scope, checkArn('listener', arn));
  if (!l) throw notFound.listener();
  return l;
}

export function mustRule(env: HandlerEnv, arn: string | undefined): Rule {
  const r = env.store.get<Rule>(KIND.rule, env.scope, checkArn('rule', arn));
  if (!r) throw notFound.rule();
  return r;
}
