// RFC 7766 framing: each DNS message on a TCP stream is preceded by its length
// in 2 bytes. The reader keeps the chunks as they came and joins them once a
// frame is whole, so a frame dribbled in a byte at a time costs one copy, not
// one copy per byte.

/** The largest frame there can be: the 2-byte length and 65,535 bytes. */
export const MAX_FRAME_BYTES = 2 + 0xffff;

export class FrameReader {
  private chunks: Buffer[] = [];
  /** Bytes received and not yet returned as a frame. */
  buffered = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** The next whole message (without its length), or undefined until more bytes come. */
  next(): Buffer | undefined {
    if (this.buffered < 2) return undefined;
    if (this.chunks[0].length < 2) this.join();
    const end = 2 + this.chunks[0].readUInt16BE(0);
    if (this.buffered < end) return undefined;
    if (this.chunks[0].length < end) this.join();
    const head = this.chunks[0];
    const msg = head.subarray(2, end);
    if (head.length > end) this.chunks[0] = head.subarray(end);
    else this.chunks.shift();
    this.buffered -= end;
    return msg;
  }

  private join(): void {
    this.chunks = [Buffer.concat(this.chunks, this.buffered)];
  }
}
