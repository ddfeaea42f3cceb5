// What the load balancer decides from a request head alone, before any byte
// of the request reaches a target: how its body is framed, and whether ALB
// refuses it outright. Pure: connection.ts calls it from llhttp's
// headers-complete callback and answers refused requests itself.
//
// llhttp already refuses Content-Length with Transfer-Encoding, two
// lengths, bad chunk sizes and oversized heads, but some of these refusals
// come only after its headers callback, when a proxy that forwards on that
// callback has already sent the head on. Deciding them here keeps them
// from ever reaching a target.

export interface HeadFacts {
  /** The body is chunked (the last transfer coding is `chunked`). */
  chunked: boolean;
  /** A body follows: chunked, or a Content-Length other than 0. */
  hasBody: boolean;
  /** ALB's answer instead of routing: 400 (malformed) or 501 (a transfer coding it does not implement); 0 when the head is fine. */
  reject: 0 | 400 | 501;
}

/**
 * The framing and the verdict for one request head. `headers` is llhttp's
 * flat [name, value, ...] list; `http11` when the request line says
 * HTTP/1.1 (HTTP/1.0 requests may omit Host).
 */
export function checkHead(headers: readonly string[], http11: boolean): HeadFacts {
  let hosts = 0;
  let length = false;
  let codings: string[] | undefined;
  for (let i = 0; i < headers.length; i += 2) {
    const n = headers[i];
    // Length checks first: this runs once per request on the hot path.
    if (n.length === 4 && n.toLowerCase() === 'host') hosts++;
    else if (n.length === 14 && n.toLowerCase() === 'content-length') length = headers[i + 1] !== '0';
    else if (n.length === 17 && n.toLowerCase() === 'transfer-encoding') {
      codings ??= [];
      // A list header: repeated headers and commas both separate codings; empty elements do not count (RFC 9110 5.6.1).
      for (const c of headers[i + 1].split(',')) {
        const t = c.trim().toLowerCase();
        if (t) codings.push(t);
      }
    }
  }
  // RFC 9112 3.2: an HTTP/1.1 request without Host, or with more than one, gets 400.
  if (hosts > 1 || (hosts === 0 && http11)) return { chunked: false, hasBody: false, reject: 400 };
  if (!codings) return { chunked: false, hasBody: length, reject: 0 };
  // ALB implements the transfer codings chunked and identity and answers 501
  // Not Implemented for any other (its troubleshooting guide: "The supported
  // values for Transfer-Encoding are chunked and identity"), as nginx, HAProxy
  // and the other common proxies do (RFC 9112 6.1). Forwarding `gzip, chunked`
  // with gzip dropped would hand the target compressed bytes as plain ones.
  if (codings.some((c) => c !== 'chunked' && c !== 'identity')) return { chunked: false, hasBody: false, reject: 501 };
  // Only chunked framing is implemented: the body length of `identity` alone
  // cannot be told (llhttp refuses it, RFC 9112 6.3), and chunked may be
  // applied once. ALB lists identity as supported; localnet answers 400.
  if (codings.length === 0 || codings[codings.length - 1] !== 'chunked' || codings.indexOf('chunked') !== codings.length - 1) {
    return { chunked: false, hasBody: false, reject: 400 };
  }
  return { chunked: true, hasBody: true, reject: 0 };
}
