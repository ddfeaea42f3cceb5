// Listeners: CreateListener, DescribeListeners, ModifyListener,
// DeleteListener, Add/Remove/DescribeListenerCertificates. Each listener has
// a default rule record (IsDefault, Priority 'default') whose actions are the
// listener's DefaultActions, so the data plane evaluates one rule list.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { listenerArn, mustListener, mustLoadBalancer, ruleArn } from './arns.ts';
import { validateActions } from './actions.ts';
import { checkCertificate } from './certificates.ts';
import { page } from './paging.ts';
import { DEFAULT_SSL_POLICY, mustSslPolicy } from './ssl-policies.ts';
import { listenersOf, rulesOf } from './state.ts';
import { validateNewTags } from './tags.ts';
import { KIND, type Action, type Certificate, type Listener, type LoadBalancer, type Rule, type Tag } from './types.ts';
import { certificatesOfListener, syncCertificateUsers, syncTargetGroupUsage } from './usage.ts';

const PROTOCOLS = { application: ['HTTP', 'HTTPS'], network: ['TCP', 'TLS', 'UDP', 'TCP_UDP'] };
const LISTED = { application: 'HTTPS, HTTP', network: 'TLS, TCP, TCP_UDP, UDP' };
const ALPN = ['HTTP1Only', 'HTTP2Only', 'HTTP2Optional', 'HTTP2Preferred', 'None'];
const MAX_LISTENERS = 50;
const MAX_CERTIFICATES = 25;

interface ListenerInput {
  Protocol?: string;
  Port?: number;
  SslPolicy?: string;
  Certificates?: Certificate[];
  DefaultActions?: Action[];
  AlpnPolicy?: string[];
  MutualAuthentication?: { Mode?: string };
}

const secure = (protocol: string) => protocol === 'HTTPS' || protocol === 'TLS';

/** Validates the listener's settings (merged over the current ones on modify) and returns the stored members. */
function settle(env: HandlerEnv, lb: LoadBalancer, input: ListenerInput, current?: Listener): Pick<Listener, 'Protocol' | 'Port' | 'SslPolicy' | 'Certificates' | 'DefaultActions' | 'AlpnPolicy'> {
  const protocol = input.Protocol ?? current?.Protocol;
  if (!protocol) throw new AwsError('ValidationError', 'A listener protocol must be specified');
  // AWS's wording (the order inside the quotes is AWS's, as reported by its users).
  if (!PROTOCOLS[lb.Type].includes(protocol)) throw new AwsError('ValidationError', `Listener protocol '${protocol}' must be one of '${LISTED[lb.Type]}'`);
  const port = input.Port ?? current?.Port;
  if (port === undefined) throw new AwsError('ValidationError', 'A listener port must be specified');
  if (!(Number.isInteger(port) && port >= 1 && port <= 65535)) throw new AwsError('ValidationError', `Listener port '${port}' must be between 1 and 65535`);
  if (input.MutualAuthentication?.Mode && input.MutualAuthentication.Mode !== 'off') throw new AwsError('NotImplemented', 'localnet does not emulate mutual TLS authentication on listeners', 501);

  let certificates: Certificate[] | undefined;
  let sslPolicy: string | undefined;
  if (secure(protocol)) {
    const given = input.Certificates ?? (current && secure(current.Protocol) ? current.Certificates : undefined);
    if (!given?.length) throw new AwsError('ValidationError', `A certificate must be specified for ${protocol} listeners`);
    if (given.length > 1) throw new AwsError('ValidationError', 'Only one certificate can be specified here; add more with AddListenerCertificates');
    certificates = [{ CertificateArn: checkCertificate(env, given[0].CertificateArn) }];
    sslPolicy = mustSslPolicy(input.SslPolicy ?? (current && secure(current.Protocol) ? current.SslPolicy : undefined) ?? DEFAULT_SSL_POLICY).Name;
  } else {
    if (input.Certificates?.length) throw new AwsError('ValidationError', `Certificates cannot be specified for ${protocol} listeners`);
    if (input.SslPolicy) throw new AwsError('ValidationError', `An SSL policy cannot be specified for ${protocol} listeners`);
  }
  let alpn = protocol === 'TLS' ? (input.AlpnPolicy ?? current?.AlpnPolicy) : undefined;
  if (input.AlpnPolicy?.length && protocol !== 'TLS') throw new AwsError('ValidationError', 'An ALPN policy can only be specified for TLS listeners');
  if (alpn?.length) {
    if (alpn.length > 1 || !ALPN.includes(alpn[0])) throw new AwsError('ALPNPolicyNotFound', `ALPN policy '${alpn.join(', ')}' not found`);
  } else alpn = undefined;
  const actions = validateActions(env, lb, protocol, input.DefaultActions ?? current?.DefaultActions);
  return { Protocol: protocol as Listener['Protocol'], Port: port, SslPolicy: sslPolicy, Certificates: certificates, DefaultActions: actions, AlpnPolicy: alpn };
}

