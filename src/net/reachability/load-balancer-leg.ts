// The load balancer leg of a path. As in AWS's Reachability Analyzer, a load
// balancer is an intermediate component, never a path's end: the internet
// reaches an instance behind an internet-facing load balancer through the
// internet gateway, a load balancer node (listener), the target group, and a
// new connection from the node to the target's registered port. This file
// finds those ways in and says, with AWS's explanation codes, why none works.
import type { ModelEni, NetworkModel } from '../model/model.ts';
import type { RListener, RLoadBalancer, RTarget, RTargetGroup } from '../model/types.ts';
import type { Block } from './types.ts';

/** One way in: a listener of an internet-facing load balancer forwarding to a group that holds the destination. */
export interface Front {
  lb: RLoadBalancer;
  listener: RListener;
  group: RTargetGroup;
  target: RTarget;
}

const lbComp = (lb: RLoadBalancer) => ({ Id: lb.arn, Arn: lb.arn, Name: lb.name });
const groupComp = (g: RTargetGroup) => ({ Id: g.arn, Arn: g.arn, Name: g.name });

/** Load balancers that take traffic (a failed one takes none). */
function serving(lb: RLoadBalancer): boolean {
  return lb.state !== 'failed';
}

/** Every registration of the interface: its instance (instance targets) or one of its addresses (ip targets) in a group of its VPC. */
export function registrationsOf(model: NetworkModel, eni: ModelEni): { group: RTargetGroup; target: RTarget }[] {
  const ids = [...(eni.instanceId ? [eni.instanceId] : []), ...eni.privateIps];
  return ids.flatMap((id) => model.registrations.get(id) ?? []).filter((r) => r.group.vpcId === eni.vpcId && !r.target.draining);
}

/** The listeners of internet-facing load balancers in the interface's VPC that forward to a group holding it. */
export function frontsOf(model: NetworkModel, eni: ModelEni): Front[] {
  const out: Front[] = [];
  const regs = registrationsOf(model, eni);
  if (!regs.length) return out;
  for (const lb of model.loadBalancers.values()) {
    if (lb.vpcId !== eni.vpcId || lb.scheme !== 'internet-facing' || !serving(lb)) continue;
    for (const listener of lb.listeners) {
      for (const r of regs) if (listener.targetGroupArns.includes(r.group.arn)) out.push({ lb, listener, ...r });
    }
  }
  return out;
}

/** The internet-facing load balancers of a VPC (those a path from the internet could pass). */
export function internetFacingIn(model: NetworkModel, vpcId: string): RLoadBalancer[] {
  return [...model.loadBalancers.values()].filter((lb) => lb.vpcId === vpcId && lb.scheme === 'internet-facing' && serving(lb));
}

/**
 * Why no front carries the traffic before any packet is judged: the
 * destination is registered but no listener forwards to its group
 * (ELBV2_LISTENER_REQUIRES_TG_ACCEPT), registered on another port
 * (TARGET_PORT_RESTRICTION), or in a zone the load balancer is not enabled
 * in (ELB_INSTALLED_AZ_RESTRICTION). Undefined when some front may work.
 */
export function frontProblem(model: NetworkModel, eni: ModelEni, port: number | undefined, fronts: Front[]): Block | undefined {
  const what = eni.instanceId ?? eni.privateIps[0];
  if (!fronts.length) {
    const regs = registrationsOf(model, eni);
    const lb = internetFacingIn(model, eni.vpcId).find((l) => l.listeners.length > 0);
    if (!lb || !regs.length) return undefined;
    const listener = lb.listeners[0];
    return {
      path: 'forward',
      explanation: { ExplanationCode: 'ELBV2_LISTENER_REQUIRES_TG_ACCEPT', Component: lbComp(lb), LoadBalancerArn: lb.arn, ElasticLoadBalancerListener: { Id: listener.arn, Arn: listener.arn }, LoadBalancerListenerPort: listener.port, LoadBalancerTargetGroups: listener.targetGroupArns.map((a) => ({ Id: a, Arn: a })) },
      message: `${what} is registered in ${regs.map((r) => r.group.name).join(', ')}, but no listener of ${lb.name} forwards to ${regs.length > 1 ? 'those groups' : 'that group'} (its listeners forward to ${[...new Set(lb.listeners.flatMap((l) => l.targetGroupArns))].map((a) => model.targetGroups.get(a)?.name ?? a).join(', ') || 'no target group'})`,
      fix: `forward a listener or rule of ${lb.name} to ${regs[0].group.name} (aws elbv2 modify-listener or create-rule)`,
    };
  }
  const onPort = port === undefined ? fronts : fronts.filter((f) => f.target.port === port);
  if (!onPort.length) {
    const f = fronts[0];
    return {
      path: 'forward',
      explanation: { ExplanationCode: 'TARGET_PORT_RESTRICTION', Component: lbComp(f.lb), LoadBalancerArn: f.lb.arn, LoadBalancerTargetGroup: groupComp(f.group), LoadBalancerTarget: { Address: eni.privateIps[0], Instance: eni.instanceId ? { Id: eni.instanceId } : undefined, Port: f.target.port }, LoadBalancerTargetPort: f.target.port, Port: port },
      message: `${f.lb.name} sends traffic to ${what} only on its registered port${fronts.length > 1 ? 's' : ''} ${[...new Set(fronts.map((x) => x.target.port))].join(', ')} (target group ${f.group.name}), not ${port}`,
      fix: `register ${what} on port ${port} in ${f.group.name} (aws elbv2 register-targets --targets Id=${what},Port=${port}), or ask about port ${f.target.port}`,
    };
  }
  const az = model.subnets.get(eni.subnetId)?.az;
  const enabled = onPort.filter((f) => az !== undefined && f.lb.zones.includes(az));
  if (!enabled.length) {
    const f = onPort[0];
    return {
      path: 'forward',
      explanation: { ExplanationCode: 'ELB_INSTALLED_AZ_RESTRICTION', Component: lbComp(f.lb), LoadBalancerArn: f.lb.arn, AvailabilityZones: f.lb.zones, LoadBalancerTarget: { Address: eni.privateIps[0], AvailabilityZone: az, Instance: eni.instanceId ? { Id: eni.instanceId } : undefined, Port: f.target.port }, LoadBalancerTargetGroup: groupComp(f.group) },
      message: `${what} is in ${az}, a zone ${f.lb.name} is not enabled in (${f.lb.zones.join(', ')}): a load balancer only sends traffic to targets in its own zones`,
      fix: `add a subnet in ${az} to ${f.lb.name} (aws elbv2 set-subnets), or run ${what} in ${f.lb.zones.join(' or ')}`,
    };
  }
  return undefined;
}

