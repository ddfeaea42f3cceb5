// RegisterTargets, DeregisterTargets and DescribeTargetHealth. A target is a
// record per (group, id, port); deregistering starts the drain (the record
// stays for deregistration_delay and goes at the next write that looks).
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { containsIp4, ipToInt, isIpv4, parseCidr4 } from '../../net/cidr.ts';
import type { Instance } from '../ec2/instances.ts';
import { K } from '../ec2/resources.ts';
import type { Vpc } from '../ec2/types.ts';
import { arnKind, mustTargetGroup } from './arns.ts';
import { drained, targetKey } from './state.ts';
import { HEALTH, healthOf } from './target-health.ts';
import { KIND, type LoadBalancer, type Target, type TargetGroup } from './types.ts';

/** AWS quotas: targets per target group and registrations of one target id. */
const MAX_TARGETS_PER_GROUP = 1000;
const MAX_REGISTRATIONS_PER_TARGET = 100;

interface TargetInput {
  Id?: string;
  Port?: number;
  AvailabilityZone?: string;
}

/** Private ranges an ip target may use outside the VPC (with AvailabilityZone 'all'): RFC 1918 and RFC 6598. */
const OUTSIDE_VPC_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map((c) => parseCidr4(c)!);

function portOf(tg: TargetGroup, t: TargetInput): number {
  const port = t.Port ?? tg.Port;
  if (port === undefined) throw new AwsError('ValidationError', 'A port must be specified for each target');
  if (!(Number.isInteger(port) && port >= 1 && port <= 65535)) throw new AwsError('ValidationError', `Port '${port}' must be between 1 and 65535`);
  return port;
}

function targetsOfGroup(env: HandlerEnv, tg: TargetGroup): Target[] {
  return env.store.list<Target>(KIND.target, env.scope).filter((t) => t.TargetGroupArn === tg.TargetGroupArn);
}

/** Removes the targets whose drain is over (and their health reports). */
function pruneDrained(env: HandlerEnv, tg: TargetGroup): void {
  for (const t of targetsOfGroup(env, tg)) if (drained(tg, t)) forget(env, t);
}

function forget(env: HandlerEnv, t: Target): void {
  const key = targetKey(t.TargetGroupArn, t.Id, t.Port);
  env.store.delete(KIND.target, env.scope, key);
  env.store.delete(KIND.targetHealth, env.scope, key);
}

function checkInstance(env: HandlerEnv, tg: TargetGroup, id: string): void {
  const i = env.store.get<Instance>(K.instance.kind, env.scope, id);
  if (!i) throw new AwsError('InvalidTarget', `The following targets are not valid instances: '${id}'`);
  if (i.State.Name === 'terminated') throw new AwsError('InvalidTarget', `The following targets are not in a running state and cannot be registered: '${id}'`);
  if (i.VpcId !== tg.VpcId) throw new AwsError('InvalidTarget', `The following targets are not in the target group VPC '${tg.VpcId}': '${id}'`);
}

function checkIp(env: HandlerEnv, tg: TargetGroup, t: TargetInput): void {
  const id = t.Id!;
  if (!isIpv4(id)) throw new AwsError('ValidationError', `The IP address '${id}' is not a valid IPv4 address`);
  const vpc = env.store.get<Vpc>(K.vpc.kind, env.scope, tg.VpcId!);
  const n = ipToInt(id);
  const inVpc = (vpc?.CidrBlockAssociationSet ?? []).filter((c) => c.CidrBlockState?.State !== 'disassociated').some((c) => containsIp4(parseCidr4(c.CidrBlock)!, n));
  if (inVpc) return;
  if (!OUTSIDE_VPC_RANGES.some((r) => containsIp4(r, n))) {
    throw new AwsError('InvalidTarget', `The IP address '${id}' is not within the CIDR ranges of VPC '${tg.VpcId}', nor in 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10`);
  }
  if (t.AvailabilityZone !== 'all') throw new AwsError('ValidationError', `The IP address '${id}' is outside VPC '${tg.VpcId}'; specify 'all' as its Availability Zone`);
}

function checkAlb(env: HandlerEnv, tg: TargetGroup, id: string): void {
  const lb = arnKind(id) === 'loadBalancer' ? env.store.get<LoadBalancer>(KIND.loadBalancer, env.scope, id) : undefined;
  if (!lb || lb.Type !== 'application') throw new AwsError('InvalidTarget', `The following targets are not Application Load Balancers: '${id}'`);
  if (lb.VpcId !== tg.VpcId) throw new AwsError('InvalidTarget', `The following targets are not in the target group VPC '${tg.VpcId}': '${id}'`);
}

function targetsInput(input: { Targets?: TargetInput[] }): TargetInput[] {
  if (!input.Targets?.length) throw new AwsError('ValidationError', 'At least one target must be specified');
  for (const t of input.Targets) if (!t.Id) throw new AwsError('ValidationError', 'A target ID must be specified');
  return input.Targets;
}

