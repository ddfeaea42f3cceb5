import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redirectLocation, errorPage } from '../../src/lb/responses.ts';
import { matcherAccepts } from '../../src/lb/health.ts';

describe('redirect Location (ALB keywords)', () => {
  const src = { protocol: 'http', host: 'example.com', port: 80, path: '/a/b', query: 'x=1' };
  const cases: [object, string, number][] = [
    [{ Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' }, 'https://example.com:443/a/b?x=1', 301],
    [{ Host: 'www.#{host}', StatusCode: 'HTTP_302' }, 'http://www.example.com:80/a/b?x=1', 302],
    [{ Path: '/new/#{path}', Query: '' }, 'http://example.com:80/new/a/b', 301],
    [{ Path: '#{path}', Query: 'y=2&#{query}' }, 'http://example.com:80/a/b?y=2&x=1', 301],
    [{ Protocol: '#{protocol}', Port: '8080' }, 'http://example.com:8080/a/b?x=1', 301],
  ];
  for (const [cfg, want, status] of cases) {
    it(JSON.stringify(cfg), () => assert.deepEqual(redirectLocation(cfg, src), { status, location: want }));
  }
});

describe('error pages', () => {
  it('502 looks like ALB', () => assert.match(errorPage(502).toString(), /<title>502 Bad Gateway<\/title>[\s\S]*<h1>502 Bad Gateway<\/h1>/));
  it('503 and 504 titles', () => {
    assert.match(errorPage(503).toString(), /503 Service Temporarily Unavailable/);
    assert.match(errorPage(504).toString(), /504 Gateway Time-out/);
  });
});

describe('health matcher', () => {
  const cases: [string, number, boolean][] = [['200', 200, true], ['200', 204, false], ['200-299', 204, true], ['200-299', 302, false], ['200,302', 302, true], ['200, 404', 404, true]];
  for (const [m, s, want] of cases) it(`${m} ${s}`, () => assert.equal(matcherAccepts(m, s), want));
});
