// One NLB TCP flow once both ends exist: bytes both ways with back-pressure,
// a half-close passed on as a half-close (FIN for FIN), a reset passed on as
// a reset, and the idle timeout ending the flow with a reset on both sides
// (what an NLB does to a flow it has forgotten).
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

export function relay(client: Socket, upstream: Socket, idleTimeoutMs: number): void {
  client.pipe(upstream);
  upstream.pipe(client);
  // An error on one side (ECONNRESET, EPIPE) resets the other.
  client.on('error', () => reset(upstream));
  upstream.on('error', () => reset(client));
  client.on('close', () => { if (!upstream.destroyed && !upstream.writableEnded) reset(upstream); });
  upstream.on('close', () => { if (!client.destroyed && !client.writableEnded) reset(client); });
  // Reads and writes on the client side both re-arm it, so traffic in either direction keeps the flow.
  client.setTimeout(idleTimeoutMs, () => {
    reset(client);
    reset(upstream);
  });
}
