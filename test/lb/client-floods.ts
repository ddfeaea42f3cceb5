// A client that uploads as fast as its socket takes the bytes, for the
// backpressure tests (test/lb/backpressure.test.ts) and the abuse loops
// (test/abuse/lb.abuse.ts): how much it could write before the load
// balancer stopped reading, and what it answered.
import net from 'node:net';

export interface Flood {
  /** Bytes the client's socket accepted (its last write may still sit in its buffer). */
  written: number;
  /** The socket stopped taking bytes: no 'drain' within stallMs. */
  stalled: boolean;
  /** Everything the load balancer answered. */
  answer: string;
}

/**
 * Writes head, then `total` bytes of `piece` repeated, as fast as the socket
 * takes them; stops when it stalls for stallMs, when the answer comes or the
 * connection goes; then waits up to answerMs for the answer to complete.
 */
export function flood(host: string, port: number, head: string, piece: Buffer, total: number, stallMs = 300, answerMs = 3000): Promise<Flood> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    let written = 0;
    let stalled = false;
    let answer = '';
    let done = false;
    let answerTimer: NodeJS.Timeout | undefined;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(answerTimer);
      s.destroy();
      resolve({ written, stalled, answer });
    };
    const waitForAnswer = () => {
      answerTimer ??= setTimeout(finish, answerMs);
    };
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      answer += d;
      // One whole ALB page (or fixed response) is all these tests expect.
      if (/\r\n\r\n[\s\S]*<\/html>\r\n$/.test(answer)) finish();
    });
    s.on('error', waitForAnswer);
    s.on('close', finish);
    const pump = () => {
      while (!done && written < total) {
        const ok = s.write(piece);
        written += piece.length;
        if (!ok) {
          const t = setTimeout(() => {
            stalled = true;
            s.off('drain', pump);
            waitForAnswer();
          }, stallMs);
          s.once('drain', () => {
            clearTimeout(t);
            pump();
          });
          return;
        }
      }
      waitForAnswer();
    };
    s.once('connect', () => {
      s.write(head);
      pump();
    });
  });
}
