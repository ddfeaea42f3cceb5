import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DescribeAccountAttributesCommand, DescribeAvailabilityZonesCommand, DescribeDhcpOptionsCommand, DescribeRegionsCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';

describe('EC2 regions, zones, account defaults', () => {
  let ln: TestLocalnet;
  before(async () => {
    ln = await startTestLocalnet();
  });
  after(() => ln.stop());

  it('lists the real zones of each region', async () => {
    const use1 = await ec2Client(ln).send(new DescribeAvailabilityZonesCommand({}));
    assert.deepEqual(use1.AvailabilityZones!.map((z) => z.ZoneName), ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f']);
    assert.equal(use1.AvailabilityZones![0].ZoneId, 'use1-az1');
    const apne2 = await ec2Client(ln, { region: 'ap-northeast-2' }).send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'zone-name', Values: ['*c', '*d'] }] }));
    assert.deepEqual(apne2.AvailabilityZones!.map((z) => z.ZoneName), ['ap-northeast-2c', 'ap-northeast-2d']);
    await assert.rejects(ec2Client(ln).send(new DescribeAvailabilityZonesCommand({ ZoneNames: ['us-east-1z'] })), { name: 'InvalidParameterValue' });
  });

  it('lists regions with their endpoints', async () => {
    const { Regions } = await ec2Client(ln).send(new DescribeRegionsCommand({ RegionNames: ['eu-west-1'] }));
    assert.deepEqual(Regions, [{ RegionName: 'eu-west-1', Endpoint: 'ec2.eu-west-1.amazonaws.com', OptInStatus: 'opt-in-not-required' }]);
  });

  it('gives every account and region its own default VPC with a /20 default subnet per zone', async () => {
    const ec2 = ec2Client(ln, { region: 'eu-west-1', accessKeyId: '111122223333' });
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({}));
    assert.equal(Vpcs!.length, 1);
    assert.equal(Vpcs![0].OwnerId, '111122223333');
    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }));
    assert.deepEqual(Subnets!.map((s) => [s.CidrBlock, s.AvailabilityZone, s.MapPublicIpOnLaunch, s.AvailableIpAddressCount]), [
      ['172.31.0.0/20', 'eu-west-1a', true, 4091],
      ['172.31.16.0/20', 'eu-west-1b', true, 4091],
      ['172.31.32.0/20', 'eu-west-1c', true, 4091],
    ]);
    const attrs = await ec2.send(new DescribeAccountAttributesCommand({ AttributeNames: ['default-vpc'] }));
    assert.equal(attrs.AccountAttributes![0].AttributeValues![0].AttributeValue, Vpcs![0].VpcId);
    const { DhcpOptions } = await ec2.send(new DescribeDhcpOptionsCommand({ DhcpOptionsIds: [Vpcs![0].DhcpOptionsId!] }));
    assert.deepEqual(DhcpOptions![0].DhcpConfigurations!.find((c) => c.Key === 'domain-name')!.Values, [{ Value: 'eu-west-1.compute.internal' }]);
  });
});
