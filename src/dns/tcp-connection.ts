// One DNS-over-TCP connection (RFC 7766: several queries per connection,
// answered in order). Bounded in every state, so that a client can neither
// make the server hold memory nor hold a connection without making progress:
//
// - Answers the client has not taken yet: at most MAX_UNSENT_ANSWERS of them,
//   and at most WRITE_LIMIT_BYTES, wait in our write buffer. Beyond that we
//   stop answering and stop reading (queries then wait in the kernel and in
//   the client, which RFC 7766 §6.2.1.1 allows), and go on as the client
//   takes answers. A client that never reads costs us a few KB, not the
//   answers to everything it sends.
// - Bytes of the client's we hold: the frame being received (≤ 65,537 bytes)
//   plus what arrived with it; more than MAX_BUFFERED_BYTES closes.
// - Time: a query must arrive whole within FRAME_DEADLINE_MS of its first
//   byte, and a connection closes IDLE_MS after its last complete query (or
//   its start). Bytes alone extend neither: a client sending a byte every few
//   seconds is closed after 5 s.
import type net from 'node:net';
import { FrameReader, MAX_FRAME_BYTES } from './tcp-frames.ts';

export const MAX_UNSENT_ANSWERS = 64;
export const WRITE_LIMIT_BYTES = 16 * 1024;
/** One frame being received and one read from the socket (libuv reads up to 64 KB at a time). */
export const MAX_BUFFERED_BYTES = MAX_FRAME_BYTES + 64 * 1024;
export const FRAME_DEADLINE_MS = 5_000;
export const IDLE_MS = 10_000;

/** Answers one query (the message without its length); null for no answer. */
export type AnswerFn = (msg: Buffer) => Buffer | null;

export class TcpDnsConnection {
  /** When the last complete query arrived, or the connection opened: the connection longest without one is evicted first. */
  lastQueryAt = Date.now();
  /** The client's address, kept: a closed socket forgets it. */
  readonly address: string;
  private frames = new FrameReader();
  /** When the first byte of the frame now being received arrived. */
  private frameStartedAt = 0;
  private unsent = 0;
  private paused = false;
  private deadline = 0;
  private timer?: NodeJS.Timeout;
  private timerAt = 0;

  constructor(readonly socket: net.Socket, private answer: AnswerFn) {
    this.address = socket.remoteAddress ?? '';
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => clearTimeout(this.timer));
    this.updateDeadline();
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.frames.buffered === 0) this.frameStartedAt = Date.now();
    this.frames.push(chunk);
    if (this.frames.buffered > MAX_BUFFERED_BYTES) return this.close();
    this.work();
  }

  /** Answers the whole queries received while the client keeps taking answers; reads on only then. */
  private work(): void {
    while (!this.socket.destroyed && !this.full()) {
      const msg = this.frames.next();
      if (!msg) break;
      this.lastQueryAt = Date.now();
      // What follows this frame arrived with it: the next frame's clock starts now.
      if (this.frames.buffered > 0) this.frameStartedAt = this.lastQueryAt;
      // No header means the framing itself is off: the stream is garbage, close it.
      if (msg.length < 12) return this.close();
      const out = this.answer(msg);
      if (!out) continue; // a response sent to us: ignore it, keep the connection
      const frame = Buffer.allocUnsafe(2 + out.length);
      frame.writeUInt16BE(out.length, 0);
      out.copy(frame, 2);
      this.unsent++;
      // Called once the kernel took the answer (asynchronously, even when it took it at once).
      this.socket.write(frame, this.onSent);
    }
    if (this.socket.destroyed) return;
    const full = this.full();
    if (full !== this.paused) {
      this.paused = full;
      if (full) this.socket.pause();
      else this.socket.resume();
    }
    this.updateDeadline();
  }

  private onSent = (): void => {
    this.unsent--;
    if (this.paused) this.work();
  };

  private full(): boolean {
    return this.unsent >= MAX_UNSENT_ANSWERS || this.socket.writableLength >= WRITE_LIMIT_BYTES;
  }

  /** Idle deadline from the last query; while a frame is being received (and we are the ones reading), also its own. */
  private updateDeadline(): void {
    let at = this.lastQueryAt + IDLE_MS;
    if (this.frames.buffered > 0 && !this.paused) at = Math.min(at, this.frameStartedAt + FRAME_DEADLINE_MS);
    this.deadline = at;
    // One timer per connection, moved only when the deadline comes earlier; when it fires late it re-arms.
    if (!this.timer || at < this.timerAt) this.arm(at);
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (Date.now() >= this.deadline) this.close();
      else this.arm(this.deadline);
    }, Math.max(0, at - Date.now()));
  }
}
