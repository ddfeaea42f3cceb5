import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AssignPrivateIpAddressesCommand,
  AttachNetworkInterfaceCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteNetworkInterfaceCommand,
  DescribeNetworkInterfaceAttributeCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DetachNetworkInterfaceCommand,
  ModifyNetworkInterfaceAttributeCommand,
  RunInstancesCommand,
  UnassignPrivateIpAddressesCommand,
  type EC2Client,
  type NetworkInterface,
} from '@aws-sdk/client-ec2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { rejects } from '../../helpers/errors.ts';

describe('EC2 network interfaces', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  let vpcId: string;
  let subnetA: string;
  let subnetB: string;
  let defaultSg: string;
  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln);
    vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
    subnetA = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/28', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
    subnetB = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.2.0/24', AvailabilityZone: 'us-east-1b' }))).Subnet!.SubnetId!;
    const sgs = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: ['default'] }] }));
    defaultSg = sgs.SecurityGroups![0].GroupId!;
  });
  after(() => ln.stop());

  async function describeOne(id: string): Promise<NetworkInterface> {
    const { NetworkInterfaces } = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [id] }));
    return NetworkInterfaces![0];
  }

  it('creates an interface on the first free address with the VPC default group, and never hands out reserved or taken addresses', async () => {
    const { NetworkInterface: eni } = await ec2.send(
      new CreateNetworkInterfaceCommand({ SubnetId: subnetA, Description: 'web', TagSpecifications: [{ ResourceType: 'network-interface', Tags: [{ Key: 'Name', Value: 'web-eni' }] }] }),
    );
    assert.match(eni!.NetworkInterfaceId!, /^eni-[0-9a-f]{17}$/);
    // .0-.3 are reserved in every subnet.
    assert.equal(eni!.PrivateIpAddress, '10.0.1.4');
    assert.equal(eni!.PrivateDnsName, 'ip-10-0-1-4.ec2.internal');
    assert.equal(eni!.Status, 'available');
    assert.equal(eni!.InterfaceType, 'interface');
    assert.equal(eni!.VpcId, vpcId);
    assert.equal(eni!.AvailabilityZone, 'us-east-1a');
    assert.equal(eni!.SourceDestCheck, true);
    assert.equal(eni!.RequesterManaged, false);
    assert.match(eni!.MacAddress!, /^02(:[0-9a-f]{2}){5}$/);
    assert.deepEqual(eni!.Groups?.map((g) => [g.GroupId, g.GroupName]), [[defaultSg, 'default']]);
    assert.deepEqual(eni!.TagSet, [{ Key: 'Name', Value: 'web-eni' }]);

    await rejects(ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetA, PrivateIpAddress: '10.0.1.4' })), 'InvalidIPAddress.InUse');
    await rejects(ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetA, PrivateIpAddress: '10.0.1.2' })), 'InvalidParameterValue', /reserved/);
    await rejects(ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetA, PrivateIpAddress: '10.0.1.15' })), 'InvalidParameterValue', /reserved/);
    await rejects(ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetA, PrivateIpAddress: '10.0.9.9' })), 'InvalidParameterValue', /range/);
    await rejects(ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: 'subnet-0123456789abcdef0' })), 'InvalidSubnetID.NotFound');
    await rejects(ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetA, Groups: ['sg-0123456789abcdef0'] })), 'InvalidGroup.NotFound');

    // A requested primary and secondaries, then counted ones that skip them.
    const { NetworkInterface: multi } = await ec2.send(
      new CreateNetworkInterfaceCommand({
        SubnetId: subnetA,
        PrivateIpAddresses: [{ PrivateIpAddress: '10.0.1.10', Primary: true }, { PrivateIpAddress: '10.0.1.5' }],
        SecondaryPrivateIpAddressCount: 2,
      }),
    );
    assert.equal(multi!.PrivateIpAddress, '10.0.1.10');
    assert.deepEqual(multi!.PrivateIpAddresses?.map((a) => [a.PrivateIpAddress, a.Primary]), [
      ['10.0.1.10', true],
      ['10.0.1.5', false],
      ['10.0.1.6', false],
      ['10.0.1.7', false],
    ]);
    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetA] }));
    // A /28 has 11 usable addresses; five are now held.
    assert.equal(Subnets![0].AvailableIpAddressCount, 6);

    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: multi!.NetworkInterfaceId }));
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni!.NetworkInterfaceId }));
    await rejects(ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni!.NetworkInterfaceId!] })), 'InvalidNetworkInterfaceID.NotFound');
    await rejects(ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ['eni-bad'] })), 'InvalidNetworkInterfaceId.Malformed');
    await rejects(ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni!.NetworkInterfaceId })), 'InvalidNetworkInterfaceID.NotFound');
  });

  it('fills a subnet and then refuses with InsufficientFreeAddressesInSubnet', async () => {
    const small = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.3.0/28', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
    const made: string[] = [];
    for (let i = 0; i < 11; i++) made.push((await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: small }))).NetworkInterface!.NetworkInterfaceId!);
    await rejects(ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: small })), 'InsufficientFreeAddressesInSubnet');
    const { NetworkInterfaces } = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'subnet-id', Values: [small] }] }));
    const addresses = NetworkInterfaces!.map((e) => e.PrivateIpAddress).sort((a, b) => Number(a!.split('.')[3]) - Number(b!.split('.')[3]));
    assert.deepEqual(addresses, Array.from({ length: 11 }, (_, i) => `10.0.3.${i + 4}`));
    for (const id of made) await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: id }));
  });

  it('filters and pages', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      ids.push((await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetB, Description: `pool-${i}` }))).NetworkInterface!.NetworkInterfaceId!);
    }
    const first = await describeOne(ids[0]);
    const cases: [string, string, number][] = [
      ['description', 'pool-*', 6],
      ['subnet-id', subnetB, 6],
      ['vpc-id', vpcId, 6],
      ['availability-zone', 'us-east-1b', 6],
      ['group-id', defaultSg, 6],
      ['status', 'available', 6],
      ['requester-managed', 'false', 6],
      ['source-dest-check', 'true', 6],
      ['interface-type', 'interface', 6],
      ['owner-id', first.OwnerId!, 6],
      ['network-interface-id', ids[0], 1],
      ['private-ip-address', first.PrivateIpAddress!, 1],
      ['addresses.private-ip-address', first.PrivateIpAddress!, 1],
      ['private-dns-name', first.PrivateDnsName!, 1],
      ['attachment.instance-id', 'i-0123456789abcdef0', 0],
    ];
    for (const [name, value, count] of cases) {
      const { NetworkInterfaces } = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: name, Values: [value] }, { Name: 'subnet-id', Values: [subnetB] }] }));
      assert.equal(NetworkInterfaces?.length, count, `${name}=${value}`);
    }
    await rejects(ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'bogus', Values: ['x'] }] })), 'InvalidParameterValue');
    const p1 = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'subnet-id', Values: [subnetB] }], MaxResults: 5 }));
    assert.equal(p1.NetworkInterfaces?.length, 5);
    const p2 = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'subnet-id', Values: [subnetB] }], MaxResults: 5, NextToken: p1.NextToken }));
    assert.equal(p2.NetworkInterfaces?.length, 1);
    assert.equal(p2.NextToken, undefined);
    for (const id of ids) await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: id }));
  });

  it('attaches to an instance in the same zone, one interface per device index, and never detaches the primary', async () => {
    const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SubnetId: subnetB }));
    const instanceId = Instances![0].InstanceId!;
    const primary = Instances![0].NetworkInterfaces![0];
    const eni = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetB }))).NetworkInterface!;
    const other = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetB }))).NetworkInterface!;
    const elsewhere = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetA }))).NetworkInterface!;

    const { AttachmentId } = await ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterfaceId, InstanceId: instanceId, DeviceIndex: 1 }));
    assert.match(AttachmentId!, /^eni-attach-[0-9a-f]{17}$/);
    const attached = await describeOne(eni.NetworkInterfaceId!);
    assert.equal(attached.Status, 'in-use');
    assert.equal(attached.Attachment?.InstanceId, instanceId);
    assert.equal(attached.Attachment?.DeviceIndex, 1);
    assert.equal(attached.Attachment?.Status, 'attached');
    assert.equal(attached.Attachment?.DeleteOnTermination, false);
    const byInstance = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }));
    assert.deepEqual(byInstance.NetworkInterfaces?.map((e) => e.Attachment?.DeviceIndex).sort(), [0, 1]);

    await rejects(ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: other.NetworkInterfaceId, InstanceId: instanceId, DeviceIndex: 1 })), 'InvalidParameterValue', /device index '1'/);
    await rejects(ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: elsewhere.NetworkInterfaceId, InstanceId: instanceId, DeviceIndex: 2 })), 'InvalidParameterCombination', /availability zone/);
    await rejects(ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterfaceId, InstanceId: instanceId, DeviceIndex: 3 })), 'InvalidNetworkInterface.InUse');
    await rejects(ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: other.NetworkInterfaceId, InstanceId: 'i-0123456789abcdef0', DeviceIndex: 2 })), 'InvalidInstanceID.NotFound');
    await rejects(ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterfaceId })), 'InvalidNetworkInterface.InUse');
    await rejects(ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: primary.NetworkInterfaceId })), 'InvalidNetworkInterface.InUse');
    await rejects(ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: primary.Attachment!.AttachmentId })), 'OperationNotPermitted', /device index 0/);
    await rejects(ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: 'eni-attach-0123456789abcdef0' })), 'InvalidAttachmentID.NotFound');
    await rejects(ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: eni.NetworkInterfaceId })), 'InvalidNetworkInterfaceAttachmentId.Malformed');

    await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni.NetworkInterfaceId, Attachment: { AttachmentId, DeleteOnTermination: true } }));
    assert.equal((await describeOne(eni.NetworkInterfaceId!)).Attachment?.DeleteOnTermination, true);

    await ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId }));
    const detached = await describeOne(eni.NetworkInterfaceId!);
    assert.equal(detached.Status, 'available');
    assert.equal(detached.Attachment, undefined);
    for (const e of [eni, other, elsewhere]) await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: e.NetworkInterfaceId }));
  });

  it('modifies source/dest check, description and security groups one at a time', async () => {
    const eni = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetB }))).NetworkInterface!;
    const id = eni.NetworkInterfaceId!;
    const { GroupId: web } = await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: 'web', Description: 'web' }));
    const otherVpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc!.VpcId!;
    const { GroupId: foreign } = await ec2.send(new CreateSecurityGroupCommand({ VpcId: otherVpc, GroupName: 'far', Description: 'far' }));

    await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, SourceDestCheck: { Value: false } }));
    await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Description: { Value: 'nat box' } }));
    await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Groups: [web!, defaultSg] }));
    const after = await describeOne(id);
    assert.equal(after.SourceDestCheck, false);
    assert.equal(after.Description, 'nat box');
    assert.deepEqual(after.Groups?.map((g) => g.GroupName).sort(), ['default', 'web']);
    const attr = await ec2.send(new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Attribute: 'sourceDestCheck' }));
    assert.equal(attr.SourceDestCheck?.Value, false);
    const byGroup = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [web!] }] }));
    assert.deepEqual(byGroup.NetworkInterfaces?.map((e) => e.NetworkInterfaceId), [id]);

    await rejects(ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Groups: [foreign!] })), 'InvalidParameter', /different networks/);
    await rejects(ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Groups: ['sg-0123456789abcdef0'] })), 'InvalidGroup.NotFound');
    await rejects(
      ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, SourceDestCheck: { Value: true }, Description: { Value: 'x' } })),
      'InvalidParameterCombination',
    );
    await rejects(ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id })), 'MissingParameter');
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: id }));
  });

  it('assigns and unassigns secondary private addresses', async () => {
    const eni = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetB, PrivateIpAddress: '10.0.2.50' }))).NetworkInterface!;
    const id = eni.NetworkInterfaceId!;
    const assigned = await ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: id, PrivateIpAddresses: ['10.0.2.60', '10.0.2.61'] }));
    assert.deepEqual(assigned.AssignedPrivateIpAddresses?.map((a) => a.PrivateIpAddress), ['10.0.2.60', '10.0.2.61']);
    const counted = await ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: id, SecondaryPrivateIpAddressCount: 1 }));
    assert.equal(counted.AssignedPrivateIpAddresses?.length, 1);
    await rejects(ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: id, PrivateIpAddresses: ['10.0.2.60'] })), 'InvalidIPAddress.InUse');
    const holder = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetB, PrivateIpAddress: '10.0.2.61' })).catch((e) => e);
    assert.equal(holder.name, 'InvalidIPAddress.InUse');

    await ec2.send(new UnassignPrivateIpAddressesCommand({ NetworkInterfaceId: id, PrivateIpAddresses: ['10.0.2.60'] }));
    await rejects(ec2.send(new UnassignPrivateIpAddressesCommand({ NetworkInterfaceId: id, PrivateIpAddresses: ['10.0.2.50'] })), 'InvalidParameterValue', /primary/);
    await rejects(ec2.send(new UnassignPrivateIpAddressesCommand({ NetworkInterfaceId: id, PrivateIpAddresses: ['10.0.2.99'] })), 'InvalidParameterValue');
    const after = await describeOne(id);
    assert.deepEqual(after.PrivateIpAddresses?.map((a) => a.PrivateIpAddress).slice(0, 2), ['10.0.2.50', '10.0.2.61']);
    assert.equal(after.PrivateIpAddresses?.length, 3);
    // The freed address can be taken again.
    const reuse = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetB, PrivateIpAddress: '10.0.2.60' }))).NetworkInterface!;
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: reuse.NetworkInterfaceId }));
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: id }));
  });
});
