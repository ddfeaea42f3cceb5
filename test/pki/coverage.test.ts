import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { certificateCovers, nameCovers, pickCertificate } from '../../src/pki/coverage.ts';

describe('certificate coverage (wildcards cover exactly one label)', () => {
  const cases: [string, string, boolean][] = [
    ['example.com', 'example.com', true],
    ['example.com', 'EXAMPLE.com.', true],
    ['example.com', 'www.example.com', false],
    ['*.example.com', 'www.example.com', true],
    ['*.example.com', 'WWW.Example.COM', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'a.b.example.com', false],
    ['*.example.com', '.example.com', false],
    ['*.example.com', 'wwwexample.com', false],
    ['*.example.com', '*.example.com', false],
    ['*.b.example.com', 'a.b.example.com', true],
    ['www.example.com', 'example.com', false],
    ['', 'example.com', false],
  ];
  for (const [cert, host, want] of cases) {
    it(`${cert} ${want ? 'covers' : 'does not cover'} ${host || '(empty)'}`, () => assert.equal(nameCovers(cert, host), want));
  }

  it('checks every SAN and picks the first certificate that covers a host', () => {
    assert.equal(certificateCovers(['example.com', '*.example.com'], 'example.com'), true);
    assert.equal(certificateCovers(['example.com', '*.example.com'], 'x.example.com'), true);
    assert.equal(certificateCovers(['example.com', '*.example.com'], 'x.y.example.com'), false);
    const certs = [{ id: 'a', names: ['a.example.com'] }, { id: 'wild', names: ['*.example.com'] }, { id: 'deep', names: ['*.y.example.com'] }];
    assert.equal(pickCertificate(certs, 'a.example.com')?.id, 'a');
    assert.equal(pickCertificate(certs, 'b.example.com')?.id, 'wild');
    assert.equal(pickCertificate(certs, 'x.y.example.com')?.id, 'deep');
    assert.equal(pickCertificate(certs, 'example.org'), undefined);
  });
});
