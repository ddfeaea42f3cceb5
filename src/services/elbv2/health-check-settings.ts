// A target group's health check settings: AWS's defaults per protocol family
// and target type, and the ranges CreateTargetGroup and ModifyTargetGroup
// accept (docs: target-group-health-checks.html).
import { AwsError } from '../../aws/errors.ts';
import type { Matcher, TargetGroup, TargetType } from './types.ts';

export const ALB_PROTOCOLS = ['HTTP', 'HTTPS'];
export const NLB_PROTOCOLS = ['TCP', 'TLS', 'UDP', 'TCP_UDP'];

export interface HealthCheckInput {
  HealthCheckProtocol?: string;
  HealthCheckPort?: string;
  HealthCheckEnabled?: boolean;
  HealthCheckPath?: string;
  HealthCheckIntervalSeconds?: number;
  HealthCheckTimeoutSeconds?: number;
  HealthyThresholdCount?: number;
  UnhealthyThresholdCount?: number;
  Matcher?: Matcher;
}

type Settings = Pick<TargetGroup, 'HealthCheckProtocol' | 'HealthCheckPort' | 'HealthCheckEnabled' | 'HealthCheckPath' | 'HealthCheckIntervalSeconds' | 'HealthCheckTimeoutSeconds' | 'HealthyThresholdCount' | 'UnhealthyThresholdCount' | 'Matcher'>;

/** The defaults AWS fills in for a new group. */
export function healthCheckDefaults(protocol: string | undefined, targetType: TargetType, protocolVersion: string | undefined, hcProtocol?: string): Settings {
  if (targetType === 'lambda') {
    return { HealthCheckEnabled: false, HealthCheckPath: '/', HealthCheckIntervalSeconds: 35, HealthCheckTimeoutSeconds: 30, HealthyThresholdCount: 5, UnhealthyThresholdCount: 2, Matcher: { HttpCode: '200' } };
  }
  if (protocol && ALB_PROTOCOLS.includes(protocol)) {
    const grpc = protocolVersion === 'GRPC';
    return {
      HealthCheckProtocol: protocol,
      HealthCheckPort: 'traffic-port',
      HealthCheckEnabled: true,
      HealthCheckPath: grpc ? '/AWS.ALB/healthcheck' : '/',
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
      Matcher: grpc ? { GrpcCode: '12' } : { HttpCode: '200' },
    };
  }
  const http = hcProtocol === 'HTTP' || hcProtocol === 'HTTPS';
  return {
    HealthCheckProtocol: hcProtocol ?? 'TCP',
    HealthCheckPort: 'traffic-port',
    HealthCheckEnabled: true,
    HealthCheckPath: http ? '/' : undefined,
    HealthCheckIntervalSeconds: 30,
    // AWS's NLB defaults: 6 s for HTTP checks, 10 s for TCP and HTTPS.
    HealthCheckTimeoutSeconds: hcProtocol === 'HTTP' ? 6 : 10,
    HealthyThresholdCount: 5,
    UnhealthyThresholdCount: 2,
    Matcher: http ? { HttpCode: '200-399' } : undefined,
  };
}

function range(name: string, v: number | undefined, min: number, max: number): void {
  if (v !== undefined && !(Number.isInteger(v) && v >= min && v <= max)) throw new AwsError('ValidationError', `${name} must be between ${min} and ${max}, not ${v}`);
}

function checkMatcher(m: Matcher, alb: boolean, grpc: boolean): void {
  if (grpc) {
    if (m.HttpCode) throw new AwsError('ValidationError', 'A GRPC target group takes a GrpcCode matcher, not an HttpCode one');
    if (m.GrpcCode && !m.GrpcCode.split(',').every((p) => /^\d{1,2}(-\d{1,2})?$/.test(p))) throw new AwsError('ValidationError', `GrpcCode '${m.GrpcCode}' is not valid; use codes from 0 to 99, such as '12' or '0-99'`);
    return;
  }
  if (m.GrpcCode) throw new AwsError('ValidationError', 'A GrpcCode matcher needs protocol version GRPC');
  if (m.HttpCode === undefined) return;
  const [lo, hi] = alb ? [200, 499] : [200, 599];
  const ok = m.HttpCode.split(',').every((part) => {
    const mm = /^(\d{3})(?:-(\d{3}))?$/.exec(part.trim());
    if (!mm) return false;
    const a = Number(mm[1]);
    const b = mm[2] ? Number(mm[2]) : a;
    return a >= lo && b <= hi && a <= b;
  });
  if (!ok) throw new AwsError('ValidationError', `Health check matcher HTTP code '${m.HttpCode}' must be within '${lo}-${hi}' (a code, a comma-separated list or a range such as '200-299')`);
}

