// ELBv2 answers as AWS gives them (issue 20): listener protocols against the
// load balancer type, the standard enum validation message of the query
// protocol, legacy condition Values, and security groups of another VPC.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateRuleCommand, CreateTargetGroupCommand, DescribeSSLPoliciesCommand, ModifyListenerCommand, SetIpAddressTypeCommand,
  SetSecurityGroupsCommand, type Action, type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { alb, elbClient, httpGroup, network, unique, type Network } from './helpers.ts';

/** Asserts AWS's exact code, message and HTTP status (the SDK names modeled errors <Code>Exception). */
async function answers(p: Promise<unknown>, code: string, message: string, status = 400): Promise<void> {
  await assert.rejects(p, (err: any) => {
    assert.ok([code, `${code}Exception`].includes(err.name), `expected ${code}, got ${err.name}: ${err.message}`);
    assert.equal(err.message, message);
    assert.equal(err.$metadata?.httpStatusCode, status);
    return true;
  });
}

const enumMessage = (value: string, member: string, values: string) =>
  `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${values}]`;
const PROTOCOLS = 'HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE, QUIC, TCP_QUIC';

describe('ELBv2 answers as AWS does: listeners, enums, conditions, security groups', () => {
  let ln: TestLocalnet;
  let elb: ElasticLoadBalancingV2Client;
  let ec2: EC2Client;
  let net: Network;
  let albArn: string;
  let nlbArn: string;
  let tgArn: string;
  let tcpTgArn: string;
  const forward = (arn: string): Action[] => [{ Type: 'forward', TargetGroupArn: arn }];

  before(async () => {
    ln = await startTestLocalnet();
    elb = elbClient(ln);
    ec2 = ec2Client(ln);
    net = await network(ec2);
    albArn = (await alb(elb, net)).LoadBalancerArn!;
    nlbArn = (await elb.send(new CreateLoadBalancerCommand({ Name: unique('nlb'), Type: 'network', Subnets: [net.subnetA] }))).LoadBalancers![0].LoadBalancerArn!;
    tgArn = (await httpGroup(elb, net)).TargetGroupArn!;
    tcpTgArn = (await elb.send(new CreateTargetGroupCommand({ Name: unique('tcp'), Protocol: 'TCP', Port: 80, VpcId: net.vpcId }))).TargetGroups![0].TargetGroupArn!;
  });
  after(() => ln.stop());

  it('refuses a listener protocol wrong for an ALB or an NLB with AWS ValidationError', async () => {
    await answers(elb.send(new CreateListenerCommand({ LoadBalancerArn: albArn, Protocol: 'TCP', Port: 81, DefaultActions: forward(tgArn) })), 'ValidationError', "Listener protocol 'TCP' must be one of 'HTTPS, HTTP'");
    await answers(elb.send(new CreateListenerCommand({ LoadBalancerArn: nlbArn, Protocol: 'HTTP', Port: 81, DefaultActions: forward(tcpTgArn) })), 'ValidationError', "Listener protocol 'HTTP' must be one of 'TLS, TCP, TCP_UDP, UDP'");
    const l = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: albArn, Protocol: 'HTTP', Port: 82, DefaultActions: forward(tgArn) }))).Listeners![0];
    await answers(elb.send(new ModifyListenerCommand({ ListenerArn: l.ListenerArn, Protocol: 'UDP' })), 'ValidationError', "Listener protocol 'UDP' must be one of 'HTTPS, HTTP'");
    const n = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: nlbArn, Protocol: 'TCP', Port: 82, DefaultActions: forward(tcpTgArn) }))).Listeners![0];
    await answers(elb.send(new ModifyListenerCommand({ ListenerArn: n.ListenerArn, Protocol: 'HTTPS' })), 'ValidationError', "Listener protocol 'HTTPS' must be one of 'TLS, TCP, TCP_UDP, UDP'");
  });

  it('answers a value outside an enum with the standard validation message', async () => {
    await answers(elb.send(new CreateListenerCommand({ LoadBalancerArn: albArn, Protocol: 'http' as never, Port: 83, DefaultActions: forward(tgArn) })), 'ValidationError', enumMessage('http', 'protocol', PROTOCOLS));
    await answers(elb.send(new CreateListenerCommand({ LoadBalancerArn: nlbArn, Protocol: 'SCTP' as never, Port: 83, DefaultActions: forward(tcpTgArn) })), 'ValidationError', enumMessage('SCTP', 'protocol', PROTOCOLS));
    await answers(elb.send(new CreateTargetGroupCommand({ Name: unique('tg'), Protocol: 'HTTP', Port: 80, VpcId: net.vpcId, HealthCheckProtocol: 'FTP' as never })), 'ValidationError', enumMessage('FTP', 'healthCheckProtocol', PROTOCOLS));
    await answers(elb.send(new CreateTargetGroupCommand({ Name: unique('tg'), Protocol: 'HTTP', Port: 80, VpcId: net.vpcId, TargetType: 'container' as never })), 'ValidationError', enumMessage('container', 'targetType', 'instance, ip, lambda, alb'));
    await answers(elb.send(new CreateTargetGroupCommand({ Name: unique('tg'), Protocol: 'HTTP', Port: 80, VpcId: net.vpcId, IpAddressType: 'dualstack' as never })), 'ValidationError', enumMessage('dualstack', 'ipAddressType', 'ipv4, ipv6'));
    await answers(elb.send(new SetIpAddressTypeCommand({ LoadBalancerArn: albArn, IpAddressType: 'ipv6' as never })), 'ValidationError', enumMessage('ipv6', 'ipAddressType', 'ipv4, dualstack, dualstack-without-public-ipv4'));
    await answers(elb.send(new CreateLoadBalancerCommand({ Name: unique('lb'), Subnets: [net.subnetA, net.subnetB], Scheme: 'public' as never })), 'ValidationError', enumMessage('public', 'scheme', 'internet-facing, internal'));
    await answers(elb.send(new CreateLoadBalancerCommand({ Name: unique('lb'), Subnets: [net.subnetA, net.subnetB], Type: 'classic' as never })), 'ValidationError', enumMessage('classic', 'type', 'application, network, gateway'));
    await answers(elb.send(new DescribeSSLPoliciesCommand({ LoadBalancerType: 'classic' as never })), 'ValidationError', enumMessage('classic', 'loadBalancerType', 'application, network, gateway'));
  });

  it('takes one legacy Value for host-header and path-pattern; several need the *Config', async () => {
    const l = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: albArn, Protocol: 'HTTP', Port: 84, DefaultActions: forward(tgArn) }))).Listeners![0];
    const rule = (Conditions: any[], Priority: number) => elb.send(new CreateRuleCommand({ ListenerArn: l.ListenerArn, Priority, Conditions, Actions: forward(tgArn) }));
    await answers(rule([{ Field: 'host-header', Values: ['a.example.com', 'b.example.com'] }], 1), 'ValidationError', "A condition of type 'host-header' can have only one value in 'Values'; use 'HostHeaderConfig' to specify several values");
    await answers(rule([{ Field: 'path-pattern', Values: ['/a', '/b'] }], 1), 'ValidationError', "A condition of type 'path-pattern' can have only one value in 'Values'; use 'PathPatternConfig' to specify several values");
    await answers(rule([{ Field: 'host-header', Values: ['a.example.com'], HostHeaderConfig: { Values: ['b.example.com'] } }], 1), 'ValidationError', "You cannot provide both Values and 'HostHeaderConfig' for a condition of type 'host-header'");
    const one = (await rule([{ Field: 'host-header', Values: ['a.example.com'] }], 1)).Rules![0];
    assert.deepEqual(one.Conditions, [{ Field: 'host-header', Values: ['a.example.com'], HostHeaderConfig: { Values: ['a.example.com'] } }]);
    const several = (await rule([{ Field: 'path-pattern', PathPatternConfig: { Values: ['/a', '/b'] } }], 2)).Rules![0];
    assert.deepEqual(several.Conditions, [{ Field: 'path-pattern', Values: ['/a', '/b'], PathPatternConfig: { Values: ['/a', '/b'] } }]);
  });

  it('refuses a security group of another VPC with InvalidConfigurationRequest', async () => {
    const other = await network(ec2, '10.9.0.0/16', false);
    const message = `Security group "${other.sgId}" does not belong to VPC "${net.vpcId}"`;
    await answers(elb.send(new CreateLoadBalancerCommand({ Name: unique('lb'), Subnets: [net.subnetA, net.subnetB], SecurityGroups: [other.sgId] })), 'InvalidConfigurationRequest', message);
    await answers(elb.send(new SetSecurityGroupsCommand({ LoadBalancerArn: albArn, SecurityGroups: [net.sgId, other.sgId] })), 'InvalidConfigurationRequest', message);
  });
});
