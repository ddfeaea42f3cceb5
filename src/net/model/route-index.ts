// Longest-prefix match over one route table, compiled once per snapshot:
// the IPv4 routes are bucketed by prefix length (a hash map per length), so
// a lookup probes at most 33 buckets, longest first, instead of parsing and
// scanning every route. Same answers as routing.ts's lookupRoute (tested
// side by side); tables holding prefix-list or IPv6 routes, and IPv6
// destinations, fall back to lookupRoute.
import { ipToInt, isIpv4, maskOf, parseCidr4 } from '../cidr.ts';
import { lookupRoute, type PrefixLists, type RouteLike } from '../routing.ts';

/** Lower wins on a prefix tie (static, prefix list, propagated), as in routing.ts. */
function tieRank(r: RouteLike): number {
  if (r.Origin === 'EnableVgwRoutePropagation') return 2;
  if (r.DestinationPrefixListId !== undefined) return 1;
  return 0;
}

export class RouteIndex<R extends RouteLike> {
  /** Prefix lengths present, longest first. */
  private readonly lengths: number[];
  private readonly buckets = new Map<number, Map<number, R>>();
  private readonly fallback: boolean;

  /** `lists`: the CIDRs of the prefix lists that routes name (gateway endpoints); a list it lacks matches nothing. */
  constructor(readonly routes: readonly R[], private readonly lists: PrefixLists = {}) {
    this.fallback = routes.some((r) => r.DestinationPrefixListId !== undefined);
    const ranks = new Map<R, number>();
    for (const r of routes) {
      if (r.DestinationCidrBlock === undefined) continue;
      const c = parseCidr4(r.DestinationCidrBlock);
      if (!c) continue;
      let bucket = this.buckets.get(c.prefix);
      if (!bucket) this.buckets.set(c.prefix, (bucket = new Map()));
      const held = bucket.get(c.base);
      const rank = tieRank(r);
      if (!held || rank < (ranks.get(held) ?? 0)) {
        bucket.set(c.base, r);
        ranks.set(r, rank);
      }
    }
    this.lengths = [...this.buckets.keys()].sort((a, b) => b - a);
  }

  /** The route carrying traffic to `ip` (blackhole routes included: the caller checks State), or undefined. */
  lookup(ip: string): R | undefined {
    if (this.fallback || !isIpv4(ip)) return lookupRoute(this.routes, ip, this.lists);
    const n = ipToInt(ip);
    for (const len of this.lengths) {
      const hit = this.buckets.get(len)!.get((n & maskOf(len)) >>> 0);
      if (hit) return hit;
    }
    return undefined;
  }
}
