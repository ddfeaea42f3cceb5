// What a user types as SOURCE or DESTINATION, as an engine endpoint: an
// instance, interface, NAT gateway or internet gateway id, `internet`, a load
// balancer (ARN or name), an IP address, or a DNS name resolved in the
// source's DNS view (the caller supplies the resolver; the answer is shown).
import { isIpv4 } from '../cidr.ts';
import type { Endpoint } from './analyze.ts';
import type { NetworkModel } from '../model/model.ts';
import { isPrivateIp } from './words.ts';

export interface Scope { account: string; region: string }

/** Resolves a name in a view ('public' or a VPC id): the IPv4 answers and the lines to show. */
export type NameResolver = (view: string, name: string) => { ips: string[]; lines: string[] };

export type Resolved = { endpoint: Endpoint; shown: string[] } | { error: string };

const ID = /^(i|eni|nat|igw)-[0-9a-f]{8,17}$/;
const ENDPOINT_ID = /^vpce-[0-9a-f]{8,17}$/;

/** The DNS view a source asks in: its VPC's resolver, or the public view for the internet. */
export function viewOf(snap: NetworkModel, source: Endpoint): string {
  switch (source.kind) {
    case 'instance': return snap.enis.get(snap.instances.get(source.id)?.eniIds[0] ?? '')?.vpcId ?? 'public';
    case 'eni': return snap.enis.get(source.id)?.vpcId ?? 'public';
    case 'nat-gateway': return snap.nats.get(source.id)?.vpcId ?? 'public';
    case 'load-balancer': return snap.loadBalancers.get(source.arn)?.vpcId ?? 'public';
    default: return 'public';
  }
}

export function resolveEndpoint(snap: NetworkModel, scope: Scope, spec: string, role: 'source' | 'destination', opts: { view?: string; resolveName?: NameResolver } = {}): Resolved {
  const s = spec.trim();
  if (s === 'internet') return { endpoint: { kind: 'internet' }, shown: [] };
  const id = ID.exec(s);
  if (id) {
    const kind = id[1];
    if (kind === 'igw') return role === 'source' ? { endpoint: { kind: 'internet', igwId: s }, shown: [] } : { endpoint: { kind: 'internet' }, shown: [`${s}: the internet beyond the gateway`] };
    return { endpoint: kind === 'i' ? { kind: 'instance', id: s } : kind === 'eni' ? { kind: 'eni', id: s } : { kind: 'nat-gateway', id: s }, shown: [] };
  }
  if (ENDPOINT_ID.test(s)) return { endpoint: { kind: 'vpc-endpoint', id: s }, shown: [] };
  if (s.startsWith('arn:aws:elasticloadbalancing:')) return { endpoint: { kind: 'load-balancer', arn: s }, shown: [] };
  if (isIpv4(s)) return resolveIp(snap, scope, s, role);
  const lbs = [...snap.loadBalancers.values()].filter((lb) => lb.name === s && lb.account === scope.account && lb.region === scope.region);
  if (lbs.length === 1) return { endpoint: { kind: 'load-balancer', arn: lbs[0].arn }, shown: [`load balancer ${s}: ${lbs[0].arn}`] };
  if (/^[a-z0-9_*-]+(\.[a-z0-9_-]+)+\.?$/i.test(s)) {
    if (!opts.resolveName) return { error: `cannot resolve ${s}: no DNS view available` };
    const view = opts.view ?? 'public';
    const { ips, lines } = opts.resolveName(view, s);
    const shown = [`${s} resolved in view ${view}:`, ...lines.map((l) => `  ${l}`)];
    if (!ips.length) return { error: [...shown, `${s} has no A record in view ${view} (try: localnet why --dns ${s} --from ${view})`].join('\n') };
    // An endpoint's name answers with its interfaces' loopback addresses.
    const ep = [...snap.vpcEndpoints.values()].find((e) => e.interfaces.some((i) => i.address === ips[0]));
    if (ep) return { endpoint: { kind: 'vpc-endpoint', id: ep.id }, shown: [...shown, `  ${ips[0]} is an interface of VPC endpoint ${ep.id}`] };
    // A load balancer's name answers with the loopback address its listeners bind.
    const lb = [...snap.loadBalancers.values()].find((l) => l.address === ips[0]);
    if (lb) return { endpoint: { kind: 'load-balancer', arn: lb.arn }, shown: [...shown, `  ${ips[0]} is load balancer ${lb.name}`] };
    const r = resolveIp(snap, scope, ips[0], role);
    if ('error' in r) return r;
    return { endpoint: r.endpoint, shown: [...shown, ...(ips.length > 1 ? [`  using ${ips[0]} of ${ips.length} addresses`] : []), ...r.shown] };
  }
  return { error: `${role} '${s}' is not an instance, interface, NAT or internet gateway id, a VPC endpoint, 'internet', a load balancer, an IP address or a DNS name` };
}

function resolveIp(snap: NetworkModel, scope: Scope, ip: string, role: 'source' | 'destination'): Resolved {
  if (role === 'destination') return { endpoint: { kind: 'address', ip }, shown: [] };
  const mine = (snap.enisByIp.get(ip) ?? []).filter((e) => e.account === scope.account && e.region === scope.region);
  if (mine.length === 1) return { endpoint: { kind: 'eni', id: mine[0].id }, shown: [`${ip} is ${mine[0].id}`] };
  if (mine.length > 1) return { error: `${ip} is held by ${mine.map((e) => `${e.id} (${e.vpcId})`).join(', ')}: name the interface instead` };
  const pub = snap.eniByPublicIp.get(ip);
  if (pub) return { endpoint: { kind: 'eni', id: pub.eni.id }, shown: [`${ip} is the public address of ${pub.eni.id}`] };
  if (!isPrivateIp(ip)) return { endpoint: { kind: 'internet', ip }, shown: [`${ip} is on the internet`] };
  return { error: `no interface in ${scope.account}/${scope.region} holds ${ip}` };
}
