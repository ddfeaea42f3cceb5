// Shared by the ELBv2 tests: an ELBv2 client on a test localnet, a small
// network (VPC with an internet gateway, two subnets in two zones, a security
// group, an instance), and an assertion on AWS error codes.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AttachInternetGatewayCommand, CreateInternetGatewayCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { CreateLoadBalancerCommand, CreateTargetGroupCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { clientConfig, type ClientOptions } from '../../helpers/localnet.ts';
import type { Localnet } from '../../../src/server.ts';

export function elbClient(ln: Localnet, opts?: ClientOptions): ElasticLoadBalancingV2Client {
  return new ElasticLoadBalancingV2Client(clientConfig(ln, opts));
}

/** Asserts the call fails with the AWS error code (the SDK names modeled errors <Code>Exception). */
/** Asserts the call fails with the AWS error code (the SDK names modeled errors <Code>Exception). */
export async function rejects(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (err: any) => {
    const codes = [code, `${code}Exception`];
    assert.ok(codes.includes(err.name) || codes.includes(err.Code), `expected ${code}, got ${err.name}: ${err.message}`);
    if (message) assert.match(err.message, message);
    return true;
  });
}

export interface Network {
  vpcId: string;
  subnetA: string;
  subnetB: string;
  sgId: string;
  instanceId: string;
}

/** A VPC 10.0.0.0/16 with an internet gateway, subnets in us-east-1a and us-east-1b, a security group and a running instance. */
export async function network(ec2: EC2Client, cidr = '10.0.0.0/16', withIgw = true): Promise<Network> {
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
  if (withIgw) {
    const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
  }
  const base = cidr.split('.').slice(0, 2).join('.');
  const subnetA = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `${base}.1.0/24`, AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
  const subnetB = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `${base}.2.0/24`, AvailabilityZone: 'us-east-1b' }))).Subnet!.SubnetId!;
  const sgId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `lb-${randomUUID().slice(0, 8)}`, Description: 'load balancer', VpcId: vpcId }))).GroupId!;
  const instanceId = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0abcdef1234567890', MinCount: 1, MaxCount: 1, SubnetId: subnetA }))).Instances![0].InstanceId!;
  return { vpcId, subnetA, subnetB, sgId, instanceId };
}

export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export async function alb(elb: ElasticLoadBalancingV2Client, net: Network, name = unique('alb'), scheme: 'internet-facing' | 'internal' = 'internet-facing') {
  return (await elb.send(new CreateLoadBalancerCommand({ Name: name, Subnets: [net.subnetA, net.subnetB], SecurityGroups: [net.sgId], Scheme: scheme }))).LoadBalancers![0];
}

export async function httpGroup(elb: ElasticLoadBalancingV2Client, net: Network, name = unique('tg'), extra: Record<string, unknown> = {}) {
  return (await elb.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 80, VpcId: net.vpcId, ...extra }))).TargetGroups![0];
}
