// What the load balancer data plane asks the engine, in the shape it keeps
// for its hot path: does a client from the internet reach this listener
// port, and does the load balancer reach this target's port (and get the
// replies back)? Both walk the same path `localnet why` walks, from every
// node of the load balancer, and a block carries the same explanation.
import type { ModelEni, NetworkModel } from '../model/model.ts';
import type { Block } from './types.ts';
import { INTERNET, Walk } from './walk.ts';

export type PathVerdict =
  | { allowed: true }
  | {
      allowed: false;
      /** AWS's explanation code. */
      code: string;
      /** The resource that drops the traffic: sg-..., acl-..., rtb-..., vpc-... */
      component: string;
      /** What is blocked and the change that would fix it, in one line. */
      explanation: string;
    };

const OK: PathVerdict = { allowed: true };

export function verdictOf(b: Block): PathVerdict {
  const e = b.explanation;
  const component = e.Acl?.Id ?? e.SecurityGroups?.map((g) => g.Id).join(',') ?? e.RouteTable?.Id ?? e.Component?.Id ?? '';
  return { allowed: false, code: e.ExplanationCode, component, explanation: `${b.message}; ${b.fix}` };
}

function nodesOf(model: NetworkModel, lbArn: string): ModelEni[] {
  return (model.loadBalancers.get(lbArn)?.eniIds ?? []).flatMap((id) => model.enis.get(id) ?? []);
}

/**
 * Can a client from the internet open TCP `port` on every node of this
 * load balancer? The client stands as 0.0.0.0, so only rules and routes for
 * 0.0.0.0/0 admit it (a loopback client is "the internet"). Internal load
 * balancers are reached from inside their VPC: not checked here.
 */
export function listenerVerdict(model: NetworkModel, lbArn: string, port: number): PathVerdict {
  const lb = model.loadBalancers.get(lbArn);
  if (!lb || lb.scheme !== 'internet-facing') return OK;
  for (const node of nodesOf(model, lbArn)) {
    const w = new Walk(model, 'tcp', port);
    if (w.fromInternet(INTERNET, node)) w.returnPath(w.eniHopOf(node), { kind: 'internet', Component: { Id: INTERNET }, note: 'the internet' });
    if (w.blocks.length) return verdictOf(w.blocks[0]);
  }
  return OK;
}

/** Can every node of the load balancer open TCP `port` to the target interface, and get the replies back? */
export function targetVerdict(model: NetworkModel, lbArn: string, targetEniId: string, port: number): PathVerdict {
  const target = model.enis.get(targetEniId);
  if (!target) return OK;
  for (const node of nodesOf(model, lbArn)) {
    const w = new Walk(model, 'tcp', port);
    if (w.fromEni(node, { kind: 'eni', eni: target })) w.returnPath(w.eniHopOf(target), w.eniHopOf(node));
    if (w.blocks.length) return verdictOf(w.blocks[0]);
  }
  return OK;
}
