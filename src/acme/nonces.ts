// Replay nonces (RFC 8555 section 6.5): every response carries a fresh one;
// each is good for one request. Kept in memory only (a restart invalidates
// them, and clients retry a badNonce with the nonce that came with it, as
// RFC 8555 asks them to).
import { randomBytes } from 'node:crypto';

export class Nonces {
  private readonly live = new Set<string>();

  constructor(private readonly max = 20_000) {}

  issue(): string {
    const n = randomBytes(16).toString('base64url');
    this.live.add(n);
    // Oldest first: a Set iterates in insertion order.
    if (this.live.size > this.max) this.live.delete(this.live.values().next().value as string);
    return n;
  }

  /** True once per issued nonce. */
  consume(n: string): boolean {
    return this.live.delete(n);
  }
}
