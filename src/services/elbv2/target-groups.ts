// Target groups: CreateTargetGroup, DescribeTargetGroups, ModifyTargetGroup,
// DeleteTargetGroup, Describe/ModifyTargetGroupAttributes.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { K } from '../ec2/resources.ts';
import { mustLoadBalancer, mustTargetGroup, newElbId, targetGroupArn } from './arns.ts';
import { attributeList, modifyTargetGroupAttributeMap, targetGroupAttributeDefaults } from './attributes.ts';
import { ALB_PROTOCOLS, applyHealthCheck, healthCheckDefaults, NLB_PROTOCOLS, type HealthCheckInput } from './health-check-settings.ts';
import { validateTargetGroupName } from './naming.ts';
import { page } from './paging.ts';
import { validateNewTags } from './tags.ts';
import { KIND, type Tag, type Target, type TargetGroup, type TargetType } from './types.ts';

interface CreateInput extends HealthCheckInput {
  Name?: string;
  Protocol?: string;
  ProtocolVersion?: string;
  Port?: number;
  VpcId?: string;
  TargetType?: string;
  Tags?: Tag[];
  IpAddressType?: string;
}

function save(env: HandlerEnv, tg: TargetGroup): TargetGroup {
  env.store.put(KIND.targetGroup, env.scope, tg.TargetGroupArn, tg);
  return tg;
}

function validateShape(input: CreateInput, type: TargetType): void {
  if (type === 'lambda') {
    if (input.Protocol || input.Port !== undefined || input.VpcId) throw new AwsError('ValidationError', 'Protocol, port and VPC ID cannot be specified for target groups with a target type of lambda');
    return;
  }
  if (!input.Protocol) throw new AwsError('ValidationError', 'A protocol must be specified');
  if (input.Port === undefined) throw new AwsError('ValidationError', 'A port must be specified');
  if (!input.VpcId) throw new AwsError('ValidationError', 'A VPC ID must be specified');
  if (![...ALB_PROTOCOLS, ...NLB_PROTOCOLS, 'GENEVE'].includes(input.Protocol)) throw new AwsError('ValidationError', `Protocol '${input.Protocol}' is not valid`);
  if (input.Protocol === 'GENEVE') throw new AwsError('NotImplemented', 'localnet does not emulate Gateway Load Balancer (GENEVE) target groups', 501);
  if (!(Number.isInteger(input.Port) && input.Port >= 1 && input.Port <= 65535)) throw new AwsError('ValidationError', `Port '${input.Port}' must be between 1 and 65535`);
  if (type === 'alb' && input.Protocol !== 'TCP') throw new AwsError('ValidationError', "Target groups with a target type of 'alb' must use protocol TCP");
  if (input.ProtocolVersion !== undefined) {
    if (!ALB_PROTOCOLS.includes(input.Protocol)) throw new AwsError('ValidationError', 'A protocol version can only be specified for HTTP and HTTPS target groups');
    if (!['HTTP1', 'HTTP2', 'GRPC'].includes(input.ProtocolVersion)) throw new AwsError('ValidationError', `Protocol version '${input.ProtocolVersion}' is not valid; use HTTP1, HTTP2 or GRPC`);
  }
}

export function createTargetGroup(input: CreateInput, env: HandlerEnv) {
  const name = validateTargetGroupName(input.Name);
  const type = (input.TargetType ?? 'instance') as TargetType;
  if (!['instance', 'ip', 'lambda', 'alb'].includes(type)) throw new AwsError('ValidationError', `Target type '${input.TargetType}' is not valid; use instance, ip, lambda or alb`);
  validateShape(input, type);
  if (input.VpcId && !env.store.get(K.vpc.kind, env.scope, input.VpcId)) throw new AwsError('ValidationError', `The VPC ID '${input.VpcId}' is not found`);
  const ipAddressType = input.IpAddressType;
  if (ipAddressType !== undefined && !['ipv4', 'ipv6'].includes(ipAddressType)) throw new AwsError('ValidationError', `IP address type '${ipAddressType}' is not valid; use ipv4 or ipv6`);
  const tags = validateNewTags(input.Tags);
  const protocolVersion = input.Protocol && ALB_PROTOCOLS.includes(input.Protocol) ? (input.ProtocolVersion ?? 'HTTP1') : undefined;
  const group = { Protocol: input.Protocol, TargetType: type, ProtocolVersion: protocolVersion };
  const hcProtocol = input.HealthCheckProtocol ?? (input.Protocol && ALB_PROTOCOLS.includes(input.Protocol) ? input.Protocol : undefined);
  const settings = applyHealthCheck(healthCheckDefaults(input.Protocol, type, protocolVersion, hcProtocol), input, group);

  const existing = env.store.list<TargetGroup>(KIND.targetGroup, env.scope).find((t) => t.TargetGroupName === name);
  if (existing) {
    // CreateTargetGroup is idempotent for the same settings.
    const same = existing.Protocol === input.Protocol && existing.Port === input.Port && existing.VpcId === input.VpcId && existing.TargetType === type && JSON.stringify(settings) === JSON.stringify(pickSettings(existing));
    if (!same) throw new AwsError('DuplicateTargetGroupName', `A target group with the same name '${name}' exists, but with different settings`);
    return { TargetGroups: [createAnswer(existing)] };
  }
  const tg: TargetGroup = {
    TargetGroupArn: targetGroupArn(env.scope, name, newElbId()),
    TargetGroupName: name,
    Protocol: input.Protocol,
    Port: input.Port,
    VpcId: input.VpcId,
    ...settings,
    LoadBalancerArns: [],
    TargetType: type,
    ProtocolVersion: protocolVersion,
    IpAddressType: type === 'lambda' ? undefined : ((ipAddressType ?? 'ipv4') as TargetGroup['IpAddressType']),
    _attributes: {},
    _tags: tags,
  };
  tg._attributes = targetGroupAttributeDefaults(tg);
  return { TargetGroups: [createAnswer(save(env, tg))] };
}

