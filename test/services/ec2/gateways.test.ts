import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteInternetGatewayCommand,
  DeleteNatGatewayCommand,
  DescribeAddressesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  DisassociateAddressCommand,
  ReleaseAddressCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { seedInstance, seedInterface } from './routing-fixtures.ts';
import { rejects } from '../../helpers/errors.ts';
// Elastic IPs come from the test process's public address block (test/helpers/slot.ts).
import { PUBLIC_IP } from '../../helpers/slot.ts';

describe('EC2 internet gateways', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln);
  });
  after(() => ln.stop());

  it('shows the default VPC\'s gateway attached with state available', async () => {
    const vpcId = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0].VpcId!;
    const { InternetGateways } = await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }] }));
    assert.equal(InternetGateways?.length, 1);
    assert.deepEqual(InternetGateways![0].Attachments, [{ VpcId: vpcId, State: 'available' }]);
    assert.match(InternetGateways![0].InternetGatewayId!, /^igw-[0-9a-f]{17}$/);
  });

  it('attaches one gateway per VPC and one VPC per gateway, detaches and deletes', async () => {
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.10.0.0/16' }));
    const { Vpc: other } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.11.0.0/16' }));
    const { InternetGateway } = await ec2.send(new CreateInternetGatewayCommand({ TagSpecifications: [{ ResourceType: 'internet-gateway', Tags: [{ Key: 'Name', Value: 'edge' }] }] }));
    const igw = InternetGateway!.InternetGatewayId!;
    assert.deepEqual(InternetGateway!.Attachments, []);
    assert.deepEqual(InternetGateway!.Tags, [{ Key: 'Name', Value: 'edge' }]);

    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: Vpc!.VpcId }));
    await rejects(ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: other!.VpcId })), 'Resource.AlreadyAssociated', new RegExp(`${igw} is already attached to network ${Vpc!.VpcId}`));
    const { InternetGateway: second } = await ec2.send(new CreateInternetGatewayCommand({}));
    await rejects(ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: second!.InternetGatewayId, VpcId: Vpc!.VpcId })), 'InvalidParameterValue', /already has an internet gateway attached/);

    await rejects(ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw })), 'DependencyViolation', /internetGateway '.*' has dependencies/);
    await rejects(ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: other!.VpcId })), 'Gateway.NotAttached', new RegExp(`${igw} is not attached to network ${other!.VpcId}`));

    const attached = await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.state', Values: ['available'] }, { Name: 'tag:Name', Values: ['edge'] }] }));
    assert.deepEqual(attached.InternetGateways!.map((g) => g.InternetGatewayId), [igw]);

    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: Vpc!.VpcId }));
    await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw }));
    await rejects(ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [igw] })), 'InvalidInternetGatewayID.NotFound', new RegExp(`The internetGateway ID '${igw}' does not exist`));
    await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: second!.InternetGatewayId }));
  });

  it('refuses to detach while the VPC maps public addresses', async () => {
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.12.0.0/16' }));
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: '10.12.1.0/24' }));
    const { InternetGateway } = await ec2.send(new CreateInternetGatewayCommand({}));
    const igw = InternetGateway!.InternetGatewayId!;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: Vpc!.VpcId }));
    const eni = seedInterface(ln, 'us-east-1', Subnet!.SubnetId!);
    const { AllocationId } = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    const { AssociationId } = await ec2.send(new AssociateAddressCommand({ AllocationId, NetworkInterfaceId: eni.NetworkInterfaceId }));
    await rejects(ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: Vpc!.VpcId })), 'DependencyViolation', new RegExp(`Network ${Vpc!.VpcId} has some mapped public address\\(es\\)`));
    await ec2.send(new DisassociateAddressCommand({ AssociationId }));
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: Vpc!.VpcId }));
    await ec2.send(new ReleaseAddressCommand({ AllocationId }));
  });

  it('pages gateways and enforces the 5-per-region quota', async () => {
    const eu = ec2Client(ln, { region: 'eu-west-1' });
    const have = (await eu.send(new DescribeInternetGatewaysCommand({}))).InternetGateways!.length;
    for (let i = have; i < 5; i++) await eu.send(new CreateInternetGatewayCommand({}));
    await rejects(eu.send(new CreateInternetGatewayCommand({})), 'InternetGatewayLimitExceeded');
    const first = await eu.send(new DescribeInternetGatewaysCommand({ MaxResults: 5 }));
    assert.equal(first.InternetGateways!.length, 5);
    assert.equal(first.NextToken, undefined);
    const partial = await eu.send(new DescribeInternetGatewaysCommand({ MaxResults: 5, Filters: [{ Name: 'owner-id', Values: ['000000000000'] }] }));
    assert.equal(partial.InternetGateways!.length, 5);
    await rejects(eu.send(new DescribeInternetGatewaysCommand({ MaxResults: 4 })), 'InvalidParameterValue');
  });
});

