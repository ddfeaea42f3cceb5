// VPC endpoints on a path, as Network Insights shows them (a VPC_ENDPOINT
// component, `vpce-…`):
//  - an interface endpoint is a destination: the walk reaches one of its
//    interfaces like any other (source group egress, route, NACLs, the
//    endpoint's group ingress); this leg then checks the endpoint is
//    available and the service's Network Load Balancer has a listener on the
//    port. The path ends at the endpoint, as AWS's Reachability Analyzer
//    ends it (the service is another account's network); what lies beyond
//    is judged here too, because a consumer's connection fails there just
//    the same: the NLB's inbound rules on PrivateLink traffic, then whether
//    its nodes reach the registered targets. A block there blocks the path;
//    otherwise the notes name the targets the connection can reach.
// (A gateway endpoint is a route target instead: gateway-endpoint-step.ts.)
import { serviceLoadBalancers, serviceOf } from '../model/endpoints.ts';
import type { ModelEni, NetworkModel } from '../model/model.ts';
import type { RLoadBalancer, RTargetGroup } from '../model/types.ts';
import { badState, endpointComp } from './gateway-endpoint-step.ts';
import { nlbTargetVerdict, privateLinkVerdict } from './network-load-balancer-verdicts.ts';
import type { Block, Hop } from './types.ts';
import { comp } from './words.ts';

type NewHop = Omit<Hop, 'SequenceNumber'>;
type Blocked = Omit<Block, 'path'>;

/**
 * The leg past an interface endpoint's interface: the endpoint hop, or why
 * nothing passes. `port` is the destination port the walk arrived on.
 */
export function interfaceEndpointLeg(snap: NetworkModel, eni: ModelEni, port: number): { hop: NewHop; notes: string[] } | Blocked {
  const ep = snap.vpcEndpointByEni.get(eni.id)!;
  const service = serviceOf(snap, ep);
  if (ep.state !== 'available') {
    const fix = ep.state === 'pendingAcceptance' && service ? `the provider accepts it (aws ec2 accept-vpc-endpoint-connections --service-id ${service.id} --vpc-endpoint-ids ${ep.id})` : `create a new endpoint to ${ep.serviceName}`;
    return badState(ep, fix);
  }
  if (!service) {
    // An endpoint to an AWS service (no provider side localnet models): it ends here.
    return { hop: { kind: 'vpc-endpoint', Component: endpointComp(ep), ServiceName: ep.serviceName, Vpc: comp(ep.vpcId), note: `interface endpoint ${ep.id} to ${ep.serviceName}` }, notes: [`${ep.serviceName} is an AWS service: the path ends at the endpoint`] };
  }
  const nlbs = serviceLoadBalancers(snap, service);
  const front = nlbs.find((lb) => lb.listenerPorts.includes(port));
  if (!front) {
    const lb = nlbs[0];
    const ports = [...new Set(nlbs.flatMap((l) => l.listenerPorts))];
    return {
      explanation: { ExplanationCode: 'ELBV2_LISTENERS_MISMATCH', Component: lb ? { Id: lb.arn, Arn: lb.arn, Name: lb.name } : endpointComp(ep), LoadBalancerArn: lb?.arn, VpcEndpoint: endpointComp(ep), Port: port },
      message: `${service.id}'s load balancer${nlbs.length === 1 ? '' : 's'} (${nlbs.map((l) => l.name).join(', ') || 'none'}) ${ports.length ? `listen on ${ports.join(', ')}, not ${port}` : 'have no listeners'}: ${ep.id} carries only the ports the service's listeners accept`,
      fix: lb ? `connect to a listener port${ports.length ? ` (${ports.join(', ')})` : ''}, or the provider adds a listener on ${port} to ${lb.name} (aws elbv2 create-listener)` : `the provider attaches a Network Load Balancer to ${service.id}`,
    };
  }
  const beyond = providerLeg(snap, front, eni, port);
  if ('explanation' in beyond) return beyond;
  return {
    hop: { kind: 'vpc-endpoint', Component: endpointComp(ep), ServiceName: service.serviceName, Vpc: comp(ep.vpcId), note: `interface endpoint ${ep.id} → ${service.id} (load balancer ${front.name}, listener ${port}, in ${front.vpcId} of ${front.account})` },
    notes: beyond.notes,
  };
}

