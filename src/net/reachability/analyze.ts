// The engine's entry point: a source and a destination (instance, interface,
// load balancer, NAT gateway, internet gateway, the internet or an address)
// become interfaces or internet addresses, and each candidate pair is walked
// (a load balancer has one interface per subnet; the first that works is the
// answer, else the first failure). Pure: the snapshot in, the analysis out.
import { isIpv4 } from '../cidr.ts';
import { rulesOf, type NetworkModel, type ModelEni } from '../model/model.ts';
import type { Analysis, Block } from './types.ts';
import { Walk, type Dest } from './walk.ts';
import { frontProblem, frontsOf, listenerProblem, usableFronts } from './load-balancer-leg.ts';
import { endpointDestination, endpointPorts, throughInterfaceEndpoint } from './endpoint-destination.ts';
import { comp, isPrivateIp } from './words.ts';

export type Endpoint =
  | { kind: 'instance'; id: string }
  | { kind: 'eni'; id: string }
  | { kind: 'load-balancer'; arn: string }
  | { kind: 'nat-gateway'; id: string }
  /** A VPC endpoint (a destination only): an interface endpoint's interfaces. */
  | { kind: 'vpc-endpoint'; id: string }
  /** The internet; through a given internet gateway when igwId is set. */
  | { kind: 'internet'; ip?: string; igwId?: string }
  /** Whatever holds the address where the packet lands (a destination only, as DestinationIp). */
  | { kind: 'address'; ip: string };

export interface Query {
  source: Endpoint;
  destination: Endpoint;
  protocol: 'tcp' | 'udp';
  /** Without one, the ports the destination's security groups open are tried (see candidatePorts). */
  port?: number;
}

/** A stand-in internet address (TEST-NET-3, RFC 5737) when the query names none. */
export const SAMPLE_INTERNET_IP = '203.0.113.10';

type Side = { kind: 'eni'; eni: ModelEni } | { kind: 'internet'; ip: string; igwId?: string } | { kind: 'address'; ip: string };

/** An endpoint as the interfaces (or addresses) it stands for, or a configuration block. */
function expand(snap: NetworkModel, e: Endpoint, role: 'source' | 'destination'): Side[] | Block {
  const missing = (id: string, what: string): Block => ({
    path: 'forward',
    explanation: { ExplanationCode: 'NO_SOURCE_OR_DESTINATION', Component: comp(id) },
    message: `${what} ${id} does not exist`,
    fix: `check the ${role}: ${id} is not a known ${what}`,
  });
  const eniSide = (id: string): Side[] => { const eni = snap.enis.get(id); return eni ? [{ kind: 'eni', eni }] : []; };
  switch (e.kind) {
    case 'eni':
      return snap.enis.has(e.id) ? eniSide(e.id) : missing(e.id, 'network interface');
    case 'instance': {
      const inst = snap.instances.get(e.id);
      if (!inst) return missing(e.id, 'instance');
      if (inst.state !== 'running') {
        return { path: 'forward', explanation: { ExplanationCode: 'BAD_STATE', Component: comp(e.id), State: inst.state }, message: `${e.id} is ${inst.state}, not running`, fix: `start ${e.id} (aws ec2 start-instances)` };
      }
      if (!inst.eniIds.length) return missing(e.id, 'instance with a network interface:');
      return eniSide(inst.eniIds[0]);
    }
    case 'nat-gateway': {
      const nat = snap.nats.get(e.id);
      if (!nat?.eniId) return missing(e.id, 'NAT gateway');
      return eniSide(nat.eniId);
    }
    case 'load-balancer': {
      const lb = snap.loadBalancers.get(e.arn);
      if (!lb) return missing(e.arn, 'load balancer');
      const sides = lb.eniIds.flatMap(eniSide);
      if (!sides.length) return { path: 'forward', explanation: { ExplanationCode: 'BAD_STATE', Component: { Id: lb.arn, Arn: lb.arn, Name: lb.name }, LoadBalancerArn: lb.arn }, message: `load balancer ${lb.name} has no network interfaces yet`, fix: `wait until ${lb.name} is active` };
      return sides;
    }
    case 'vpc-endpoint': {
      const sides = endpointDestination(snap, e.id, role);
      return Array.isArray(sides) ? sides.map((eni) => ({ kind: 'eni' as const, eni })) : sides;
    }
    case 'internet':
      return [{ kind: 'internet', ip: e.ip ?? SAMPLE_INTERNET_IP, igwId: e.igwId }];
    case 'address':
      return [{ kind: 'address', ip: e.ip }];
  }
}

function blocked(q: Query, port: number, block: Block): Analysis {
  return { pathFound: false, protocol: q.protocol, port, forward: [], return: [], blocks: [block], notes: [] };
}