export function registerTargets(input: { TargetGroupArn?: string; Targets?: TargetInput[] }, env: HandlerEnv) {
  const tg = mustTargetGroup(env, input.TargetGroupArn);
  const targets = targetsInput(input);
  if (tg.TargetType === 'lambda') throw new AwsError('NotImplemented', 'localnet does not emulate Lambda targets', 501);
  pruneDrained(env, tg);
  const all = env.store.list<Target>(KIND.target, env.scope);
  const now = new Date().toISOString();
  for (const t of targets) {
    const port = portOf(tg, t);
    if (tg.TargetType === 'instance') checkInstance(env, tg, t.Id!);
    else if (tg.TargetType === 'ip') checkIp(env, tg, t);
    else checkAlb(env, tg, t.Id!);
    const key = targetKey(tg.TargetGroupArn, t.Id!, port);
    const existing = env.store.get<Target>(KIND.target, env.scope, key);
    if (existing && !existing._deregisteredAt) continue; // Registering a registered target changes nothing.
    if (!existing) {
      if (all.filter((x) => x.Id === t.Id).length >= MAX_REGISTRATIONS_PER_TARGET) throw new AwsError('TooManyRegistrationsForTargetId', `Target '${t.Id}' has reached the limit of ${MAX_REGISTRATIONS_PER_TARGET} registrations`);
      if (targetsOfGroup(env, tg).length >= MAX_TARGETS_PER_GROUP) throw new AwsError('TooManyTargets', `Target group '${tg.TargetGroupArn}' has reached the limit of ${MAX_TARGETS_PER_GROUP} targets`);
    }
    const record: Target = { TargetGroupArn: tg.TargetGroupArn, Id: t.Id!, Port: port, AvailabilityZone: t.AvailabilityZone, _registeredAt: now };
    env.store.put(KIND.target, env.scope, key, record);
    all.push(record);
  }
  return {};
}

export function deregisterTargets(input: { TargetGroupArn?: string; Targets?: TargetInput[] }, env: HandlerEnv) {
  const tg = mustTargetGroup(env, input.TargetGroupArn);
  const targets = targetsInput(input);
  pruneDrained(env, tg);
  const now = new Date().toISOString();
  const delay = Number(tg._attributes['deregistration_delay.timeout_seconds'] ?? 300);
  for (const t of targets) {
    const key = targetKey(tg.TargetGroupArn, t.Id!, portOf(tg, t));
    const existing = env.store.get<Target>(KIND.target, env.scope, key);
    if (!existing) throw new AwsError('InvalidTarget', `The following targets are not registered in target group '${tg.TargetGroupArn}': '${t.Id}'`);
    if (existing._deregisteredAt) continue;
    // Nothing drains from a group no load balancer sends to, or without a delay.
    if (delay === 0 || tg.LoadBalancerArns.length === 0) forget(env, existing);
    else env.store.put(KIND.target, env.scope, key, { ...existing, _deregisteredAt: now });
  }
  return {};
}

export function describeTargetHealth(input: { TargetGroupArn?: string; Targets?: TargetInput[]; Include?: string[] }, env: HandlerEnv) {
  const tg = mustTargetGroup(env, input.TargetGroupArn);
  pruneDrained(env, tg);
  const anomaly = (input.Include ?? []).some((i) => i === 'AnomalyDetection' || i === 'All') && (tg.Protocol === 'HTTP' || tg.Protocol === 'HTTPS');
  const describe = (t: Target | undefined, asked: { Id: string; Port?: number; AvailabilityZone?: string }) => {
    const port = t?.Port ?? asked.Port;
    return {
      Target: { Id: asked.Id, Port: port, AvailabilityZone: t?.AvailabilityZone ?? asked.AvailabilityZone },
      HealthCheckPort: tg.HealthCheckPort === 'traffic-port' || tg.HealthCheckPort === undefined ? (port !== undefined ? String(port) : undefined) : tg.HealthCheckPort,
      TargetHealth: t ? healthOf(env, tg, t) : HEALTH.notRegistered,
      AnomalyDetection: anomaly && t ? { Result: 'normal', MitigationInEffect: 'no' } : undefined,
    };
  };
  if (input.Targets?.length) {
    return {
      TargetHealthDescriptions: targetsInput(input).map((t) => {
        // A target that is not registered (an unknown instance id included) is described, not refused, as AWS does.
        const port = portOf(tg, t);
        return describe(env.store.get<Target>(KIND.target, env.scope, targetKey(tg.TargetGroupArn, t.Id!, port)), { Id: t.Id!, Port: port, AvailabilityZone: t.AvailabilityZone });
      }),
    };
  }
  return { TargetHealthDescriptions: targetsOfGroup(env, tg).map((t) => describe(t, t)) };
}

export const targetHandlers = {
  RegisterTargets: registerTargets,
  DeregisterTargets: deregisterTargets,
  DescribeTargetHealth: describeTargetHealth,
} satisfies Handlers;
