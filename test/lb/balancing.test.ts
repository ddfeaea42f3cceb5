// Load balancing through real HTTP: each data plane keeps its own state
// (two localnets in one process, the same target group ARN in both) and
// drops it with the target group; the target group attribute
// load_balancing.algorithm.type picks the policy (round robin, least
// outstanding requests, weighted random), set through the real ELBv2 API.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateTargetGroupCommand, DescribeTargetGroupAttributesCommand, ModifyTargetGroupAttributesCommand, type ElasticLoadBalancingV2Client, type TargetGroupAttribute,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { KINDS } from '../../src/lb/records.ts';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';
import { elbClient, rejects } from '../services/elbv2/helpers.ts';
import { buildNetwork, fetchOnce, forward, putListener, putLoadBalancer, putTarget, putTargetGroup, runInstance, SCOPE, startBackend, type Backend, type Net } from './fixtures.ts';

process.env.LOCALNET_LB_TIME_SCALE = '0.05';

const ALGORITHM = 'load_balancing.algorithm.type';
const MITIGATION = 'load_balancing.algorithm.anomaly_mitigation';

/** The backend names answering n requests in a row (bounded). */
async function names(url: string, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await fetchOnce(url)).body.split(' ')[0]);
  return out;
}

describe('load balancing', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  let elb: ElasticLoadBalancingV2Client;
  let netw: Net;
  const backends: Backend[] = [];
  /** Instances mapping port 80 to backends named a, b, c. */
  let instances: string[];

  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln);
    elb = elbClient(ln);
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
      ln.network.invalidate();
      await ln.lb.reconcile();
      const now = ln.lb.holdings();
      assert.equal(now.balancedGroups, before.balancedGroups - 1);
      assert.equal(now.pools, before.pools - 1);
    } finally {
      await solo.close();
    }
  });

  /** ModifyTargetGroupAttributes through the SDK; the answer's attributes as a map. */
  async function modify(tg: string, attrs: Record<string, string>): Promise<Record<string, string | undefined>> {
    const out = await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg, Attributes: Object.entries(attrs).map(([Key, Value]) => ({ Key, Value })) }));
    return Object.fromEntries((out.Attributes ?? []).map((a: TargetGroupAttribute) => [a.Key, a.Value]));
  }

  it('round robin (the default) spreads requests evenly', async () => {
    const { url } = await setUp(ln, netw, instances);
    const seen = await names(url, 30);
    for (const name of ['a', 'b', 'c']) assert.equal(seen.filter((x) => x === name).length, 10, seen.join(' '));
  });

  it('least outstanding requests (set with the API) sends new requests to the idle target while the other holds a slow one', async () => {
    const held: (() => void)[] = [];
    const hold = (name: string) => startBackend(name, (req, res) => {
      req.resume();
      if (req.url === '/slow') held.push(() => res.end(`${name} /slow`));
      else res.end(`${name} ${req.url}`);
    });
    const x = await hold('x');
    const y = await hold('y');
    try {
      const { tg, url } = await setUp(ln, netw, [await runInstance(ec2, netw, { 80: x.port }), await runInstance(ec2, netw, { 80: y.port })]);
      assert.equal((await modify(tg, { [ALGORITHM]: 'least_outstanding_requests' }))[ALGORITHM], 'least_outstanding_requests');
      await ln.lb.reconcile();
      const slow = fetchOnce(`${url}slow`, { timeoutMs: 10_000 });
      for (let i = 0; i < 200 && held.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(held.length, 1, 'the slow request reached a target');
      const busy = x.requests.some((q) => q.url === '/slow') ? 'x' : 'y';
      const idle = busy === 'x' ? 'y' : 'x';
      // Round robin would alternate; each of these finds the busy target with one request outstanding.
      assert.deepEqual(await names(url, 6), Array(6).fill(idle));
      held.shift()!();
      assert.equal((await slow).body, `${busy} /slow`);
      // Answered: both idle again, they take turns.
      assert.equal(new Set(await names(url, 2)).size, 2);
    } finally {
      for (const release of held) release();
      await x.close();
      await y.close();
    }
  });

  it('weighted random reaches every healthy target', async () => {
    const { tg, url } = await setUp(ln, netw, instances);
    await modify(tg, { [ALGORITHM]: 'weighted_random', [MITIGATION]: 'on' });
    await ln.lb.reconcile();
    const seen = new Set<string>();
    let requests = 0;
    // 3 equally likely targets: missing one in 150 requests has probability below 1e-25.
    while (seen.size < 3 && requests < 150) {
      seen.add((await fetchOnce(url)).body.split(' ')[0]);
      requests++;
    }
    assert.deepEqual([...seen].sort(), ['a', 'b', 'c'], `after ${requests} requests`);
  });

  it('ModifyTargetGroupAttributes takes the algorithms AWS takes and refuses what AWS refuses', async () => {
    const tg = (await elb.send(new CreateTargetGroupCommand({ Name: `algo-${Date.now() % 100000}`, Protocol: 'HTTP', Port: 80, VpcId: netw.vpcId }))).TargetGroups![0].TargetGroupArn!;
    const describe = async () => Object.fromEntries(((await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tg }))).Attributes ?? []).map((a) => [a.Key, a.Value]));
    const initial = await describe();
    assert.deepEqual([initial[ALGORITHM], initial[MITIGATION]], ['round_robin', 'off']);
    for (const v of ['least_outstanding_requests', 'weighted_random', 'round_robin']) assert.equal((await modify(tg, { [ALGORITHM]: v }))[ALGORITHM], v);
    // Values are exact: no other names, no other case.
    for (const v of ['least_connections', 'Round_Robin', '']) await rejects(modify(tg, { [ALGORITHM]: v }), 'ValidationError', /load_balancing\.algorithm\.type/);
    await rejects(modify(tg, { [MITIGATION]: 'true' }), 'ValidationError', /anomaly_mitigation/);
    // Anomaly mitigation goes with weighted random only.
    assert.equal((await modify(tg, { [ALGORITHM]: 'weighted_random', [MITIGATION]: 'on' }))[MITIGATION], 'on');
    await rejects(modify(tg, { [ALGORITHM]: 'round_robin' }), 'InvalidConfigurationRequest', /Anomaly mitigation/);
    await modify(tg, { [ALGORITHM]: 'round_robin', [MITIGATION]: 'off' });
    // Weighted random refuses sticky sessions and slow start; least outstanding requests refuses slow start.
    await modify(tg, { 'stickiness.enabled': 'true' });
    await rejects(modify(tg, { [ALGORITHM]: 'weighted_random' }), 'InvalidConfigurationRequest', /stickiness and weighted random/);
    await modify(tg, { [ALGORITHM]: 'least_outstanding_requests' });
    await rejects(modify(tg, { 'slow_start.duration_seconds': '30' }), 'InvalidConfigurationRequest', /slow start and least outstanding requests/);
    await modify(tg, { [ALGORITHM]: 'round_robin', 'stickiness.enabled': 'false', 'slow_start.duration_seconds': '30' });
    await rejects(modify(tg, { [ALGORITHM]: 'weighted_random' }), 'InvalidConfigurationRequest', /slow start and weighted random/);
    // Refused calls changed nothing.
    const now = await describe();
    assert.deepEqual([now[ALGORITHM], now[MITIGATION], now['stickiness.enabled'], now['slow_start.duration_seconds']], ['round_robin', 'off', 'false', '30']);
  });
});
