// Health checks: one checker per (target group, target) while a listener of
// an active load balancer uses the group. Each check is a real request with
// the group's protocol, port, path and timeout to the target's workload;
// results move the state as ALB does: initial -> healthy after one passed
// check (AWS-BEHAVIOUR §8), -> unhealthy after UnhealthyThresholdCount
// failures in a row; unhealthy -> healthy after HealthyThresholdCount
// passes. Reason codes and descriptions are AWS's, plus localnet's
// explanation of what is really wrong. Intervals and timeouts are multiplied
// by LOCALNET_LB_TIME_SCALE (0.01: a 30 s interval becomes 300 ms).
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { HealthState, TargetGroupRecord, TargetHealthRecord } from './records.ts';
import type { ResolvedTarget } from './state.ts';

/** Does a status code satisfy a Matcher HttpCode ('200', '200-299', '200,302')? */
export function matcherAccepts(httpCode: string | undefined, status: number): boolean {
  for (const part of (httpCode ?? '200').split(',')) {
    const p = part.trim();
    const dash = p.indexOf('-');
    if (dash > 0) {
      if (status >= Number(p.slice(0, dash)) && status <= Number(p.slice(dash + 1))) return true;
    } else if (Number(p) === status) return true;
  }
  return false;
}

export type CheckResult =
  | { ok: true }
  | { ok: false; reason: 'Target.ResponseCodeMismatch' | 'Target.Timeout' | 'Target.FailedHealthChecks' | 'Elb.InternalError'; description: string };

export interface HealthCheckSettings {
  /** TCP: NLB groups only (a connection that opens is a pass). */
  protocol: 'HTTP' | 'HTTPS' | 'TCP';
  path: string;
  intervalMs: number;
  timeoutMs: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  matcher: string;
}

/**
 * The group's settings, scaled in time. The control plane stores AWS's
 * defaults on every group; these fallbacks are the same (ALB: timeout 5 s,
 * matcher 200; NLB: timeout 10 s, 6 s for HTTP, matcher 200-399).
 */
export function settingsOf(tg: TargetGroupRecord, timeScale: number): HealthCheckSettings {
  const alb = tg.Protocol === 'HTTP' || tg.Protocol === 'HTTPS';
  const hc = tg.HealthCheckProtocol ?? (alb ? tg.Protocol : 'TCP');
  // NLBs check TCP (TLS and UDP groups too: AWS has no TLS or UDP health checks), HTTP or HTTPS.
  const protocol = hc === 'HTTPS' ? 'HTTPS' : hc === 'HTTP' ? 'HTTP' : 'TCP';
  return {
    protocol,
    path: tg.HealthCheckPath ?? '/',
    intervalMs: (tg.HealthCheckIntervalSeconds ?? 30) * 1000 * timeScale,
    timeoutMs: (tg.HealthCheckTimeoutSeconds ?? (alb ? 5 : protocol === 'HTTP' ? 6 : 10)) * 1000 * timeScale,
    healthyThreshold: tg.HealthyThresholdCount ?? 5,
    unhealthyThreshold: tg.UnhealthyThresholdCount ?? 2,
    matcher: tg.Matcher?.HttpCode ?? (alb ? '200' : '200-399'),
  };
}

/** An NLB TCP health check: the connection opens (pass), is refused, or times out. */
function tcpCheck(t: ResolvedTarget, host: string, port: number, s: HealthCheckSettings, signal: AbortSignal): Promise<CheckResult> {
  const where = `${host}:${port}`;
  return new Promise<CheckResult>((resolve) => {
    const sock = net.connect({ host, port });
    const done = (r: CheckResult) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      sock.destroy();
      resolve(r);
    };
    const onAbort = () => done({ ok: false, reason: 'Elb.InternalError', description: 'Health checks stopped' });
    signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => done({ ok: false, reason: 'Target.Timeout', description: `Request timed out (localnet: no connection to ${where} (${t.label} port ${t.healthPort}) within ${s.timeoutMs} ms)` }), s.timeoutMs);
    sock.once('connect', () => done({ ok: true }));
    sock.once('error', (err: NodeJS.ErrnoException) => {
      done(err.code === 'ECONNREFUSED'
        ? { ok: false, reason: 'Target.FailedHealthChecks', description: `Health checks failed (localnet: nothing listens on ${where}, where ${t.label} port ${t.healthPort} is mapped by its tag localnet:port:${t.healthPort})` }
        : { ok: false, reason: 'Target.FailedHealthChecks', description: `Health checks failed (localnet: ${where} ${err.code ?? err.message})` });
    });
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => { clearTimeout(t); resolve(); };
    const t = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** One health check of a target; never throws. */
export async function checkOnce(t: ResolvedTarget, s: HealthCheckSettings, signal: AbortSignal): Promise<CheckResult> {
  const dest = t.health;
  if (dest.kind === 'unmapped') {
    return { ok: false, reason: 'Target.FailedHealthChecks', description: `Health checks failed (localnet: nothing listens on ${t.label} port ${t.healthPort}: the port is not mapped; add the tag localnet:port:${t.healthPort} = 127.0.0.1:<port> on the instance)` };
  }
  if (dest.kind === 'invalid') return { ok: false, reason: 'Target.FailedHealthChecks', description: `Health checks failed (localnet: ${dest.reason})` };
  if (!t.healthPath.allowed) {
    // The packets are dropped: the check waits for its timeout, as on AWS.
    await sleep(s.timeoutMs, signal);
    return { ok: false, reason: 'Target.Timeout', description: `Request timed out (localnet: ${t.healthPath.explanation})` };
  }
  if (s.protocol === 'TCP') return tcpCheck(t, dest.host, dest.port, s, signal);
  const where = `${dest.host}:${dest.port}`;
  return new Promise<CheckResult>((resolve) => {
    const lib = s.protocol === 'HTTPS' ? https : http;
    const req = lib.request({
      host: dest.host,
      port: dest.port,
      path: s.path,
      method: 'GET',
      agent: false,
      rejectUnauthorized: false,
      headers: { Host: `${t.privateIp ?? dest.host}:${t.healthPort}`, 'User-Agent': 'ELB-HealthChecker/2.0', Accept: '*/*', Connection: 'close' },
      signal,
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ ok: false, reason: 'Target.Timeout', description: `Request timed out (localnet: ${where} (${t.label} port ${t.healthPort}) did not answer within ${s.timeoutMs} ms)` });
    }, s.timeoutMs);
    req.on('response', (res) => {
      clearTimeout(timer);
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(matcherAccepts(s.matcher, status) ? { ok: true } : { ok: false, reason: 'Target.ResponseCodeMismatch', description: `Health checks failed with these codes: [${status}]` });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (err.code === 'ECONNREFUSED') {
        resolve({ ok: false, reason: 'Target.FailedHealthChecks', description: `Health checks failed (localnet: nothing listens on ${where}, where ${t.label} port ${t.healthPort} is mapped by its tag localnet:port:${t.healthPort})` });
      } else {
        resolve({ ok: false, reason: 'Target.FailedHealthChecks', description: `Health checks failed (localnet: ${where} ${err.code ?? err.message})` });
      }
    });
    req.end();
  });
}

