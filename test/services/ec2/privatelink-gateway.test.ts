// Endpoints to AWS services: gateway endpoints for S3 and DynamoDB (routes to
// the AWS-managed prefix lists in the chosen route tables), the prefix lists
// themselves, interface endpoints to AWS services (records and interfaces,
// private DNS on by default), and DescribeVpcEndpointServices.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DeleteVpcCommand,
  DeleteVpcEndpointsCommand,
  DescribeManagedPrefixListsCommand,
  DescribePrefixListsCommand,
  DescribeRouteTablesCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  GetManagedPrefixListEntriesCommand,
  ModifyVpcAttributeCommand,
  ModifyVpcEndpointCommand,
  type EC2Client,
  type Route,
} from '@aws-sdk/client-ec2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { rejects } from '../../helpers/errors.ts';

const S3_PL = 'pl-63a5400a';
const DYNAMODB_PL = 'pl-02cd2c6b';
const FULL_ACCESS = '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}';

describe('Gateway endpoints, prefix lists and endpoints to AWS services', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  let vpcId: string;
  let rtbA: string;
  let rtbB: string;
  let subnetA: string;
  let s3Endpoint: string;

  async function routesOf(rtb: string): Promise<Route[]> {
    return (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0].Routes!;
  }

  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln);
    vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }))).Vpc!.VpcId!;
    rtbA = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    rtbB = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    subnetA = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.20.1.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
  });
  after(() => ln.stop());

  it('lists the AWS-managed prefix lists with fixed ids and their entries', async () => {
    const { PrefixLists } = await ec2.send(new DescribePrefixListsCommand({}));
    assert.deepEqual(PrefixLists!.map((p) => [p.PrefixListId, p.PrefixListName]), [[DYNAMODB_PL, 'com.amazonaws.us-east-1.dynamodb'], [S3_PL, 'com.amazonaws.us-east-1.s3']]);
    assert.ok(PrefixLists![1].Cidrs!.length > 0);
    const managed = await ec2.send(new DescribeManagedPrefixListsCommand({ Filters: [{ Name: 'prefix-list-name', Values: ['com.amazonaws.us-east-1.s3'] }] }));
    assert.equal(managed.PrefixLists!.length, 1);
    assert.equal(managed.PrefixLists![0].OwnerId, 'AWS');
    assert.equal(managed.PrefixLists![0].AddressFamily, 'IPv4');
    assert.equal(managed.PrefixLists![0].PrefixListArn, `arn:aws:ec2:us-east-1:aws:prefix-list/${S3_PL}`);
    const entries = await ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: S3_PL }));
    assert.deepEqual(entries.Entries!.map((e) => e.Cidr), PrefixLists![1].Cidrs);
    await rejects(ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: 'pl-00000000' })), 'InvalidPrefixListID.NotFound');
    await rejects(ec2.send(new DescribePrefixListsCommand({ PrefixListIds: ['pl-00000000'] })), 'InvalidPrefixListID.NotFound');
    // Another region has its own ids.
    const west = await ec2Client(ln, { region: 'eu-west-1' }).send(new DescribePrefixListsCommand({}));
    assert.deepEqual(west.PrefixLists!.map((p) => p.PrefixListName), ['com.amazonaws.eu-west-1.dynamodb', 'com.amazonaws.eu-west-1.s3']);
  });

  it('creates a gateway endpoint (the default type) that routes the prefix list to it in each route table', async () => {
    const { VpcEndpoint: e } = await ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.s3', RouteTableIds: [rtbA] }));
    s3Endpoint = e!.VpcEndpointId!;
    assert.equal(e!.VpcEndpointType, 'Gateway');
    assert.equal(e!.State, 'available');
    assert.deepEqual(e!.RouteTableIds, [rtbA]);
    assert.equal(e!.PolicyDocument, FULL_ACCESS);
    assert.deepEqual(e!.NetworkInterfaceIds ?? [], []);
    assert.deepEqual(e!.DnsEntries ?? [], []);
    assert.equal(e!.PrivateDnsEnabled, false);
    const route = (await routesOf(rtbA)).find((r) => r.DestinationPrefixListId === S3_PL);
    assert.deepEqual({ gw: route?.GatewayId, state: route?.State }, { gw: s3Endpoint, state: 'active' });
    assert.equal((await routesOf(rtbB)).some((r) => r.DestinationPrefixListId), false);
    const filtered = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'route.destination-prefix-list-id', Values: [S3_PL] }] }));
    assert.deepEqual(filtered.RouteTables!.map((t) => t.RouteTableId), [rtbA]);

    await rejects(ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.s3', RouteTableIds: [rtbA] })), 'RouteAlreadyExists', `route table ${rtbA} already has a route with destination-prefix-list-id ${S3_PL}`);
    await rejects(ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.s3', RouteTableIds: ['rtb-0123456789abcdef0'] })), 'InvalidRouteTableID.NotFound');
    await rejects(ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.ssm', RouteTableIds: [rtbB] })), 'InvalidParameter');
    await rejects(ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.nosuch' })), 'InvalidServiceName', "The Vpc Endpoint Service 'com.amazonaws.us-east-1.nosuch' does not exist");
    await rejects(ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.s3', PolicyDocument: '{not json' })), 'InvalidPolicyDocument');

    const ddb = (await ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.dynamodb', RouteTableIds: [rtbA, rtbB] }))).VpcEndpoint!;
    assert.ok((await routesOf(rtbB)).some((r) => r.DestinationPrefixListId === DYNAMODB_PL && r.GatewayId === ddb.VpcEndpointId));
    await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [ddb.VpcEndpointId!] }));
    assert.equal((await routesOf(rtbA)).some((r) => r.DestinationPrefixListId === DYNAMODB_PL), false);
    assert.equal((await routesOf(rtbB)).some((r) => r.DestinationPrefixListId === DYNAMODB_PL), false);
  });

  it('moves the routes with ModifyVpcEndpoint and changes or resets its policy', async () => {
    await ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: s3Endpoint, AddRouteTableIds: [rtbB], RemoveRouteTableIds: [rtbA], PolicyDocument: '{"Statement":[]}' }));
    assert.equal((await routesOf(rtbA)).some((r) => r.GatewayId === s3Endpoint), false);
    assert.ok((await routesOf(rtbB)).some((r) => r.GatewayId === s3Endpoint));
    let e = (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [s3Endpoint] }))).VpcEndpoints![0];
    assert.deepEqual(e.RouteTableIds, [rtbB]);
    assert.equal(e.PolicyDocument, '{"Statement":[]}');
    await ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: s3Endpoint, ResetPolicy: true }));
    e = (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [s3Endpoint] }))).VpcEndpoints![0];
    assert.equal(e.PolicyDocument, FULL_ACCESS);
  });

  it('makes interface endpoints to AWS services with private DNS on by default, once the VPC has DNS hostnames', async () => {
    const ssm = { VpcEndpointType: 'Interface' as const, VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.ssm', SubnetIds: [subnetA] };
    await rejects(ec2.send(new CreateVpcEndpointCommand(ssm)), 'InvalidParameter', `Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for ${vpcId}`);
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    const { VpcEndpoint: e } = await ec2.send(new CreateVpcEndpointCommand(ssm));
    assert.equal(e!.State, 'pending');
    assert.equal(e!.PrivateDnsEnabled, true);
    assert.equal(e!.PolicyDocument, FULL_ACCESS);
    assert.match(e!.DnsEntries![0].DnsName!, new RegExp(`^${e!.VpcEndpointId}-[a-z0-9]{8}\\.ssm\\.us-east-1\\.vpce\\.amazonaws\\.com$`));
    assert.equal(e!.DnsEntries!.at(-1)!.DnsName, 'ssm.us-east-1.amazonaws.com');
    assert.equal(e!.NetworkInterfaceIds!.length, 1);
    assert.equal((await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [e!.VpcEndpointId!] }))).VpcEndpoints![0].State, 'available');
    await rejects(ec2.send(new CreateVpcEndpointCommand(ssm)), 'InvalidParameter', `private-dns-enabled cannot be set because there is already a conflicting DNS domain for ssm.us-east-1.amazonaws.com in the VPC ${vpcId}`);
    const s3i = (await ec2.send(new CreateVpcEndpointCommand({ ...ssm, ServiceName: 'com.amazonaws.us-east-1.s3', PrivateDnsEnabled: false }))).VpcEndpoint!;
    assert.match(s3i.DnsEntries![0].DnsName!, /^\*\.vpce-[0-9a-f]{17}-[a-z0-9]{8}\.s3\.us-east-1\.vpce\.amazonaws\.com$/);
    await rejects(ec2.send(new DeleteVpcCommand({ VpcId: vpcId })), 'DependencyViolation');
    await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [e!.VpcEndpointId!, s3i.VpcEndpointId!] }));
  });

  it('describes the AWS services one may connect to', async () => {
    const all = await ec2.send(new DescribeVpcEndpointServicesCommand({}));
    for (const s of ['s3', 'dynamodb', 'ecr.api', 'ecr.dkr', 'logs', 'ssm', 'sts', 'secretsmanager']) assert.ok(all.ServiceNames!.includes(`com.amazonaws.us-east-1.${s}`), s);
    const s3 = await ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: ['com.amazonaws.us-east-1.s3'] }));
    assert.deepEqual(s3.ServiceNames, ['com.amazonaws.us-east-1.s3']);
    assert.deepEqual(s3.ServiceDetails!.map((d) => d.ServiceType![0].ServiceType).sort(), ['Gateway', 'Interface']);
    const iface = s3.ServiceDetails!.find((d) => d.ServiceType![0].ServiceType === 'Interface')!;
    assert.equal(iface.Owner, 'amazon');
    assert.equal(iface.PrivateDnsName, '*.s3.us-east-1.amazonaws.com');
    assert.equal(iface.VpcEndpointPolicySupported, true);
    assert.deepEqual(iface.AvailabilityZones, ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f']);
    const gateways = await ec2.send(new DescribeVpcEndpointServicesCommand({ Filters: [{ Name: 'service-type', Values: ['Gateway'] }] }));
    assert.deepEqual(gateways.ServiceNames, ['com.amazonaws.us-east-1.dynamodb', 'com.amazonaws.us-east-1.s3']);
    const page = await ec2.send(new DescribeVpcEndpointServicesCommand({ MaxResults: 5 }));
    assert.equal(page.ServiceDetails!.length, 5);
    assert.ok(page.NextToken);
    await rejects(ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: ['com.amazonaws.us-east-1.nosuch'] })), 'InvalidServiceName');
  });

  it('removes the routes with the endpoint, and then the VPC can go', async () => {
    await rejects(ec2.send(new DeleteVpcCommand({ VpcId: vpcId })), 'DependencyViolation');
    await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [s3Endpoint] }));
    assert.equal((await routesOf(rtbB)).some((r) => r.DestinationPrefixListId), false);
  });
});
