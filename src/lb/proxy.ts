// What the load balancer does with one request, decided from the listener's
// rules: answer itself (fixed response, redirect, ALB's error pages) or
// forward to a target chosen by the balancer, with the request head
// rewritten as ALB does (X-Forwarded-For/-Proto/-Port, X-Amzn-Trace-Id).
// No I/O here: connection.ts answers, forward.ts forwards.
import { randomBytes } from 'node:crypto';
import { selectRule, type RequestFacts } from './rules.ts';
import { redirectLocation } from './responses.ts';
import { cookieValue, decodeSticky, hasTargets, pickGroup, pickTarget, stickyCookies, type Balancer, type HealthOf, type InFlight } from './balancer.ts';
import type { Pool } from './upstream.ts';
import type { DataPlaneState, ResolvedListener, ResolvedTarget } from './state.ts';

export interface ProxyContext {
  state: DataPlaneState;
  health: HealthOf;
  /** Scales the 10 s connect timeout (LOCALNET_LB_TIME_SCALE), so blocked paths show up quickly in tests. */
  timeScale: number;
  log(line: string): void;
  /** Keep-alive pools, one per workload address. */
  pools: Map<string, Pool>;
  /** Round-robin positions and in-flight counts, per target group. */
  balancer: Balancer;
}

/** ALB: a connection to the target must be up within 10 s, else 504. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** ALB's limits: 16K for the request line and for any one header (the 64K total is the parser's limit). */
export const LINE_LIMIT = 16 * 1024;

export interface ForwardOutcome {
  kind: 'forward';
  target: ResolvedTarget;
  /** HTTPS to the target (the group's protocol). */
  tls: boolean;
  /** Set-Cookie values for the answer (AWSALB, AWSALBTG and their CORS twins). */
  setCookies: readonly string[];
  /** The target's in-flight count, held while the request is forwarded (least outstanding requests); undefined when not counted. */
  load: InFlight | undefined;
}

export type Outcome =
  | { kind: 'page'; status: number; location?: string }
  | { kind: 'fixed'; status: number; contentType: string; body: string }
  | ForwardOutcome;

const NO_COOKIES: readonly string[] = [];

/** Rule selection and the action's decision for one request. */
export function route(ctx: ProxyContext, l: ResolvedListener, facts: RequestFacts): Outcome {
  const action = selectRule(l.rules, facts)?.action;
  if (!action || action.type === 'unsupported') return { kind: 'page', status: 500 };
  if (action.type === 'fixed-response') return { kind: 'fixed', status: action.status, contentType: action.contentType, body: action.body };
  if (action.type === 'redirect') {
    const { status, location } = redirectLocation(action.config, { protocol: l.protocol === 'HTTPS' ? 'https' : 'http', host: facts.host, port: l.port, path: facts.path, query: facts.query });
    return { kind: 'page', status, location };
  }
  const cookies = facts.headers.cookie as string | undefined;
  const groupSticky = action.groupStickinessMs > 0 ? decodeSticky(cookieValue(cookies, 'AWSALBTG')) : undefined;
  const groupArn = pickGroup(action.groups, action.totalWeight, Math.random(), groupSticky);
  const group = groupArn === undefined ? undefined : ctx.state.groups.get(groupArn);
  if (!group || !hasTargets(group)) return { kind: 'page', status: 503 };
  const targetSticky = group.stickinessMs > 0 ? decodeSticky(cookieValue(cookies, 'AWSALB')) : undefined;
  const policy = ctx.balancer.policyOf(group);
  const target = pickTarget(group, policy, ctx.health, targetSticky);
  if (!target) return { kind: 'page', status: 503 };
  let setCookies = NO_COOKIES;
  if ((action.groupStickinessMs > 0 && action.groups.length > 1) || group.stickinessMs > 0) {
    const list: string[] = [];
    if (action.groupStickinessMs > 0 && action.groups.length > 1) list.push(...stickyCookies('AWSALBTG', group.arn, action.groupStickinessMs));
    if (group.stickinessMs > 0) list.push(...stickyCookies('AWSALB', target.key, group.stickinessMs));
    setCookies = list;
  }
  return { kind: 'forward', target, tls: group.https, setCookies, load: policy.inFlight(target) };
}

// ---- X-Amzn-Trace-Id: Root=1-<epoch seconds, 8 hex>-<24 hex> ----
let pool = randomBytes(12 * 1024);
let poolAt = 0;
let epochSecond = 0;
let epochHex = '';
export function traceId(): string {
  const now = Math.floor(Date.now() / 1000);
  if (now !== epochSecond) {
    epochSecond = now;
    epochHex = now.toString(16).padStart(8, '0');
  }
  if (poolAt + 12 > pool.length) {
    pool = randomBytes(12 * 1024);
    poolAt = 0;
  }
  const id = pool.toString('hex', poolAt, poolAt + 12);
  poolAt += 12;
  return `1-${epochHex}-${id}`;
}

/** Headers that describe one connection, not the request, plus those ALB sets itself. */
const DROP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'expect', 'x-forwarded-proto', 'x-forwarded-port', 'x-forwarded-for', 'x-amzn-trace-id']);
const VALID_NAME = /^[A-Za-z0-9-]+$/;

/**
 * The head sent to the target. `headers` is the flat [name, value, ...] list
 * as received; `chunked` when the client's body is chunked (it is re-framed
 * chunked towards the target).
 */
export function upstreamHead(l: ResolvedListener, method: string, url: string, headers: string[], clientIp: string, chunked: boolean): string {
  let head = `${method} ${url} HTTP/1.1\r\n`;
  let xff: string | undefined;
  let trace: string | undefined;
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i];
    const lower = name.toLowerCase();
    if (DROP.has(lower)) {
      if (lower === 'x-forwarded-for') xff = xff === undefined ? headers[i + 1] : `${xff}, ${headers[i + 1]}`;
      else if (lower === 'x-amzn-trace-id') trace = headers[i + 1];
      continue;
    }
    if (l.dropInvalidHeaders && !VALID_NAME.test(name)) continue;
    head += `${name}: ${headers[i + 1]}\r\n`;
  }
  const ip = clientIp.startsWith('::ffff:') ? clientIp.slice(7) : clientIp;
  if (l.xffMode === 'append') head += `X-Forwarded-For: ${xff === undefined ? ip : `${xff}, ${ip}`}\r\n`;
  else if (l.xffMode === 'preserve' && xff !== undefined) head += `X-Forwarded-For: ${xff}\r\n`;
  head += `X-Forwarded-Proto: ${l.protocol === 'HTTPS' ? 'https' : 'http'}\r\nX-Forwarded-Port: ${l.port}\r\n`;
  // A Root from the client is kept and a Self field added; otherwise ALB starts the trace.
  head += trace !== undefined && trace.includes('Root=') ? `X-Amzn-Trace-Id: ${trace.replace(/;?Self=[^;]*/, '')};Self=${traceId()}\r\n` : `X-Amzn-Trace-Id: Root=${traceId()}\r\n`;
  if (chunked) head += 'Transfer-Encoding: chunked\r\n';
  return `${head}\r\n`;
}