export interface HealthCheckerOptions {
  timeScale: number;
  /** The state the target starts in (from the store after a restart); undefined for a new target. */
  initial?: TargetHealthRecord;
  /** Called on every transition (and change of reason). */
  onTransition(t: ResolvedTarget, rec: TargetHealthRecord): void;
}

export class HealthChecker {
  private state: HealthState;
  private reason?: string;
  private description?: string;
  private passes = 0;
  private failures = 0;
  private readonly abort = new AbortController();

  constructor(private target: ResolvedTarget, private group: TargetGroupRecord, private readonly opts: HealthCheckerOptions) {
    const prev = opts.initial;
    this.state = prev && (prev.State === 'healthy' || prev.State === 'unhealthy') ? prev.State : 'initial';
    this.reason = prev?.Reason;
    this.description = prev?.Description;
    if (this.state === 'initial') this.emit('initial', 'Elb.InitialHealthChecking', 'Initial health checks in progress');
  }

  get registeredAt(): string {
    return this.target.registeredAt;
  }

  get current(): HealthState {
    return this.state;
  }

  /** New settings or a new address take effect at the next check. */
  update(target: ResolvedTarget, group: TargetGroupRecord): void {
    this.target = target;
    this.group = group;
  }

  start(): void {
    void this.loop();
  }

  stop(): void {
    this.abort.abort();
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      const s = settingsOf(this.group, this.opts.timeScale);
      const started = Date.now();
      let r: CheckResult;
      try {
        r = await checkOnce(this.target, s, signal);
      } catch (err) {
        r = { ok: false, reason: 'Elb.InternalError', description: `Health checks failed due to an internal error (${(err as Error).message})` };
      }
      if (signal.aborted) return;
      this.record(r, s);
      await sleep(Math.max(0, s.intervalMs - (Date.now() - started)), signal);
    }
  }

  private record(r: CheckResult, s: HealthCheckSettings): void {
    if (r.ok) {
      this.failures = 0;
      this.passes++;
      const needed = this.state === 'initial' ? 1 : s.healthyThreshold;
      if (this.state !== 'healthy' && this.passes >= needed) this.emit('healthy');
      // Still unhealthy, as on AWS, until the threshold is reached; the
      // explanation describes the latest check, not the failure before it.
      else if (this.state === 'unhealthy') this.emit('unhealthy', this.reason, recovering(this.description, this.passes, needed));
      return;
    }
    this.passes = 0;
    this.failures++;
    if (this.state === 'unhealthy' && (this.reason !== r.reason || this.description !== r.description)) this.emit('unhealthy', r.reason, r.description);
    else if (this.state !== 'unhealthy' && this.failures >= s.unhealthyThreshold) this.emit('unhealthy', r.reason, r.description);
  }

  private emit(state: HealthState, reason?: string, description?: string): void {
    this.state = state;
    this.reason = reason;
    this.description = description;
    this.opts.onTransition(this.target, { State: state, ...(reason ? { Reason: reason } : {}), ...(description ? { Description: description } : {}), _updatedAt: new Date().toISOString() });
  }
}

/** An unhealthy target's description after a passing check: AWS's words, then how far it is from healthy. */
export function recovering(description: string | undefined, passes: number, needed: number): string {
  const aws = (description ?? 'Health checks failed').replace(/ \(localnet: .*$/s, '');
  return `${aws} (localnet: the last check passed; ${passes} of ${needed} passing checks in a row needed to turn healthy)`;
}
