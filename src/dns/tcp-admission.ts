// Which TCP connection makes room for a new one. Every new connection is
// taken: when the view already holds MAX_CONNECTIONS, or the new client's
// address already holds MAX_PER_ADDRESS, the connection (of that address, or
// of any) that has gone longest without a complete query is closed instead.
//
// Why evict rather than refuse: a refusal hits whoever comes next, usually a
// working client, while the slots stay with the clients that hold them. A
// working client sends its query as soon as it connects and is answered at
// once, so it is never the one longest without a query; a client that
// dribbles bytes or sits idle is. On loopback every client is 127.0.0.1, so
// the per-address limit is in effect the limit for local tools; what it adds
// is that one address can never take every slot from clients on other
// loopback addresses.
export const MAX_CONNECTIONS = 256;
export const MAX_PER_ADDRESS = 64;

export interface Admitted {
  readonly address: string;
  /** When its last complete query arrived (or it opened). */
  readonly lastQueryAt: number;
}

/** The connection to close so that one from `address` fits, or undefined when there is room. Oldest first among equals. */
export function connectionToEvict<C extends Admitted>(conns: Iterable<C>, address: string): C | undefined {
  let total = 0;
  let sameAddress = 0;
  let stalest: C | undefined;
  let stalestOfAddress: C | undefined;
  for (const c of conns) {
    total++;
    if (!stalest || c.lastQueryAt < stalest.lastQueryAt) stalest = c;
    if (c.address !== address) continue;
    sameAddress++;
    if (!stalestOfAddress || c.lastQueryAt < stalestOfAddress.lastQueryAt) stalestOfAddress = c;
  }
  if (sameAddress >= MAX_PER_ADDRESS) return stalestOfAddress;
  if (total >= MAX_CONNECTIONS) return stalest;
  return undefined;
}
