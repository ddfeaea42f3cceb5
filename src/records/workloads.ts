// Workloads: what answers on an instance's ports. Nothing boots in localnet;
// instead the user names a local process per port with a tag on the instance:
//
//   Key   localnet:port:80
//   Value 127.0.0.1:3000        (or [::1]:3000, localhost:3000, or just 3000)
//
// The load balancer and reachability checks read it through workloadAddress.
// Only loopback hosts are accepted, so localnet never sends traffic anywhere
// else (DESIGN.md, principle 5). A port without a tag behaves like a port
// where nothing listens.
import type { Tag } from './tags.ts';

export const WORKLOAD_TAG_PREFIX = 'localnet:port:';

export type WorkloadTarget =
  | { kind: 'mapped'; host: string; port: number }
  /** No tag for this port: connections are refused. */
  | { kind: 'unmapped' }
  /** A tag that cannot be used, with the reason to show the user. */
  | { kind: 'invalid'; reason: string };

function validPort(s: string): number | undefined {
  if (!/^\d{1,5}$/.test(s)) return undefined;
  const n = Number(s);
  return n >= 1 && n <= 65535 ? n : undefined;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) && host.split('.').every((o) => Number(o) <= 255);
}

/** Parses a tag value: host:port, [v6]:port, or a bare port (meaning 127.0.0.1). */
export function parseWorkloadValue(value: string): WorkloadTarget {
  const v = value.trim();
  const bare = validPort(v);
  if (bare !== undefined) return { kind: 'mapped', host: '127.0.0.1', port: bare };
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(v) ?? /^([^:[\]]+):(\d+)$/.exec(v);
  if (!m) return { kind: 'invalid', reason: `'${value}' is not host:port (for example 127.0.0.1:3000)` };
  const [, host, portText] = m;
  const port = validPort(portText);
  if (port === undefined) return { kind: 'invalid', reason: `'${portText}' in '${value}' is not a port between 1 and 65535` };
  if (!isLoopback(host)) return { kind: 'invalid', reason: `'${host}' is not a loopback address; localnet only connects to 127.0.0.0/8, ::1 or localhost` };
  return { kind: 'mapped', host, port };
}

/** Where the instance's workload for `port` listens, per its localnet:port:<port> tag. */
export function workloadAddress(instance: { Tags?: Tag[] }, port: number): WorkloadTarget {
  const tag = instance.Tags?.find((t) => t.Key === `${WORKLOAD_TAG_PREFIX}${port}`);
  if (!tag) return { kind: 'unmapped' };
  return parseWorkloadValue(tag.Value ?? '');
}

/** Every port the instance maps, with what each maps to (for status and explanations). */
export function workloadPorts(instance: { Tags?: Tag[] }): { port: number; target: WorkloadTarget }[] {
  const out: { port: number; target: WorkloadTarget }[] = [];
  for (const t of instance.Tags ?? []) {
    if (!t.Key?.startsWith(WORKLOAD_TAG_PREFIX)) continue;
    const port = validPort(t.Key.slice(WORKLOAD_TAG_PREFIX.length));
    if (port === undefined) continue;
    out.push({ port, target: parseWorkloadValue(t.Value ?? '') });
  }
  return out.sort((a, b) => a.port - b.port);
}