/** Ports worth trying when none is given: each port the destination's groups open to the protocol (bounded). */
export function candidatePorts(snap: NetworkModel, dest: Side[], protocol: 'tcp' | 'udp'): number[] {
  const ports = new Set<number>();
  for (const d of dest) {
    if (d.kind !== 'eni') continue;
    for (const r of rulesOf(snap, d.eni.groupIds, 'ingress')) {
      if (r.IpProtocol === protocol && r.FromPort !== undefined && r.FromPort >= 0) ports.add(r.FromPort);
      if (r.IpProtocol === '-1') ports.add(protocol === 'tcp' ? 443 : 53);
    }
  }
  return ports.size ? [...ports].slice(0, 16) : [protocol === 'tcp' ? 443 : 53];
}

function directFromInternet(w: Walk, src: { ip: string; igwId?: string }, target: ModelEni, publicIp?: string): Analysis {
  const ok = w.fromInternet(src.ip, target, src.igwId, publicIp);
  if (ok) w.returnPath(w.eniHopOf(target), { kind: 'internet', Component: comp(src.ip), note: `the internet (${src.ip})` });
  return w.result();
}

/**
 * Internet -> an interface without a public address: the ways in through
 * internet-facing load balancers it is a target of, each node of each
 * (first that works, else the first failure). Undefined when no load
 * balancer fronts it (the caller then reports the internet gateway's view).
 */
function throughLoadBalancers(snap: NetworkModel, src: { ip: string; igwId?: string }, target: ModelEni, protocol: 'tcp' | 'udp', port: number): Analysis | undefined {
  const fronts = frontsOf(snap, target);
  const problem = frontProblem(snap, target, port, fronts);
  if (problem) return { pathFound: false, protocol, port, forward: [], return: [], blocks: [problem], notes: [] };
  let first: Analysis | undefined;
  for (const f of usableFronts(snap, target, port, fronts)) {
    // An NLB listener carries only its own protocol (TCP and TLS: tcp, UDP: udp, TCP_UDP: both).
    if (!listenerCarries(f.listener.protocol, protocol)) continue;
    for (const nodeId of f.lb.eniIds) {
      const node = snap.enis.get(nodeId);
      if (!node) continue;
      const w = new Walk(snap, protocol, f.listener.port);
      const ok = w.fromInternet(src.ip, node, src.igwId) && w.throughLoadBalancer(f.lb, f.listener, f.group, node, target, f.target.port);
      if (ok) w.returnPath(w.eniHopOf(target), { kind: 'internet', Component: comp(src.ip), note: `the internet (${src.ip})` });
      const a = w.result();
      a.notes.push(`through ${f.lb.name} (listener ${f.listener.protocol} ${f.listener.port}, target group ${f.group.name}, node ${node.id} in ${node.subnetId})`);
      if (a.pathFound) return a;
      first ??= a;
    }
  }
  return first;
}

function listenerCarries(listenerProtocol: string, protocol: 'tcp' | 'udp'): boolean {
  if (listenerProtocol === 'UDP') return protocol === 'udp';
  if (listenerProtocol === 'TCP_UDP') return true;
  return protocol === 'tcp';
}

function walkPair(snap: NetworkModel, src: Side, dst: Side, protocol: 'tcp' | 'udp', port: number): Analysis {
  const w = new Walk(snap, protocol, port);
  if (src.kind === 'address') {
    w.block('forward', { ExplanationCode: 'NO_SOURCE_OR_DESTINATION', Address: src.ip }, `the source ${src.ip} is not an interface's address`, 'name the source by instance, interface or load balancer');
    return w.result();
  }
  if (src.kind === 'internet') {
    if (src.igwId && isPrivateIp(src.ip)) {
      w.block('forward', { ExplanationCode: 'IGW_EXPECTS_PUBLIC_ADDRESS', Component: comp(src.igwId), InternetGateway: comp(src.igwId), Address: src.ip }, `traffic from the internet through ${src.igwId} comes from public addresses, and ${src.ip} is private`, 'give a public source address (or none)');
      return w.result();
    }
    let target: ModelEni | undefined;
    let publicIp: string | undefined;
    if (dst.kind === 'eni') target = dst.eni;
    else if (dst.kind === 'address') {
      const held = snap.eniByPublicIp.get(dst.ip);
      target = held?.eni;
      publicIp = held ? dst.ip : undefined;
      if (!target && isPrivateIp(dst.ip)) {
        // A private address: the interface holding it, if exactly one does (it may sit behind a load balancer).
        const holders = snap.enisByIp.get(dst.ip) ?? [];
        if (holders.length === 1) target = holders[0];
        else {
          w.block('forward', { ExplanationCode: 'IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS', Address: dst.ip }, `${dst.ip} is a private address: an internet gateway only delivers traffic addressed to a public or Elastic IP`, 'address the public or Elastic IP of the interface, or an internet-facing load balancer in front of it');
          return w.result();
        }
      }
    }
    if (!target) {
      w.block('forward', { ExplanationCode: 'NO_POSSIBLE_DESTINATION', Address: dst.kind === 'eni' ? undefined : dst.ip }, `nothing reachable from the internet holds ${dst.kind === 'eni' ? dst.eni.id : dst.ip}`, 'name a destination with a public or Elastic IP, or an internet-facing load balancer');
      return w.result();
    }
    const nat = target.type === 'nat_gateway' ? [...snap.nats.values()].find((n) => n.eniId === target.id) : undefined;
    if (nat) {
      // A NAT gateway translates connections its VPC opens; the internet cannot open one through it (AWS drops the SYN).
      const shown = publicIp ?? target.publicIps[0]?.publicIp;
      w.block('forward', { ExplanationCode: 'NO_POSSIBLE_DESTINATION', Component: comp(nat.id), NatGateway: comp(nat.id), Address: shown }, `${shown ? `${shown} is the address of NAT gateway ${nat.id}` : `${nat.id} is a NAT gateway`}: a NAT gateway only carries connections its VPC opens to the internet, and accepts none from it`, 'to serve from this VPC, give the instance an Elastic IP (aws ec2 allocate-address, associate-address) or put an internet-facing load balancer in front of it');
      return w.result();
    }
    if (!publicIp && target.publicIps.length === 0 && !snap.loadBalancerByEni.has(target.id)) return throughLoadBalancers(snap, src, target, protocol, port) ?? directFromInternet(w, src, target);
    return directFromInternet(w, src, target, publicIp);
  }
  const dest: Dest = dst.kind === 'eni' ? { kind: 'eni', eni: dst.eni } : dst.kind === 'internet' ? { kind: 'internet', ip: dst.ip } : { kind: 'address', ip: dst.ip };
  const ok = w.fromEni(src.eni, dest) && throughInterfaceEndpoint(snap, w);
  if (ok) {
    const end = w.forward[w.forward.length - 1];
    w.returnPath({ ...end }, w.eniHopOf(src.eni));
  }
  return w.result();
}

