// Target groups and targets through the SDK: AWS defaults and ranges,
// attributes, registration rules, and DescribeTargetHealth's states and
// reasons as the control plane knows them (and as the health checker reports).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateSubnetCommand, StopInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand, CreateTargetGroupCommand, DeleteListenerCommand, DeleteTargetGroupCommand, DeregisterTargetsCommand, DescribeTargetGroupAttributesCommand, DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand, ModifyTargetGroupAttributesCommand, ModifyTargetGroupCommand, RegisterTargetsCommand, type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { writeTargetHealth, targetKey } from '../../../src/services/elbv2/state.ts';
import { KIND } from '../../../src/records/kinds.ts';
import { alb, elbClient, httpGroup, network, rejects, unique, type Network } from './helpers.ts';

const scope = { account: '000000000000', region: 'us-east-1' };

describe('ELBv2 target groups and targets', () => {
  let ln: TestLocalnet;
  let elb: ElasticLoadBalancingV2Client;
  let ec2: EC2Client;
  let net: Network;
  before(async () => {
    ln = await startTestLocalnet();
    elb = elbClient(ln);
    ec2 = ec2Client(ln);
    net = await network(ec2);
  });
  after(() => ln.stop());

  it('creates an HTTP group with AWS health check defaults and attributes', async () => {
    const tg = await httpGroup(elb, net);
    assert.match(tg.TargetGroupArn!, /^arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup\/tg-[0-9a-f]{8}\/[0-9a-f]{16}$/);
    assert.equal(tg.TargetType, 'instance');
    assert.equal(tg.HealthCheckProtocol, 'HTTP');
    assert.equal(tg.HealthCheckPort, 'traffic-port');
    assert.equal(tg.HealthCheckPath, '/');
    assert.equal(tg.HealthCheckIntervalSeconds, 30);
    assert.equal(tg.HealthCheckTimeoutSeconds, 5);
    assert.equal(tg.HealthyThresholdCount, 5);
    assert.equal(tg.UnhealthyThresholdCount, 2);
    assert.equal(tg.Matcher!.HttpCode, '200');
    assert.equal(tg.ProtocolVersion, 'HTTP1');
    assert.ok(!('LoadBalancerArns' in tg)); // CreateTargetGroup's answer has none, as AWS's
    const attrs = Object.fromEntries((await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn }))).Attributes!.map((a) => [a.Key, a.Value]));
    assert.equal(attrs['deregistration_delay.timeout_seconds'], '300');
    assert.equal(attrs['stickiness.enabled'], 'false');
    assert.equal(attrs['stickiness.type'], 'lb_cookie');
    assert.equal(attrs['stickiness.lb_cookie.duration_seconds'], '86400');
    assert.equal(attrs['slow_start.duration_seconds'], '0');
    assert.equal(attrs['load_balancing.algorithm.type'], 'round_robin');
    const modify = (Key: string, Value: string) => elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn, Attributes: [{ Key, Value }] }));
    await rejects(modify('deregistration_delay.timeout_seconds', '3601'), 'ValidationError');
    await rejects(modify('slow_start.duration_seconds', '10'), 'ValidationError');
    await rejects(modify('stickiness.type', 'source_ip'), 'InvalidConfigurationRequest');
    assert.equal((await modify('slow_start.duration_seconds', '30')).Attributes!.find((a) => a.Key === 'slow_start.duration_seconds')!.Value, '30');
  });

  it('validates creation and health check ranges', async () => {
    const create = (input: Record<string, unknown>) => elb.send(new CreateTargetGroupCommand({ Name: unique('t'), Protocol: 'HTTP', Port: 80, VpcId: net.vpcId, ...input }));
    await rejects(create({ Protocol: undefined }), 'ValidationError', /protocol/);
    await rejects(create({ Port: undefined }), 'ValidationError', /port/);
    await rejects(create({ VpcId: 'vpc-0123456789abcdef0' }), 'ValidationError', /not found/);
    await rejects(create({ HealthCheckIntervalSeconds: 4 }), 'ValidationError');
    await rejects(create({ HealthCheckIntervalSeconds: 301 }), 'ValidationError');
    await rejects(create({ HealthCheckTimeoutSeconds: 1 }), 'ValidationError');
    await rejects(create({ HealthCheckIntervalSeconds: 10, HealthCheckTimeoutSeconds: 10 }), 'ValidationError', /smaller than the interval/);
    await rejects(create({ HealthyThresholdCount: 11 }), 'ValidationError');
    await rejects(create({ UnhealthyThresholdCount: 1 }), 'ValidationError');
    await rejects(create({ Matcher: { HttpCode: '500' } }), 'ValidationError');
    await rejects(create({ HealthCheckPath: 'health' }), 'ValidationError');
    await rejects(create({ Name: 'bad_name' }), 'ValidationError');
    assert.equal((await create({ Matcher: { HttpCode: '200-299,302' } })).TargetGroups![0].Matcher!.HttpCode, '200-299,302');
    const name = unique('same');
    const a = (await create({ Name: name })).TargetGroups![0];
    const b = (await create({ Name: name })).TargetGroups![0];
    assert.equal(a.TargetGroupArn, b.TargetGroupArn);
    await rejects(create({ Name: name, Port: 8080 }), 'DuplicateTargetGroupName');
    const tcp = (await create({ Protocol: 'TCP' })).TargetGroups![0];
    assert.equal(tcp.HealthCheckProtocol, 'TCP');
    assert.equal(tcp.HealthCheckPath, undefined);
  });

  it('modifies health checks, describes by name, ARN and load balancer, and deletes', async () => {
    const tg = await httpGroup(elb, net);
    const m = (await elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn, HealthCheckPath: '/health', HealthCheckIntervalSeconds: 10, HealthCheckTimeoutSeconds: 2, Matcher: { HttpCode: '200,204' } }))).TargetGroups![0];
    assert.equal(m.HealthCheckPath, '/health');
    assert.equal(m.HealthCheckIntervalSeconds, 10);
    await rejects(elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn, HealthCheckTimeoutSeconds: 10 })), 'ValidationError');
    assert.equal((await elb.send(new DescribeTargetGroupsCommand({ Names: [tg.TargetGroupName!] }))).TargetGroups![0].TargetGroupArn, tg.TargetGroupArn);
    await rejects(elb.send(new DescribeTargetGroupsCommand({ Names: ['nope'] })), 'TargetGroupNotFound');
    const lb = await alb(elb, net);
    const listener = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] }))).Listeners![0];
    const used = (await elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).TargetGroups!;
    assert.deepEqual(used.map((t) => t.TargetGroupArn), [tg.TargetGroupArn]);
    assert.deepEqual(used[0].LoadBalancerArns, [lb.LoadBalancerArn]);
    await rejects(elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn })), 'ResourceInUse');
    await elb.send(new DeleteListenerCommand({ ListenerArn: listener.ListenerArn }));
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn }));
    await rejects(elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tg.TargetGroupArn!] })), 'TargetGroupNotFound');
  });

  it('registers instances and IPs with AWS rules', async () => {
    const tg = await httpGroup(elb, net);
    const reg = (Targets: { Id: string; Port?: number; AvailabilityZone?: string }[], arn = tg.TargetGroupArn) => elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets }));
    await reg([{ Id: net.instanceId }, { Id: net.instanceId, Port: 8080 }]);
    await rejects(reg([{ Id: 'i-0123456789abcdef0' }]), 'InvalidTarget');
    const other = await network(ec2, '10.6.0.0/16');
    await rejects(reg([{ Id: other.instanceId }]), 'InvalidTarget', /VPC/);
    await rejects(reg([{ Id: net.instanceId, Port: 70000 }]), 'ValidationError');
    const ipGroup = await httpGroup(elb, net, unique('ip'), { TargetType: 'ip' });
    await reg([{ Id: '10.0.1.10' }], ipGroup.TargetGroupArn);
    await rejects(reg([{ Id: '8.8.8.8' }], ipGroup.TargetGroupArn), 'InvalidTarget');
    await rejects(reg([{ Id: '192.168.1.1' }], ipGroup.TargetGroupArn), 'ValidationError', /'all'/);
    await reg([{ Id: '192.168.1.1', AvailabilityZone: 'all' }], ipGroup.TargetGroupArn);
    const health = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }))).TargetHealthDescriptions!;
    assert.deepEqual(health.map((h) => h.Target!.Port).sort(), [80, 8080]);
    // The group is used by no load balancer yet.
    assert.ok(health.every((h) => h.TargetHealth!.State === 'unused' && h.TargetHealth!.Reason === 'Target.NotInUse'));
    assert.deepEqual(health.map((h) => h.HealthCheckPort).sort(), ['80', '8080']);
    const unknown = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: net.instanceId, Port: 9000 }] }))).TargetHealthDescriptions![0];
    assert.equal(unknown.TargetHealth!.Reason, 'Target.NotRegistered');
    await rejects(elb.send(new DeregisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: net.instanceId, Port: 9000 }] })), 'InvalidTarget');
  });

  it('reports initial, checker results, zone and instance-state reasons, and draining', async () => {
    const tg = await httpGroup(elb, net);
    const lb = await alb(elb, net);
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] }));
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: net.instanceId }] }));
    const one = async () => (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: net.instanceId }] }))).TargetHealthDescriptions![0].TargetHealth!;
    const first = await one();
    // Either nothing has checked yet, or the data plane already reported.
    assert.ok(first.State === 'initial' || first.State === 'healthy' || first.State === 'unhealthy', JSON.stringify(first));
    if (first.State === 'initial') assert.match(first.Reason!, /^Elb\.(RegistrationInProgress|InitialHealthChecking)$/);
    // The data plane starts the checker after the answer; let its first report land (bounded) before standing in for the next one.
    const key = targetKey(tg.TargetGroupArn!, net.instanceId, 80);
    await ln.lb.reconcile();
    for (let i = 0; i < 100 && !ln.store.get(KIND.targetHealth, scope, key); i++) await new Promise((r) => setTimeout(r, 20));
    writeTargetHealth(ln.store, scope, key, { State: 'unhealthy', Reason: 'Target.Timeout', Description: 'Request timed out', _updatedAt: new Date(Date.now() + 60_000).toISOString() });
    assert.deepEqual(await one(), { State: 'unhealthy', Reason: 'Target.Timeout', Description: 'Request timed out' });

    await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: net.instanceId }] }));
    assert.deepEqual(await one(), { State: 'draining', Reason: 'Target.DeregistrationInProgress', Description: 'Target deregistration is in progress' });
    await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '0' }] }));
    assert.equal((await one()).Reason, 'Target.NotRegistered');

    await ec2.send(new StopInstancesCommand({ InstanceIds: [net.instanceId] }));
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: net.instanceId }] }));
    assert.deepEqual(await one(), { State: 'unused', Reason: 'Target.InvalidState', Description: 'Target is in the stopped state' });

    // An IP in a zone the load balancer does not use.
    const ipGroup = await httpGroup(elb, net, unique('ipz'), { TargetType: 'ip' });
    const lb2 = await alb(elb, net);
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb2.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: ipGroup.TargetGroupArn }] }));
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: ipGroup.TargetGroupArn, Targets: [{ Id: '10.0.200.5' }] }));
    await ec2.send(new CreateSubnetCommand({ VpcId: net.vpcId, CidrBlock: '10.0.200.0/24', AvailabilityZone: 'us-east-1d' }));
    const z = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: ipGroup.TargetGroupArn }))).TargetHealthDescriptions![0].TargetHealth!;
    assert.equal(z.Reason, 'Target.NotInUse');
    assert.match(z.Description!, /Availability Zone/);
  });
});
