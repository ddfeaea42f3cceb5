// One NLB TCP flow once both ends exist: bytes both ways with back-pressure,
// a half-close passed on as a half-close (FIN for FIN), a reset passed on as
// a reset, and the idle timeout ending the flow with a reset on both sides
// (what an NLB does to a flow it has forgotten). Written with plain 'data'
// handlers rather than stream.pipe(): fewer listeners and less state per
// connection, which is most of what a short connection costs here. The
// target's side may read into one reused buffer (ReusedReads) instead of a
// new 64 KiB buffer per read, which is most of what a bulk transfer costs.
import type { Socket } from 'node:net';

/** A reset where the socket still has a handle, else a plain destroy (a TLS socket over a socket already gone). */
export function reset(s: Socket): void {
  if (s.destroyed) return;
  try {
    s.resetAndDestroy();
  } catch {
    s.destroy();
  }
}

const READ_SIZE = 64 * 1024;
/** Read buffers of closed flows, handed to new ones (a short connection then allocates none). */
const spare: Buffer[] = [];
const MAX_SPARE = 256;

/**
 * `onread` for a plain TCP socket to a target: Node fills one buffer and
 * hands it to the callback, which writes it to the client. The buffer is
 * swapped for a new one only when that write is still queued (it holds the
 * bytes); Node asks for the buffer before every read. When the target's
 * socket closes, the buffer (never held by a queued write) goes back to the
 * spares.
 */
export class ReusedReads {
  to?: Socket;
  private buf?: Buffer;
  readonly onread = {
    buffer: (): Buffer => (this.buf ??= spare.pop() ?? Buffer.allocUnsafe(READ_SIZE)),
    callback: (n: number, buf: Buffer): boolean => {
      const to = this.to;
      if (!to || to.destroyed) return false;
      const more = to.write(buf.subarray(0, n));
      if (to.writableLength > 0) this.buf = undefined;
      // false pauses the target until the client drains.
      return more;
    },
  };

  release(): void {
    if (this.buf && spare.length < MAX_SPARE) spare.push(this.buf);
    this.buf = undefined;
  }
}

function oneWay(from: Socket, to: Socket, reads?: ReusedReads): void {
  if (reads) {
    reads.to = to;
    from.once('close', () => reads.release());
  } else {
    from.on('data', (d: Buffer) => {
      if (!to.write(d)) from.pause();
    });
  }
  to.on('drain', () => from.resume());
  from.on('end', () => to.end());
  // An error on one side (ECONNRESET, EPIPE) resets the other; so does a close before the flow ended cleanly.
  from.on('error', () => reset(to));
  from.on('close', () => {
    if (!to.destroyed && !to.writableEnded) reset(to);
  });
}

/** `reads`: the target socket was opened with `onread: reads.onread`. */
export function relay(client: Socket, upstream: Socket, idleTimeoutMs: number, reads?: ReusedReads): void {
  oneWay(client, upstream);
  oneWay(upstream, client, reads);
  // Reads and writes on the client side both re-arm it, so traffic in either direction keeps the flow.
  client.setTimeout(idleTimeoutMs, () => {
    reset(client);
    reset(upstream);
  });
}
