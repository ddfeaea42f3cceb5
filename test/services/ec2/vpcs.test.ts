import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AssociateVpcCidrBlockCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  DisassociateVpcCidrBlockCommand,
  ModifyVpcAttributeCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { rejects } from '../../helpers/errors.ts';

describe('EC2 VPCs', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln);
  });
  after(() => ln.stop());

  it('has a default VPC with the AWS layout', async () => {
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    assert.equal(Vpcs?.length, 1);
    assert.equal(Vpcs![0].CidrBlock, '172.31.0.0/16');
    assert.equal(Vpcs![0].IsDefault, true);
    assert.match(Vpcs![0].VpcId!, /^vpc-[0-9a-f]{17}$/);
  });

  it('creates a VPC, canonicalising host bits, with tags', async () => {
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.18/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'main' }] }] }));
    assert.equal(Vpc?.CidrBlock, '10.1.0.0/16');
    assert.equal(Vpc?.State, 'pending');
    assert.deepEqual(Vpc?.Tags, [{ Key: 'Name', Value: 'main' }]);
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['ma*'] }] }));
    assert.equal(Vpcs?.length, 1);
    assert.equal(Vpcs![0].State, 'available');
    assert.equal(Vpcs![0].VpcId, Vpc?.VpcId);
  });

  it('refuses CIDRs outside /16../28 with InvalidVpc.Range and malformed ones with InvalidParameterValue', async () => {
    await rejects(ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/8' })), 'InvalidVpc.Range');
    await rejects(ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/29' })), 'InvalidVpc.Range');
    await rejects(ec2.send(new CreateVpcCommand({ CidrBlock: 'banana' })), 'InvalidParameterValue');
  });

  it('reports a missing VPC as InvalidVpcID.NotFound and a malformed id as Malformed', async () => {
    await rejects(ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-0123456789abcdef0'] })), 'InvalidVpcID.NotFound', /vpc-0123456789abcdef0/);
    await rejects(ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-zz'] })), 'InvalidVpcID.Malformed');
  });

  it('toggles DNS attributes one at a time', async () => {
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/16' }));
    const before = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: Vpc!.VpcId, Attribute: 'enableDnsHostnames' }));
    assert.equal(before.EnableDnsHostnames?.Value, false);
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: Vpc!.VpcId, EnableDnsHostnames: { Value: true } }));
    const after = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: Vpc!.VpcId, Attribute: 'enableDnsHostnames' }));
    assert.equal(after.EnableDnsHostnames?.Value, true);
    await rejects(ec2.send(new ModifyVpcAttributeCommand({ VpcId: Vpc!.VpcId, EnableDnsHostnames: { Value: true }, EnableDnsSupport: { Value: true } })), 'InvalidParameterCombination');
    await ec2.send(new DeleteVpcCommand({ VpcId: Vpc!.VpcId }));
  });

  it('associates and disassociates secondary CIDR blocks with AWS range rules', async () => {
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.3.0.0/16' }));
    const assoc = await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: Vpc!.VpcId, CidrBlock: '10.4.0.0/16' }));
    assert.equal(assoc.CidrBlockAssociation?.CidrBlock, '10.4.0.0/16');
    const withBoth = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [Vpc!.VpcId!] }] }));
    assert.deepEqual(withBoth.RouteTables![0].Routes!.map((r) => [r.DestinationCidrBlock, r.GatewayId]), [['10.3.0.0/16', 'local'], ['10.4.0.0/16', 'local']]);
    await rejects(ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: Vpc!.VpcId, CidrBlock: '192.168.0.0/16' })), 'InvalidVpc.Range', /restricted/);
    await rejects(ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: Vpc!.VpcId, CidrBlock: '10.4.0.0/20' })), 'InvalidVpc.Range');
    const primary = (await ec2.send(new DescribeVpcsCommand({ VpcIds: [Vpc!.VpcId!] }))).Vpcs![0].CidrBlockAssociationSet!.find((a) => a.CidrBlock === '10.3.0.0/16')!;
    await rejects(ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: primary.AssociationId })), 'OperationNotPermitted');
    await ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: assoc.CidrBlockAssociation!.AssociationId }));
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: [Vpc!.VpcId!] }));
    assert.deepEqual(Vpcs![0].CidrBlockAssociationSet!.map((a) => a.CidrBlock), ['10.3.0.0/16']);
    const { RouteTables } = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [Vpc!.VpcId!] }] }));
    assert.deepEqual(RouteTables![0].Routes!.map((r) => [r.DestinationCidrBlock, r.GatewayId]), [['10.3.0.0/16', 'local']]);
    await ec2.send(new DeleteVpcCommand({ VpcId: Vpc!.VpcId }));
  });

  it('gives the default network ACL its IPv6 rules when the VPC gains an IPv6 block', async () => {
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.6.0.0/16' }));
    const ipv6Rules = async () => {
      const { NetworkAcls } = await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [Vpc!.VpcId!] }, { Name: 'default', Values: ['true'] }] }));
      return NetworkAcls![0].Entries!.filter((e) => e.Ipv6CidrBlock).map((e) => [e.RuleNumber, e.RuleAction, e.Egress]);
    };
    assert.deepEqual(await ipv6Rules(), []);
    const assoc = await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: Vpc!.VpcId, AmazonProvidedIpv6CidrBlock: true }));
    assert.match(assoc.Ipv6CidrBlockAssociation!.Ipv6CidrBlock!, /^2600:1f[0-9a-f]{2}:[0-9a-f:]+\/56$/);
    assert.deepEqual((await ipv6Rules()).sort(), [[101, 'allow', false], [101, 'allow', true], [32768, 'deny', false], [32768, 'deny', true]].sort());
    await ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: assoc.Ipv6CidrBlockAssociation!.AssociationId }));
    await ec2.send(new DeleteVpcCommand({ VpcId: Vpc!.VpcId }));
  });

  it('refuses to delete a VPC with a subnet (DependencyViolation) and changes nothing', async () => {
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.5.0.0/16' }));
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: '10.5.1.0/24' }));
    await rejects(ec2.send(new DeleteVpcCommand({ VpcId: Vpc!.VpcId })), 'DependencyViolation');
    await ec2.send(new DescribeVpcsCommand({ VpcIds: [Vpc!.VpcId!] }));
    await ec2.send(new DeleteSubnetCommand({ SubnetId: Subnet!.SubnetId }));
    await ec2.send(new DeleteVpcCommand({ VpcId: Vpc!.VpcId }));
    await rejects(ec2.send(new DescribeVpcsCommand({ VpcIds: [Vpc!.VpcId!] })), 'InvalidVpcID.NotFound');
  });

  it('enforces the 5-VPC quota (the default VPC counts)', async () => {
    const have = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs!.length;
    for (let i = have; i < 5; i++) await ec2.send(new CreateVpcCommand({ CidrBlock: `10.${20 + i}.0.0/16` }));
    await rejects(ec2.send(new CreateVpcCommand({ CidrBlock: '10.99.0.0/16' })), 'VpcLimitExceeded');
  });

  it('answers DryRun with DryRunOperation and creates nothing', async () => {
    const n = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs!.length;
    await rejects(ec2.send(new DescribeVpcsCommand({ DryRun: true })), 'DryRunOperation');
    await rejects(ec2.send(new DeleteVpcCommand({ VpcId: 'vpc-0123456789abcdef0', DryRun: true })), 'InvalidVpcID.NotFound');
    assert.equal((await ec2.send(new DescribeVpcsCommand({}))).Vpcs!.length, n);
  });

  it('pages with MaxResults / NextToken and rejects out-of-range sizes', async () => {
    const all = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs!.map((v) => v.VpcId);
    const first = await ec2.send(new DescribeVpcsCommand({ MaxResults: 5 }));
    assert.equal(first.Vpcs!.length, Math.min(5, all.length));
    await rejects(ec2.send(new DescribeVpcsCommand({ MaxResults: 4 })), 'InvalidParameterValue');
    await rejects(ec2.send(new DescribeVpcsCommand({ NextToken: 'garbage' })), 'InvalidPaginationToken');
  });

  it('keeps every VPC across a restart', async () => {
    const before = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs!.map((v) => v.VpcId).sort();
    ln = await ln.restart();
    ec2 = ec2Client(ln);
    const after = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs!.map((v) => v.VpcId).sort();
    assert.deepEqual(after, before);
  });
});
