// Choosing where a request goes: a target group among the weighted ones of a
// forward action (AWSALBTG cookie for group stickiness), then a target in the
// group: the sticky one (AWSALB cookie) when it can still take traffic, else
// round robin over the healthy targets; when none is healthy, over all
// registered ones (ALB fails open). Draining targets get no new requests.
import type { HealthState } from './records.ts';
import type { ResolvedGroup, ResolvedTarget } from './state.ts';

export type HealthOf = (key: string) => HealthState | undefined;

/** Requests forwarded to one target and not answered yet. */
export interface InFlight {
  n: number;
}

/** Round-robin positions per target group; survive state rebuilds. */
const cursors = new Map<string, number>();

export function pickTarget(group: ResolvedGroup, health: HealthOf, stickyKey?: string): ResolvedTarget | undefined {
  const ts = group.targets;
  const n = ts.length;
  if (n === 0) return undefined;
  if (stickyKey !== undefined) {
    for (const t of ts) if (t.key === stickyKey && !t.draining && health(t.key) === 'healthy') return t;
  }
  const start = cursors.get(group.arn) ?? 0;
  let fallback: ResolvedTarget | undefined;
  let fallbackAt = 0;
  for (let i = 0; i < n; i++) {
    const at = (start + i) % n;
    const t = ts[at];
    if (t.draining) continue;
    if (health(t.key) === 'healthy') {
      cursors.set(group.arn, at + 1);
      return t;
    }
    if (!fallback) {
      fallback = t;
      fallbackAt = at;
    }
  }
  if (fallback) cursors.set(group.arn, fallbackAt + 1);
  return fallback;
}

/** Whether the group has a registered target that is not draining (else ALB answers 503). */
export function hasTargets(group: ResolvedGroup): boolean {
  for (const t of group.targets) if (!t.draining) return true;
  return false;
}

/** Weighted choice of a target group; `random` in [0, 1). Groups of weight 0 are never chosen. */
export function pickGroup(groups: { arn: string; weight: number }[], totalWeight: number, random: number, sticky?: string): string | undefined {
  if (groups.length === 1) return groups[0].arn;
  if (sticky !== undefined) for (const g of groups) if (g.arn === sticky && g.weight > 0) return g.arn;
  if (totalWeight <= 0) return undefined;
  let x = random * totalWeight;
  for (const g of groups) {
    if (x < g.weight) return g.arn;
    x -= g.weight;
  }
  return groups[groups.length - 1].arn;
}

/** Reads one cookie from a Cookie header without parsing the rest. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  let at = header.indexOf(`${name}=`);
  while (at >= 0) {
    if (at === 0 || header[at - 1] === ' ' || header[at - 1] === ';') {
      const start = at + name.length + 1;
      const end = header.indexOf(';', start);
      return header.slice(start, end < 0 ? undefined : end).trim();
    }
    at = header.indexOf(`${name}=`, at + 1);
  }
  return undefined;
}

export function encodeSticky(key: string): string {
  return Buffer.from(key).toString('base64url');
}

export function decodeSticky(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return Buffer.from(value, 'base64url').toString();
  } catch {
    return undefined;
  }
}

/** The pair of cookies ALB sets for a stickiness kind (AWSALB/AWSALBCORS, AWSALBTG/AWSALBTGCORS). */
export function stickyCookies(name: 'AWSALB' | 'AWSALBTG', key: string, durationMs: number): string[] {
  const v = encodeSticky(key);
  const expires = new Date(Date.now() + durationMs).toUTCString();
  return [`${name}=${v}; Expires=${expires}; Path=/`, `${name}CORS=${v}; Expires=${expires}; Path=/; SameSite=None; Secure`];
}