function saveListener(env: HandlerEnv, l: Listener): Listener {
  env.store.put(KIND.listener, env.scope, l.ListenerArn, l);
  const rule = rulesOf(env.store, env.scope, l.ListenerArn).find((r) => r.IsDefault);
  const defaultRule: Rule = rule ? { ...rule, Actions: l.DefaultActions } : { RuleArn: ruleArn(l.ListenerArn), Priority: 'default', Conditions: [], Actions: l.DefaultActions, IsDefault: true, _listenerArn: l.ListenerArn, _tags: [] };
  env.store.put(KIND.rule, env.scope, defaultRule.RuleArn, defaultRule);
  return l;
}

export function createListener(input: ListenerInput & { LoadBalancerArn?: string; Tags?: Tag[] }, env: HandlerEnv) {
  const lb = mustLoadBalancer(env, input.LoadBalancerArn);
  const tags = validateNewTags(input.Tags);
  const settings = settle(env, lb, input);
  const existing = listenersOf(env.store, env.scope, lb.LoadBalancerArn);
  const onPort = existing.find((l) => l.Port === settings.Port);
  if (onPort) {
    // CreateListener is idempotent: the same settings answer with the existing listener.
    const { Protocol, Port, SslPolicy, Certificates, DefaultActions, AlpnPolicy } = onPort;
    if (JSON.stringify({ Protocol, Port, SslPolicy, Certificates, DefaultActions, AlpnPolicy }) === JSON.stringify(settings)) return { Listeners: [onPort] };
    throw new AwsError('DuplicateListener', 'A listener already exists on this port for this load balancer');
  }
  if (existing.length >= MAX_LISTENERS) throw new AwsError('TooManyListeners', `A load balancer can have at most ${MAX_LISTENERS} listeners`);
  const listener = saveListener(env, { ListenerArn: listenerArn(lb.LoadBalancerArn), LoadBalancerArn: lb.LoadBalancerArn, ...settings, _sniCertificates: [], _tags: tags });
  syncTargetGroupUsage(env);
  syncCertificateUsers(env, lb.LoadBalancerArn, certificatesOfListener(listener));
  return { Listeners: [listener] };
}

export function describeListeners(input: { LoadBalancerArn?: string; ListenerArns?: string[]; Marker?: string; PageSize?: number }, env: HandlerEnv) {
  if (input.LoadBalancerArn && input.ListenerArns?.length) throw new AwsError('ValidationError', 'Listener ARNs and a load balancer ARN cannot be specified at the same time');
  let listeners: Listener[];
  if (input.ListenerArns?.length) listeners = input.ListenerArns.map((arn) => mustListener(env, arn));
  else if (input.LoadBalancerArn) listeners = listenersOf(env.store, env.scope, mustLoadBalancer(env, input.LoadBalancerArn).LoadBalancerArn);
  else throw new AwsError('ValidationError', 'You must specify either listener ARNs or a load balancer ARN');
  const { page: items, NextMarker } = page(listeners, input);
  return { Listeners: items, NextMarker };
}

export function modifyListener(input: ListenerInput & { ListenerArn?: string }, env: HandlerEnv) {
  const current = mustListener(env, input.ListenerArn);
  const lb = mustLoadBalancer(env, current.LoadBalancerArn);
  const settings = settle(env, lb, input, current);
  if (settings.Port !== current.Port && listenersOf(env.store, env.scope, lb.LoadBalancerArn).some((l) => l.Port === settings.Port)) {
    throw new AwsError('DuplicateListener', 'A listener already exists on this port for this load balancer');
  }
  // Leaving HTTPS/TLS drops the SNI certificates with the default one, as AWS does.
  const sni = secure(settings.Protocol) ? current._sniCertificates : [];
  const next = saveListener(env, { ...current, ...settings, _sniCertificates: sni });
  syncTargetGroupUsage(env);
  syncCertificateUsers(env, lb.LoadBalancerArn, [...certificatesOfListener(current), ...certificatesOfListener(next)]);
  return { Listeners: [next] };
}

