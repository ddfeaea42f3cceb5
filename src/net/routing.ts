// Route selection in a VPC route table, as the VPC router does it: the
// longest matching prefix wins, IPv4 and IPv6 are looked up independently,
// and on a prefix tie static routes beat prefix-list routes, which beat
// propagated ones (AWS-BEHAVIOUR §2). Pure: the caller passes the routes and,
// when the table holds prefix-list routes, the CIDRs of those lists.
import { containsCidr4, containsCidr6, ipToInt, isIpv4, parseCidr4, parseCidr6, parseIpv6 } from './cidr.ts';

/** The members of a route that selection looks at (the EC2 Route shape). */
export interface RouteLike {
  DestinationCidrBlock?: string;
  DestinationIpv6CidrBlock?: string;
  DestinationPrefixListId?: string;
  Origin?: string;
}

/** Prefix list id -> the CIDRs it holds (managed prefix lists). */
export type PrefixLists = Record<string, string[]>;

/** Lower wins on a prefix tie: static, then prefix lists, then propagated (VGW) routes. */
function tieRank(route: RouteLike): number {
  if (route.Origin === 'EnableVgwRoutePropagation') return 2;
  if (route.DestinationPrefixListId !== undefined) return 1;
  return 0;
}

/** The prefix length with which `route` covers the address, or -1 when it does not. */
function matchLength(route: RouteLike, ip: string, v6: boolean, lists: PrefixLists): number {
  const cidrs = route.DestinationPrefixListId !== undefined
    ? (lists[route.DestinationPrefixListId] ?? [])
    : [v6 ? route.DestinationIpv6CidrBlock : route.DestinationCidrBlock].filter((c): c is string => c !== undefined);
  let best = -1;
  for (const c of cidrs) {
    if (v6) {
      const net = parseCidr6(c);
      const addr = parseIpv6(ip);
      if (net && addr !== undefined && containsCidr6(net, { base: addr, prefix: 128 })) best = Math.max(best, net.prefix);
    } else {
      const net = parseCidr4(c);
      if (net && containsCidr4(net, { base: ipToInt(ip), prefix: 32 })) best = Math.max(best, net.prefix);
    }
  }
  return best;
}

/**
 * The route that carries traffic to `destinationIp`, or undefined when no
 * route covers it (the packet is dropped). A blackhole route is still
 * selected: traffic that matches it is dropped, it does not fall through to
 * a shorter prefix. The caller checks the route's State.
 */
export function lookupRoute<R extends RouteLike>(routes: readonly R[], destinationIp: string, prefixLists: PrefixLists = {}): R | undefined {
  const v6 = !isIpv4(destinationIp);
  if (v6 && parseIpv6(destinationIp) === undefined) return undefined;
  let best: R | undefined;
  let bestLen = -1;
  let bestRank = Infinity;
  for (const r of routes) {
    const len = matchLength(r, destinationIp, v6, prefixLists);
    if (len < 0) continue;
    const rank = tieRank(r);
    if (len > bestLen || (len === bestLen && rank < bestRank)) {
      best = r;
      bestLen = len;
      bestRank = rank;
    }
  }
  return best;
}

/** The association members routeTableForSubnet reads (the EC2 RouteTableAssociation shape). */
export interface TableLike {
  VpcId: string;
  Associations: { Main?: boolean; SubnetId?: string }[];
}

/**
 * The table that governs a subnet: the one explicitly associated with it,
 * else its VPC's main table (a subnet always has exactly one).
 */
export function routeTableForSubnet<T extends TableLike>(tables: readonly T[], subnetId: string, vpcId: string): T | undefined {
  return tables.find((t) => t.Associations.some((a) => a.SubnetId === subnetId))
    ?? tables.find((t) => t.VpcId === vpcId && t.Associations.some((a) => a.Main === true));
}
