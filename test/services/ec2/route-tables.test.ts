import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteNatGatewayCommand,
  DeleteRouteCommand,
  DeleteRouteTableCommand,
  DescribeRouteTablesCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  ReplaceRouteCommand,
  ReplaceRouteTableAssociationCommand,
  type EC2Client,
  type RouteTable,
} from '@aws-sdk/client-ec2';
import { lookupRoute, routeTableForSubnet } from '../../../src/net/routing.ts';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { seedInstance, seedInterface, seedPeering, setInstanceState, setPeeringStatus } from './routing-fixtures.ts';
import { rejects } from '../../helpers/errors.ts';

const REGION = 'us-east-1';

describe('EC2 route tables', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  let vpcId: string;
  let subnetA: string;
  let subnetB: string;
  let igw: string;
  const table = async (id: string): Promise<RouteTable> => (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [id] }))).RouteTables![0];
  const mainOf = async (vpc: string): Promise<RouteTable> =>
    (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc] }, { Name: 'association.main', Values: ['true'] }] }))).RouteTables![0];
  const routeTo = (t: RouteTable, cidr: string) => t.Routes!.find((r) => r.DestinationCidrBlock === cidr);

  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln, { region: REGION });
    vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
    subnetA = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24' }))).Subnet!.SubnetId!;
    subnetB = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.2.0/24' }))).Subnet!.SubnetId!;
    igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  });
  after(() => ln.stop());

  it('gives the default VPC a main table with local and 0.0.0.0/0 -> igw, both active', async () => {
    const vpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0];
    const main = await mainOf(vpc.VpcId!);
    assert.equal(main.Associations!.length, 1, 'implicit subnet associations are not listed');
    assert.equal(main.Associations![0].Main, true);
    assert.deepEqual(routeTo(main, '172.31.0.0/16'), { DestinationCidrBlock: '172.31.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' });
    const def = routeTo(main, '0.0.0.0/0')!;
    assert.match(def.GatewayId!, /^igw-/);
    assert.equal(def.State, 'active');
    assert.equal(def.Origin, 'CreateRoute');
  });

  it('creates a table with the local route, associates one subnet once, and deletes it only when free', async () => {
    const { RouteTable: rt, ClientToken } = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId, ClientToken: 'rt-1', TagSpecifications: [{ ResourceType: 'route-table', Tags: [{ Key: 'Name', Value: 'public' }] }] }));
    const id = rt!.RouteTableId!;
    assert.match(id, /^rtb-[0-9a-f]{17}$/);
    assert.equal(ClientToken, 'rt-1');
    assert.deepEqual(rt!.Routes, [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' }]);
    assert.deepEqual(rt!.Associations, []);
    assert.equal((await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId, ClientToken: 'rt-1' }))).RouteTable!.RouteTableId, id, 'ClientToken makes creation idempotent');

    const { AssociationId, AssociationState } = await ec2.send(new AssociateRouteTableCommand({ RouteTableId: id, SubnetId: subnetA }));
    assert.match(AssociationId!, /^rtbassoc-[0-9a-f]{17}$/);
    assert.equal(AssociationState?.State, 'associated');
    await rejects(ec2.send(new AssociateRouteTableCommand({ RouteTableId: id, SubnetId: subnetA })), 'Resource.AlreadyAssociated', new RegExp(`route table ${id} conflicts with an existing association`));
    const main = await mainOf(vpcId);
    await rejects(ec2.send(new AssociateRouteTableCommand({ RouteTableId: main.RouteTableId, SubnetId: subnetA })), 'Resource.AlreadyAssociated');

    const otherVpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc!.VpcId!;
    const foreign = (await ec2.send(new CreateSubnetCommand({ VpcId: otherVpc, CidrBlock: '10.9.1.0/24' }))).Subnet!.SubnetId!;
    await rejects(ec2.send(new AssociateRouteTableCommand({ RouteTableId: id, SubnetId: foreign })), 'InvalidParameterValue', /belong to different networks/);

    const bySubnet = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetA] }] }));
    assert.deepEqual(bySubnet.RouteTables!.map((t) => t.RouteTableId), [id]);
    const byAssoc = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.route-table-association-id', Values: [AssociationId!] }, { Name: 'tag:Name', Values: ['public'] }] }));
    assert.deepEqual(byAssoc.RouteTables!.map((t) => t.RouteTableId), [id]);

    await rejects(ec2.send(new DeleteRouteTableCommand({ RouteTableId: id })), 'DependencyViolation', new RegExp(`The routeTable '${id}' has dependencies`));
    await rejects(ec2.send(new DeleteRouteTableCommand({ RouteTableId: main.RouteTableId })), 'DependencyViolation');
    await rejects(ec2.send(new DisassociateRouteTableCommand({ AssociationId: main.Associations![0].RouteTableAssociationId })), 'InvalidParameterValue', /main route table association/);
    await ec2.send(new DisassociateRouteTableCommand({ AssociationId }));
    await rejects(ec2.send(new DisassociateRouteTableCommand({ AssociationId })), 'InvalidAssociationID.NotFound');
    // Back on the main table, which lists no subnet associations (they are implicit).
    assert.deepEqual((await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetA] }] }))).RouteTables, []);
    await ec2.send(new DeleteRouteTableCommand({ RouteTableId: id }));
    await rejects(ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [id] })), 'InvalidRouteTableID.NotFound', new RegExp(`The routeTable ID '${id}' does not exist`));
  });

  it('changes the main table by replacing the main association', async () => {
    const oldMain = await mainOf(vpcId);
    const newMain = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    const { NewAssociationId } = await ec2.send(new ReplaceRouteTableAssociationCommand({ AssociationId: oldMain.Associations!.find((a) => a.Main)!.RouteTableAssociationId, RouteTableId: newMain }));
    const now = await mainOf(vpcId);
    assert.equal(now.RouteTableId, newMain);
    assert.deepEqual(now.Associations!.map((a) => [a.RouteTableAssociationId, a.Main]), [[NewAssociationId, true]]);
    assert.deepEqual((await table(oldMain.RouteTableId!)).Associations, []);
    // The former main table is an ordinary table now, so it can go.
    await ec2.send(new DeleteRouteTableCommand({ RouteTableId: oldMain.RouteTableId }));

    // A subnet association moves the same way.
    const t1 = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    const t2 = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    const { AssociationId } = await ec2.send(new AssociateRouteTableCommand({ RouteTableId: t1, SubnetId: subnetB }));
    const moved = await ec2.send(new ReplaceRouteTableAssociationCommand({ AssociationId, RouteTableId: t2 }));
    assert.deepEqual((await table(t2)).Associations!.map((a) => [a.RouteTableAssociationId, a.SubnetId, a.Main]), [[moved.NewAssociationId, subnetB, false]]);
    await ec2.send(new DisassociateRouteTableCommand({ AssociationId: moved.NewAssociationId }));
    await ec2.send(new DeleteRouteTableCommand({ RouteTableId: t1 }));
    await ec2.send(new DeleteRouteTableCommand({ RouteTableId: t2 }));
  });

  it('checks route destinations and targets the way AWS does', async () => {
    const rt = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    await rejects(ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw })), 'InvalidParameterValue', new RegExp(`route table ${rt} and network gateway ${igw} belong to different networks`));
    await rejects(ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0123456789abcdef0' })), 'InvalidGatewayID.NotFound', /The gateway ID 'igw-0123456789abcdef0' does not exist/);
    await rejects(ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0123456789abcdef0' })), 'InvalidNatGatewayID.NotFound', /The natGateway ID/);
    await rejects(ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '0.0.0.0/0', VpcPeeringConnectionId: 'pcx-0123456789abcdef0' })), 'InvalidVpcPeeringConnectionID.NotFound');
    await rejects(ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'local' })), 'InvalidParameterValue');
    await rejects(ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: 'banana', GatewayId: igw })), 'InvalidParameterValue', /not a valid CIDR block/);
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));

    // Host bits are cleared, as AWS canonicalises destinations.
    await ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
    await ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '198.51.100.7/24', GatewayId: igw }));
    assert.ok(routeTo(await table(rt), '198.51.100.0/24'));
    await rejects(ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw })), 'RouteAlreadyExists', /The route identified by 0\.0\.0\.0\/0 already exists/);
    await rejects(ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '10.0.0.0/16', GatewayId: igw })), 'RouteAlreadyExists');
    // More specific than local: only an entire subnet CIDR, and only to a NAT gateway or an interface.
    await rejects(ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '10.0.3.0/24', GatewayId: igw })), 'InvalidParameterValue', /doesn't match any subnet CIDR/);
    await rejects(ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '10.0.2.0/24', GatewayId: igw })), 'InvalidParameterValue', /more specific than one of this VPC's CIDR blocks/);
    const appliance = seedInterface(ln, REGION, subnetA);
    await ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '10.0.2.0/24', NetworkInterfaceId: appliance.NetworkInterfaceId }));
    await rejects(ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '169.254.168.0/24', GatewayId: igw })), 'InvalidParameterValue', /reserved/);

    await rejects(ec2.send(new DeleteRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '192.0.2.0/24' })), 'InvalidRoute.NotFound', new RegExp(`no route with destination-cidr-block 192\\.0\\.2\\.0/24 in route table ${rt}`));
    await rejects(ec2.send(new DeleteRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '10.0.0.0/16' })), 'InvalidParameterValue', /cannot remove local route/);
    await rejects(ec2.send(new ReplaceRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '192.0.2.0/24', GatewayId: igw })), 'InvalidParameterValue', /Use CreateRoute instead/);

    // ReplaceRoute swaps the target in place; DeleteRoute removes it.
    await ec2.send(new ReplaceRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '198.51.100.0/24', NetworkInterfaceId: appliance.NetworkInterfaceId }));
    const replaced = routeTo(await table(rt), '198.51.100.0/24')!;
    assert.equal(replaced.NetworkInterfaceId, appliance.NetworkInterfaceId);
    assert.equal(replaced.GatewayId, undefined);
    assert.equal(replaced.Origin, 'CreateRoute');
    await ec2.send(new DeleteRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '198.51.100.0/24' }));
    assert.equal(routeTo(await table(rt), '198.51.100.0/24'), undefined);

    // The local route may point at an appliance and back at local (middlebox routing).
    await ec2.send(new ReplaceRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '10.0.0.0/16', NetworkInterfaceId: appliance.NetworkInterfaceId }));
    assert.equal(routeTo(await table(rt), '10.0.0.0/16')!.NetworkInterfaceId, appliance.NetworkInterfaceId);
    await rejects(ec2.send(new ReplaceRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '10.0.0.0/16', GatewayId: igw })), 'InvalidParameterValue');
    await ec2.send(new ReplaceRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '10.0.0.0/16', LocalTarget: true }));
    assert.deepEqual(routeTo(await table(rt), '10.0.0.0/16'), { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' });
  });

  it('stops at 50 routes per table', async () => {
    const rt = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    // The local route is one; 49 more fit.
    for (let i = 0; i < 49; i++) await ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: `192.168.${i}.0/24`, GatewayId: igw }));
    await rejects(ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '192.168.200.0/24', GatewayId: igw })), 'RouteLimitExceeded');
    assert.equal((await table(rt)).Routes!.length, 50);
  });

  it('reports routes as blackhole while their target is gone or unusable', async () => {
    const rt = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    await ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
    assert.equal(routeTo(await table(rt), '0.0.0.0/0')!.State, 'active');
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    assert.equal(routeTo(await table(rt), '0.0.0.0/0')!.State, 'blackhole');
    const holes = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'route.state', Values: ['blackhole'] }, { Name: 'route.gateway-id', Values: [igw] }] }));
    assert.ok(holes.RouteTables!.some((t) => t.RouteTableId === rt));
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    assert.equal(routeTo(await table(rt), '0.0.0.0/0')!.State, 'active');

    // An instance target: active while running, blackhole once stopped or terminated.
    const { instanceId, eni } = seedInstance(ln, REGION, subnetA);
    await ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '192.0.2.0/24', InstanceId: instanceId }));
    const viaInstance = routeTo(await table(rt), '192.0.2.0/24')!;
    assert.equal(viaInstance.InstanceId, instanceId);
    assert.equal(viaInstance.NetworkInterfaceId, eni.NetworkInterfaceId);
    assert.equal(viaInstance.State, 'active');
    setInstanceState(ln, REGION, instanceId, 'stopped');
    assert.equal(routeTo(await table(rt), '192.0.2.0/24')!.State, 'blackhole');
    setInstanceState(ln, REGION, instanceId, 'running');
    assert.equal(routeTo(await table(rt), '192.0.2.0/24')!.State, 'active');
    setInstanceState(ln, REGION, instanceId, 'terminated');
    assert.equal(routeTo(await table(rt), '192.0.2.0/24')!.State, 'blackhole');
    const byInstance = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'route.instance-id', Values: [instanceId] }] }));
    assert.deepEqual(byInstance.RouteTables!.map((t) => t.RouteTableId), [rt]);

    // A peering target: blackhole until the peering is active.
    const peerVpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.50.0.0/16' }))).Vpc!.VpcId!;
    const pcx = seedPeering(ln, REGION, vpcId, peerVpc, 'pending-acceptance');
    await ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '10.50.0.0/16', VpcPeeringConnectionId: pcx }));
    assert.equal(routeTo(await table(rt), '10.50.0.0/16')!.State, 'blackhole');
    setPeeringStatus(ln, REGION, pcx, 'active');
    assert.equal(routeTo(await table(rt), '10.50.0.0/16')!.State, 'active');
    const byPeering = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'route.vpc-peering-connection-id', Values: [pcx] }] }));
    assert.deepEqual(byPeering.RouteTables!.map((t) => t.RouteTableId), [rt]);
    // A peering that does not involve the table's VPC is refused.
    const stranger = seedPeering(ln, REGION, peerVpc, (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.51.0.0/16' }))).Vpc!.VpcId!, 'active');
    await rejects(ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '10.51.0.0/16', VpcPeeringConnectionId: stranger })), 'InvalidParameterValue', /belong to different networks/);
  });

  it('pages and filters tables', async () => {
    const all = (await ec2.send(new DescribeRouteTablesCommand({}))).RouteTables!;
    assert.ok(all.length > 5);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await ec2.send(new DescribeRouteTablesCommand({ MaxResults: 5, NextToken: token }));
      assert.ok(page.RouteTables!.length <= 5);
      seen.push(...page.RouteTables!.map((t) => t.RouteTableId!));
      token = page.NextToken;
    } while (token);
    assert.deepEqual(seen, all.map((t) => t.RouteTableId));
    await rejects(ec2.send(new DescribeRouteTablesCommand({ MaxResults: 101 })), 'InvalidParameterValue');
    await rejects(ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'route.colour', Values: ['blue'] }] })), 'InvalidParameterValue');
    const withDefault = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'route.destination-cidr-block', Values: ['0.0.0.0/0'] }, { Name: 'route.origin', Values: ['CreateRoute'] }] }));
    assert.ok(withDefault.RouteTables!.length >= 1);
    assert.ok(withDefault.RouteTables!.every((t) => t.VpcId === vpcId && routeTo(t, '0.0.0.0/0')));
  });
});

