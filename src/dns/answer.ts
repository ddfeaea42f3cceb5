// A DNS query in, a DNS response out, for one view: header flags, EDNS, the
// question checks (FORMERR/NOTIMP/REFUSED) and the view's resolution. Pure:
// no sockets and no size limits (the server truncates for UDP).
import dnsPacket, { type Answer, type Packet } from 'dns-packet';
import { isWireSafeName } from './names.ts';
import type { SnapshotIndex } from './snapshot-index.ts';
import { resolveInView, type ResolveOptions } from './view-chain.ts';

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
/** BADVERS is 16: 0 in the header, 1 in the OPT record's extended rcode. */
const BADVERS_EXTENDED = 1;
/** The UDP payload size we advertise (DNS flag day 2020). */
export const ADVERTISED_UDP_SIZE = 1232;
/** Without EDNS a UDP answer is at most 512 bytes (RFC 1035). */
export const DEFAULT_UDP_SIZE = 512;

const OPCODE_MASK = 0x7800;
const RD = dnsPacket.RECURSION_DESIRED;
const CD = dnsPacket.CHECKING_DISABLED;

type OptRecord = Answer & { udpPayloadSize?: number; ednsVersion?: number; flags?: number };

export interface Built {
  packet: Packet;
  /** Whether every answer to the same question bytes would be identical (no weighted choice). */
  cacheable: boolean;
}

/** The header-only response for a packet we could not parse past its header. */
export function headerOnlyResponse(id: number, queryFlags: number, rcode: number): Packet {
  return { id, type: 'response', flags: (queryFlags & (OPCODE_MASK | RD | CD)) | rcode, questions: [], answers: [], authorities: [], additionals: [] };
}

export function buildResponse(index: SnapshotIndex, view: string, query: Packet, opts: ResolveOptions = {}): Built {
  const qflags = query.flags ?? 0;
  const id = query.id ?? 0;
  const questions = query.questions ?? [];
  const opts_ = (query.additionals ?? []).filter((a) => a.type === 'OPT') as OptRecord[];
  let flags = qflags & (OPCODE_MASK | RD | CD);
  // A VPC view is a resolver (it follows names for its clients); the public view is authoritative only.
  if (view !== 'public') flags |= dnsPacket.RECURSION_AVAILABLE;
  const reply = (rcode: number, rest: Partial<Packet> = {}, extendedRcode = 0): Built => ({
    packet: {
      id, type: 'response', flags: flags | rcode, questions, answers: [], authorities: [],
      additionals: opts_.length === 1 ? [{ name: '.', type: 'OPT', udpPayloadSize: ADVERTISED_UDP_SIZE, extendedRcode, ednsVersion: 0, flags: 0, options: [] } as unknown as Answer] : [],
      ...rest,
    },
    cacheable: true,
  });

  if ((qflags & OPCODE_MASK) !== 0) return reply(RCODE.NOTIMP);
  if (query.type === 'response') return reply(RCODE.FORMERR);
  if (questions.length !== 1 || opts_.length > 1) return reply(RCODE.FORMERR, { additionals: [] });
  if (opts_.length === 1 && (opts_[0].ednsVersion ?? 0) > 0) return reply(0, {}, BADVERS_EXTENDED);
  const q = questions[0];
  if (!isWireSafeName(q.name)) return reply(RCODE.FORMERR, { questions: [] });
  // Route 53 serves class IN only, and does not do zone transfers.
  if ((q.class ?? 'IN') !== 'IN' || q.type === 'AXFR' || q.type === 'IXFR') return reply(RCODE.REFUSED);
  if (q.type === 'OPT') return reply(RCODE.FORMERR);

  const res = resolveInView(index, view, q.name, q.type, opts);
  if (res.authoritative) flags |= dnsPacket.AUTHORITATIVE_ANSWER;
  const built = reply(RCODE[res.rcode], { answers: res.answers, authorities: res.authorities });
  built.cacheable = res.cacheable;
  return built;
}

/** The response to `query` in `view` ('public' or a VPC id). Pure; for tests and `localnet dig`. */
export function answer(index: SnapshotIndex, view: string, query: Packet, opts: ResolveOptions = {}): Packet {
  return buildResponse(index, view, query, opts).packet;
}

/**
 * The largest UDP response to send: the client's EDNS payload size (at least
 * 512), and never more than the size we advertise (DNS Flag Day 2020),
 * whatever the client claims: a spoofed 40-byte query claiming EDNS 65535
 * would otherwise buy a 30 KB answer sent to its victim.
 */
export function udpLimit(query: Packet): number {
  const opt = (query.additionals ?? []).find((a) => a.type === 'OPT') as OptRecord | undefined;
  if (!opt) return DEFAULT_UDP_SIZE;
  return Math.min(ADVERTISED_UDP_SIZE, Math.max(DEFAULT_UDP_SIZE, opt.udpPayloadSize ?? DEFAULT_UDP_SIZE));
}
