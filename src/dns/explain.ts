// Why a name resolves the way it does in a view, for `localnet dig`: the same
// resolution the server runs, with each handler's reasoning collected.
import type { Answer } from 'dns-packet';
import { explainEndpointName } from './endpoint-explain.ts';
import { buildSnapshotIndex, type SnapshotIndex } from './snapshot-index.ts';
import type { DnsSnapshot } from './types.ts';
import { resolveInView } from './view-chain.ts';

function isIndex(x: DnsSnapshot | SnapshotIndex): x is SnapshotIndex {
  return (x as SnapshotIndex).delegated !== undefined;
}

function show(a: Answer): string {
  const data = (a as { data?: unknown }).data;
  const text = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString() : JSON.stringify(data);
  return `${a.name}. ${(a as { ttl?: number }).ttl ?? 0} ${a.type} ${text}`;
}

/** Lines saying which handler answered `name`/`type` in `view` ('public' or a VPC id) and why, then the answer. */
export function explain(state: DnsSnapshot | SnapshotIndex, view: string, name: string, type = 'A'): string[] {
  const index = isIndex(state) ? state : buildSnapshotIndex(state);
  const lines: string[] = [];
  if (view === 'public') {
    lines.push('view public: the internet (delegated public hosted zones only)');
  } else {
    const vpc = index.vpcs.get(view);
    lines.push(vpc
      ? `view ${view}: the Route 53 Resolver of the VPC (VPC+2 = ${vpc.resolverIp ?? 'unknown'}); enableDnsSupport=${vpc.vpc.enableDnsSupport}, enableDnsHostnames=${vpc.vpc.enableDnsHostnames}; ${vpc.privateZones.length} associated private zone(s)${vpc.privateZones.length ? `: ${vpc.privateZones.map((z) => `${z.id} (${z.apex})`).join(', ')}` : ''}`
      : `view ${view}: no such VPC`);
  }
  const trace: string[] = [];
  const res = resolveInView(index, view, name, type.toUpperCase(), { trace });
  lines.push(...trace);
  const first = res.steps[0];
  if (first.by === 'private-zone' && res.answers.length === 0) {
    // The classic surprise: the record exists publicly but the private zone shadows it.
    const pub = resolveInView(index, 'public', name, type.toUpperCase());
    if (pub.answers.length > 0) lines.push(`the public view does answer ${name} ${type.toUpperCase()}, but inside ${view} the private zone is authoritative and the public record is not consulted`);
  }
  lines.push(...explainEndpointName(index, view, name, res.answers.length > 0));
  const by = res.steps.map((s) => s.by).join(' -> ');
  lines.push(`answered by: ${by}; ${res.rcode}${res.authoritative ? ', authoritative (AA)' : ''}${res.cacheable ? '' : ', varies per query (routing policy)'}`);
  for (const a of res.answers) lines.push(`  ${show(a)}`);
  if (res.rcode !== 'REFUSED' && res.answers.length === 0 && res.authorities.length) lines.push(`  authority: ${res.authorities.map(show).join('; ')}`);
  return lines;
}