describe('EC2 Elastic IPs', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  const region = 'us-west-2';
  let vpcId: string;
  let subnetId: string;
  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln, { region });
    vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }))).Vpc!.VpcId!;
    subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.20.1.0/24' }))).Subnet!.SubnetId!;
  });
  after(() => ln.stop());

  it('allocates VPC addresses from the public address block, describes and releases them', async () => {
    const a = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc', TagSpecifications: [{ ResourceType: 'elastic-ip', Tags: [{ Key: 'role', Value: 'web' }] }] }));
    assert.match(a.AllocationId!, /^eipalloc-[0-9a-f]{17}$/);
    assert.match(a.PublicIp!, PUBLIC_IP);
    assert.equal(a.Domain, 'vpc');
    assert.equal(a.NetworkBorderGroup, region);
    const byIp = await ec2.send(new DescribeAddressesCommand({ PublicIps: [a.PublicIp!] }));
    assert.equal(byIp.Addresses![0].AllocationId, a.AllocationId);
    assert.deepEqual(byIp.Addresses![0].Tags, [{ Key: 'role', Value: 'web' }]);
    const byTag = await ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: 'tag:role', Values: ['web'] }, { Name: 'domain', Values: ['vpc'] }] }));
    assert.deepEqual(byTag.Addresses!.map((x) => x.AllocationId), [a.AllocationId]);

    await rejects(ec2.send(new ReleaseAddressCommand({ PublicIp: a.PublicIp })), 'InvalidParameterValue', /must specify an allocation id/);
    await rejects(ec2.send(new ReleaseAddressCommand({ PublicIp: '203.0.113.254' })), 'AuthFailure');
    await ec2.send(new ReleaseAddressCommand({ AllocationId: a.AllocationId }));
    await rejects(ec2.send(new ReleaseAddressCommand({ AllocationId: a.AllocationId })), 'InvalidAllocationID.NotFound', new RegExp(`The allocation ID '${a.AllocationId}' does not exist`));
    await rejects(ec2.send(new DescribeAddressesCommand({ PublicIps: [a.PublicIp!] })), 'InvalidAddress.NotFound');
  });

  it('associates to an interface only when its VPC has an internet gateway', async () => {
    const eni = seedInterface(ln, region, subnetId);
    const { AllocationId, PublicIp } = await ec2.send(new AllocateAddressCommand({}));
    await rejects(ec2.send(new AssociateAddressCommand({ AllocationId, NetworkInterfaceId: eni.NetworkInterfaceId })), 'Gateway.NotAttached', new RegExp(`Network ${vpcId} is not attached to any internet gateway`));
    const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));

    const { AssociationId } = await ec2.send(new AssociateAddressCommand({ AllocationId, NetworkInterfaceId: eni.NetworkInterfaceId }));
    assert.match(AssociationId!, /^eipassoc-[0-9a-f]{17}$/);
    const { Addresses } = await ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: 'network-interface-id', Values: [eni.NetworkInterfaceId] }] }));
    assert.equal(Addresses?.length, 1);
    assert.equal(Addresses![0].PublicIp, PublicIp);
    assert.equal(Addresses![0].AssociationId, AssociationId);
    assert.equal(Addresses![0].PrivateIpAddress, eni.PrivateIpAddress);
    assert.equal(Addresses![0].NetworkInterfaceOwnerId, '000000000000');
    await rejects(ec2.send(new ReleaseAddressCommand({ AllocationId })), 'InvalidIPAddress.InUse', new RegExp(`allocation id \\[${AllocationId}\\] is in use`));

    // Moving it needs AllowReassociation.
    const other = seedInterface(ln, region, subnetId);
    await rejects(ec2.send(new AssociateAddressCommand({ AllocationId, NetworkInterfaceId: other.NetworkInterfaceId })), 'Resource.AlreadyAssociated', new RegExp(`${AllocationId} is already associated with associate-id ${AssociationId}`));
    const moved = await ec2.send(new AssociateAddressCommand({ AllocationId, NetworkInterfaceId: other.NetworkInterfaceId, AllowReassociation: true }));
    const after = (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [AllocationId!] }))).Addresses![0];
    assert.equal(after.NetworkInterfaceId, other.NetworkInterfaceId);
    assert.equal(after.AssociationId, moved.AssociationId);
    assert.equal((await ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: 'network-interface-id', Values: [eni.NetworkInterfaceId] }] }))).Addresses!.length, 0);

    await rejects(ec2.send(new DisassociateAddressCommand({ AssociationId })), 'InvalidAssociationID.NotFound');
    await ec2.send(new DisassociateAddressCommand({ AssociationId: moved.AssociationId }));
    const free = (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [AllocationId!] }))).Addresses![0];
    assert.equal(free.AssociationId, undefined);
    assert.equal(free.NetworkInterfaceId, undefined);
    await ec2.send(new ReleaseAddressCommand({ AllocationId }));
  });

  it('associates to an instance through its primary interface', async () => {
    const { instanceId, eni } = seedInstance(ln, region, subnetId);
    const { AllocationId } = await ec2.send(new AllocateAddressCommand({}));
    await ec2.send(new AssociateAddressCommand({ AllocationId, InstanceId: instanceId }));
    const { Addresses } = await ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: 'instance-id', Values: [instanceId] }] }));
    assert.equal(Addresses?.length, 1);
    assert.equal(Addresses![0].NetworkInterfaceId, eni.NetworkInterfaceId);
    assert.equal(Addresses![0].PrivateIpAddress, eni.PrivateIpAddress);
    await rejects(ec2.send(new AssociateAddressCommand({ AllocationId, InstanceId: 'i-0123456789abcdef0' })), 'InvalidInstanceID.NotFound');
    await ec2.send(new DisassociateAddressCommand({ PublicIp: Addresses![0].PublicIp }));
    await ec2.send(new ReleaseAddressCommand({ AllocationId }));
  });

  it('enforces the 5-address quota', async () => {
    const have = (await ec2.send(new DescribeAddressesCommand({}))).Addresses!.length;
    const ips = new Set<string>();
    for (let i = have; i < 5; i++) ips.add((await ec2.send(new AllocateAddressCommand({}))).PublicIp!);
    assert.equal(ips.size, 5 - have, 'every allocation gets its own address');
    await rejects(ec2.send(new AllocateAddressCommand({})), 'AddressLimitExceeded', /maximum number of addresses/);
  });
});