describe('a VPC with two public and two private subnets', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln, { region: 'us-east-2' });
  });
  after(() => ln.stop());

  it('routes public subnets to the internet gateway and private ones through the NAT gateway', async () => {
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.100.0.0/16' }))).Vpc!.VpcId!;
    const subnet = async (cidr: string, az: string) => (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: cidr, AvailabilityZone: az }))).Subnet!.SubnetId!;
    const pub1 = await subnet('10.100.0.0/24', 'us-east-2a');
    const pub2 = await subnet('10.100.1.0/24', 'us-east-2b');
    const priv1 = await subnet('10.100.10.0/24', 'us-east-2a');
    const priv2 = await subnet('10.100.11.0/24', 'us-east-2b');

    const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
    const publicRt = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpc }))).RouteTable!.RouteTableId!;
    await ec2.send(new CreateRouteCommand({ RouteTableId: publicRt, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
    for (const s of [pub1, pub2]) await ec2.send(new AssociateRouteTableCommand({ RouteTableId: publicRt, SubnetId: s }));

    const { AllocationId } = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    const nat = (await ec2.send(new CreateNatGatewayCommand({ SubnetId: pub1, AllocationId }))).NatGateway!.NatGatewayId!;
    const privateRt = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpc }))).RouteTable!.RouteTableId!;
    await ec2.send(new CreateRouteCommand({ RouteTableId: privateRt, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat }));
    for (const s of [priv1, priv2]) await ec2.send(new AssociateRouteTableCommand({ RouteTableId: privateRt, SubnetId: s }));

    // Read the state back as a client would and resolve paths with the pure router.
    const tables = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc] }] }))).RouteTables!.map((t) => ({ ...t, VpcId: t.VpcId!, Associations: t.Associations ?? [] }));
    assert.equal(tables.length, 3);
    const hop = (subnetId: string, ip: string) => {
      const t = routeTableForSubnet(tables, subnetId, vpc)!;
      const r = lookupRoute(t.Routes ?? [], ip)!;
      return [r.GatewayId ?? r.NatGatewayId, r.State];
    };
    assert.deepEqual(hop(pub1, '8.8.8.8'), [igw, 'active']);
    assert.deepEqual(hop(pub2, '8.8.8.8'), [igw, 'active']);
    assert.deepEqual(hop(priv1, '8.8.8.8'), [nat, 'active']);
    assert.deepEqual(hop(priv2, '1.1.1.1'), [nat, 'active']);
    assert.deepEqual(hop(priv2, '10.100.0.9'), ['local', 'active']);
    const byNat = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'route.nat-gateway-id', Values: [nat] }] }));
    assert.deepEqual(byNat.RouteTables!.map((t) => t.RouteTableId), [privateRt]);

    // Deleting the NAT gateway leaves the private subnets with a blackhole default route.
    await ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: nat }));
    const after = (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [privateRt] }))).RouteTables![0];
    assert.equal(after.Routes!.find((r) => r.DestinationCidrBlock === '0.0.0.0/0')!.State, 'blackhole');

    // All of it survives a restart.
    ln = await ln.restart();
    ec2 = ec2Client(ln, { region: 'us-east-2' });
    const reread = (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [publicRt] }))).RouteTables![0];
    assert.deepEqual(reread.Associations!.map((a) => a.SubnetId).sort(), [pub1, pub2].sort());
  });
});