/**
 * Timeout against interval. Network Load Balancer groups (TCP, TLS, UDP,
 * TCP_UDP) accept a timeout equal to the interval; HTTP/HTTPS and Lambda
 * groups need it strictly smaller. When the request gives only one of the two
 * and it clashes with the other's current (or default) value, AWS answers with
 * a message that names neither value.
 */
function checkTiming(next: Settings, input: HealthCheckInput, nlb: boolean): void {
  const timeout = next.HealthCheckTimeoutSeconds;
  const interval = next.HealthCheckIntervalSeconds;
  if (timeout === undefined || interval === undefined) return;
  if (nlb ? timeout <= interval : timeout < interval) return;
  const both = input.HealthCheckTimeoutSeconds !== undefined && input.HealthCheckIntervalSeconds !== undefined;
  if (!both) throw new AwsError('ValidationError', 'Health check interval must be greater than the timeout.');
  if (nlb) throw new AwsError('ValidationError', `Health check timeout '${timeout}' must be smaller than or equal to the interval '${interval}'`);
  throw new AwsError('ValidationError', `Health check timeout '${timeout}' must be smaller than the interval '${interval}'`);
}

/** Merges input over current settings and validates the result as AWS does. */
export function applyHealthCheck(current: Settings, input: HealthCheckInput, group: { Protocol?: string; TargetType: TargetType; ProtocolVersion?: string }): Settings {
  const alb = group.Protocol !== undefined && ALB_PROTOCOLS.includes(group.Protocol);
  const hcProtocol = input.HealthCheckProtocol ?? current.HealthCheckProtocol;
  if (input.HealthCheckProtocol !== undefined) {
    const allowed = alb || group.TargetType === 'lambda' ? ALB_PROTOCOLS : ['TCP', 'HTTP', 'HTTPS'];
    if (!allowed.includes(input.HealthCheckProtocol)) throw new AwsError('ValidationError', `Health check protocol '${input.HealthCheckProtocol}' is not supported for target groups with protocol '${group.Protocol ?? 'none'}'; use ${allowed.join(', ')}`);
  }
  const httpCheck = hcProtocol === 'HTTP' || hcProtocol === 'HTTPS' || group.TargetType === 'lambda';
  if (!httpCheck && (input.HealthCheckPath !== undefined || input.Matcher !== undefined)) {
    throw new AwsError('ValidationError', `Health check path and matcher cannot be set when the health check protocol is '${hcProtocol}'`);
  }
  const movedToHttp = !httpCheck ? false : current.HealthCheckPath === undefined;
  const defaults = movedToHttp ? healthCheckDefaults(group.Protocol, group.TargetType, group.ProtocolVersion, hcProtocol) : undefined;
  const next: Settings = {
    HealthCheckProtocol: hcProtocol,
    HealthCheckPort: input.HealthCheckPort ?? current.HealthCheckPort,
    HealthCheckEnabled: input.HealthCheckEnabled ?? current.HealthCheckEnabled,
    HealthCheckPath: httpCheck ? (input.HealthCheckPath ?? current.HealthCheckPath ?? defaults?.HealthCheckPath) : undefined,
    HealthCheckIntervalSeconds: input.HealthCheckIntervalSeconds ?? current.HealthCheckIntervalSeconds,
    HealthCheckTimeoutSeconds: input.HealthCheckTimeoutSeconds ?? current.HealthCheckTimeoutSeconds,
    HealthyThresholdCount: input.HealthyThresholdCount ?? current.HealthyThresholdCount,
    UnhealthyThresholdCount: input.UnhealthyThresholdCount ?? current.UnhealthyThresholdCount,
    Matcher: httpCheck ? (input.Matcher ?? current.Matcher ?? defaults?.Matcher) : undefined,
  };
  range('Health check interval', next.HealthCheckIntervalSeconds, 5, 300);
  range('Health check timeout', next.HealthCheckTimeoutSeconds, 2, 120);
  range('Healthy threshold count', next.HealthyThresholdCount, 2, 10);
  range('Unhealthy threshold count', next.UnhealthyThresholdCount, 2, 10);
  checkTiming(next, input, group.Protocol !== undefined && NLB_PROTOCOLS.includes(group.Protocol));
  const port = next.HealthCheckPort;
  if (port !== undefined && port !== 'traffic-port' && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    throw new AwsError('ValidationError', `Health check port '${port}' must be 'traffic-port' or a port from 1 to 65535`);
  }
  const path = next.HealthCheckPath;
  if (path !== undefined && (!path.startsWith('/') || path.length > 1024)) throw new AwsError('ValidationError', `Health check path '${path}' must begin with '/' and be at most 1024 characters`);
  if (next.Matcher) checkMatcher(next.Matcher, alb || group.TargetType === 'lambda', group.ProtocolVersion === 'GRPC');
  return next;
}
