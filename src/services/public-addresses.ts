// Where public IPv4 addresses come from. By default every public address
// localnet hands out (Elastic IPs, auto-assigned public IPs of instances,
// interfaces and internet-facing load balancer nodes, and so NAT gateways'
// addresses) is a loopback address of one block, 127.78.0.0/16, so the host
// can connect to it: the public address data plane (src/public-addresses/)
// binds it. LOCALNET_PUBLIC_ADDRESSES moves the block (another /16 of
// 127/8: parallel localnets on one machine), or, set to `aws`, brings back
// AWS-looking addresses from the documentation ranges (RFC 5737: Elastic IPs
// from 203.0.113.0/24 and 198.51.100.0/24, auto-assigned ones from
// 192.0.2.0/24), which nothing binds: API output only.
import { intToIp, ipToInt } from '../net/cidr.ts';

export const DEFAULT_PUBLIC_ADDRESSES = '127.78.0.0/16';

export type PublicAddressMode =
  /** One /16 of 127/8: Elastic and auto-assigned addresses share it; the data plane binds them. */
  | { kind: 'loopback'; base: number; text: string }
  /** AWS-looking documentation addresses; no data plane. */
  | { kind: 'aws'; text: 'aws' };

/** Parses a LOCALNET_PUBLIC_ADDRESSES value (unset: the default block); throws on anything else. */
export function parsePublicAddresses(value: string | undefined): PublicAddressMode {
  const text = value === undefined || value === '' ? DEFAULT_PUBLIC_ADDRESSES : value.trim();
  if (text === 'aws') return { kind: 'aws', text };
  const m = /^127\.(\d{1,3})\.0\.0\/16$/.exec(text);
  if (!m || Number(m[1]) > 255) throw new Error(`LOCALNET_PUBLIC_ADDRESSES must be a /16 of 127.0.0.0/8 such as ${DEFAULT_PUBLIC_ADDRESSES}, or 'aws', got '${text}'`);
  return { kind: 'loopback', base: ipToInt(`127.${m[1]}.0.0`), text };
}

/**
 * The mode of this process. Read from the environment at each allocation
 * (as LOCALNET_LB_ADDRESSES is), so the API and the data plane, which reads
 * the same variable through config.ts, always agree.
 */
export function publicAddressMode(env: NodeJS.ProcessEnv = process.env): PublicAddressMode {
  return parsePublicAddresses(env.LOCALNET_PUBLIC_ADDRESSES);
}

/** TEST-NET-3 and TEST-NET-2 for Elastic IPs, TEST-NET-1 for auto-assigned ones (`aws` mode). */
const AWS_ELASTIC_POOLS = ['203.0.113.0', '198.51.100.0'];
const AWS_AUTO_POOLS = ['192.0.2.0'];

/** Every address a pool may hand out, in order. Host addresses only: no x.y.z.0 and no x.y.z.255. */
function* candidates(mode: PublicAddressMode, kind: 'elastic' | 'auto'): Generator<string> {
  if (mode.kind === 'loopback') {
    for (let n = mode.base; n < mode.base + 65536; n++) {
      const last = n & 0xff;
      if (last !== 0 && last !== 255) yield intToIp(n);
    }
    return;
  }
  for (const pool of kind === 'elastic' ? AWS_ELASTIC_POOLS : AWS_AUTO_POOLS) {
    const base = ipToInt(pool);
    for (let host = 1; host < 255; host++) yield intToIp(base + host);
  }
}

/** The first address of the pool not in `used`, or undefined when the pool is full. */
export function nextPublicIp(used: ReadonlySet<string>, kind: 'elastic' | 'auto', mode: PublicAddressMode = publicAddressMode()): string | undefined {
  for (const ip of candidates(mode, kind)) if (!used.has(ip)) return ip;
  return undefined;
}

/** Whether `ip` is an address the Elastic IP pool could hand out (AllocateAddress with Address, recovering one). */
export function inElasticPool(ip: string, mode: PublicAddressMode = publicAddressMode()): boolean {
  if (!/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip)) return false;
  const n = ipToInt(ip);
  const last = n & 0xff;
  if (last === 0 || last === 255) return false;
  if (mode.kind === 'loopback') return (n & 0xffff0000) >>> 0 === mode.base;
  return AWS_ELASTIC_POOLS.some((p) => (n & 0xffffff00) >>> 0 === ipToInt(p));
}

/** The pool in words, for error messages. */
export function poolText(kind: 'elastic' | 'auto', mode: PublicAddressMode = publicAddressMode()): string {
  if (mode.kind === 'loopback') return mode.text;
  return (kind === 'elastic' ? AWS_ELASTIC_POOLS : AWS_AUTO_POOLS).map((p) => `${p}/24`).join(' and ');
}
