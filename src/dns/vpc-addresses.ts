// Where each VPC's resolver listens on this machine. AWS puts it at VPC+2
// inside the VPC; here every VPC view gets its own loopback address in
// 127.53.0.0/16 (Linux routes all of 127/8 to lo, so no setup is needed),
// derived from the VPC id so it is the same after a restart and a user can
// keep `dig @127.53.x.y` in a script.

const BASE = '127.53';
/** Usable host slots: 127.53.0.1 .. 127.53.255.254. */
const SLOTS = 65534;

/** FNV-1a, 32 bit: small, stable across Node versions, spreads similar ids well. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function slotAddress(slot: number): string {
  const n = slot + 1;
  return `${BASE}.${n >>> 8}.${n & 255}`;
}

/** The address a VPC id hashes to before any collision. */
export function preferredVpcAddress(vpcId: string): string {
  return slotAddress(fnv1a(vpcId) % SLOTS);
}

/**
 * Addresses for all VPCs. Addresses already handed out (`previous`) are kept
 * while their VPC exists, so a new VPC never moves a running one; the rest
 * are placed in sorted id order, probing the next slot on a collision. With
 * no previous state (a restart) the result depends only on the set of ids.
 */
export function assignVpcAddresses(vpcIds: Iterable<string>, previous: ReadonlyMap<string, string> = new Map()): Map<string, string> {
  const ids = [...new Set(vpcIds)].sort();
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const id of ids) {
    const addr = previous.get(id);
    if (addr && !taken.has(addr)) { out.set(id, addr); taken.add(addr); }
  }
  for (const id of ids) {
    if (out.has(id)) continue;
    let slot = fnv1a(id) % SLOTS;
    for (let probes = 0; taken.has(slotAddress(slot)) && probes < SLOTS; probes++) slot = (slot + 1) % SLOTS;
    const addr = slotAddress(slot);
    out.set(id, addr);
    taken.add(addr);
  }
  return out;
}
