// Listener and rule actions as AWS validates and echoes them: ordered (an
// action without Order counts as its position), Order echoed only when the
// caller sent it, exactly one terminal action and it comes last, forward (one target
// group or weighted ForwardConfig), redirect (#{...} defaults filled in),
// fixed-response. Authenticate actions are refused (localnet has no identity
// provider to send users to).
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv } from '../../aws/service.ts';
import { mustTargetGroup } from './arns.ts';
import { ALB_PROTOCOLS } from './health-check-settings.ts';
import type { Action, LoadBalancer } from './types.ts';

const TERMINAL = ['forward', 'redirect', 'fixed-response'];
const TYPES = [...TERMINAL, 'authenticate-oidc', 'authenticate-cognito'];
const CONTENT_TYPES = ['text/plain', 'text/css', 'text/html', 'application/javascript', 'application/json'];
const MAX_ACTIONS = 5;

/** Target group protocols each NLB listener protocol can forward to. */
const NLB_COMPATIBLE: Record<string, string[]> = { TCP: ['TCP', 'TCP_UDP'], TLS: ['TCP', 'TLS'], UDP: ['UDP', 'TCP_UDP'], TCP_UDP: ['TCP_UDP'] };

const invalid = (message: string) => new AwsError('InvalidLoadBalancerAction', message);

function checkTargetGroup(env: HandlerEnv, lb: LoadBalancer, listenerProtocol: string, arn: string): void {
  const tg = mustTargetGroup(env, arn);
  if (lb.Type === 'application') {
    if (tg.TargetType === 'alb' || (tg.Protocol && !ALB_PROTOCOLS.includes(tg.Protocol))) {
      throw new AwsError('IncompatibleProtocols', `Target group '${arn}' has protocol '${tg.Protocol}', which an Application Load Balancer listener cannot forward to; use an HTTP or HTTPS target group`);
    }
  } else if (tg.TargetType === 'lambda' || !NLB_COMPATIBLE[listenerProtocol]?.includes(tg.Protocol ?? '')) {
    throw new AwsError('IncompatibleProtocols', `Listener protocol '${listenerProtocol}' is not compatible with target group protocol '${tg.Protocol ?? 'lambda'}'`);
  }
  if (tg.VpcId && tg.VpcId !== lb.VpcId) throw new AwsError('InvalidConfigurationRequest', `Target group '${arn}' is in VPC '${tg.VpcId}', but the load balancer is in VPC '${lb.VpcId}'`);
  const others = tg.LoadBalancerArns.filter((a) => a !== lb.LoadBalancerArn);
  if (others.length) throw new AwsError('TargetGroupAssociationLimit', `The following target groups cannot be associated with more than one load balancer: ${arn}`);
}

function forward(env: HandlerEnv, lb: LoadBalancer, listenerProtocol: string, a: Action): Action {
  const fc = a.ForwardConfig;
  const groups = fc?.TargetGroups ?? [];
  if (!a.TargetGroupArn && groups.length === 0) throw new AwsError('ValidationError', 'A forward action needs a target group ARN or a forward configuration with at least one target group');
  if (a.TargetGroupArn && groups.length && (groups.length !== 1 || groups[0].TargetGroupArn !== a.TargetGroupArn)) {
    throw new AwsError('ValidationError', 'When both TargetGroupArn and ForwardConfig are given, ForwardConfig must name that one target group only');
  }
  const list = groups.length ? groups : [{ TargetGroupArn: a.TargetGroupArn!, Weight: 1 }];
  if (list.length > 5) throw new AwsError('TooManyTargetGroups', 'A forward action can name at most 5 target groups');
  if (lb.Type === 'network' && list.length > 1) throw new AwsError('ValidationError', 'A Network Load Balancer listener can forward to one target group only');
  const seen = new Set<string>();
  for (const g of list) {
    if (!g.TargetGroupArn) throw new AwsError('ValidationError', 'Each target group in a forward configuration needs a target group ARN');
    if (seen.has(g.TargetGroupArn)) throw new AwsError('ValidationError', `Target group '${g.TargetGroupArn}' is named more than once in the forward configuration`);
    seen.add(g.TargetGroupArn);
    if (g.Weight !== undefined && !(Number.isInteger(g.Weight) && g.Weight >= 0 && g.Weight <= 999)) throw new AwsError('ValidationError', `Target group weight '${g.Weight}' must be between 0 and 999`);
    checkTargetGroup(env, lb, listenerProtocol, g.TargetGroupArn);
  }
  const sticky = fc?.TargetGroupStickinessConfig;
  if (sticky?.Enabled && sticky.DurationSeconds !== undefined && !(sticky.DurationSeconds >= 1 && sticky.DurationSeconds <= 604800)) {
    throw new AwsError('ValidationError', `Target group stickiness duration '${sticky.DurationSeconds}' must be between 1 and 604800 seconds`);
  }
  if (sticky?.Enabled && sticky.DurationSeconds === undefined) throw new AwsError('ValidationError', 'A stickiness duration must be specified when target group stickiness is enabled');
  const out: Action = {
    Type: 'forward',
    Order: a.Order,
    ForwardConfig: {
      TargetGroups: list.map((g) => ({ TargetGroupArn: g.TargetGroupArn, Weight: g.Weight ?? 1 })),
      TargetGroupStickinessConfig: sticky?.Enabled ? { Enabled: true, DurationSeconds: sticky.DurationSeconds } : { Enabled: false },
    },
  };
  if (list.length === 1) out.TargetGroupArn = list[0].TargetGroupArn;
  return out;
}

