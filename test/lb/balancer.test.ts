// The balancer in-process, table-driven: each policy over healthy,
// unhealthy and draining targets (fail open when none is healthy), the
// sticky target first, the weighted group choice, and the state one
// Balancer keeps per target group.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Balancer, cookieValue, decodeSticky, encodeSticky, pickGroup, pickTarget, RoundRobin, type HealthOf } from '../../src/lb/balancer.ts';
import type { ResolvedGroup, ResolvedTarget } from '../../src/lb/state.ts';

const t = (id: string, draining = false) => ({ key: `tg|${id}|80`, id, draining }) as ResolvedTarget;
const group = (arn: string, targets: ResolvedTarget[]) => ({ arn, targets }) as unknown as ResolvedGroup;
/** Health from a list of unhealthy target ids. */
const unhealthy = (...ids: string[]): HealthOf => (k) => (ids.includes(k.split('|')[1]) ? 'unhealthy' : 'healthy');

describe('round robin', () => {
  const cases: { name: string; targets: ResolvedTarget[]; health: HealthOf; picks: string[] }[] = [
    { name: 'in turn', targets: [t('a'), t('b'), t('c')], health: unhealthy(), picks: ['a', 'b', 'c', 'a', 'b', 'c'] },
    { name: 'healthy targets only', targets: [t('a'), t('b'), t('c')], health: unhealthy('b'), picks: ['a', 'c', 'a', 'c'] },
    { name: 'fails open when none is healthy; skips draining', targets: [t('a', true), t('b'), t('c')], health: unhealthy('a', 'b', 'c'), picks: ['b', 'c', 'b', 'c'] },
    { name: 'nothing when every target drains', targets: [t('a', true)], health: unhealthy(), picks: ['-', '-'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = new RoundRobin();
      assert.deepEqual(Array.from({ length: c.picks.length }, () => p.choose(c.targets, c.health)?.id ?? '-'), c.picks);
    });
  }
});

describe('target choice', () => {
  it('the sticky target wins while healthy; otherwise the policy chooses', () => {
    const g = group('tg', [t('a'), t('b')]);
    const p = new RoundRobin();
    assert.equal(pickTarget(g, p, unhealthy(), 'tg|b|80')!.id, 'b');
    assert.equal(pickTarget(g, p, unhealthy(), 'tg|b|80')!.id, 'b');
    assert.equal(pickTarget(g, p, unhealthy('b'), 'tg|b|80')!.id, 'a');
  });
  it('weighted group choice', () => {
    const gs = [{ arn: 'a', weight: 1 }, { arn: 'b', weight: 3 }, { arn: 'z', weight: 0 }];
    assert.equal(pickGroup(gs, 4, 0.1), 'a');
    assert.equal(pickGroup(gs, 4, 0.3), 'b');
    assert.equal(pickGroup(gs, 4, 0.99), 'b');
    assert.equal(pickGroup(gs, 4, 0.1, 'b'), 'b');
    assert.equal(pickGroup(gs, 4, 0.1, 'z'), 'a');
  });
  it('cookies', () => {
    assert.equal(cookieValue('x=1; AWSALB=abc; AWSALBCORS=abc', 'AWSALB'), 'abc');
    assert.equal(cookieValue('XAWSALB=no', 'AWSALB'), undefined);
    assert.equal(decodeSticky(encodeSticky('arn|i-1|80')), 'arn|i-1|80');
  });
});

describe('Balancer', () => {
  it('keeps one policy per group, separate per Balancer, and drops the state of groups that are gone', () => {
    const g = group('tg', [t('a'), t('b')]);
    const one = new Balancer();
    const two = new Balancer();
    const pick = (b: Balancer) => b.policyOf(g).choose(g.targets, unhealthy())!.id;
    assert.deepEqual([pick(one), pick(two), pick(one), pick(two)], ['a', 'a', 'b', 'b'], 'two balancers, two positions');
    assert.equal(one.policyOf(g), one.policyOf(g));
    one.sync(new Map([['tg', g]]));
    assert.equal(one.size, 1);
    one.sync(new Map());
    assert.equal(one.size, 0);
    assert.equal(pick(one), 'a', 'a group seen again starts afresh');
  });
});
