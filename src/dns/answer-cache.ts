// Encoded answers of one view, keyed by the query's bytes after the id (flags,
// counts, question and EDNS OPT: so qname with its case, qtype, qclass, EDNS
// size and the DO bit are all part of the key). A hit costs one string, one
// Map lookup and one send of [id, cached tail]: no decode, no encode.
// Dropped wholesale on every state change and when it grows past its bound.

/** Queries longer than this (unusual options) are answered without caching. */
const MAX_KEY_BYTES = 300;
const MAX_ENTRIES = 20_000;

export class AnswerCache {
  private map = new Map<string, Buffer>();

  key(msg: Buffer): string | undefined {
    return msg.length <= MAX_KEY_BYTES ? msg.toString('latin1', 2) : undefined;
  }

  get(key: string): Buffer | undefined {
    return this.map.get(key);
  }

  /** Stores the response without its 2-byte id. */
  set(key: string, wire: Buffer): void {
    if (this.map.size >= MAX_ENTRIES) this.map.clear();
    this.map.set(key, wire.subarray(2));
  }

  clear(): void {
    this.map = new Map();
  }

  get size(): number {
    return this.map.size;
  }
}
