// The balancer in-process, table-driven: each policy over healthy,
// unhealthy and draining targets (fail open when none is healthy), the
// sticky target first, the weighted group choice, and the state one
// Balancer keeps per target group.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Balancer, cookieValue, decodeSticky, encodeSticky, LeastOutstandingRequests, pickGroup, pickTarget, RoundRobin, WeightedRandom, type Algorithm, type HealthOf,
} from '../../src/lb/balancer.ts';
import type { ResolvedGroup, ResolvedTarget } from '../../src/lb/state.ts';

const t = (id: string, draining = false) => ({ key: `tg|${id}|80`, id, draining }) as ResolvedTarget;
const group = (arn: string, targets: ResolvedTarget[], algorithm: Algorithm = 'round_robin') => ({ arn, targets, algorithm }) as unknown as ResolvedGroup;
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

describe('least outstanding requests', () => {
  const targets = [t('a'), t('b'), t('c')];
  /** A policy with these many requests in flight per target id. */
  const loaded = (counts: Record<string, number>) => {
    const p = new LeastOutstandingRequests();
    for (const [id, n] of Object.entries(counts)) p.inFlight(t(id)).n = n;
    return p;
  };
  const cases: { name: string; counts: Record<string, number>; targets?: ResolvedTarget[]; health?: HealthOf; picks: string[] }[] = [
    { name: 'idle targets take turns', counts: {}, picks: ['a', 'b', 'c', 'a'] },
    { name: 'the fewest in flight', counts: { a: 2, b: 1, c: 3 }, picks: ['b', 'b'] },
    { name: 'ties in round-robin order', counts: { a: 1, b: 0, c: 0 }, picks: ['b', 'c', 'b', 'c'] },
    { name: 'healthy targets only, however loaded', counts: { a: 5, b: 0 }, health: unhealthy('b', 'c'), picks: ['a', 'a'] },
    { name: 'fails open to the least loaded; skips draining', counts: { a: 0, b: 2, c: 1 }, targets: [t('a', true), t('b'), t('c')], health: unhealthy('a', 'b', 'c'), picks: ['c', 'c'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = loaded(c.counts);
      assert.deepEqual(Array.from({ length: c.picks.length }, () => p.choose(c.targets ?? targets, c.health ?? unhealthy())?.id ?? '-'), c.picks);
    });
  }
  it('counts per target; forgets deregistered targets', () => {
    const p = new LeastOutstandingRequests();
    const held = p.inFlight(t('a'));
    held.n++;
    assert.equal(p.inFlight(t('a')), held);
    assert.equal(p.choose(targets, unhealthy())!.id, 'b');
    p.prune([t('b'), t('c')]);
    assert.notEqual(p.inFlight(t('a')), held);
  });
});

describe('weighted random', () => {
  const targets = [t('a'), t('b', true), t('c'), t('d')];
  const cases: { name: string; random: number; health: HealthOf; pick: string }[] = [
    { name: 'low end', random: 0, health: unhealthy(), pick: 'a' },
    { name: 'middle (draining b skipped)', random: 0.5, health: unhealthy(), pick: 'c' },
    { name: 'high end', random: 0.999, health: unhealthy(), pick: 'd' },
    { name: 'healthy targets only', random: 0.999, health: unhealthy('d'), pick: 'c' },
    { name: 'fails open when none is healthy', random: 0.999, health: unhealthy('a', 'b', 'c', 'd'), pick: 'd' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(new WeightedRandom(() => c.random).choose(targets, c.health)?.id, c.pick));
  it('nothing when every target drains', () => assert.equal(new WeightedRandom().choose([t('a', true)], unhealthy()), undefined));
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
  it("follows the group's algorithm", () => {
    const b = new Balancer();
    assert.ok(b.policyOf(group('x', [], 'least_outstanding_requests')) instanceof LeastOutstandingRequests);
    assert.ok(b.policyOf(group('x', [], 'weighted_random')) instanceof WeightedRandom);
    assert.ok(b.policyOf(group('x', [])) instanceof RoundRobin);
    b.sync(new Map([['x', group('x', [], 'weighted_random')]]));
    assert.equal(b.size, 0, 'a policy of another algorithm goes');
  });
});
