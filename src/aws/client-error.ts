// Requests node's HTTP parser cannot read (bad chunked encoding, a header
// block over the limit, Content-Length together with Transfer-Encoding) never
// reach the gateway. They are answered before the connection closes, as
// node does when no 'clientError' listener is set, with a body saying why:
// 431 for headers too large, 408 for a request that took too long, else 400.
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

function statusOf(code: string | undefined): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

function answer(err: Error & { code?: string }, socket: Duplex): void {
  if (socket.writable) {
    const status = statusOf(err.code);
    const body = `${REASONS[status]}: localnet could not read this HTTP request (${err.code ?? err.message}).\n`;
    socket.write(`HTTP/1.1 ${status} ${REASONS[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }
  // As node does: write() hands the answer to the kernel, then the connection goes.
  socket.destroy();
}

/** A node:http server's 'clientError' listener. */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET') return void socket.destroy();
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (inFlight && !inFlight.writableFinished) {
    // The answer to an earlier request on this connection (complete, still
    // being handled) goes out whole first: a status line in the middle of it
    // would corrupt both.
    if (inFlight.req.complete) {
      inFlight.once('finish', () => answer(err, socket));
      inFlight.once('close', () => socket.destroy());
      return;
    }
    // The broken body is this response's own request: answered now, unless its answer already began.
    if (inFlight.headersSent) return void socket.destroy();
  }
  answer(err, socket);
}