/** The fronts worth walking: on the asked port (if any) and with the target in an enabled zone. */
export function usableFronts(model: NetworkModel, eni: ModelEni, port: number | undefined, fronts: Front[]): Front[] {
  const az = model.subnets.get(eni.subnetId)?.az;
  return fronts.filter((f) => (port === undefined || f.target.port === port) && az !== undefined && f.lb.zones.includes(az));
}

/**
 * A listener as a destination: it must forward somewhere with targets
 * (ELBV2_LISTENER_HAS_NO_TG), and a node whose group keeps traffic in its
 * own zone needs a target there (ELBV2_NO_TARGETS_IN_AZ). Redirects and fixed
 * responses are answered by the load balancer itself.
 */
export function listenerProblem(model: NetworkModel, lb: RLoadBalancer, port: number, node?: ModelEni): Block | undefined {
  const listener = lb.listeners.find((l) => l.port === port);
  if (!listener || !listener.targetGroupArns.length) return undefined;
  const groups = listener.targetGroupArns.map((a) => model.targetGroups.get(a)).filter((g): g is RTargetGroup => g !== undefined);
  const live = groups.flatMap((g) => g.targets.filter((t) => !t.draining).map((t) => ({ g, t })));
  if (!live.length) {
    return {
      path: 'forward',
      explanation: { ExplanationCode: 'ELBV2_LISTENER_HAS_NO_TG', Component: lbComp(lb), LoadBalancerArn: lb.arn, ElasticLoadBalancerListener: { Id: listener.arn, Arn: listener.arn }, LoadBalancerListenerPort: port, LoadBalancerTargetGroups: groups.map(groupComp) },
      message: `listener ${listener.protocol} ${port} of ${lb.name} forwards to ${groups.map((g) => g.name).join(', ') || 'a target group that no longer exists'}, which has no registered targets`,
      fix: `register targets in ${groups[0]?.name ?? 'the target group'} (aws elbv2 register-targets)`,
    };
  }
  if (!node) return undefined;
  const nodeAz = model.subnets.get(node.subnetId)?.az;
  const azOf = (t: RTarget): string | undefined => {
    const inst = model.instances.get(t.id);
    const eni = inst ? model.enis.get(inst.eniIds[0] ?? '') : (model.enisByIp.get(t.id) ?? []).find((e) => e.vpcId === lb.vpcId);
    return eni ? model.subnets.get(eni.subnetId)?.az : undefined;
  };
  const reachable = live.some(({ g, t }) => g.crossZone || azOf(t) === nodeAz);
  if (reachable) return undefined;
  return {
    path: 'forward',
    explanation: { ExplanationCode: 'ELBV2_NO_TARGETS_IN_AZ', Component: lbComp(lb), LoadBalancerArn: lb.arn, AvailabilityZones: nodeAz ? [nodeAz] : [], LoadBalancerTargetGroups: groups.map(groupComp), NetworkInterface: { Id: node.id } },
    message: `the node of ${lb.name} in ${nodeAz} has no target in its zone, and cross-zone load balancing is off for ${groups.map((g) => g.name).join(', ')}`,
    fix: `register a target in ${nodeAz}, or turn cross-zone load balancing on (aws elbv2 modify-target-group-attributes --attributes Key=load_balancing.cross_zone.enabled,Value=true)`,
  };
}
