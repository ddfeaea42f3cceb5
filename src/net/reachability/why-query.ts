// /_localnet/why: the question `localnet why` asks the running localnet, as
// query parameters, answered from the cached snapshot and the DNS views.
//   ?source=&destination=HOST[:PORT]&port=&protocol=tcp|udp[&account=&region=]
//   ?dns=NAME&from=vpc-…|i-…|eni-…[&type=A]
import type { Answer } from 'dns-packet';
import { answer } from '../../dns/answer.ts';
import type { SnapshotIndex } from '../../dns/snapshot-index.ts';
import { analyze } from './analyze.ts';
import { explainDnsFrom } from './dns-why.ts';
import { formatAnalysis } from './format.ts';
import { resolveEndpoint, viewOf, type NameResolver, type Scope } from './resolve.ts';
import type { NetworkModel } from '../model/model.ts';

/**
 * DESTINATION[:PORT]; an address or name without a port keeps port undefined.
 * A load balancer's ARN takes a port too (`arn:…:loadbalancer/app/web/0123…:443`):
 * its colons are the ARN's own, and a port can follow only the resource.
 */
export function splitPort(spec: string): { host: string; port?: number } {
  const m = /^(.*):(\d{1,5})$/.exec(spec);
  if (!m) return { host: spec };
  if (m[1].includes(':') && !/^arn:[^:]+:elasticloadbalancing:[^:]*:\d{12}:loadbalancer\/[^:]+$/.test(m[1])) return { host: spec };
  return { host: m[1], port: Number(m[2]) };
}

function nameResolver(index: SnapshotIndex): NameResolver {
  return (view, name) => {
    const packet = answer(index, view, { id: 1, type: 'query', flags: 1 << 8, questions: [{ name: name.replace(/\.$/, ''), type: 'A', class: 'IN' }] });
    const answers = (packet.answers ?? []) as (Answer & { data?: unknown; ttl?: number })[];
    const lines = answers.map((a) => `${a.name}. ${a.ttl ?? 0} ${a.type} ${String(a.data)}`);
    if (!answers.length) lines.push(`no answer (rcode ${(packet.flags ?? 0) & 0xf})`);
    return { ips: answers.filter((a) => a.type === 'A').map((a) => String(a.data)), lines };
  };
}

function vpcOf(snap: NetworkModel, from: string): string | undefined {
  if (from.startsWith('vpc-')) return from;
  if (from.startsWith('i-')) return snap.enis.get(snap.instances.get(from)?.eniIds[0] ?? '')?.vpcId;
  if (from.startsWith('eni-')) return snap.enis.get(from)?.vpcId;
  return undefined;
}

export function whyQuery(snap: NetworkModel, dnsIndex: () => SnapshotIndex, q: URLSearchParams, defaults: Scope): [number, unknown] {
  const scope = { account: q.get('account') || defaults.account, region: q.get('region') || defaults.region };
  const dns = q.get('dns');
  if (dns) {
    const from = q.get('from') ?? '';
    const vpcId = vpcOf(snap, from);
    if (!vpcId) return [400, { error: `--from must name a VPC, an instance or an interface that exists (got '${from}')` }];
    const lines = explainDnsFrom(dnsIndex(), snap, vpcId, dns, (q.get('type') ?? 'A').toUpperCase());
    return [200, { view: vpcId, name: dns, lines }];
  }
  const source = q.get('source');
  const destination = q.get('destination');
  if (!source || !destination) return [400, { error: 'source and destination are required: /_localnet/why?source=i-…&destination=10.0.1.5:443' }];
  const protocol = (q.get('protocol') ?? 'tcp').toLowerCase();
  if (protocol !== 'tcp' && protocol !== 'udp') return [400, { error: `protocol must be tcp or udp, not '${protocol}'` }];
  const split = splitPort(destination);
  const port = q.get('port') ? Number(q.get('port')) : split.port;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) return [400, { error: `port must be 0-65535, not '${q.get('port')}'` }];
  let index: SnapshotIndex | undefined;
  const resolveName: NameResolver = (view, name) => nameResolver((index ??= dnsIndex()))(view, name);
  const src = resolveEndpoint(snap, scope, source, 'source', { resolveName });
  if ('error' in src) return [400, { error: src.error }];
  const dst = resolveEndpoint(snap, scope, split.host, 'destination', { view: viewOf(snap, src.endpoint), resolveName });
  if ('error' in dst) return [400, { error: dst.error }];
  const analysis = analyze(snap, { source: src.endpoint, destination: dst.endpoint, protocol, port });
  return [200, { source, destination: split.host, protocol, port: analysis.port, resolved: [...src.shown, ...dst.shown], analysis, text: [...src.shown, ...dst.shown, ...formatAnalysis(analysis)] }];
}
