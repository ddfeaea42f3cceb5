// Bytes in, bytes out: decode with dns-packet, answer, encode, truncate for
// UDP. Never throws: a packet without a header gets no answer (null), one
// that does not decode gets FORMERR, an internal error gets SERVFAIL.
import dnsPacket, { type Packet } from 'dns-packet';
import { buildResponse, headerOnlyResponse, RCODE, udpLimit } from './answer.ts';
import type { SnapshotIndex } from './snapshot-index.ts';

export interface Encoded {
  wire: Buffer;
  cacheable: boolean;
}

const OPCODE_MASK = 0x7800;

/** Over UDP a response larger than the client accepts becomes the header, question and OPT with TC set; the client retries over TCP. */
function truncate(p: Packet): Packet {
  return { ...p, flags: (p.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE, answers: [], authorities: [], additionals: (p.additionals ?? []).filter((a) => a.type === 'OPT') };
}

export function respond(index: SnapshotIndex, view: string, msg: Buffer, transport: 'udp' | 'tcp', log?: (line: string) => void): Encoded | null {
  if (msg.length < 12) return null;
  const id = msg.readUInt16BE(0);
  const flags = msg.readUInt16BE(2);
  if (flags & 0x8000) return null; // a response: answering it could start a loop
  if ((flags & OPCODE_MASK) !== 0) return { wire: dnsPacket.encode(headerOnlyResponse(id, flags, RCODE.NOTIMP)), cacheable: true };
  let query: Packet;
  try {
    query = dnsPacket.decode(msg);
  } catch {
    return { wire: dnsPacket.encode(headerOnlyResponse(id, flags, RCODE.FORMERR)), cacheable: true };
  }
  try {
    const built = buildResponse(index, view, query);
    let wire = dnsPacket.encode(built.packet);
    if (transport === 'udp' && wire.length > udpLimit(query)) wire = dnsPacket.encode(truncate(built.packet));
    else if (wire.length > 65535) wire = dnsPacket.encode(truncate(built.packet));
    return { wire, cacheable: built.cacheable };
  } catch (e) {
    log?.(`dns: SERVFAIL for a query in view ${view}: ${(e as Error).message}`);
    return { wire: dnsPacket.encode(headerOnlyResponse(id, flags, RCODE.SERVFAIL)), cacheable: false };
  }
}
