import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  DisassociateAddressCommand,
  ReleaseAddressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeAddressesCommand,
  DescribeInstanceStatusCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  ModifyInstanceAttributeCommand,
  ModifySubnetAttributeCommand,
  ModifyVpcAttributeCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
  type Instance,
} from '@aws-sdk/client-ec2';
import { workloadAddress } from '../../../src/services/ec2/workloads.ts';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { rejects } from '../../helpers/errors.ts';
import { PUBLIC_IP } from '../../helpers/slot.ts';

const AMI = 'ami-0abcdef1234567890';

async function describeOne(ec2: EC2Client, id: string): Promise<Instance> {
  const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  assert.equal(Reservations?.length, 1);
  return Reservations![0].Instances![0];
}

async function run(ec2: EC2Client, input: Partial<ConstructorParameters<typeof RunInstancesCommand>[0]> = {}): Promise<Instance> {
  const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, ...input }));
  return Instances![0];
}

describe('EC2 instances', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  let vpcId: string;
  let privateSubnet: string;
  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln);
    vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
    privateSubnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1b' }))).Subnet!.SubnetId!;
  });
  after(() => ln.stop());

  it('launches into the default subnet with a public address, pending in the answer and running after', async () => {
    const launched = await ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
    assert.match(launched.ReservationId!, /^r-[0-9a-f]{17}$/);
    const i = launched.Instances![0];
    assert.match(i.InstanceId!, /^i-[0-9a-f]{17}$/);
    assert.deepEqual(i.State, { Code: 0, Name: 'pending' });
    assert.equal(i.ImageId, AMI);
    assert.equal(i.InstanceType, 't3.micro');
    assert.equal(i.Placement?.AvailabilityZone, 'us-east-1a');
    assert.match(i.PrivateIpAddress!, /^172\.31\.\d+\.\d+$/);
    assert.equal(i.PrivateDnsName, `ip-${i.PrivateIpAddress!.replace(/\./g, '-')}.ec2.internal`);

    const running = await describeOne(ec2, i.InstanceId!);
    assert.deepEqual(running.State, { Code: 16, Name: 'running' });
    assert.match(running.PublicIpAddress!, PUBLIC_IP);
    assert.equal(running.PublicDnsName, `ec2-${running.PublicIpAddress!.replace(/\./g, '-')}.compute-1.amazonaws.com`);
    assert.equal(running.SubnetId, i.SubnetId);
    const [nic] = running.NetworkInterfaces!;
    assert.equal(running.NetworkInterfaces!.length, 1);
    assert.equal(nic.Attachment?.DeviceIndex, 0);
    assert.equal(nic.Attachment?.DeleteOnTermination, true);
    assert.equal(nic.Association?.PublicIp, running.PublicIpAddress);
    assert.equal(nic.Association?.IpOwnerId, 'amazon');
    assert.equal(running.SecurityGroups?.[0].GroupName, 'default');
    assert.equal(running.SourceDestCheck, true);

    // Its primary interface is an ordinary interface record.
    const { NetworkInterfaces } = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [i.InstanceId!] }] }));
    assert.equal(NetworkInterfaces?.[0].NetworkInterfaceId, nic.NetworkInterfaceId);
    assert.equal(NetworkInterfaces?.[0].Association?.PublicIp, running.PublicIpAddress);
  });

  it('gives public addresses by subnet setting or AssociatePublicIpAddress, with DNS names only under enableDnsHostnames', async () => {
    const quiet = await run(ec2, { SubnetId: privateSubnet });
    const q = await describeOne(ec2, quiet.InstanceId!);
    assert.equal(q.PublicIpAddress, undefined);
    assert.equal(q.PublicDnsName, '');
    assert.equal(q.PrivateIpAddress, '10.0.1.4');

    const loud = await run(ec2, { NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: privateSubnet, AssociatePublicIpAddress: true }] });
    const l = await describeOne(ec2, loud.InstanceId!);
    assert.match(l.PublicIpAddress!, PUBLIC_IP);
    assert.equal(l.PublicDnsName, '', 'no public DNS name while the VPC has DNS hostnames off');
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    assert.equal((await describeOne(ec2, loud.InstanceId!)).PublicDnsName, `ec2-${l.PublicIpAddress!.replace(/\./g, '-')}.compute-1.amazonaws.com`);
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: false } }));

    const mapSubnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.2.0/24', AvailabilityZone: 'us-east-1b' }))).Subnet!.SubnetId!;
    await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: mapSubnet, MapPublicIpOnLaunch: { Value: true } }));
    const mapped = await describeOne(ec2, (await run(ec2, { SubnetId: mapSubnet })).InstanceId!);
    assert.match(mapped.PublicIpAddress!, PUBLIC_IP);
    const optedOut = await describeOne(ec2, (await run(ec2, { NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: mapSubnet, AssociatePublicIpAddress: false }] })).InstanceId!);
    assert.equal(optedOut.PublicIpAddress, undefined);

    // Other regions name hosts after the region.
    const west = ec2Client(ln, { region: 'eu-west-1' });
    const w = await describeOne(west, (await run(west)).InstanceId!);
    assert.equal(w.PrivateDnsName, `ip-${w.PrivateIpAddress!.replace(/\./g, '-')}.eu-west-1.compute.internal`);
    assert.equal(w.PublicDnsName, `ec2-${w.PublicIpAddress!.replace(/\./g, '-')}.eu-west-1.compute.amazonaws.com`);
  });

  it('stops, starts and terminates with AWS state codes, giving back auto-assigned addresses', async () => {
    const i = await run(ec2);
    const before = await describeOne(ec2, i.InstanceId!);
    const stop = await ec2.send(new StopInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    assert.deepEqual(stop.StoppingInstances, [{ InstanceId: i.InstanceId, CurrentState: { Code: 64, Name: 'stopping' }, PreviousState: { Code: 16, Name: 'running' } }]);
    const stopped = await describeOne(ec2, i.InstanceId!);
    assert.deepEqual(stopped.State, { Code: 80, Name: 'stopped' });
    assert.equal(stopped.PublicIpAddress, undefined);
    assert.equal(stopped.PrivateIpAddress, before.PrivateIpAddress);
    assert.match(stopped.StateTransitionReason!, /^User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)$/);
    assert.equal(stopped.StateReason?.Code, 'Client.UserInitiatedShutdown');
    const again = await ec2.send(new StopInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    assert.deepEqual(again.StoppingInstances?.[0].CurrentState, { Code: 80, Name: 'stopped' });

    const status = await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [i.InstanceId!] }));
    assert.deepEqual(status.InstanceStatuses, [], 'only running instances without IncludeAllInstances');
    const all = await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [i.InstanceId!], IncludeAllInstances: true }));
    assert.equal(all.InstanceStatuses?.[0].InstanceState?.Name, 'stopped');
    assert.equal(all.InstanceStatuses?.[0].InstanceStatus?.Status, 'not-applicable');

    const start = await ec2.send(new StartInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    assert.deepEqual(start.StartingInstances?.[0].CurrentState, { Code: 0, Name: 'pending' });
    assert.deepEqual(start.StartingInstances?.[0].PreviousState, { Code: 80, Name: 'stopped' });
    const started = await describeOne(ec2, i.InstanceId!);
    assert.equal(started.State?.Name, 'running');
    assert.match(started.PublicIpAddress!, PUBLIC_IP);
    assert.notEqual(started.PublicIpAddress, before.PublicIpAddress, 'a start brings a new public address');
    assert.equal(started.StateReason, undefined);
    const ok = await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [i.InstanceId!] }));
    assert.equal(ok.InstanceStatuses?.[0].InstanceStatus?.Status, 'ok');
    assert.equal(ok.InstanceStatuses?.[0].SystemStatus?.Status, 'ok');

    const eniId = started.NetworkInterfaces![0].NetworkInterfaceId!;
    const term = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    assert.deepEqual(term.TerminatingInstances?.[0].CurrentState, { Code: 32, Name: 'shutting-down' });
    assert.deepEqual(term.TerminatingInstances?.[0].PreviousState, { Code: 16, Name: 'running' });
    const gone = await describeOne(ec2, i.InstanceId!);
    assert.deepEqual(gone.State, { Code: 48, Name: 'terminated' });
    assert.equal(gone.PrivateIpAddress, undefined);
    assert.equal(gone.PublicIpAddress, undefined);
    assert.equal(gone.SubnetId, undefined);
    assert.deepEqual(gone.NetworkInterfaces, []);
    await rejects(ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] })), 'InvalidNetworkInterfaceID.NotFound');
    const twice = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    assert.deepEqual(twice.TerminatingInstances?.[0].CurrentState, { Code: 48, Name: 'terminated' });
    await rejects(ec2.send(new StartInstancesCommand({ InstanceIds: [i.InstanceId!] })), 'IncorrectInstanceState');
    await rejects(ec2.send(new StopInstancesCommand({ InstanceIds: [i.InstanceId!] })), 'IncorrectInstanceState');
    await rejects(ec2.send(new StopInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })), 'InvalidInstanceID.NotFound');
    await rejects(ec2.send(new StopInstancesCommand({ InstanceIds: ['i-nope'] })), 'InvalidInstanceID.Malformed');
  });

  it('shows an Elastic IP on the primary interface as the public address: kept over a stop, released by termination', async () => {
    const i = await run(ec2);
    const { AllocationId, PublicIp } = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    await ec2.send(new AssociateAddressCommand({ AllocationId, InstanceId: i.InstanceId }));
    const withEip = await describeOne(ec2, i.InstanceId!);
    assert.equal(withEip.PublicIpAddress, PublicIp);
    const byIp = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'ip-address', Values: [PublicIp!] }] }));
    assert.equal(byIp.Reservations?.[0].Instances?.[0].InstanceId, i.InstanceId);

    await ec2.send(new StopInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    assert.equal((await describeOne(ec2, i.InstanceId!)).PublicIpAddress, PublicIp);
    await ec2.send(new StartInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    assert.equal((await describeOne(ec2, i.InstanceId!)).PublicIpAddress, PublicIp);

    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    const { Addresses } = await ec2.send(new DescribeAddressesCommand({ AllocationIds: [AllocationId!] }));
    assert.equal(Addresses?.[0].AssociationId, undefined);
    assert.equal(Addresses?.[0].InstanceId, undefined);
  });

  it('gives a running instance a new auto-assigned public address when its Elastic IP is disassociated', async () => {
    const i = await run(ec2);
    const { AllocationId, PublicIp } = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    const { AssociationId } = await ec2.send(new AssociateAddressCommand({ AllocationId, InstanceId: i.InstanceId }));
    assert.equal((await describeOne(ec2, i.InstanceId!)).PublicIpAddress, PublicIp);
    await ec2.send(new DisassociateAddressCommand({ AssociationId }));
    const after = await describeOne(ec2, i.InstanceId!);
    assert.match(after.PublicIpAddress!, PUBLIC_IP);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    await ec2.send(new ReleaseAddressCommand({ AllocationId }));
  });

  it('takes security groups by id or (in the default VPC) by name, and checks them', async () => {
    const { GroupId: web } = await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: 'web', Description: 'web' }));
    const i = await run(ec2, { SubnetId: privateSubnet, SecurityGroupIds: [web!] });
    assert.deepEqual(i.SecurityGroups?.map((g) => g.GroupId), [web]);
    const byGroup = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance.group-id', Values: [web!] }] }));
    assert.deepEqual(byGroup.Reservations?.flatMap((r) => r.Instances!.map((x) => x.InstanceId)), [i.InstanceId]);

    const defaultVpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0].VpcId!;
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [defaultVpc] }, { Name: 'group-name', Values: ['default'] }] }));
    const defaultVpcDefault = SecurityGroups![0];
    const named = await run(ec2, { SecurityGroups: ['default'] });
    assert.deepEqual(named.SecurityGroups?.map((g) => g.GroupId), [defaultVpcDefault.GroupId]);

    await rejects(run(ec2, { SecurityGroups: ['nope'] }), 'InvalidGroup.NotFound', /default VPC/);
    await rejects(run(ec2, { SubnetId: privateSubnet, SecurityGroups: ['web'] }), 'InvalidParameterCombination');
    await rejects(run(ec2, { SecurityGroupIds: [web!] }), 'InvalidParameter', /different networks/);
    await rejects(run(ec2, { SubnetId: privateSubnet, SecurityGroupIds: ['sg-0123456789abcdef0'] }), 'InvalidGroup.NotFound');
  });

  it('checks launch parameters and launches as many as fit between MinCount and MaxCount', async () => {
    await rejects(ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1 })), 'MissingParameter', /ImageId/);
    await rejects(run(ec2, { MinCount: 2, MaxCount: 1 }), 'InvalidParameterValue');
    await rejects(run(ec2, { SubnetId: privateSubnet, NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: privateSubnet }] }), 'InvalidParameterCombination');
    await rejects(run(ec2, { NetworkInterfaces: [{ DeviceIndex: 1, SubnetId: privateSubnet, AssociatePublicIpAddress: true }] }), 'InvalidParameterValue', /DeviceIndex 0/);
    await rejects(run(ec2, { SubnetId: 'subnet-0123456789abcdef0' }), 'InvalidSubnetID.NotFound');
    await rejects(run(ec2, { SubnetId: privateSubnet, PrivateIpAddress: '10.0.1.200', MaxCount: 2 }), 'InvalidParameterCombination');
    const fixed = await run(ec2, { SubnetId: privateSubnet, PrivateIpAddress: '10.0.1.200', ClientToken: 'launch-once' });
    const retried = await run(ec2, { SubnetId: privateSubnet, PrivateIpAddress: '10.0.1.200', ClientToken: 'launch-once' });
    assert.equal(retried.InstanceId, fixed.InstanceId, 'the same client token answers with the same launch');
    assert.equal(fixed.PrivateIpAddress, '10.0.1.200');
    await rejects(run(ec2, { SubnetId: privateSubnet, PrivateIpAddress: '10.0.1.200' }), 'InvalidIPAddress.InUse');

    const tiny = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.9.0/28', AvailabilityZone: 'us-east-1c' }))).Subnet!.SubnetId!;
    await rejects(run(ec2, { SubnetId: tiny, MinCount: 12, MaxCount: 12 }), 'InsufficientFreeAddressesInSubnet');
    const some = await ec2.send(new RunInstancesCommand({ ImageId: AMI, SubnetId: tiny, MinCount: 2, MaxCount: 20 }));
    assert.equal(some.Instances?.length, 11, 'a /28 holds 11 instances');
    assert.deepEqual(some.Instances?.map((x) => x.AmiLaunchIndex), Array.from({ length: 11 }, (_, n) => n));
    const { NetworkInterfaces } = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'subnet-id', Values: [tiny] }] }));
    assert.equal(NetworkInterfaces?.length, 11, 'no interface is left behind by the launch that did not fit');
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: some.Instances!.map((x) => x.InstanceId!) }));
  });

  it('groups by reservation, filters and pages DescribeInstances', async () => {
    const x = ec2Client(ln, { accessKeyId: '888888888888' });
    const launch = await x.send(
      new RunInstancesCommand({ ImageId: AMI, MinCount: 6, MaxCount: 6, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'fleet' }] }, { ResourceType: 'network-interface', Tags: [{ Key: 'role', Value: 'fleet-nic' }] }] }),
    );
    const solo = await run(x, { TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'solo' }] }] });
    const all = await x.send(new DescribeInstancesCommand({}));
    assert.deepEqual(all.Reservations?.map((r) => r.Instances?.length), [6, 1]);
    assert.equal(all.Reservations?.[0].ReservationId, launch.ReservationId);
    assert.equal(all.Reservations?.[0].OwnerId, '888888888888');

    const sample = (await describeOne(x, solo.InstanceId!)) as Instance;
    const cases: [string, string, number][] = [
      ['instance-id', solo.InstanceId!, 1],
      ['instance-state-name', 'running', 7],
      ['instance-state-code', '16', 7],
      ['subnet-id', sample.SubnetId!, 7],
      ['vpc-id', sample.VpcId!, 7],
      ['private-ip-address', sample.PrivateIpAddress!, 1],
      ['ip-address', sample.PublicIpAddress!, 1],
      ['private-dns-name', sample.PrivateDnsName!, 1],
      ['dns-name', sample.PublicDnsName!, 1],
      ['network-interface.network-interface-id', sample.NetworkInterfaces![0].NetworkInterfaceId!, 1],
      ['instance.group-id', sample.SecurityGroups![0].GroupId!, 7],
      ['availability-zone', 'us-east-1a', 7],
      ['reservation-id', launch.ReservationId!, 6],
      ['tag:Name', 'fleet', 6],
      ['instance-type', 'm1.small', 7],
    ];
    for (const [name, value, count] of cases) {
      const r = await x.send(new DescribeInstancesCommand({ Filters: [{ Name: name, Values: [value] }] }));
      assert.equal(r.Reservations?.flatMap((res) => res.Instances!).length, count, `${name}=${value}`);
    }
    const nics = await x.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'tag:role', Values: ['fleet-nic'] }] }));
    assert.equal(nics.NetworkInterfaces?.length, 6);

    const p1 = await x.send(new DescribeInstancesCommand({ MaxResults: 5 }));
    assert.equal(p1.Reservations?.flatMap((r) => r.Instances!).length, 5);
    const p2 = await x.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken: p1.NextToken }));
    assert.deepEqual(p2.Reservations?.map((r) => r.Instances?.length), [1, 1]);
    assert.equal(p2.NextToken, undefined);
    await rejects(x.send(new DescribeInstancesCommand({ InstanceIds: [solo.InstanceId!], MaxResults: 5 })), 'InvalidParameterCombination');
  });

  it('modifies source/dest check and termination protection', async () => {
    const i = await run(ec2);
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: i.InstanceId, SourceDestCheck: { Value: false } }));
    assert.equal((await describeOne(ec2, i.InstanceId!)).SourceDestCheck, false);
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: i.InstanceId, DisableApiTermination: { Value: true } }));
    await rejects(ec2.send(new TerminateInstancesCommand({ InstanceIds: [i.InstanceId!] })), 'OperationNotPermitted', /disableApiTermination/);
    assert.equal((await describeOne(ec2, i.InstanceId!)).State?.Name, 'running');
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: i.InstanceId, DisableApiTermination: { Value: false } }));
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [i.InstanceId!] }));
  });

  it('maps workload ports through localnet:port tags', async () => {
    const i = await run(ec2, {
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'localnet:port:80', Value: '127.0.0.1:3000' }, { Key: 'localnet:port:22', Value: '10.0.0.8:22' }] }],
    });
    const shown = await describeOne(ec2, i.InstanceId!);
    assert.deepEqual(workloadAddress(shown, 80), { kind: 'mapped', host: '127.0.0.1', port: 3000 });
    assert.equal(workloadAddress(shown, 22).kind, 'invalid');
    assert.deepEqual(workloadAddress(shown, 443), { kind: 'unmapped' });
  });

  it('keeps instances, addresses and states across a restart', async () => {
    const keep = await run(ec2, { TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'durable' }] }] });
    const parked = await run(ec2, { SubnetId: privateSubnet });
    await ec2.send(new StopInstancesCommand({ InstanceIds: [parked.InstanceId!] }));
    const before = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [keep.InstanceId!, parked.InstanceId!] }));
    ln = await ln.restart();
    ec2 = ec2Client(ln);
    const afterRestart = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [keep.InstanceId!, parked.InstanceId!] }));
    assert.deepEqual(afterRestart.Reservations, before.Reservations);
    const k = await describeOne(ec2, keep.InstanceId!);
    assert.equal(k.State?.Name, 'running');
    assert.match(k.PublicIpAddress!, PUBLIC_IP);
    assert.equal((await describeOne(ec2, parked.InstanceId!)).State?.Name, 'stopped');
  });
});
