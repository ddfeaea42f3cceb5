// ELBv2 answers as AWS gives them (issue 20): DescribeTargetHealth for targets
// that are not registered, Order echoed only when sent, CreateTargetGroup's
// answer without LoadBalancerArns, DescribeTargetGroups in name order and
// TargetGroupNotFound for a load balancer without groups, target group names
// with '--', and the load balancer quota DescribeAccountLimits reports.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand, CreateRuleCommand, CreateTargetGroupCommand, DescribeAccountLimitsCommand, DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeRulesCommand,
  DescribeTargetGroupsCommand, DescribeTargetHealthCommand, ModifyListenerCommand, ModifyRuleCommand, RegisterTargetsCommand, type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { alb, elbClient, httpGroup, network, rejects, unique, type Network } from './helpers.ts';

describe('ELBv2 answers as AWS gives them', () => {
  let ln: TestLocalnet;
  let elb: ElasticLoadBalancingV2Client;
  let ec2: EC2Client;
  let net: Network;
  before(async () => {
    ln = await startTestLocalnet(mkdtempSync('/tmp/i20c-'));
    elb = elbClient(ln);
    ec2 = ec2Client(ln);
    net = await network(ec2);
  });
  after(() => ln.stop());

  it('describes explicit targets that are not registered as unused / Target.NotRegistered', async () => {
    const tg = await httpGroup(elb, net);
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: net.instanceId }] }));
    const asked = [{ Id: net.instanceId, Port: 8080 }, { Id: 'i-0123456789abcdef0', Port: 80 }];
    const out = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: asked }))).TargetHealthDescriptions!;
    assert.equal(out.length, 2);
    for (const [i, d] of out.entries()) {
      assert.deepEqual(d.Target, { Id: asked[i].Id, Port: asked[i].Port });
      assert.deepEqual(d.TargetHealth, { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' });
    }
  });

  it('echoes an action Order only when the caller sent it', async () => {
    const lbArn = (await alb(elb, net)).LoadBalancerArn!;
    const tgArn = (await httpGroup(elb, net)).TargetGroupArn!;
    const fixed = { Type: 'fixed-response' as const, FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'none' } };
    const l = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 80, DefaultActions: [fixed] }))).Listeners![0];
    assert.equal(l.DefaultActions![0].Order, undefined);
    assert.ok(!('Order' in l.DefaultActions![0]));
    const described = (await elb.send(new DescribeListenersCommand({ ListenerArns: [l.ListenerArn!] }))).Listeners![0];
    assert.equal(described.DefaultActions![0].Order, undefined);
    const defaultRule = (await elb.send(new DescribeRulesCommand({ ListenerArn: l.ListenerArn }))).Rules!.find((r) => r.IsDefault)!;
    assert.equal(defaultRule.Actions![0].Order, undefined);

    const modified = (await elb.send(new ModifyListenerCommand({ ListenerArn: l.ListenerArn, DefaultActions: [{ ...fixed, Order: 3 }] }))).Listeners![0];
    assert.equal(modified.DefaultActions![0].Order, 3);
    assert.equal((await elb.send(new DescribeListenersCommand({ ListenerArns: [l.ListenerArn!] }))).Listeners![0].DefaultActions![0].Order, 3);

    const conditions = [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/a'] } }];
    const rule = (await elb.send(new CreateRuleCommand({ ListenerArn: l.ListenerArn, Priority: 10, Conditions: conditions, Actions: [{ Type: 'forward', TargetGroupArn: tgArn }] }))).Rules![0];
    assert.equal(rule.Actions![0].Order, undefined);
    assert.equal(rule.Actions![0].TargetGroupArn, tgArn);
    const withOrder = (await elb.send(new ModifyRuleCommand({ RuleArn: rule.RuleArn, Actions: [{ Type: 'forward', TargetGroupArn: tgArn, Order: 7 }] }))).Rules![0];
    assert.equal(withOrder.Actions![0].Order, 7);
    const again = (await elb.send(new DescribeRulesCommand({ RuleArns: [rule.RuleArn!] }))).Rules![0];
    assert.equal(again.Actions![0].Order, 7);
  });

  it('answers CreateTargetGroup without LoadBalancerArns; Describe has it, in name order', async () => {
    const prefix = unique('s').slice(0, 10);
    const names = [`${prefix}-c`, `${prefix}-a`, `${prefix}-b`];
    for (const n of names) {
      const tg = (await elb.send(new CreateTargetGroupCommand({ Name: n, Protocol: 'HTTP', Port: 80, VpcId: net.vpcId }))).TargetGroups![0];
      assert.ok(!('LoadBalancerArns' in tg), 'CreateTargetGroup answers without LoadBalancerArns');
    }
    const all = (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups!;
    const got = all.map((t) => t.TargetGroupName!);
    assert.deepEqual(got, [...got].sort());
    assert.deepEqual(all.find((t) => t.TargetGroupName === names[0])!.LoadBalancerArns, []);
    const byName = (await elb.send(new DescribeTargetGroupsCommand({ Names: names }))).TargetGroups!.map((t) => t.TargetGroupName);
    assert.deepEqual(byName, [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
  });

  it('refuses DescribeTargetGroups for a load balancer without target groups', async () => {
    const lbArn = (await alb(elb, net)).LoadBalancerArn!;
    await rejects(elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn })), 'TargetGroupNotFound', /^One or more target groups not found$/);
  });

  it('refuses target group names with consecutive hyphens', async () => {
    await rejects(
      elb.send(new CreateTargetGroupCommand({ Name: 'new--targetgroup', Protocol: 'HTTP', Port: 80, VpcId: net.vpcId })),
      'ValidationError',
      /^1 validation error detected: Value 'new--targetgroup' at 'targetGroup\.targetGroupArn\.targetGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
    );
  });

  it('enforces the application load balancer quota DescribeAccountLimits reports', async () => {
    const limits = (await elb.send(new DescribeAccountLimitsCommand({}))).Limits!;
    const quota = Number(limits.find((l) => l.Name === 'application-load-balancers')!.Max);
    assert.equal(quota, 50);
    const existing = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers!;
    const apps = existing.filter((lb) => lb.Type === 'application').length;
    for (let i = apps; i < quota; i++) await alb(elb, net, `quota-${i}`);
    await rejects(alb(elb, net, 'quota-one-too-many'), 'TooManyLoadBalancers', /^The maximum number of load balancers has been reached\.$/);
    // The same settings still answer with the existing load balancer (idempotent, not a new one).
    assert.equal((await alb(elb, net, `quota-${quota - 1}`)).LoadBalancerName, `quota-${quota - 1}`);
  });
});
