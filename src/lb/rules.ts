// Listener rule evaluation exactly as ALB does it (AWS-BEHAVIOUR §8):
// rules by priority, lowest first, the default rule last; within a rule the
// conditions are AND-ed and each condition's values OR-ed. Rules are
// compiled once per state change (wildcards become RegExps) so matching a
// request is a handful of string tests. Pure.
import { cidrContains } from '../net/security-groups.ts';

/** The members of an ELBv2 RuleCondition that matching reads (new and legacy `Values` forms). */
export interface RuleCondition {
  Field?: string;
  Values?: string[];
  HostHeaderConfig?: { Values?: string[] };
  PathPatternConfig?: { Values?: string[] };
  HttpHeaderConfig?: { HttpHeaderName?: string; Values?: string[] };
  HttpRequestMethodConfig?: { Values?: string[] };
  QueryStringConfig?: { Values?: { Key?: string; Value?: string }[] };
  SourceIpConfig?: { Values?: string[] };
}

/** What a rule can look at in a request. Header names are lower case (node:http's req.headers). */
export interface RequestFacts {
  /** The Host header without its port. */
  host: string;
  /** The path only, as received (no query, not decoded, not normalised). */
  path: string;
  /** The raw query string without '?', '' when none. */
  query: string;
  method: string;
  headers: Record<string, string | string[] | undefined>;
  /** The TCP peer (X-Forwarded-For is ignored, as ALB does). */
  sourceIp: string;
}

export type Matcher = (req: RequestFacts) => boolean;

/** ALB wildcards: '*' any run of characters (also none), '?' exactly one. */
export function wildcardRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let src = '';
  for (const ch of pattern) {
    if (ch === '*') src += '[\\s\\S]*';
    else if (ch === '?') src += '[\\s\\S]';
    else src += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, caseInsensitive ? 'i' : '');
}

/** A matcher for one of several patterns; literal patterns avoid RegExps entirely. */
function anyPattern(values: string[], caseInsensitive: boolean): (s: string) => boolean {
  const literals = new Set<string>();
  const regexps: RegExp[] = [];
  for (const v of values) {
    if (v.includes('*') || v.includes('?')) regexps.push(wildcardRegExp(v, caseInsensitive));
    else literals.add(caseInsensitive ? v.toLowerCase() : v);
  }
  return (s) => {
    if (literals.size > 0 && literals.has(caseInsensitive ? s.toLowerCase() : s)) return true;
    for (const r of regexps) if (r.test(s)) return true;
    return false;
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Query pairs, percent-decoded ('a=1&b' -> [['a','1'],['b','']]). */
export function queryPairs(query: string): [string, string][] {
  if (!query) return [];
  const out: [string, string][] = [];
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    out.push(eq < 0 ? [safeDecode(part), ''] : [safeDecode(part.slice(0, eq)), safeDecode(part.slice(eq + 1))]);
  }
  return out;
}

/** Compiles one condition; unknown fields never match (the control plane rejects them anyway). */
export function compileCondition(c: RuleCondition): Matcher {
  const field = c.Field ?? '';
  switch (field) {
    case 'host-header': {
      // Host names are case-insensitive; *.example.com needs at least the dot, so it never matches example.com.
      const m = anyPattern(c.HostHeaderConfig?.Values ?? c.Values ?? [], true);
      return (r) => m(r.host);
    }
    case 'path-pattern': {
      const m = anyPattern(c.PathPatternConfig?.Values ?? c.Values ?? [], false);
      return (r) => m(r.path);
    }
    case 'http-header': {
      const name = (c.HttpHeaderConfig?.HttpHeaderName ?? '').toLowerCase();
      const m = anyPattern(c.HttpHeaderConfig?.Values ?? [], true);
      return (r) => {
        const v = r.headers[name];
        if (v === undefined) return false;
        return Array.isArray(v) ? v.some(m) : m(v);
      };
    }
    case 'http-request-method': {
      // Case-sensitive and exact; no wildcards.
      const methods = new Set(c.HttpRequestMethodConfig?.Values ?? c.Values ?? []);
      return (r) => methods.has(r.method);
    }
    case 'query-string': {
      const pairs = (c.QueryStringConfig?.Values ?? []).map((p) => ({
        key: p.Key === undefined ? undefined : anyPattern([p.Key], true),
        value: anyPattern([p.Value ?? ''], true),
      }));
      return (r) => {
        if (!r.query) return false;
        const q = queryPairs(r.query);
        return pairs.some((p) => q.some(([k, v]) => (p.key === undefined || p.key(k)) && p.value(v)));
      };
    }
    case 'source-ip': {
      const cidrs = c.SourceIpConfig?.Values ?? c.Values ?? [];
      return (r) => {
        const ip = r.sourceIp.startsWith('::ffff:') ? r.sourceIp.slice(7) : r.sourceIp;
        return cidrs.some((cidr) => cidrContains(cidr, ip));
      };
    }
    default:
      return () => false;
  }
}

export function compileConditions(conditions: RuleCondition[] | undefined): Matcher {
  const ms = (conditions ?? []).map(compileCondition);
  if (ms.length === 0) return () => true;
  if (ms.length === 1) return ms[0];
  return (r) => {
    for (const m of ms) if (!m(r)) return false;
    return true;
  };
}

export interface RuleLike {
  Priority?: string;
  IsDefault?: boolean;
  Conditions?: RuleCondition[];
}

/** Numeric priority; the default rule sorts after every numbered one. */
export function rulePriority(r: RuleLike): number {
  if (r.IsDefault || r.Priority === 'default') return Infinity;
  const n = Number(r.Priority);
  return Number.isFinite(n) ? n : Infinity;
}

export interface CompiledRule<A> {
  priority: number;
  match: Matcher;
  action: A;
}

/** Orders and compiles a listener's rules; `action` turns each rule into what the proxy executes. */
export function compileRules<R extends RuleLike, A>(rules: R[], action: (r: R) => A): CompiledRule<A>[] {
  return [...rules]
    .sort((a, b) => rulePriority(a) - rulePriority(b))
    .map((r) => ({ priority: rulePriority(r), match: compileConditions(r.IsDefault ? [] : r.Conditions), action: action(r) }));
}

/** The first rule whose conditions all hold. */
export function selectRule<A>(rules: CompiledRule<A>[], req: RequestFacts): CompiledRule<A> | undefined {
  for (const r of rules) if (r.match(req)) return r;
  return undefined;
}

/** Splits a request target into path and query, and strips the port from a Host header. */
export function splitTarget(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

export function hostWithoutPort(host: string | undefined): string {
  if (!host) return '';
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end < 0 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}
