// Listener attributes: Describe/ModifyListenerAttributes. Emulated for NLB
// TCP listeners, whose one key is `tcp.idle_timeout.seconds` (60-6000,
// default 350: AWS's NLB TCP idle timeout), read by the data plane. Other
// listeners list no attributes and refuse keys (ALB listeners' response
// header keys are not emulated).
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { mustListener } from './arns.ts';
import { KIND, type Listener } from './types.ts';

export const TCP_IDLE_TIMEOUT = { key: 'tcp.idle_timeout.seconds', min: 60, max: 6000, default: '350' };

function attributesOf(l: Listener): { Key: string; Value: string }[] {
  if (l.Protocol !== 'TCP') return [];
  return [{ Key: TCP_IDLE_TIMEOUT.key, Value: l._attributes?.[TCP_IDLE_TIMEOUT.key] ?? TCP_IDLE_TIMEOUT.default }];
}

export function describeListenerAttributes(input: { ListenerArn?: string }, env: HandlerEnv) {
  return { Attributes: attributesOf(mustListener(env, input.ListenerArn)) };
}

export function modifyListenerAttributes(input: { ListenerArn?: string; Attributes?: { Key?: string; Value?: string }[] }, env: HandlerEnv) {
  const l = mustListener(env, input.ListenerArn);
  const next = { ...l._attributes };
  for (const a of input.Attributes ?? []) {
    if (a.Key !== TCP_IDLE_TIMEOUT.key || l.Protocol !== 'TCP') throw new AwsError('ValidationError', `Listener attribute key '${a.Key ?? ''}' is not supported on listeners with the ${l.Protocol} protocol`);
    const v = Number(a.Value);
    if (!/^\d+$/.test(a.Value ?? '') || v < TCP_IDLE_TIMEOUT.min || v > TCP_IDLE_TIMEOUT.max) {
      throw new AwsError('ValidationError', `Listener attribute '${a.Key}' must be an integer between ${TCP_IDLE_TIMEOUT.min} and ${TCP_IDLE_TIMEOUT.max}, not '${a.Value ?? ''}'`);
    }
    next[a.Key] = String(v);
  }
  const saved = { ...l, _attributes: next };
  env.store.put(KIND.listener, env.scope, l.ListenerArn, saved);
  return { Attributes: attributesOf(saved) };
}

export const listenerAttributeHandlers = {
  DescribeListenerAttributes: describeListenerAttributes,
  ModifyListenerAttributes: modifyListenerAttributes,
} satisfies Handlers;