describe('EC2 NAT gateways', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  const region = 'eu-central-1';
  let vpcId: string;
  let publicSubnet: string;
  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln, { region });
    vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.30.0.0/16' }))).Vpc!.VpcId!;
    publicSubnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.30.0.0/24' }))).Subnet!.SubnetId!;
  });
  after(() => ln.stop());

  it('creates a public gateway that fails without an internet gateway, as AWS does', async () => {
    const { AllocationId } = await ec2.send(new AllocateAddressCommand({}));
    const { NatGateway } = await ec2.send(new CreateNatGatewayCommand({ SubnetId: publicSubnet, AllocationId }));
    assert.equal(NatGateway?.State, 'pending');
    const now = (await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [NatGateway!.NatGatewayId!] }))).NatGateways![0];
    assert.equal(now.State, 'failed');
    assert.equal(now.FailureCode, 'Gateway.NotAttached');
    assert.equal(now.FailureMessage, `Network ${vpcId} has no Internet gateway attached`);
    // A failed gateway keeps nothing: the address stays free.
    assert.equal((await ec2.send(new DescribeAddressesCommand({ AllocationIds: [AllocationId!] }))).Addresses![0].AssociationId, undefined);
    await ec2.send(new ReleaseAddressCommand({ AllocationId }));
  });

  it('creates, describes and deletes a public NAT gateway holding an Elastic IP', async () => {
    const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    const { AllocationId, PublicIp } = await ec2.send(new AllocateAddressCommand({}));
    const created = await ec2.send(new CreateNatGatewayCommand({ SubnetId: publicSubnet, AllocationId, ClientToken: 'nat-1', TagSpecifications: [{ ResourceType: 'natgateway', Tags: [{ Key: 'Name', Value: 'nat-a' }] }] }));
    const natId = created.NatGateway!.NatGatewayId!;
    assert.match(natId, /^nat-[0-9a-f]{17}$/);
    assert.equal(created.ClientToken, 'nat-1');
    assert.equal(created.NatGateway!.State, 'pending');
    assert.equal(created.NatGateway!.VpcId, vpcId);

    const again = await ec2.send(new CreateNatGatewayCommand({ SubnetId: publicSubnet, AllocationId, ClientToken: 'nat-1' }));
    assert.equal(again.NatGateway!.NatGatewayId, natId, 'the same ClientToken returns the same gateway');

    const nat = (await ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'tag:Name', Values: ['nat-a'] }] }))).NatGateways![0];
    assert.equal(nat.NatGatewayId, natId);
    assert.equal(nat.State, 'available');
    assert.equal(nat.ConnectivityType, 'public');
    const addr = nat.NatGatewayAddresses![0];
    assert.equal(addr.AllocationId, AllocationId);
    assert.equal(addr.PublicIp, PublicIp);
    assert.match(addr.PrivateIp!, /^10\.30\.0\.\d+$/);
    assert.match(addr.NetworkInterfaceId!, /^eni-/);

    // The Elastic IP now belongs to the gateway's interface and cannot be taken or released.
    const eip = (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [AllocationId!] }))).Addresses![0];
    assert.equal(eip.NetworkInterfaceId, addr.NetworkInterfaceId);
    assert.equal(eip.PrivateIpAddress, addr.PrivateIp);
    await rejects(ec2.send(new ReleaseAddressCommand({ AllocationId })), 'InvalidIPAddress.InUse');
    await rejects(ec2.send(new DisassociateAddressCommand({ AssociationId: eip.AssociationId })), 'AuthFailure');

    // A second gateway on the same address is created and then fails.
    const clash = await ec2.send(new CreateNatGatewayCommand({ SubnetId: publicSubnet, AllocationId }));
    const failed = (await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [clash.NatGateway!.NatGatewayId!] }))).NatGateways![0];
    assert.equal(failed.State, 'failed');
    assert.equal(failed.FailureCode, 'Resource.AlreadyAssociated');

    const del = await ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: natId }));
    assert.equal(del.NatGatewayId, natId);
    const gone = (await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [natId] }))).NatGateways![0];
    assert.equal(gone.State, 'deleted');
    assert.ok(gone.DeleteTime instanceof Date);
    const freed = (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [AllocationId!] }))).Addresses![0];
    assert.equal(freed.AssociationId, undefined, 'the Elastic IP stays allocated but is disassociated');
    await ec2.send(new ReleaseAddressCommand({ AllocationId }));
  });

  it('creates a private NAT gateway without an address, filters and pages', async () => {
    const { NatGateway } = await ec2.send(new CreateNatGatewayCommand({ SubnetId: publicSubnet, ConnectivityType: 'private' }));
    const nat = (await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [NatGateway!.NatGatewayId!] }))).NatGateways![0];
    assert.equal(nat.State, 'available');
    assert.equal(nat.ConnectivityType, 'private');
    assert.equal(nat.NatGatewayAddresses![0].PublicIp, undefined);
    const { AllocationId } = await ec2.send(new AllocateAddressCommand({}));
    await rejects(ec2.send(new CreateNatGatewayCommand({ SubnetId: publicSubnet, ConnectivityType: 'private', AllocationId })), 'InvalidParameterCombination');
    await rejects(ec2.send(new CreateNatGatewayCommand({ SubnetId: publicSubnet })), 'MissingParameter');
    await rejects(ec2.send(new CreateNatGatewayCommand({ SubnetId: publicSubnet, AllocationId: 'eipalloc-0123456789abcdef0' })), 'InvalidAllocationID.NotFound');

    const available = await ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'state', Values: ['available'] }, { Name: 'vpc-id', Values: [vpcId] }, { Name: 'subnet-id', Values: [publicSubnet] }] }));
    assert.deepEqual(available.NatGateways!.map((n) => n.NatGatewayId), [NatGateway!.NatGatewayId]);
    for (let i = 0; i < 2; i++) await ec2.send(new CreateNatGatewayCommand({ SubnetId: publicSubnet, ConnectivityType: 'private' }));
    const all = (await ec2.send(new DescribeNatGatewaysCommand({}))).NatGateways!;
    assert.ok(all.length > 5, `have ${all.length}`);
    const page1 = await ec2.send(new DescribeNatGatewaysCommand({ MaxResults: 5 }));
    const page2 = await ec2.send(new DescribeNatGatewaysCommand({ MaxResults: 5, NextToken: page1.NextToken }));
    assert.equal(page1.NatGateways!.length, 5);
    assert.equal(page2.NextToken, undefined);
    assert.deepEqual([...page1.NatGateways!, ...page2.NatGateways!].map((n) => n.NatGatewayId), all.map((n) => n.NatGatewayId));

    await rejects(ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: ['nat-0123456789abcdef0'] })), 'NatGatewayNotFound', /NAT gateway nat-0123456789abcdef0 was not found/);
    await rejects(ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: 'nat-0123456789abcdef0' })), 'NatGatewayNotFound');
  });
});