function redirect(listenerProtocol: string, a: Action): Action {
  const rc = a.RedirectConfig;
  if (!rc) throw new AwsError('ValidationError', 'A redirect action needs a redirect configuration');
  if (rc.StatusCode !== 'HTTP_301' && rc.StatusCode !== 'HTTP_302') throw new AwsError('ValidationError', `Redirect status code '${rc.StatusCode}' is not valid; use HTTP_301 or HTTP_302`);
  const c = { Protocol: rc.Protocol ?? '#{protocol}', Port: rc.Port ?? '#{port}', Host: rc.Host ?? '#{host}', Path: rc.Path ?? '/#{path}', Query: rc.Query ?? '#{query}', StatusCode: rc.StatusCode };
  if (!['HTTP', 'HTTPS', '#{protocol}'].includes(c.Protocol)) throw invalid(`Redirect protocol '${c.Protocol}' is not valid; use HTTP, HTTPS or #{protocol}`);
  if (listenerProtocol === 'HTTPS' && c.Protocol === 'HTTP') throw invalid('You cannot redirect HTTPS to HTTP');
  if (c.Port !== '#{port}' && !(/^\d{1,5}$/.test(c.Port) && Number(c.Port) >= 1 && Number(c.Port) <= 65535)) throw invalid(`Redirect port '${c.Port}' must be #{port} or a port from 1 to 65535`);
  if (c.Host.length < 1 || c.Host.length > 128) throw invalid('Redirect host must be 1 to 128 characters');
  if (!c.Path.startsWith('/') || c.Path.length > 128) throw invalid(`Redirect path '${c.Path}' must begin with '/' and be at most 128 characters`);
  if (c.Query.length > 128 || c.Query.startsWith('?')) throw invalid("Redirect query must be at most 128 characters and must not begin with '?'");
  const unchanged = c.Protocol === '#{protocol}' && c.Port === '#{port}' && c.Host === '#{host}' && c.Path === '/#{path}';
  if (unchanged) throw invalid('A redirect must change at least one of protocol, port, host or path, or it would redirect to itself');
  return { Type: 'redirect', Order: a.Order, RedirectConfig: c };
}

function fixedResponse(a: Action): Action {
  const fc = a.FixedResponseConfig;
  if (!fc) throw new AwsError('ValidationError', 'A fixed-response action needs a fixed response configuration');
  if (!/^[245]\d\d$/.test(fc.StatusCode ?? '')) throw new AwsError('ValidationError', `Fixed response status code '${fc.StatusCode}' must be a 2XX, 4XX or 5XX code`);
  if (fc.ContentType !== undefined && !CONTENT_TYPES.includes(fc.ContentType)) throw new AwsError('ValidationError', `Content type '${fc.ContentType}' is not valid; use one of ${CONTENT_TYPES.join(', ')}`);
  if ((fc.MessageBody ?? '').length > 1024) throw new AwsError('ValidationError', 'A fixed response message body can be at most 1024 characters');
  return { Type: 'fixed-response', Order: a.Order, FixedResponseConfig: { MessageBody: fc.MessageBody, StatusCode: fc.StatusCode, ContentType: fc.ContentType } };
}

/** Validates actions for a listener of the load balancer and returns them as AWS stores them (ordered, defaults filled in). */
export function validateActions(env: HandlerEnv, lb: LoadBalancer, listenerProtocol: string, actions: Action[] | undefined): Action[] {
  if (!actions?.length) throw new AwsError('ValidationError', 'At least one action must be specified');
  if (actions.length > MAX_ACTIONS) throw new AwsError('TooManyActions', `A rule or listener can have at most ${MAX_ACTIONS} actions`);
  const ordered = actions.map((a, i) => ({ a, order: a.Order ?? i + 1 }));
  const orders = new Set<number>();
  for (const { a, order } of ordered) {
    if (!TYPES.includes(a.Type)) throw new AwsError('ValidationError', `Action type '${a.Type}' is not valid`);
    if (!(Number.isInteger(order) && order >= 1 && order <= 50000)) throw new AwsError('ValidationError', `Action order '${order}' must be between 1 and 50000`);
    if (orders.has(order)) throw invalid(`Action order '${order}' is used more than once`);
    orders.add(order);
  }
  ordered.sort((x, y) => x.order - y.order);
  const terminal = ordered.filter(({ a }) => TERMINAL.includes(a.Type));
  if (terminal.length !== 1 || !TERMINAL.includes(ordered[ordered.length - 1].a.Type)) throw invalid('Exactly one forward, redirect or fixed-response action must be specified, and it must be the last action');
  // AWS echoes Order only when the caller sent it; the list stays in effective order (the data plane keeps it).
  return ordered.map(({ a }) => withOrder(a, build(env, lb, listenerProtocol, a)));
}

function withOrder(sent: Action, out: Action): Action {
  const { Order: _omit, ...rest } = out;
  return sent.Order === undefined ? rest : { ...rest, Order: sent.Order };
}

function build(env: HandlerEnv, lb: LoadBalancer, listenerProtocol: string, a: Action): Action {
  {
    if (a.Type === 'authenticate-oidc' || a.Type === 'authenticate-cognito') {
      if (listenerProtocol !== 'HTTPS') throw invalid('Authenticate actions can only be used on HTTPS listeners');
      throw new AwsError('NotImplemented', `localnet does not emulate ${a.Type} actions`, 501);
    }
    if (lb.Type === 'network' && a.Type !== 'forward') throw invalid(`A Network Load Balancer listener only supports forward actions, not '${a.Type}'`);
    if (a.Type === 'forward') return forward(env, lb, listenerProtocol, a);
    if (a.Type === 'redirect') return redirect(listenerProtocol, a);
    return fixedResponse(a);
  }
}
