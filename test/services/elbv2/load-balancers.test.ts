// Load balancers through the SDK: creation rules and errors, the records EC2
// shows for them, attributes, security groups, subnets, address types,
// deletion (protection included), and their DNS names in localnet's views.
import assert from 'node:assert/strict';
import { promises as dns } from 'node:dns';
import { after, before, describe, it } from 'node:test';
import { CreateSecurityGroupCommand, CreateSubnetCommand, DescribeNetworkInterfacesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateLoadBalancerCommand, DeleteLoadBalancerCommand, DescribeLoadBalancerAttributesCommand, DescribeLoadBalancersCommand, ModifyLoadBalancerAttributesCommand,
  SetIpAddressTypeCommand, SetSecurityGroupsCommand, SetSubnetsCommand, type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { alb, elbClient, network, rejects, unique, type Network } from './helpers.ts';
import { LB_PREFIX } from '../../helpers/slot.ts';

describe('ELBv2 load balancers', () => {
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

  it('creates an internet-facing ALB: AWS-shaped answer, provisioning then active, an ENI per subnet', async () => {
    const name = unique('web');
    const lb = await alb(elb, net, name);
    assert.match(lb.LoadBalancerArn!, new RegExp(`^arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/${name}/[0-9a-f]{16}$`));
    assert.match(lb.DNSName!, new RegExp(`^${name}-\\d{9,10}\\.us-east-1\\.elb\\.amazonaws\\.com$`));
    assert.equal(lb.CanonicalHostedZoneId, 'Z35SXDOTRQ7X7K');
    assert.equal(lb.State!.Code, 'provisioning');
    assert.equal(lb.Scheme, 'internet-facing');
    assert.equal(lb.Type, 'application');
    assert.equal(lb.IpAddressType, 'ipv4');
    assert.equal(lb.VpcId, net.vpcId);
    assert.deepEqual(lb.SecurityGroups, [net.sgId]);
    assert.deepEqual(lb.AvailabilityZones!.map((z) => [z.ZoneName, z.SubnetId]).sort(), [['us-east-1a', net.subnetA], ['us-east-1b', net.subnetB]]);
    const later = (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lb.LoadBalancerArn!] }))).LoadBalancers![0];
    assert.equal(later.State!.Code, 'active');
    const id = lb.LoadBalancerArn!.split('/').pop();
    const enis = (await ec2.send(new DescribeNetworkInterfacesCommand({}))).NetworkInterfaces!.filter((e) => e.Description === `ELB app/${name}/${id}`);
    assert.equal(enis.length, 2);
    for (const e of enis) {
      assert.equal(e.RequesterManaged, true);
      assert.equal(e.InterfaceType, 'interface');
      assert.deepEqual(e.Groups!.map((g) => g.GroupId), [net.sgId]);
    }
  });

  it('is idempotent for the same settings and refuses the same name with others (DuplicateLoadBalancerName)', async () => {
    const name = unique('dup');
    const a = await alb(elb, net, name);
    const b = await alb(elb, net, name);
    assert.equal(a.LoadBalancerArn, b.LoadBalancerArn);
    await rejects(elb.send(new CreateLoadBalancerCommand({ Name: name, Subnets: [net.subnetA, net.subnetB], Scheme: 'internal' })), 'DuplicateLoadBalancerName');
  });

  it('validates names, subnets, zones, VPCs, security groups and the internet gateway', async () => {
    const create = (input: Record<string, unknown>) => elb.send(new CreateLoadBalancerCommand({ Name: unique('v'), Subnets: [net.subnetA, net.subnetB], ...input }));
    await rejects(create({ Name: 'a'.repeat(33) }), 'ValidationError', /32/);
    await rejects(create({ Name: '-bad' }), 'ValidationError', /hyphen/);
    await rejects(create({ Name: 'bad_name' }), 'ValidationError');
    await rejects(create({ Name: 'internal-x' }), 'ValidationError', /internal-/);
    await rejects(create({ Subnets: [net.subnetA] }), 'ValidationError', /At least two subnets in two different Availability Zones must be specified/);
    await rejects(create({ Subnets: [net.subnetA, 'subnet-0123456789abcdef0'] }), 'SubnetNotFound');
    await rejects(create({ SecurityGroups: ['sg-0123456789abcdef0'] }), 'InvalidSecurityGroup');
    await rejects(create({ Scheme: 'public' }), 'ValidationError', /enum value set/);
    const other = await network(ec2, '10.9.0.0/16');
    await rejects(create({ Subnets: [net.subnetA, other.subnetB] }), 'InvalidConfigurationRequest', /same VPC/);
    await rejects(create({ SecurityGroups: [other.sgId] }), 'InvalidConfigurationRequest');
    const sameZone = (await ec2.send(new CreateSubnetCommand({ VpcId: net.vpcId, CidrBlock: '10.0.3.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
    await rejects(create({ Subnets: [net.subnetA, sameZone, net.subnetB] }), 'InvalidConfigurationRequest', /same Availability Zone/);
    const closed = await network(ec2, '10.8.0.0/16', false);
    await rejects(create({ Subnets: [closed.subnetA, closed.subnetB] }), 'InvalidSubnet', /no internet gateway/);
    // An internal load balancer needs no internet gateway; an ALB without groups gets the VPC's default group.
    const internal = (await create({ Subnets: [closed.subnetA, closed.subnetB], Scheme: 'internal' })).LoadBalancers![0];
    assert.match(internal.DNSName!, /^internal-v-/);
    assert.equal(internal.SecurityGroups!.length, 1);
    assert.notEqual(internal.SecurityGroups![0], closed.sgId);
  });

  it('creates a network load balancer in one subnet with NLB names and zone id', async () => {
    const name = unique('nlb');
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: name, Type: 'network', Subnets: [net.subnetA] }))).LoadBalancers![0];
    assert.match(lb.LoadBalancerArn!, /:loadbalancer\/net\//);
    const id = lb.LoadBalancerArn!.split('/').pop();
    assert.equal(lb.DNSName, `${name}-${id}.elb.us-east-1.amazonaws.com`);
    assert.equal(lb.CanonicalHostedZoneId, 'Z26RNL4JYFTOTI');
    assert.equal(lb.SecurityGroups, undefined);
    assert.ok(lb.AvailabilityZones![0].LoadBalancerAddresses![0].IpAddress);
    const eni = (await ec2.send(new DescribeNetworkInterfacesCommand({}))).NetworkInterfaces!.find((e) => e.Description === `ELB net/${name}/${id}`)!;
    assert.equal(eni.InterfaceType, 'network_load_balancer');
    await rejects(elb.send(new SetSecurityGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn, SecurityGroups: [net.sgId] })), 'InvalidConfigurationRequest');
  });

  it('describes by name and ARN, pages, and reports what is missing', async () => {
    const a = await alb(elb, net);
    const byName = await elb.send(new DescribeLoadBalancersCommand({ Names: [a.LoadBalancerName!] }));
    assert.equal(byName.LoadBalancers![0].LoadBalancerArn, a.LoadBalancerArn);
    await rejects(elb.send(new DescribeLoadBalancersCommand({ Names: ['nope'] })), 'LoadBalancerNotFound', /nope/);
    await rejects(elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [a.LoadBalancerArn!.replace(/[0-9a-f]{16}$/, '0000000000000000')] })), 'LoadBalancerNotFound');
    await rejects(elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: ['arn:nope'] })), 'ValidationError');
    const all = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers!;
    const first = await elb.send(new DescribeLoadBalancersCommand({ PageSize: 2 }));
    assert.equal(first.LoadBalancers!.length, 2);
    assert.ok(first.NextMarker);
    const rest = await elb.send(new DescribeLoadBalancersCommand({ PageSize: 400, Marker: first.NextMarker }));
    assert.equal(first.LoadBalancers!.length + rest.LoadBalancers!.length, all.length);
    await rejects(elb.send(new DescribeLoadBalancersCommand({ PageSize: 401 })), 'ValidationError');
  });

  it('lists AWS default attributes, validates changes, and honours deletion protection', async () => {
    const lb = await alb(elb, net);
    const attrs = Object.fromEntries((await elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Attributes!.map((a) => [a.Key, a.Value]));
    assert.equal(attrs['idle_timeout.timeout_seconds'], '60');
    assert.equal(attrs['deletion_protection.enabled'], 'false');
    assert.equal(attrs['routing.http2.enabled'], 'true');
    assert.equal(attrs['routing.http.xff_header_processing.mode'], 'append');
    const modify = (Key: string, Value: string) => elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn, Attributes: [{ Key, Value }] }));
    await rejects(modify('idle_timeout.timeout_seconds', '0'), 'ValidationError');
    await rejects(modify('idle_timeout.timeout_seconds', '4001'), 'ValidationError');
    await rejects(modify('no.such.key', 'x'), 'ValidationError', /not recognized/);
    await rejects(modify('routing.http2.enabled', 'yes'), 'ValidationError');
    const changed = await modify('idle_timeout.timeout_seconds', '120');
    assert.equal(changed.Attributes!.find((a) => a.Key === 'idle_timeout.timeout_seconds')!.Value, '120');
    await modify('deletion_protection.enabled', 'true');
    await rejects(elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn })), 'OperationNotPermitted', /deletion protection/);
    await modify('deletion_protection.enabled', 'false');
    const eniCount = async () => (await ec2.send(new DescribeNetworkInterfacesCommand({}))).NetworkInterfaces!.filter((e) => e.Description?.includes(lb.LoadBalancerName!)).length;
    assert.equal(await eniCount(), 2);
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    assert.equal(await eniCount(), 0);
    await rejects(elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lb.LoadBalancerArn!] })), 'LoadBalancerNotFound');
    // Deleting again succeeds, as on AWS.
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
  });

  it('changes security groups, subnets and the IP address type', async () => {
    const lb = await alb(elb, net);
    const sg2 = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: unique('grp'), Description: 'x', VpcId: net.vpcId }))).GroupId!;
    const set = await elb.send(new SetSecurityGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn, SecurityGroups: [sg2] }));
    assert.deepEqual(set.SecurityGroupIds, [sg2]);
    const enis = (await ec2.send(new DescribeNetworkInterfacesCommand({}))).NetworkInterfaces!.filter((e) => e.Description?.includes(lb.LoadBalancerName!));
    assert.ok(enis.every((e) => e.Groups![0].GroupId === sg2));
    await rejects(elb.send(new SetSecurityGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn, SecurityGroups: ['sg-0123456789abcdef0'] })), 'InvalidSecurityGroup');
    const subnetC = (await ec2.send(new CreateSubnetCommand({ VpcId: net.vpcId, CidrBlock: '10.0.4.0/24', AvailabilityZone: 'us-east-1c' }))).Subnet!.SubnetId!;
    const moved = await elb.send(new SetSubnetsCommand({ LoadBalancerArn: lb.LoadBalancerArn, Subnets: [net.subnetA, subnetC] }));
    assert.deepEqual(moved.AvailabilityZones!.map((z) => z.ZoneName).sort(), ['us-east-1a', 'us-east-1c']);
    await rejects(elb.send(new SetSubnetsCommand({ LoadBalancerArn: lb.LoadBalancerArn, Subnets: [net.subnetA] })), 'ValidationError', /two different Availability Zones/);
    await rejects(elb.send(new SetIpAddressTypeCommand({ LoadBalancerArn: lb.LoadBalancerArn, IpAddressType: 'dualstack' })), 'InvalidSubnet', /IPv6/);
    assert.equal((await elb.send(new SetIpAddressTypeCommand({ LoadBalancerArn: lb.LoadBalancerArn, IpAddressType: 'ipv4' }))).IpAddressType, 'ipv4');
  });

  it('gives each load balancer its own loopback address and serves its DNS name in the right views', async () => {
    const pub = await alb(elb, net);
    const internalNet = await network(ec2, '10.7.0.0/16');
    const internal = await alb(elb, internalNet, unique('int'), 'internal');
    const a = ln.store.get<{ _address: string }>('elbv2:load-balancer', { account: '000000000000', region: 'us-east-1' }, pub.LoadBalancerArn!)!._address;
    const b = ln.store.get<{ _address: string }>('elbv2:load-balancer', { account: '000000000000', region: 'us-east-1' }, internal.LoadBalancerArn!)!._address;
    // The test process's load balancer block (test/helpers/slot.ts).
    assert.match(a, new RegExp(`^${LB_PREFIX.replace('.', '\\.')}\\.\\d+\\.\\d+$`));
    assert.notEqual(a, b);
    await ln.dns.ready();
    const h = (await (await fetch(`${ln.endpoint}/_localnet/health`)).json()) as any;
    const resolver = (addr: string) => {
      const r = new dns.Resolver({ timeout: 2000, tries: 1 });
      r.setServers([addr]);
      return r;
    };
    assert.deepEqual(await resolver(h.ports.dns).resolve4(pub.DNSName!), [a]);
    assert.deepEqual(await resolver(h.ports.dns).resolve4(`dualstack.${pub.DNSName}`), [a]);
    await assert.rejects(resolver(h.ports.dns).resolve4(internal.DNSName!));
    assert.deepEqual(await resolver(h.ports[`dns ${internalNet.vpcId}`]).resolve4(internal.DNSName!), [b]);
  });
});
