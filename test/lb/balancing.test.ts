// Load balancing through real HTTP: each data plane keeps its own state
// (two localnets in one process, the same target group ARN in both) and
// drops it with the target group; the target group attribute
// load_balancing.algorithm.type picks the policy (round robin, least
// outstanding requests, weighted random), set through the real ELBv2 API.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { KINDS } from '../../src/lb/records.ts';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';
import { buildNetwork, fetchOnce, forward, putListener, putLoadBalancer, putTarget, putTargetGroup, runInstance, SCOPE, startBackend, type Backend, type Net } from './fixtures.ts';

process.env.LOCALNET_LB_TIME_SCALE = '0.05';

/** The backend names answering n requests in a row (bounded). */
async function names(url: string, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await fetchOnce(url)).body.split(' ')[0]);
  return out;
}

describe('load balancing', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  let netw: Net;
  const backends: Backend[] = [];
  /** Instances mapping port 80 to backends named a, b, c. */
  let instances: string[];

  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln);
    netw = await buildNetwork(ec2);
    for (const name of ['a', 'b', 'c']) backends.push(await startBackend(name));
    instances = [];
    for (const b of backends) instances.push(await runInstance(ec2, netw, { 80: b.port }));
  });
  after(async () => {
    await ln?.stop();
    for (const b of backends) await b.close();
  });

  /** A load balancer with one HTTP listener on 8080 forwarding to a new group of the given instances (no health checks: healthy at once). */
  async function setUp(on: TestLocalnet, net: Net, targets: string[], opts: { arn?: string; attributes?: Record<string, string> } = {}) {
    const { arn, address } = putLoadBalancer(on, net);
    const tg = putTargetGroup(on, net, { arn: opts.arn, health: { HealthCheckEnabled: false }, attributes: opts.attributes });
    for (const id of targets) putTarget(on, tg, id);
    const listener = putListener(on, arn, 8080, 'HTTP', forward(tg));
    await on.lb.reconcile();
    return { tg, listener, url: `http://${address}:8080/` };
  }

  it('two data planes in one process keep their own round-robin positions', async () => {
    const other = await startTestLocalnet();
    try {
      const otherEc2 = ec2Client(other);
      const otherNet = await buildNetwork(otherEc2);
      const otherInstances = [await runInstance(otherEc2, otherNet, { 80: backends[0].port }), await runInstance(otherEc2, otherNet, { 80: backends[1].port })];
      const one = await setUp(ln, netw, instances.slice(0, 2));
      // The same target group ARN in the second localnet.
      const two = await setUp(other, otherNet, otherInstances, { arn: one.tg });
      const seenOne: string[] = [];
      const seenTwo: string[] = [];
      for (let i = 0; i < 4; i++) {
        seenOne.push((await fetchOnce(one.url)).body.split(' ')[0]);
        seenTwo.push((await fetchOnce(two.url)).body.split(' ')[0]);
      }
      // Shared positions would hand each plane every other target: always the same one.
      for (const seen of [seenOne, seenTwo]) {
        assert.equal(new Set(seen).size, 2, `each plane alternates: ${seen.join(' ')}`);
        for (let i = 1; i < seen.length; i++) assert.notEqual(seen[i], seen[i - 1], `each plane alternates: ${seen.join(' ')}`);
      }
    } finally {
      await other.stop();
    }
  });

  it('drops the balancing state and the connection pools of a target group no listener uses any more', async () => {
    const solo = await startBackend('solo');
    try {
      const instance = await runInstance(ec2, netw, { 80: solo.port });
      const { listener, url } = await setUp(ln, netw, [instance]);
      assert.equal((await fetchOnce(url)).body, 'solo /');
      const before = ln.lb.holdings();
      ln.store.delete(KINDS.listener, SCOPE, listener);
      await ln.lb.reconcile();
      const now = ln.lb.holdings();
      assert.equal(now.balancedGroups, before.balancedGroups - 1);
      assert.equal(now.pools, before.pools - 1);
    } finally {
      await solo.close();
    }
  });

  it('round robin (the default) spreads requests evenly', async () => {
    const { url } = await setUp(ln, netw, instances);
    const seen = await names(url, 30);
    for (const name of ['a', 'b', 'c']) assert.equal(seen.filter((x) => x === name).length, 10, seen.join(' '));
  });
});