/** Deletes a listener with its rules and releases its certificates (also used by DeleteLoadBalancer). */
export function deleteListenerRecords(env: HandlerEnv, l: Listener): void {
  for (const r of rulesOf(env.store, env.scope, l.ListenerArn)) env.store.delete(KIND.rule, env.scope, r.RuleArn);
  env.store.delete(KIND.listener, env.scope, l.ListenerArn);
  syncCertificateUsers(env, l.LoadBalancerArn, certificatesOfListener(l));
}

export function deleteListener(input: { ListenerArn?: string }, env: HandlerEnv) {
  deleteListenerRecords(env, mustListener(env, input.ListenerArn));
  syncTargetGroupUsage(env);
  return {};
}

function secureListener(env: HandlerEnv, arn: string | undefined): Listener {
  const l = mustListener(env, arn);
  if (!secure(l.Protocol)) throw new AwsError('ValidationError', `Certificates can only be managed on HTTPS and TLS listeners; this listener uses ${l.Protocol}`);
  return l;
}

export function addListenerCertificates(input: { ListenerArn?: string; Certificates?: Certificate[] }, env: HandlerEnv) {
  const l = secureListener(env, input.ListenerArn);
  if (!input.Certificates?.length) throw new AwsError('ValidationError', 'At least one certificate must be specified');
  const added: string[] = [];
  for (const c of input.Certificates) {
    if (c.IsDefault) throw new AwsError('ValidationError', 'The default certificate cannot be added with AddListenerCertificates; use ModifyListener');
    added.push(checkCertificate(env, c.CertificateArn));
  }
  const sni = [...new Set([...l._sniCertificates, ...added])];
  const lbCerts = new Set([...listenersOf(env.store, env.scope, l.LoadBalancerArn).filter((o) => o.ListenerArn !== l.ListenerArn).flatMap(certificatesOfListener), ...certificatesOfListener({ ...l, _sniCertificates: sni })]);
  if (lbCerts.size > MAX_CERTIFICATES) throw new AwsError('TooManyCertificates', `A load balancer can use at most ${MAX_CERTIFICATES} certificates`);
  env.store.put(KIND.listener, env.scope, l.ListenerArn, { ...l, _sniCertificates: sni });
  syncCertificateUsers(env, l.LoadBalancerArn, added);
  return { Certificates: added.map((CertificateArn) => ({ CertificateArn, IsDefault: false })) };
}

export function removeListenerCertificates(input: { ListenerArn?: string; Certificates?: Certificate[] }, env: HandlerEnv) {
  const l = secureListener(env, input.ListenerArn);
  if (!input.Certificates?.length) throw new AwsError('ValidationError', 'At least one certificate must be specified');
  const removed = input.Certificates.map((c) => c.CertificateArn ?? '');
  if (removed.some((arn) => l.Certificates?.some((d) => d.CertificateArn === arn) && !l._sniCertificates.includes(arn))) {
    throw new AwsError('OperationNotPermitted', 'The default certificate of a listener cannot be removed; replace it with ModifyListener');
  }
  env.store.put(KIND.listener, env.scope, l.ListenerArn, { ...l, _sniCertificates: l._sniCertificates.filter((a) => !removed.includes(a)) });
  syncCertificateUsers(env, l.LoadBalancerArn, removed);
  return {};
}

export function describeListenerCertificates(input: { ListenerArn?: string; Marker?: string; PageSize?: number }, env: HandlerEnv) {
  const l = mustListener(env, input.ListenerArn);
  const all = [...(l.Certificates ?? []).map((c) => ({ CertificateArn: c.CertificateArn, IsDefault: true })), ...l._sniCertificates.map((CertificateArn) => ({ CertificateArn, IsDefault: false }))];
  const { page: items, NextMarker } = page(all, input);
  return { Certificates: items, NextMarker };
}

export const listenerHandlers = {
  CreateListener: createListener,
  DescribeListeners: describeListeners,
  ModifyListener: modifyListener,
  DeleteListener: deleteListener,
  AddListenerCertificates: addListenerCertificates,
  RemoveListenerCertificates: removeListenerCertificates,
  DescribeListenerCertificates: describeListenerCertificates,
} satisfies Handlers;