export function analyze(snap: NetworkModel, q: Query): Analysis {
  const src = expand(snap, q.source, 'source');
  if (!Array.isArray(src)) return blocked(q, q.port ?? 0, src);
  const dst = expand(snap, q.destination, 'destination');
  if (!Array.isArray(dst)) return blocked(q, q.port ?? 0, dst);
  if (q.destination.kind === 'address' && !isIpv4(q.destination.ip)) {
    return blocked(q, q.port ?? 0, { path: 'forward', explanation: { ExplanationCode: 'UNKNOWN_DESTINATION', Address: q.destination.ip }, message: `${q.destination.ip} is not an IPv4 address (IPv6 paths are not analysed yet)`, fix: 'give an IPv4 address' });
  }
  const lbDest = q.destination.kind === 'load-balancer' ? snap.loadBalancers.get(q.destination.arn)! : undefined;
  if (lbDest && q.port !== undefined) {
    const lb = lbDest;
    if (!lb.listenerPorts.includes(q.port)) {
      return blocked(q, q.port, { path: 'forward', explanation: { ExplanationCode: 'ELBV2_LISTENERS_MISMATCH', Component: { Id: lb.arn, Arn: lb.arn, Name: lb.name }, LoadBalancerArn: lb.arn, Port: q.port },
        message: `load balancer ${lb.name} has no listener on port ${q.port}${lb.listenerPorts.length ? ` (its listeners: ${lb.listenerPorts.join(', ')})` : ' (it has no listeners)'}`,
        fix: `add a listener on port ${q.port} to ${lb.name} (aws elbv2 create-listener)` });
    }
  }
  let ports: number[];
  if (q.port !== undefined) ports = [q.port];
  else if (lbDest?.listenerPorts.length) ports = lbDest.listenerPorts;
  else if (q.destination.kind === 'vpc-endpoint' && endpointPorts(snap, q.destination.id).length) ports = endpointPorts(snap, q.destination.id);
  else {
    // From the internet to a target behind a load balancer, the ports worth trying are its registered ones.
    const registered = q.source.kind === 'internet' ? [...new Set(dst.flatMap((d) => (d.kind === 'eni' ? frontsOf(snap, d.eni).map((f) => f.target.port) : [])))] : [];
    ports = registered.length ? registered : candidatePorts(snap, dst, q.protocol);
  }
  let first: Analysis | undefined;
  for (const port of ports) {
    for (const s of src) {
      for (const d of dst) {
        const problem = lbDest && d.kind === 'eni' ? listenerProblem(snap, lbDest, port, d.eni) : undefined;
        const a = problem ? blocked(q, port, problem) : walkPair(snap, s, d, q.protocol, port);
        if (src.length > 1 && s.kind === 'eni') a.notes.push(`the path from ${s.eni.id} in ${s.eni.subnetId}, one of the source's ${src.length} interfaces`);
        if (dst.length > 1 && d.kind === 'eni') a.notes.push(`the path to ${d.eni.id} in ${d.eni.subnetId}, one of the destination's ${dst.length} interfaces`);
        if (q.port === undefined) a.notes.push(`no port given: tried ${q.protocol} ${port}`);
        if (a.pathFound) return a;
        first ??= a;
      }
    }
  }
  return first!;
}