const lbComp = (lb: RLoadBalancer) => ({ Id: lb.arn, Arn: lb.arn, Name: lb.name });

/** The interface a registered target stands for: an instance's primary interface, or the interface holding an ip target's address in the group's VPC. */
function targetEni(snap: NetworkModel, group: RTargetGroup, id: string): ModelEni | undefined {
  const instance = snap.instances.get(id);
  if (instance) return snap.enis.get(instance.eniIds[0] ?? '');
  return snap.eniByVpcIp.get(`${group.vpcId} ${id}`);
}

/**
 * The provider's side of PrivateLink: the NLB's inbound rules on PrivateLink
 * traffic (the endpoint interface's private address stands for the consumer),
 * then its nodes to each registered target (targets see the NLB's addresses:
 * client IP preservation does not apply to PrivateLink traffic).
 */
function providerLeg(snap: NetworkModel, lb: RLoadBalancer, eni: ModelEni, port: number): { notes: string[] } | Blocked {
  const listener = lb.listeners.find((l) => l.port === port)!;
  const protocol = listener.protocol === 'UDP' ? 'udp' : 'tcp';
  const inbound = privateLinkVerdict(snap, lb.arn, lb.enforcesOnPrivateLink !== false, eni.privateIps[0] ?? '', port);
  if (!inbound.allowed) {
    const [message, fix] = splitVerdict(inbound.explanation);
    return { explanation: { ExplanationCode: inbound.code, Component: lbComp(lb), LoadBalancerArn: lb.arn, SecurityGroups: lb.groupIds.map((id) => comp(id)) }, message, fix };
  }
  const group = snap.targetGroups.get(listener.targetGroupArns[0] ?? '');
  const targets = (group?.targets ?? []).filter((t) => !t.draining);
  const head = `the path ends at ${lbComp(lb).Name}'s PrivateLink endpoint, as AWS's analysis does; beyond it, listener ${listener.protocol} ${port}`;
  if (!group || !targets.length) return { notes: [`${head} forwards to ${group ? `target group ${group.name}, which has no registered targets: connections are reset` : 'no target group'}`] };
  const reached: string[] = [];
  const blocked: { target: string; verdict: Exclude<ReturnType<typeof nlbTargetVerdict>, { allowed: true }> }[] = [];
  for (const t of targets) {
    const target = targetEni(snap, group, t.id);
    const v = target ? nlbTargetVerdict(snap, lb.arn, target.id, protocol, t.port) : { allowed: true as const };
    if (v.allowed) reached.push(`${t.id}:${t.port}`);
    else blocked.push({ target: `${t.id}:${t.port}`, verdict: v });
  }
  if (!reached.length) {
    const first = blocked[0];
    const [message, fix] = splitVerdict(first.verdict.explanation);
    return {
      explanation: { ExplanationCode: first.verdict.code, Component: comp(first.verdict.component || lb.arn), LoadBalancerArn: lb.arn, LoadBalancerTarget: { Address: first.target.split(':')[0], Port: Number(first.target.split(':')[1]) } },
      message: `${lb.name} reaches none of its targets in ${group.name}: ${first.target}: ${message}`,
      fix,
    };
  }
  return {
    notes: [
      `${head} → target group ${group.name} → ${reached.join(', ')}`,
      ...blocked.map((b) => `${lb.name} cannot reach ${b.target} (${b.verdict.explanation})`),
    ],
  };
}

/** A verdict's one line is `<what is blocked>; <the fix>`. */
function splitVerdict(line: string): [string, string] {
  const i = line.indexOf('; ');
  return i < 0 ? [line, ''] : [line.slice(0, i), line.slice(i + 2)];
}
