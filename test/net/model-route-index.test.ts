// The compiled longest-prefix index answers exactly as routing.ts's
// lookupRoute: table-driven cases, then random tables and addresses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { intToIp } from '../../src/net/cidr.ts';
import { RouteIndex } from '../../src/net/model/route-index.ts';
import { lookupRoute, type RouteLike } from '../../src/net/routing.ts';

type R = RouteLike & { t: string };
const r = (cidr: string, t: string, origin = 'CreateRoute'): R => ({ DestinationCidrBlock: cidr, Origin: origin, t });

describe('RouteIndex', () => {
  const table: R[] = [r('10.0.0.0/16', 'local'), r('0.0.0.0/0', 'igw'), r('10.1.0.0/16', 'pcx'), r('10.1.2.0/24', 'eni'), r('10.1.2.0/24', 'vgw', 'EnableVgwRoutePropagation')];
  const cases: [string, string | undefined][] = [['10.0.3.4', 'local'], ['8.8.8.8', 'igw'], ['10.1.9.9', 'pcx'], ['10.1.2.7', 'eni'], ['10.2.0.1', 'igw']];
  for (const [ip, want] of cases) {
    it(`${ip} -> ${want}`, () => {
      assert.equal(new RouteIndex(table).lookup(ip)?.t, want);
      assert.equal(lookupRoute(table, ip)?.t, want);
    });
  }
  it('no default route: an uncovered address has no route', () => assert.equal(new RouteIndex([r('10.0.0.0/16', 'local')]).lookup('11.0.0.1'), undefined));
  it('agrees with lookupRoute on random tables', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % n);
    for (let t = 0; t < 200; t++) {
      const routes: R[] = [];
      for (let i = 0; i < 1 + rnd(12); i++) {
        const prefix = rnd(33);
        routes.push(r(`${intToIp((rnd(2 ** 16) << 16) >>> 0)}/${prefix}`, `r${i}`, rnd(4) === 0 ? 'EnableVgwRoutePropagation' : 'CreateRoute'));
      }
      const index = new RouteIndex(routes);
      for (let k = 0; k < 50; k++) {
        const ip = intToIp(((rnd(2 ** 16) << 16) | rnd(2 ** 16)) >>> 0);
        const a = index.lookup(ip);
        const b = lookupRoute(routes, ip);
        assert.equal(a && [a.DestinationCidrBlock, a.Origin].join(), b && [b.DestinationCidrBlock, b.Origin].join(), `${ip} in ${JSON.stringify(routes)}`);
      }
    }
  });
});
