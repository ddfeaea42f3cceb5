// The ELBv2 records the data plane reads (written by the control plane,
// src/services/elbv2/) and the target-health record it writes. Each is the
// API's own shape; '_' members are bookkeeping. Only what the data plane
// uses is typed here.
import type { RuleCondition } from './rules.ts';
import type { RedirectConfig } from './responses.ts';

// The store kinds are the control plane's; one definition serves both.
export { KIND as KINDS } from '../records/kinds.ts';

export interface LoadBalancerRecord {
  LoadBalancerArn: string;
  DNSName?: string;
  LoadBalancerName?: string;
  Scheme?: string;
  VpcId?: string;
  State?: { Code?: string };
  Type?: string;
  AvailabilityZones?: { ZoneName?: string; SubnetId?: string }[];
  SecurityGroups?: string[];
  _address?: string;
  _attributes?: Record<string, string>;
}

export interface TargetGroupRecord {
  TargetGroupArn: string;
  TargetGroupName?: string;
  Protocol?: string;
  Port?: number;
  VpcId?: string;
  TargetType?: string;
  HealthCheckEnabled?: boolean;
  HealthCheckProtocol?: string;
  HealthCheckPort?: string;
  HealthCheckPath?: string;
  HealthCheckIntervalSeconds?: number;
  HealthCheckTimeoutSeconds?: number;
  HealthyThresholdCount?: number;
  UnhealthyThresholdCount?: number;
  Matcher?: { HttpCode?: string };
  _attributes?: Record<string, string>;
}

export interface TargetRecord {
  TargetGroupArn: string;
  Id: string;
  Port?: number;
  AvailabilityZone?: string;
  _registeredAt?: string;
  _deregisteredAt?: string;
}

export interface ActionRecord {
  Type?: string;
  Order?: number;
  TargetGroupArn?: string;
  ForwardConfig?: {
    TargetGroups?: { TargetGroupArn?: string; Weight?: number }[];
    TargetGroupStickinessConfig?: { Enabled?: boolean; DurationSeconds?: number };
  };
  RedirectConfig?: RedirectConfig;
  FixedResponseConfig?: { StatusCode?: string; ContentType?: string; MessageBody?: string };
}

export interface ListenerRecord {
  ListenerArn: string;
  LoadBalancerArn: string;
  Port: number;
  Protocol: string;
  Certificates?: { CertificateArn?: string; IsDefault?: boolean }[];
  _sniCertificates?: string[];
  SslPolicy?: string;
  DefaultActions?: ActionRecord[];
}

export interface RuleRecord {
  RuleArn: string;
  Priority?: string;
  IsDefault?: boolean;
  Conditions?: RuleCondition[];
  Actions?: ActionRecord[];
  _listenerArn?: string;
}

export type HealthState = 'initial' | 'healthy' | 'unhealthy' | 'draining' | 'unused';

export interface TargetHealthRecord {
  State: HealthState;
  Reason?: string;
  Description?: string;
  _updatedAt: string;
}

export function targetKey(tgArn: string, id: string, port: number): string {
  return `${tgArn}|${id}|${port}`;
}
