// CIDR arithmetic for IPv4 (numbers) and IPv6 (bigints). Pure functions.

export interface Cidr4 {
  /** Network address as an unsigned 32-bit number (host bits cleared). */
  base: number;
  prefix: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(s: string): boolean {
  return IPV4.test(s);
}

export function ipToInt(ip: string): number {
  const p = ip.split('.');
  return ((+p[0] << 24) >>> 0) + (+p[1] << 16) + (+p[2] << 8) + +p[3];
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses "a.b.c.d/n", clearing host bits as the EC2 API does; undefined when malformed. */
export function parseCidr4(s: string): Cidr4 | undefined {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(s.trim());
  if (!m || !isIpv4(m[1])) return undefined;
  const prefix = Number(m[2]);
  if (prefix > 32) return undefined;
  return { base: (ipToInt(m[1]) & maskOf(prefix)) >>> 0, prefix };
}

export function formatCidr4(c: Cidr4): string {
  return `${intToIp(c.base)}/${c.prefix}`;
}

export function size4(c: Cidr4): number {
  return 2 ** (32 - c.prefix);
}

export function last4(c: Cidr4): number {
  return c.base + size4(c) - 1;
}

export function containsIp4(c: Cidr4, ip: number): boolean {
  return ((ip & maskOf(c.prefix)) >>> 0) === c.base;
}

/** True when inner lies entirely within outer (equal counts). */
export function containsCidr4(outer: Cidr4, inner: Cidr4): boolean {
  return inner.prefix >= outer.prefix && containsIp4(outer, inner.base);
}

export function overlaps4(a: Cidr4, b: Cidr4): boolean {
  return containsCidr4(a, b) || containsCidr4(b, a);
}

// ---- IPv6 ----

export interface Cidr6 {
  base: bigint;
  prefix: number;
}

export function parseIpv6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(s) || s.split('::').length > 2) return undefined;
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? h.length !== 8 : missing < 1) return undefined;
  const groups = [...h, ...Array(tail === undefined ? 0 : missing).fill('0'), ...t];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

export function formatIpv6(n: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((n >> BigInt(i * 16)) & 0xffffn).toString(16));
  // Compress the longest run of zero groups (RFC 5952).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

export function parseCidr6(s: string): Cidr6 | undefined {
  const m = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(s.trim());
  if (!m) return undefined;
  const ip = parseIpv6(m[1]);
  const prefix = Number(m[2]);
  if (ip === undefined || prefix > 128) return undefined;
  const mask = prefix === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - prefix)) - 1n);
  return { base: ip & mask, prefix };
}

export function formatCidr6(c: Cidr6): string {
  return `${formatIpv6(c.base)}/${c.prefix}`;
}

export function containsCidr6(outer: Cidr6, inner: Cidr6): boolean {
  if (inner.prefix < outer.prefix) return false;
  const shift = BigInt(128 - outer.prefix);
  return inner.base >> shift === outer.base >> shift;
}

export function overlaps6(a: Cidr6, b: Cidr6): boolean {
  return containsCidr6(a, b) || containsCidr6(b, a);
}

/** Overlap test for CIDR strings of either family (different families never overlap). */
export function cidrsOverlap(a: string, b: string): boolean {
  const a4 = parseCidr4(a);
  const b4 = parseCidr4(b);
  if (a4 && b4) return overlaps4(a4, b4);
  const a6 = parseCidr6(a);
  const b6 = parseCidr6(b);
  return !!a6 && !!b6 && overlaps6(a6, b6);
}
