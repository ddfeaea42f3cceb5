// The head-only decisions (head-checks.ts), table-driven: framing and ALB's
// refusals from the flat header list llhttp hands over.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkHead, type HeadFacts } from '../../src/lb/head-checks.ts';

const ok = (chunked: boolean, hasBody: boolean): HeadFacts => ({ chunked, hasBody, reject: 0 });
const refused = (reject: 400 | 501): HeadFacts => ({ chunked: false, hasBody: false, reject });

describe('checkHead', () => {
  const cases: [string, string[], boolean, HeadFacts][] = [
    ['a plain GET', ['Host', 'x'], true, ok(false, false)],
    ['a length', ['host', 'x', 'Content-Length', '5'], true, ok(false, true)],
    ['a zero length', ['Host', 'x', 'content-length', '0'], true, ok(false, false)],
    ['HTTP/1.1 without Host', ['Accept', '*/*'], true, refused(400)],
    ['HTTP/1.0 without Host', ['Accept', '*/*'], false, ok(false, false)],
    ['two Host headers', ['Host', 'a', 'HOST', 'b'], true, refused(400)],
    ['two Host headers in HTTP/1.0', ['Host', 'a', 'Host', 'b'], false, refused(400)],
    ['chunked', ['Host', 'x', 'Transfer-Encoding', 'chunked'], true, ok(true, true)],
    ['Chunked, any case, with spaces', ['Host', 'x', 'transfer-encoding', ' CHUNKED '], true, ok(true, true)],
    ['identity then chunked', ['Host', 'x', 'Transfer-Encoding', 'identity, chunked'], true, ok(true, true)],
    ['empty list elements', ['Host', 'x', 'Transfer-Encoding', ', chunked,'], true, ok(true, true)],
    ['gzip, chunked', ['Host', 'x', 'Transfer-Encoding', 'gzip, chunked'], true, refused(501)],
    ['gzip and chunked in two headers', ['Host', 'x', 'Transfer-Encoding', 'gzip', 'Transfer-Encoding', 'chunked'], true, refused(501)],
    ['deflate alone', ['Host', 'x', 'Transfer-Encoding', 'deflate'], true, refused(501)],
    ['identity alone', ['Host', 'x', 'Transfer-Encoding', 'identity'], true, refused(400)],
    ['chunked then identity', ['Host', 'x', 'Transfer-Encoding', 'chunked, identity'], true, refused(400)],
    ['chunked twice', ['Host', 'x', 'Transfer-Encoding', 'chunked', 'Transfer-Encoding', 'chunked'], true, refused(400)],
    ['an empty Transfer-Encoding', ['Host', 'x', 'Transfer-Encoding', ''], true, refused(400)],
    ['no Host wins over a coding', ['Transfer-Encoding', 'gzip, chunked'], true, refused(400)],
  ];
  for (const [name, headers, http11, want] of cases) {
    it(name, () => assert.deepEqual(checkHead(headers, http11), want));
  }
});
