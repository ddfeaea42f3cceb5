// What DescribeTargetHealth says about one target: the control plane's own
// knowledge first (registration, draining, instance state, whether any load
// balancer uses the group in the target's zone), then what the data plane's
// health checker last wrote (KIND.targetHealth). Reason codes and
// descriptions are AWS's (API_TargetHealth).
import type { HandlerEnv } from '../../aws/service.ts';
import { containsIp4, ipToInt, isIpv4, parseCidr4 } from '../../net/cidr.ts';
import type { Instance } from '../ec2/instances.ts';
import { K } from '../ec2/resources.ts';
import type { Subnet } from '../ec2/types.ts';
import { loadBalancer, targetHealthRecord, targetKey } from './state.ts';
import type { Target, TargetGroup, TargetHealthRecord } from './types.ts';

export type TargetHealth = Pick<TargetHealthRecord, 'State' | 'Reason' | 'Description'>;

export const HEALTH = {
  notRegistered: { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' },
  draining: { State: 'draining', Reason: 'Target.DeregistrationInProgress', Description: 'Target deregistration is in progress' },
  notInUse: { State: 'unused', Reason: 'Target.NotInUse', Description: 'Target group is not configured to receive traffic from the load balancer' },
  zoneNotEnabled: { State: 'unused', Reason: 'Target.NotInUse', Description: 'Target is in an Availability Zone that is not enabled for the load balancer' },
  disabled: { State: 'unavailable', Reason: 'Target.HealthCheckDisabled', Description: 'Health checks are disabled for the target group' },
  registering: { State: 'initial', Reason: 'Elb.RegistrationInProgress', Description: 'Target registration is in progress' },
} satisfies Record<string, TargetHealth>;

/** The zone a target sits in: the instance's, the given one, or that of the VPC subnet holding the IP. */
export function zoneOfTarget(env: HandlerEnv, tg: TargetGroup, t: Target): string | undefined {
  if (t.AvailabilityZone) return t.AvailabilityZone;
  if (tg.TargetType === 'instance') return env.store.get<Instance>(K.instance.kind, env.scope, t.Id)?.Placement.AvailabilityZone;
  if (tg.TargetType === 'ip' && isIpv4(t.Id)) {
    const ip = ipToInt(t.Id);
    return env.store.list<Subnet>(K.subnet.kind, env.scope).find((s) => s.VpcId === tg.VpcId && containsIp4(parseCidr4(s.CidrBlock)!, ip))?.AvailabilityZone;
  }
  return undefined;
}

export function healthOf(env: HandlerEnv, tg: TargetGroup, t: Target): TargetHealth {
  if (t._deregisteredAt) return HEALTH.draining;
  if (tg.TargetType === 'instance') {
    const state = env.store.get<Instance>(K.instance.kind, env.scope, t.Id)?.State.Name ?? 'terminated';
    if (state === 'stopped' || state === 'terminated') return { State: 'unused', Reason: 'Target.InvalidState', Description: `Target is in the ${state} state` };
  }
  if (!tg.LoadBalancerArns.length) return HEALTH.notInUse;
  const zone = zoneOfTarget(env, tg, t);
  if (zone && zone !== 'all') {
    const enabled = tg.LoadBalancerArns.some((arn) => loadBalancer(env.store, env.scope, arn)?.AvailabilityZones.some((z) => z.ZoneName === zone));
    if (!enabled) return HEALTH.zoneNotEnabled;
  }
  if (!tg.HealthCheckEnabled) return HEALTH.disabled;
  const seen = targetHealthRecord(env.store, env.scope, targetKey(tg.TargetGroupArn, t.Id, t.Port));
  // A report older than this registration belongs to an earlier one.
  if (seen && seen._updatedAt >= t._registeredAt) return { State: seen.State, Reason: seen.Reason, Description: seen.Description };
  return HEALTH.registering;
}
