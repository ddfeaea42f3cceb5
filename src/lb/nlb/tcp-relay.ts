// One NLB TCP flow once both ends exist: bytes both ways with back-pressure,
// a half-close passed on as a half-close (FIN for FIN), a reset passed on as
// a reset, and the idle timeout ending the flow with a reset on both sides
// (what an NLB does to a flow it has forgotten). Written with plain 'data'
// handlers rather than stream.pipe(): fewer listeners and less state per
// connection, which is most of what a short connection costs here.
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

function oneWay(from: Socket, to: Socket): void {
  from.on('data', (d: Buffer) => {
    if (!to.write(d)) from.pause();
  });
  to.on('drain', () => from.resume());
  from.on('end', () => to.end());
  // An error on one side (ECONNRESET, EPIPE) resets the other; so does a close before the flow ended cleanly.
  from.on('error', () => reset(to));
  from.on('close', () => {
    if (!to.destroyed && !to.writableEnded) reset(to);
  });
}

export function relay(client: Socket, upstream: Socket, idleTimeoutMs: number): void {
  oneWay(client, upstream);
  oneWay(upstream, client);
  // Reads and writes on the client side both re-arm it, so traffic in either direction keeps the flow.
  client.setTimeout(idleTimeoutMs, () => {
    reset(client);
    reset(upstream);
  });
}