/** CreateTargetGroup's answer has no LoadBalancerArns member (AWS's has none; Describe has it). */
function createAnswer(tg: TargetGroup): Omit<TargetGroup, 'LoadBalancerArns'> {
  const { LoadBalancerArns: _omit, ...rest } = tg;
  return rest;
}

function pickSettings(tg: TargetGroup) {
  const { HealthCheckProtocol, HealthCheckPort, HealthCheckEnabled, HealthCheckPath, HealthCheckIntervalSeconds, HealthCheckTimeoutSeconds, HealthyThresholdCount, UnhealthyThresholdCount, Matcher } = tg;
  return { HealthCheckProtocol, HealthCheckPort, HealthCheckEnabled, HealthCheckPath, HealthCheckIntervalSeconds, HealthCheckTimeoutSeconds, HealthyThresholdCount, UnhealthyThresholdCount, Matcher };
}

export function describeTargetGroups(input: { LoadBalancerArn?: string; TargetGroupArns?: string[]; Names?: string[]; Marker?: string; PageSize?: number }, env: HandlerEnv) {
  const given = [input.LoadBalancerArn, input.TargetGroupArns?.length, input.Names?.length].filter(Boolean).length;
  if (given > 1) throw new AwsError('ValidationError', 'Only one of load balancer ARN, target group ARNs or names can be specified');
  let tgs = env.store.list<TargetGroup>(KIND.targetGroup, env.scope);
  if (input.LoadBalancerArn) {
    const lb = mustLoadBalancer(env, input.LoadBalancerArn);
    tgs = tgs.filter((t) => t.LoadBalancerArns.includes(lb.LoadBalancerArn));
    if (!tgs.length) throw new AwsError('TargetGroupNotFound', 'One or more target groups not found');
  } else if (input.TargetGroupArns?.length) {
    tgs = input.TargetGroupArns.map((arn) => mustTargetGroup(env, arn));
  } else if (input.Names?.length) {
    const found = input.Names.map((n) => tgs.find((t) => t.TargetGroupName === n));
    if (found.some((t) => !t)) throw new AwsError('TargetGroupNotFound', `One or more target groups not found`);
    tgs = found as TargetGroup[];
  }
  // AWS answers in name order (names are unique per account and region).
  tgs = [...tgs].sort((a, b) => (a.TargetGroupName < b.TargetGroupName ? -1 : a.TargetGroupName > b.TargetGroupName ? 1 : 0));
  const { page: items, NextMarker } = page(tgs, input);
  return { TargetGroups: items, NextMarker };
}

export function modifyTargetGroup(input: HealthCheckInput & { TargetGroupArn?: string }, env: HandlerEnv) {
  const tg = mustTargetGroup(env, input.TargetGroupArn);
  if (tg.TargetType === 'lambda' && input.HealthCheckProtocol !== undefined) throw new AwsError('ValidationError', 'The health check protocol of a lambda target group cannot be changed');
  const settings = applyHealthCheck(pickSettings(tg), input, tg);
  return { TargetGroups: [save(env, { ...tg, ...settings })] };
}

export function deleteTargetGroup(input: { TargetGroupArn?: string }, env: HandlerEnv) {
  const tg = mustTargetGroup(env, input.TargetGroupArn);
  if (tg.LoadBalancerArns.length) throw new AwsError('ResourceInUse', `Target group '${tg.TargetGroupArn}' is currently in use by a listener or a rule`);
  for (const t of env.store.list<Target>(KIND.target, env.scope).filter((x) => x.TargetGroupArn === tg.TargetGroupArn)) {
    const key = `${t.TargetGroupArn}|${t.Id}|${t.Port}`;
    env.store.delete(KIND.target, env.scope, key);
    env.store.delete(KIND.targetHealth, env.scope, key);
  }
  env.store.delete(KIND.targetGroup, env.scope, tg.TargetGroupArn);
  return {};
}

export function describeTargetGroupAttributes(input: { TargetGroupArn?: string }, env: HandlerEnv) {
  return { Attributes: attributeList(mustTargetGroup(env, input.TargetGroupArn)._attributes) };
}

export function modifyTargetGroupAttributes(input: { TargetGroupArn?: string; Attributes?: { Key?: string; Value?: string }[] }, env: HandlerEnv) {
  const tg = mustTargetGroup(env, input.TargetGroupArn);
  const next = modifyTargetGroupAttributeMap(tg, input.Attributes ?? []);
  save(env, { ...tg, _attributes: next });
  return { Attributes: attributeList(next) };
}

export const targetGroupHandlers = {
  CreateTargetGroup: createTargetGroup,
  DescribeTargetGroups: describeTargetGroups,
  ModifyTargetGroup: modifyTargetGroup,
  DeleteTargetGroup: deleteTargetGroup,
  DescribeTargetGroupAttributes: describeTargetGroupAttributes,
  ModifyTargetGroupAttributes: modifyTargetGroupAttributes,
} satisfies Handlers;
