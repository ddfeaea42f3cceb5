// Network ACL evaluation: stateless, numbered rules per direction, lowest
// number first, first match wins (allow or deny), ending in the '*' rules
// (32767 for IPv4, 32768 for IPv6) that deny the rest. Because nothing is
// remembered, the replies of a connection are judged again on their own
// ports: the client's ephemeral range. Pure functions over the entries as
// DescribeNetworkAcls reports them.
import { isIpv4 } from './cidr.ts';
import { cidrContains, hasPorts, isIcmp, protocolNumber } from './security-groups.ts';

/** One network ACL entry, in DescribeNetworkAcls' shape (Protocol is a number string, -1 = all). */
export interface AclEntryView {
  RuleNumber?: number;
  Protocol?: string;
  RuleAction?: string;
  Egress?: boolean;
  CidrBlock?: string;
  Ipv6CidrBlock?: string;
  IcmpTypeCode?: { Type?: number; Code?: number };
  PortRange?: { From?: number; To?: number };
}

export interface AclPacket {
  /** ingress: entering the subnet; egress: leaving it. */
  direction: 'ingress' | 'egress';
  protocol: string | number;
  /** Destination port of the packet (TCP/UDP). */
  port?: number;
  icmp?: { type: number; code: number };
  /** The address outside the subnet: the source of an ingress packet, the destination of an egress one. */
  remoteIp: string;
}

export interface AclDecision {
  action: 'allow' | 'deny';
  /** The entry that decided; undefined only when the entries lack their '*' rule. */
  entry?: AclEntryView;
}

/** The '*' rules' API numbers. */
export const CATCH_ALL_IPV4 = 32767;
export const CATCH_ALL_IPV6 = 32768;

function entryMatches(e: AclEntryView, proto: number, p: AclPacket): boolean {
  if (!!e.Egress !== (p.direction === 'egress')) return false;
  const v4 = isIpv4(p.remoteIp);
  if (v4 ? e.CidrBlock === undefined || !cidrContains(e.CidrBlock, p.remoteIp) : e.Ipv6CidrBlock === undefined || !cidrContains(e.Ipv6CidrBlock, p.remoteIp)) return false;
  const rp = protocolNumber(e.Protocol ?? '-1');
  if (rp === -1) return true;
  if (rp !== proto) return false;
  if (hasPorts(proto)) {
    if (p.port === undefined) return false;
    return p.port >= (e.PortRange?.From ?? 0) && p.port <= (e.PortRange?.To ?? 65535);
  }
  if (isIcmp(proto)) {
    const type = e.IcmpTypeCode?.Type ?? -1;
    const code = e.IcmpTypeCode?.Code ?? -1;
    if (type === -1) return true;
    if (!p.icmp || p.icmp.type !== type) return false;
    return code === -1 || p.icmp.code === code;
  }
  return true;
}

/** The entry that decides a packet: the lowest-numbered match of its direction and address family. */
export function evaluateNetworkAcl(entries: AclEntryView[], packet: AclPacket): AclDecision {
  const proto = protocolNumber(packet.protocol);
  if (proto === undefined || proto === -1) return { action: 'deny' };
  const ordered = [...entries].sort((a, b) => (a.RuleNumber ?? 0) - (b.RuleNumber ?? 0));
  const entry = ordered.find((e) => entryMatches(e, proto, packet));
  if (!entry) return { action: 'deny' };
  return { action: entry.RuleAction === 'allow' ? 'allow' : 'deny', entry };
}

export interface PortRange {
  from: number;
  to: number;
}

/**
 * Ephemeral (client) port ranges that replies are addressed to. AWS's NACL
 * guide quotes 32768-61000 for Linux; the kernel's default
 * (net.ipv4.ip_local_port_range) ends at 60999, which is what clients use.
 */
export const EPHEMERAL_PORTS = {
  linux: { from: 32768, to: 60999 },
  windows: { from: 49152, to: 65535 },
  /** Elastic Load Balancing, NAT gateways and Lambda. */
  elb: { from: 1024, to: 65535 },
  natGateway: { from: 1024, to: 65535 },
} as const satisfies Record<string, PortRange>;

export type EphemeralClient = keyof typeof EPHEMERAL_PORTS;

export function ephemeralPorts(client: EphemeralClient): PortRange {
  return EPHEMERAL_PORTS[client];
}

/**
 * Judges every port of a range (replies to ephemeral ports, say) and reports
 * the first port the ACL denies. Entries cut the range into spans that are
 * decided alike, so only each span's first port is evaluated.
 */
export function evaluatePortRange(
  entries: AclEntryView[],
  packet: Omit<AclPacket, 'port' | 'icmp'>,
  range: PortRange,
): { allowed: true; entries: AclEntryView[] } | { allowed: false; port: number; entry?: AclEntryView } {
  const cuts = new Set<number>([range.from]);
  for (const e of entries) {
    for (const p of [e.PortRange?.From, e.PortRange?.To === undefined ? undefined : e.PortRange.To + 1]) {
      if (p !== undefined && p > range.from && p <= range.to) cuts.add(p);
    }
  }
  const used: AclEntryView[] = [];
  for (const port of [...cuts].sort((a, b) => a - b)) {
    const d = evaluateNetworkAcl(entries, { ...packet, port });
    if (d.action === 'deny') return { allowed: false, port, entry: d.entry };
    if (d.entry && !used.includes(d.entry)) used.push(d.entry);
  }
  return { allowed: true, entries: used };
}
