// PROXY protocol version 2 headers, as an NLB writes them before the stream
// when a target group has proxy_protocol_v2.enabled: the binary form of
// haproxy's proxy-protocol.txt (signature, version/command, family and
// transport, addresses, then TLVs). AWS adds a TLV of type 0xEA whose first
// byte 0x01 says the rest is the VPC endpoint id, for PrivateLink traffic.
import { isIPv4, isIPv6 } from 'node:net';

const SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const VERSION_2_PROXY = 0x21;
/** The AWS TLV type and its subtype for the VPC endpoint id. */
export const PP2_TYPE_AWS = 0xea;
export const PP2_SUBTYPE_AWS_VPCE_ID = 0x01;

export interface ProxyHeaderInput {
  transport: 'tcp' | 'udp';
  source: { address: string; port: number };
  destination: { address: string; port: number };
  /** PrivateLink traffic: the VPC endpoint the connection came through. */
  vpcEndpointId?: string;
}

function ipv4Bytes(a: string): number[] {
  return a.split('.').map(Number);
}

function ipv6Bytes(a: string): number[] {
  // Expand '::' and an embedded IPv4 tail, then two bytes per group.
  let text = a;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = ipv4Bytes(v4[1]);
    text = `${text.slice(0, -v4[1].length)}${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => { const n = parseInt(g || '0', 16); return [n >> 8, n & 0xff]; });
}

/** '::ffff:127.0.0.1' (a dual-stack socket's view of an IPv4 peer) as '127.0.0.1'. */
export function plainAddress(a: string | undefined): string {
  if (!a) return '0.0.0.0';
  return a.startsWith('::ffff:') && isIPv4(a.slice(7)) ? a.slice(7) : a;
}

export function proxyV2Header(h: ProxyHeaderInput): Buffer {
  const src = plainAddress(h.source.address);
  const dst = plainAddress(h.destination.address);
  const v4 = isIPv4(src) && isIPv4(dst);
  const v6 = !v4 && (isIPv6(src) || isIPv4(src)) && (isIPv6(dst) || isIPv4(dst));
  const tlvs: Buffer[] = [];
  if (h.vpcEndpointId) {
    const value = Buffer.concat([Buffer.from([PP2_SUBTYPE_AWS_VPCE_ID]), Buffer.from(h.vpcEndpointId, 'ascii')]);
    const tl = Buffer.alloc(3);
    tl[0] = PP2_TYPE_AWS;
    tl.writeUInt16BE(value.length, 1);
    tlvs.push(tl, value);
  }
  const tlvBytes = Buffer.concat(tlvs);
  let family: number;
  let addresses: Buffer;
  if (v4 || v6) {
    const bytes = v4 ? [...ipv4Bytes(src), ...ipv4Bytes(dst)] : [...ipv6Bytes(isIPv4(src) ? `::ffff:${src}` : src), ...ipv6Bytes(isIPv4(dst) ? `::ffff:${dst}` : dst)];
    addresses = Buffer.alloc(bytes.length + 4);
    Buffer.from(bytes).copy(addresses);
    addresses.writeUInt16BE(h.source.port, bytes.length);
    addresses.writeUInt16BE(h.destination.port, bytes.length + 2);
    family = (v4 ? 0x10 : 0x20) | (h.transport === 'tcp' ? 0x01 : 0x02);
  } else {
    // Unknown addresses: AF_UNSPEC, the receiver uses the connection's own.
    addresses = Buffer.alloc(0);
    family = 0x00;
  }
  const head = Buffer.alloc(16);
  SIGNATURE.copy(head);
  head[12] = VERSION_2_PROXY;
  head[13] = family;
  head.writeUInt16BE(addresses.length + tlvBytes.length, 14);
  return Buffer.concat([head, addresses, tlvBytes]);
}
