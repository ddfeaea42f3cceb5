// The ELBv2 records the data plane reads (written by the control plane,
// src/services/elbv2/, shaped in src/records/elbv2.ts) under the names the
// data plane uses, and the target-health record it writes.
export { KIND as KINDS } from '../records/kinds.ts';

export type { LoadBalancer as LoadBalancerRecord, TargetGroup as TargetGroupRecord, Target as TargetRecord, Action as ActionRecord, Listener as ListenerRecord, Rule as RuleRecord } from '../records/elbv2.ts';

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
