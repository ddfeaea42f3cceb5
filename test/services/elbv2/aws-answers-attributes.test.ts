// Issue 20 "ELBv2 answers as AWS does": stickiness against the target
// group's protocol, health check timing by protocol, and the attribute lists
// (NLB secondary IPs, IPv6 internet gateway blocking), through the SDK.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateLoadBalancerCommand, CreateTargetGroupCommand, DescribeLoadBalancerAttributesCommand, ModifyLoadBalancerAttributesCommand, ModifyTargetGroupAttributesCommand, ModifyTargetGroupCommand,
  type ElasticLoadBalancingV2Client, type ProtocolEnum,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { modifyTargetGroupAttributeMap, targetGroupAttributeDefaults } from '../../../src/services/elbv2/attributes.ts';
import type { TargetGroup } from '../../../src/services/elbv2/types.ts';
import { alb, elbClient, network, rejects, unique, type Network } from './helpers.ts';

const exact = (s: string) => new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

describe('ELBv2 answers as AWS does: attributes and health check timing', () => {
  let ln: TestLocalnet;
  let elb: ElasticLoadBalancingV2Client;
  let ec2: EC2Client;
  let net: Network;
  before(async () => {
    ln = await startTestLocalnet(mkdtempSync('/tmp/i20a-'));
    elb = elbClient(ln);
    ec2 = ec2Client(ln);
    net = await network(ec2);
  });
  after(() => ln.stop());

  const group = async (Protocol: string, extra: Record<string, unknown> = {}) =>
    (await elb.send(new CreateTargetGroupCommand({ Name: unique('tg'), Protocol: Protocol as ProtocolEnum, Port: 80, VpcId: net.vpcId, ...extra }))).TargetGroups![0];
  const modifyAttrs = (arn: string, Key: string, Value: string) => elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key, Value }] }));

  it('refuses a stickiness type the protocol does not support', async () => {
    for (const protocol of ['TCP', 'UDP', 'TCP_UDP', 'TLS']) {
      const tg = await group(protocol);
      for (const type of ['lb_cookie', 'app_cookie']) {
        await rejects(modifyAttrs(tg.TargetGroupArn!, 'stickiness.type', type), 'InvalidConfigurationRequest', exact(`Stickiness type '${type}' is not supported for target groups with the ${protocol} protocol`));
      }
      await rejects(modifyAttrs(tg.TargetGroupArn!, 'stickiness.type', 'cookie'), 'ValidationError', exact("'Stickiness type' must be one of [app_cookie, lb_cookie, source_ip]"));
    }
    for (const protocol of ['HTTP', 'HTTPS']) {
      const tg = protocol === 'HTTP' ? await group('HTTP') : await group('HTTPS');
      await rejects(modifyAttrs(tg.TargetGroupArn!, 'stickiness.type', 'source_ip'), 'InvalidConfigurationRequest', exact(`Stickiness type 'source_ip' is not supported for target groups with the ${protocol} protocol`));
      const ok = await modifyAttrs(tg.TargetGroupArn!, 'stickiness.type', 'app_cookie');
      assert.equal(ok.Attributes!.find((a) => a.Key === 'stickiness.type')!.Value, 'app_cookie');
    }
    const tcp = await group('TCP');
    const on = await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tcp.TargetGroupArn, Attributes: [{ Key: 'stickiness.type', Value: 'source_ip' }, { Key: 'stickiness.enabled', Value: 'true' }] }));
    assert.equal(on.Attributes!.find((a) => a.Key === 'stickiness.enabled')!.Value, 'true');
  });

  it('refuses stickiness on TLS target groups', async () => {
    const tls = await group('TLS');
    await rejects(modifyAttrs(tls.TargetGroupArn!, 'stickiness.enabled', 'true'), 'InvalidConfigurationRequest', /^Stickiness is not supported for target groups with the TLS protocol$/);
    assert.equal((await modifyAttrs(tls.TargetGroupArn!, 'stickiness.enabled', 'false')).Attributes!.find((a) => a.Key === 'stickiness.enabled')!.Value, 'false');
  });

  it('answers GENEVE groups with the list of stickiness types', () => {
    // GENEVE groups cannot be created in localnet (NotImplemented), so the rule is checked directly.
    const tg = { Protocol: 'GENEVE', TargetType: 'ip' } as TargetGroup;
    tg._attributes = targetGroupAttributeDefaults(tg);
    for (const type of ['lb_cookie', 'app_cookie', 'source_ip']) {
      assert.throws(() => modifyTargetGroupAttributeMap(tg, [{ Key: 'stickiness.type', Value: type }]), (e: any) => e.code === 'ValidationError' && e.message === "'Stickiness type' must be one of [app_cookie, lb_cookie, source_ip]");
    }
  });

  it('lets NLB groups have a timeout equal to the interval, and keeps HTTP strict', async () => {
    for (const protocol of ['TCP', 'TLS', 'UDP', 'TCP_UDP']) {
      const tg = await group(protocol, { HealthCheckIntervalSeconds: 10, HealthCheckTimeoutSeconds: 10 });
      assert.equal(tg.HealthCheckTimeoutSeconds, 10);
      assert.equal(tg.HealthCheckIntervalSeconds, 10);
      await rejects(group(protocol, { HealthCheckIntervalSeconds: 10, HealthCheckTimeoutSeconds: 11 }), 'ValidationError', exact("Health check timeout '11' must be smaller than or equal to the interval '10'"));
      const modify = (input: Record<string, number>) => elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn, ...input }));
      await rejects(modify({ HealthCheckIntervalSeconds: 20, HealthCheckTimeoutSeconds: 30 }), 'ValidationError', exact("Health check timeout '30' must be smaller than or equal to the interval '20'"));
      await rejects(modify({ HealthCheckTimeoutSeconds: 11 }), 'ValidationError', exact('Health check interval must be greater than the timeout.'));
      assert.equal((await modify({ HealthCheckIntervalSeconds: 20, HealthCheckTimeoutSeconds: 20 })).TargetGroups![0].HealthCheckTimeoutSeconds, 20);
    }
    // Only the interval given: the NLB default timeout (10) clashes with 5.
    await rejects(group('TCP', { HealthCheckIntervalSeconds: 5 }), 'ValidationError', exact('Health check interval must be greater than the timeout.'));
    for (const protocol of ['HTTP', 'HTTPS']) {
      await rejects(group(protocol, { HealthCheckIntervalSeconds: 10, HealthCheckTimeoutSeconds: 10 }), 'ValidationError', exact("Health check timeout '10' must be smaller than the interval '10'"));
      // Only the interval given: the HTTP default timeout (5) equals it.
      await rejects(group(protocol, { HealthCheckIntervalSeconds: 5 }), 'ValidationError', exact('Health check interval must be greater than the timeout.'));
      await rejects(group(protocol, { HealthCheckTimeoutSeconds: 30 }), 'ValidationError', exact('Health check interval must be greater than the timeout.'));
      const tg = await group(protocol);
      await rejects(elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn, HealthCheckIntervalSeconds: 5 })), 'ValidationError', exact('Health check interval must be greater than the timeout.'));
    }
  });

  it('lists secondary_ips.auto_assigned.per_subnet on NLBs (0 to 7, default 0)', async () => {
    const nlb = (await elb.send(new CreateLoadBalancerCommand({ Name: unique('nlb'), Type: 'network', Subnets: [net.subnetA] }))).LoadBalancers![0];
    const attrs = Object.fromEntries((await elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: nlb.LoadBalancerArn }))).Attributes!.map((a) => [a.Key, a.Value]));
    assert.equal(attrs['secondary_ips.auto_assigned.per_subnet'], '0');
    assert.equal(attrs['ipv6.deny_all_igw_traffic'], 'false');
    const modify = (Key: string, Value: string) => elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: nlb.LoadBalancerArn, Attributes: [{ Key, Value }] }));
    await rejects(modify('secondary_ips.auto_assigned.per_subnet', '8'), 'ValidationError', /secondary_ips\.auto_assigned\.per_subnet/);
    await rejects(modify('secondary_ips.auto_assigned.per_subnet', '-1'), 'ValidationError');
    const changed = await modify('secondary_ips.auto_assigned.per_subnet', '7');
    assert.equal(changed.Attributes!.find((a) => a.Key === 'secondary_ips.auto_assigned.per_subnet')!.Value, '7');
    await rejects(modify('idle_timeout.timeout_seconds', '120'), 'InvalidConfigurationRequest', exact("Load balancer attribute key 'idle_timeout.timeout_seconds' is not supported on load balancers with type 'network'"));

    const lb = await alb(elb, net);
    const albModify = (Key: string, Value: string) => elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn, Attributes: [{ Key, Value }] }));
    await rejects(albModify('secondary_ips.auto_assigned.per_subnet', '1'), 'InvalidConfigurationRequest', exact("Load balancer attribute key 'secondary_ips.auto_assigned.per_subnet' is not supported on load balancers with type 'application'"));
    await rejects(albModify('no.such.key', 'x'), 'ValidationError', exact("Load balancer attribute key 'no.such.key' is not recognized"));
    assert.equal((await albModify('ipv6.deny_all_igw_traffic', 'true')).Attributes!.find((a) => a.Key === 'ipv6.deny_all_igw_traffic')!.Value, 'true');
  });

  it('gives NLB groups AWS defaults per protocol and refuses what AWS documents as impossible', async () => {
    const attrsOf = (list: { Key?: string; Value?: string }[]) => Object.fromEntries(list.map((a) => [a.Key, a.Value]));
    const udp = await group('UDP');
    const described = attrsOf((await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: udp.TargetGroupArn, Attributes: [{ Key: 'proxy_protocol_v2.enabled', Value: 'false' }] }))).Attributes!);
    assert.equal(described['deregistration_delay.connection_termination.enabled'], 'true');
    assert.equal(described['preserve_client_ip.enabled'], 'true');
    assert.equal(described['target_health_state.unhealthy.connection_termination.enabled'], 'false');
    await rejects(modifyAttrs(udp.TargetGroupArn!, 'preserve_client_ip.enabled', 'false'), 'InvalidConfigurationRequest');
    await rejects(modifyAttrs(udp.TargetGroupArn!, 'target_health_state.unhealthy.connection_termination.enabled', 'true'), 'InvalidConfigurationRequest');
    const tcp = await group('TCP', { TargetType: 'ip' });
    const tcpAttrs = attrsOf((await modifyAttrs(tcp.TargetGroupArn!, 'proxy_protocol_v2.enabled', 'true')).Attributes!);
    assert.equal(tcpAttrs['deregistration_delay.connection_termination.enabled'], 'false');
    assert.equal(tcpAttrs['preserve_client_ip.enabled'], 'false');
    assert.equal(tcpAttrs['target_health_state.unhealthy.connection_termination.enabled'], 'true');
    await rejects(modifyAttrs(tcp.TargetGroupArn!, 'target_health_state.unhealthy.draining_interval_seconds', '60'), 'InvalidConfigurationRequest');
    const drained = await elb.send(new ModifyTargetGroupAttributesCommand({
      TargetGroupArn: tcp.TargetGroupArn,
      Attributes: [{ Key: 'target_health_state.unhealthy.connection_termination.enabled', Value: 'false' }, { Key: 'target_health_state.unhealthy.draining_interval_seconds', Value: '60' }],
    }));
    assert.equal(attrsOf(drained.Attributes!)['target_health_state.unhealthy.draining_interval_seconds'], '60');
    const http = await group('HTTP');
    await rejects(modifyAttrs(http.TargetGroupArn!, 'stickiness.app_cookie.cookie_name', 'AWSALBTG1'), 'ValidationError');
    assert.equal(attrsOf((await modifyAttrs(http.TargetGroupArn!, 'stickiness.app_cookie.cookie_name', 'session')).Attributes!)['stickiness.app_cookie.cookie_name'], 'session');
  });

  it('refuses to decrease secondary_ips.auto_assigned.per_subnet', async () => {
    const nlb = (await elb.send(new CreateLoadBalancerCommand({ Name: unique('nlb'), Type: 'network', Subnets: [net.subnetA] }))).LoadBalancers![0];
    const modify = (Value: string) => elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: nlb.LoadBalancerArn, Attributes: [{ Key: 'secondary_ips.auto_assigned.per_subnet', Value }] }));
    await modify('2');
    await rejects(modify('1'), 'InvalidConfigurationRequest');
    await modify('3');
  });
});
