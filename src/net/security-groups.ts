// Security group evaluation: allow-only, stateful rules. A flow is judged
// once, in the direction that starts it (ingress for a connection arriving at
// the interface, egress for one the interface opens); the replies of an
// allowed flow pass whatever the rules of the other direction say. Pure
// functions over the rules as DescribeSecurityGroupRules reports them.
import { containsCidr6, containsIp4, ipToInt, isIpv4, parseCidr4, parseCidr6, parseIpv6 } from './cidr.ts';

// ---- protocols (shared with network ACLs) ----

/** IANA numbers of the protocols the EC2 firewall APIs also accept by name. */
export const PROTOCOL_NUMBERS: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58 };

/** The protocol number for a name or number string; -1 means all protocols; undefined when unknown. */
export function protocolNumber(p: string | number): number | undefined {
  const s = String(p).trim().toLowerCase();
  if (s === '-1') return -1;
  if (s in PROTOCOL_NUMBERS) return PROTOCOL_NUMBERS[s];
  if (!/^\d{1,3}$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 255 ? n : undefined;
}

/** TCP and UDP carry ports; rules for them name a port range. */
export function hasPorts(n: number): boolean {
  return n === 6 || n === 17;
}

/** ICMP and ICMPv6 carry a type and a code; rules for them name both (-1 = any). */
export function isIcmp(n: number): boolean {
  return n === 1 || n === 58;
}

/** Whether ip (IPv4 or IPv6 text) lies in cidr (of the same family). */
export function cidrContains(cidr: string, ip: string): boolean {
  if (isIpv4(ip)) {
    const c = parseCidr4(cidr);
    return !!c && containsIp4(c, ipToInt(ip));
  }
  const c = parseCidr6(cidr);
  const n = parseIpv6(ip);
  return !!c && n !== undefined && containsCidr6(c, { base: n, prefix: 128 });
}

// ---- rules and flows ----

/** One security group rule, in DescribeSecurityGroupRules' shape (only what evaluation reads). */
export interface SgRuleView {
  SecurityGroupRuleId?: string;
  GroupId?: string;
  IsEgress?: boolean;
  /** tcp | udp | icmp | icmpv6 | -1 | a protocol number. */
  IpProtocol?: string;
  /** TCP/UDP: first port; ICMP: the type (-1 = any). */
  FromPort?: number;
  /** TCP/UDP: last port; ICMP: the code (-1 = any). */
  ToPort?: number;
  CidrIpv4?: string;
  CidrIpv6?: string;
  PrefixListId?: string;
  ReferencedGroupInfo?: { GroupId?: string };
}

export interface SgFlow {
  /** ingress: the peer opens a connection to this interface; egress: this interface opens one to the peer. */
  direction: 'ingress' | 'egress';
  /** Name or number (tcp, 6, udp, icmp, ...). */
  protocol: string | number;
  /** The destination port of the opening packet (TCP/UDP). */
  port?: number;
  /** ICMP type and code of the opening packet. */
  icmp?: { type: number; code: number };
  peer: {
    ip: string;
    /**
     * The security groups of the peer's interface. A rule that references a
     * group matches only traffic to or from the private addresses of
     * interfaces carrying it, so leave this out (or set viaPrivateIp false)
     * when the traffic uses the peer's public or Elastic IP.
     */
    groupIds?: string[];
    /** False when the peer is reached through its public address (default true). */
    viaPrivateIp?: boolean;
  };
  /** The CIDRs of each prefix list a rule may name. */
  prefixLists?: Record<string, string[]>;
}

export type SgDecision =
  | { allowed: true; rule: SgRuleView; groupId?: string }
  | { allowed: false; reason: string };

function protocolMatches(rule: SgRuleView, proto: number): boolean {
  const r = protocolNumber(rule.IpProtocol ?? '');
  return r === -1 || r === proto;
}

function portsMatch(rule: SgRuleView, proto: number, flow: SgFlow): boolean {
  if (protocolNumber(rule.IpProtocol ?? '') === -1) return true;
  if (hasPorts(proto)) {
    if (flow.port === undefined) return false;
    return flow.port >= (rule.FromPort ?? 0) && flow.port <= (rule.ToPort ?? 65535);
  }
  if (isIcmp(proto)) {
    const type = rule.FromPort ?? -1;
    const code = rule.ToPort ?? -1;
    if (type === -1) return true;
    if (!flow.icmp || flow.icmp.type !== type) return false;
    return code === -1 || flow.icmp.code === code;
  }
  // Other protocols have no ports: the rule covers all of the protocol's traffic.
  return true;
}

function peerMatches(rule: SgRuleView, flow: SgFlow): boolean {
  const ip = flow.peer.ip;
  const v4 = isIpv4(ip);
  if (rule.CidrIpv4 !== undefined) return v4 && cidrContains(rule.CidrIpv4, ip);
  if (rule.CidrIpv6 !== undefined) return !v4 && cidrContains(rule.CidrIpv6, ip);
  if (rule.PrefixListId !== undefined) return (flow.prefixLists?.[rule.PrefixListId] ?? []).some((c) => cidrContains(c, ip));
  const ref = rule.ReferencedGroupInfo?.GroupId;
  if (ref !== undefined) return flow.peer.viaPrivateIp !== false && (flow.peer.groupIds ?? []).includes(ref);
  return false;
}

/** Whether one rule admits the flow (direction included). */
export function ruleMatches(rule: SgRuleView, flow: SgFlow): boolean {
  const proto = protocolNumber(flow.protocol);
  if (proto === undefined || proto === -1) return false;
  if (!!rule.IsEgress !== (flow.direction === 'egress')) return false;
  return protocolMatches(rule, proto) && portsMatch(rule, proto, flow) && peerMatches(rule, flow);
}

/**
 * Judges a flow against the rules of every group attached to an interface.
 * Rules only allow, so any matching rule admits the flow; the first one (in
 * group order, then rule order) is reported.
 */
export function evaluateSecurityGroups(rules: SgRuleView[], flow: SgFlow): SgDecision {
  if (protocolNumber(flow.protocol) === undefined) return { allowed: false, reason: `unknown protocol ${flow.protocol}` };
  const rule = rules.find((r) => ruleMatches(r, flow));
  if (rule) return { allowed: true, rule, groupId: rule.GroupId };
  const dir = flow.direction === 'ingress' ? 'inbound' : 'outbound';
  return { allowed: false, reason: `no ${dir} rule of the security groups allows ${describeFlow(flow)}` };
}

function describeFlow(flow: SgFlow): string {
  const proto = protocolNumber(flow.protocol)!;
  const name = Object.keys(PROTOCOL_NUMBERS).find((k) => PROTOCOL_NUMBERS[k] === proto) ?? `protocol ${proto}`;
  const what = hasPorts(proto) ? `${name} port ${flow.port}` : isIcmp(proto) && flow.icmp ? `${name} type ${flow.icmp.type} code ${flow.icmp.code}` : name;
  return `${what} ${flow.direction === 'ingress' ? 'from' : 'to'} ${flow.peer.ip}`;
}

export interface SgEndpoint {
  ip: string;
  /** The rules of every security group on the endpoint's interface. */
  rules: SgRuleView[];
  groupIds: string[];
}

/**
 * A connection from one interface to another: the client's egress rules must
 * allow it to the server, the server's ingress rules must allow it from the
 * client. Replies need nothing more (stateful). Private addresses are assumed,
 * so group references apply; pass viaPrivateIp false for public paths.
 */
export function evaluateConnection(
  client: SgEndpoint,
  server: SgEndpoint,
  conn: { protocol: string | number; port?: number; icmp?: { type: number; code: number }; viaPrivateIp?: boolean; prefixLists?: Record<string, string[]> },
): { allowed: boolean; egress: SgDecision; ingress: SgDecision } {
  const base = { protocol: conn.protocol, port: conn.port, icmp: conn.icmp, prefixLists: conn.prefixLists };
  const egress = evaluateSecurityGroups(client.rules, { ...base, direction: 'egress', peer: { ip: server.ip, groupIds: server.groupIds, viaPrivateIp: conn.viaPrivateIp } });
  const ingress = evaluateSecurityGroups(server.rules, { ...base, direction: 'ingress', peer: { ip: client.ip, groupIds: client.groupIds, viaPrivateIp: conn.viaPrivateIp } });
  return { allowed: egress.allowed && ingress.allowed, egress, ingress };
}
