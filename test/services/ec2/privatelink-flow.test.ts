// PrivateLink end to end through the SDK: a provider (account 111111111111)
// puts an endpoint service in front of an NLB; consumers in other accounts
// are refused, then allowed; their interface endpoints wait for acceptance,
// get one requester-managed interface per subnet with its own loopback
// address; the provider accepts one and rejects another; the private DNS
// name is verified through a TXT record in the delegated public zone; a
// consumer VPC in another region reaches the endpoint through peering; and
// everything survives a restart.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AcceptVpcEndpointConnectionsCommand,
  AcceptVpcPeeringConnectionCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  CreateVpcPeeringConnectionCommand,
  DeleteNetworkInterfaceCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DeleteVpcEndpointsCommand,
  DeleteVpcEndpointServiceConfigurationsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeTagsCommand,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcPeeringConnectionsCommand,
  ModifyVpcAttributeCommand,
  ModifyVpcEndpointCommand,
  ModifyVpcEndpointServiceConfigurationCommand,
  ModifyVpcEndpointServicePermissionsCommand,
  RejectVpcEndpointConnectionsCommand,
  StartVpcEndpointServicePrivateDnsVerificationCommand,
  type EC2Client,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { CreateLoadBalancerCommand, DeleteLoadBalancerCommand, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { clientConfig, ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { rejects } from '../../helpers/errors.ts';
import { elbClient, rejects as elbRejects } from '../elbv2/helpers.ts';
import { LB_PREFIX } from '../../helpers/slot.ts';

const PROVIDER = '111111111111';
const CONSUMER = '222222222222';
const OTHER = '333333333333';

async function vpcWithSubnets(ec2: EC2Client, cidr: string, zones: string[]): Promise<{ vpcId: string; subnets: string[] }> {
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
  const base = cidr.split('.').slice(0, 2).join('.');
  const subnets: string[] = [];
  for (const [i, zone] of zones.entries()) {
    subnets.push((await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `${base}.${i + 1}.0/24`, AvailabilityZone: zone }))).Subnet!.SubnetId!);
  }
  return { vpcId, subnets };
}

async function endpoint(ec2: EC2Client, id: string): Promise<VpcEndpoint> {
  return (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] }))).VpcEndpoints![0];
}

async function txt(r53: Route53Client, zoneId: string, name: string, value: string): Promise<void> {
  await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: name, Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: `"${value}"` }] } }] } }));
}

/** Several verifier rounds (300 ms apart). */
const rounds = () => new Promise((r) => setTimeout(r, 1200));

describe('PrivateLink: endpoint services and interface endpoints across accounts', () => {
  let ln: TestLocalnet;
  let provider: EC2Client;
  let consumer: EC2Client;
  let other: EC2Client;
  let elb: ElasticLoadBalancingV2Client;
  let r53: Route53Client;
  let nlbArn: string;
  let albArn: string;
  let serviceId: string;
  let serviceName: string;
  let consumerNet: { vpcId: string; subnets: string[] };
  let otherNet: { vpcId: string; subnets: string[] };
  let endpointId: string;
  let rejectedId: string;

  before(async () => {
    ln = await startTestLocalnet();
    provider = ec2Client(ln, { accessKeyId: PROVIDER });
    consumer = ec2Client(ln, { accessKeyId: CONSUMER });
    other = ec2Client(ln, { accessKeyId: OTHER });
    elb = elbClient(ln, { accessKeyId: PROVIDER });
    r53 = new Route53Client(clientConfig(ln, { accessKeyId: PROVIDER }));
    const net = await vpcWithSubnets(provider, '10.0.0.0/16', ['us-east-1a', 'us-east-1b']);
    nlbArn = (await elb.send(new CreateLoadBalancerCommand({ Name: 'svc-nlb', Type: 'network', Scheme: 'internal', Subnets: net.subnets }))).LoadBalancers![0].LoadBalancerArn!;
    albArn = (await elb.send(new CreateLoadBalancerCommand({ Name: 'svc-alb', Subnets: net.subnets, Scheme: 'internal' }))).LoadBalancers![0].LoadBalancerArn!;
    consumerNet = await vpcWithSubnets(consumer, '10.1.0.0/16', ['us-east-1a', 'us-east-1b', 'us-east-1c']);
    otherNet = await vpcWithSubnets(other, '10.2.0.0/16', ['us-east-1a']);
  });
  after(() => ln.stop());

  it('creates an endpoint service in front of an NLB, with AWS names and a TXT check for its private DNS name', async () => {
    const { ServiceConfiguration: svc } = await provider.send(
      new CreateVpcEndpointServiceConfigurationCommand({
        NetworkLoadBalancerArns: [nlbArn],
        AcceptanceRequired: true,
        PrivateDnsName: 'api.provider.example',
        TagSpecifications: [{ ResourceType: 'vpc-endpoint-service', Tags: [{ Key: 'Name', Value: 'api' }] }],
      }),
    );
    serviceId = svc!.ServiceId!;
    serviceName = svc!.ServiceName!;
    assert.match(serviceId, /^vpce-svc-[0-9a-f]{17}$/);
    assert.equal(serviceName, `com.amazonaws.vpce.us-east-1.${serviceId}`);
    assert.deepEqual(svc!.ServiceType, [{ ServiceType: 'Interface' }]);
    assert.equal(svc!.ServiceState, 'Available');
    assert.deepEqual(svc!.AvailabilityZones, ['us-east-1a', 'us-east-1b']);
    assert.deepEqual(svc!.BaseEndpointDnsNames, [`${serviceId}.us-east-1.vpce.amazonaws.com`]);
    assert.deepEqual(svc!.NetworkLoadBalancerArns, [nlbArn]);
    assert.deepEqual(svc!.SupportedIpAddressTypes, ['ipv4']);
    assert.equal(svc!.AcceptanceRequired, true);
    assert.equal(svc!.ManagesVpcEndpoints, false);
    assert.equal(svc!.PrivateDnsName, 'api.provider.example');
    const check = svc!.PrivateDnsNameConfiguration!;
    assert.equal(check.State, 'pendingVerification');
    assert.equal(check.Type, 'TXT');
    assert.match(check.Name!, /^_[a-z0-9]{20}$/);
    assert.match(check.Value!, /^vpce:[A-Za-z0-9]{20}$/);
    assert.deepEqual(svc!.Tags, [{ Key: 'Name', Value: 'api' }]);

    const listed = await provider.send(new DescribeVpcEndpointServiceConfigurationsCommand({ Filters: [{ Name: 'service-name', Values: [serviceName] }] }));
    assert.deepEqual(listed.ServiceConfigurations!.map((s) => s.ServiceId), [serviceId]);
    const tags = await provider.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [serviceId] }] }));
    assert.deepEqual(tags.Tags!.map((t) => [t.ResourceType, t.Key, t.Value]), [['vpc-endpoint-service', 'Name', 'api']]);
  });

  it('refuses load balancers that are not NLBs of the caller, and unknown services', async () => {
    await rejects(provider.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [albArn] })), 'InvalidParameter', /not a Network Load Balancer/);
    await rejects(provider.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [nlbArn] })), 'InvalidParameter', /already associated/);
    await rejects(consumer.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [nlbArn] })), 'InvalidParameter', /does not exist/);
    await rejects(provider.send(new CreateVpcEndpointServiceConfigurationCommand({})), 'InvalidParameter');
    await rejects(provider.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: ['vpce-svc-0123456789abcdef0'] })), 'InvalidVpcEndpointServiceId.NotFound', "The VpcEndpointService Id 'vpce-svc-0123456789abcdef0' does not exist");
    await rejects(consumer.send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: serviceId })), 'InvalidVpcEndpointServiceId.NotFound');
    await elbRejects(elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: nlbArn })), 'ResourceInUse', /cannot be deleted because it is currently associated with another service/);
  });

  it('keeps consumers out until the provider allows their account', async () => {
    const create = () => consumer.send(new CreateVpcEndpointCommand({ VpcEndpointType: 'Interface', VpcId: consumerNet.vpcId, ServiceName: serviceName, SubnetIds: consumerNet.subnets.slice(0, 2) }));
    await rejects(create(), 'InvalidServiceName', `The Vpc Endpoint Service '${serviceName}' does not exist`);
    await rejects(consumer.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [serviceName] })), 'InvalidServiceName');
    const before = await consumer.send(new DescribeVpcEndpointServicesCommand({}));
    assert.ok(!before.ServiceNames!.includes(serviceName));

    await rejects(provider.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: serviceId, AddAllowedPrincipals: ['not-an-arn'] })), 'InvalidPrincipal');
    const added = await provider.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: serviceId, AddAllowedPrincipals: [`arn:aws:iam::${CONSUMER}:root`] }));
    assert.equal(added.ReturnValue, true);
    assert.equal(added.AddedPrincipals!.length, 1);
    assert.match(added.AddedPrincipals![0].ServicePermissionId!, /^vpce-svc-perm-[0-9a-f]{17}$/);
    assert.equal(added.AddedPrincipals![0].PrincipalType, 'Account');
    assert.equal(added.AddedPrincipals![0].ServiceId, serviceId);
    const perms = await provider.send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: serviceId }));
    assert.deepEqual(perms.AllowedPrincipals!.map((p) => p.Principal), [`arn:aws:iam::${CONSUMER}:root`]);

    const visible = await consumer.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [serviceName] }));
    const detail = visible.ServiceDetails![0];
    assert.equal(detail.Owner, PROVIDER);
    assert.equal(detail.ServiceId, serviceId);
    assert.equal(detail.AcceptanceRequired, true);
    assert.equal(detail.VpcEndpointPolicySupported, false);
    assert.equal(detail.PrivateDnsNameVerificationState, 'pendingVerification');
    // Account 333333333333 is still out.
    await rejects(other.send(new CreateVpcEndpointCommand({ VpcEndpointType: 'Interface', VpcId: otherNet.vpcId, ServiceName: serviceName, SubnetIds: otherNet.subnets })), 'InvalidServiceName');
  });

  it('checks the subnets, groups, VPC and private DNS of a new endpoint as AWS does', async () => {
    const [a, , c] = consumerNet.subnets;
    const base = { VpcEndpointType: 'Interface' as const, VpcId: consumerNet.vpcId, ServiceName: serviceName };
    await rejects(consumer.send(new CreateVpcEndpointCommand({ ...base, SubnetIds: [a, c] })), 'InvalidParameter', `The VPC endpoint service ${serviceName} does not support the availability zone of the subnet: ${c}.`);
    const sameZone = (await consumer.send(new CreateSubnetCommand({ VpcId: consumerNet.vpcId, CidrBlock: '10.1.9.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
    await rejects(consumer.send(new CreateVpcEndpointCommand({ ...base, SubnetIds: [a, sameZone] })), 'DuplicateSubnetsInSameZone', new RegExp(`^Found another VPC endpoint subnet in the availability zone of ${a}`));
    await consumer.send(new DeleteSubnetCommand({ SubnetId: sameZone }));
    await rejects(consumer.send(new CreateVpcEndpointCommand({ ...base, SubnetIds: [a], PrivateDnsEnabled: true })), 'InvalidParameter', `Private DNS can't be enabled because the service ${serviceName} has not verified the private DNS name.`);
    await rejects(consumer.send(new CreateVpcEndpointCommand({ ...base, SubnetIds: [a], SecurityGroupIds: ['sg-0123456789abcdef0'] })), 'InvalidGroup.NotFound');
    await rejects(consumer.send(new CreateVpcEndpointCommand({ ...base, SubnetIds: ['subnet-0123456789abcdef0'] })), 'InvalidSubnetID.NotFound');
    await rejects(consumer.send(new CreateVpcEndpointCommand({ ...base, VpcId: 'vpc-0123456789abcdef0', SubnetIds: [a] })), 'InvalidVpcID.NotFound');
    await rejects(consumer.send(new CreateVpcEndpointCommand({ ...base, ServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0' })), 'InvalidServiceName');
    // The API's default endpoint type is Gateway, which an endpoint service is not.
    await rejects(consumer.send(new CreateVpcEndpointCommand({ VpcId: consumerNet.vpcId, ServiceName: serviceName })), 'InvalidParameter', /Gateway/);
    // DryRun runs the checks and writes nothing.
    await rejects(consumer.send(new CreateVpcEndpointCommand({ ...base, SubnetIds: [a], DryRun: true })), 'DryRunOperation');
    assert.equal((await consumer.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints!.length, 0);
  });

  it('creates an interface endpoint waiting for acceptance, with one requester-managed interface per subnet on its own loopback address', async () => {
    const [a, b] = consumerNet.subnets;
    const req = new CreateVpcEndpointCommand({
      VpcEndpointType: 'Interface',
      VpcId: consumerNet.vpcId,
      ServiceName: serviceName,
      SubnetIds: [a, b],
      ClientToken: 'token-1',
      TagSpecifications: [{ ResourceType: 'vpc-endpoint', Tags: [{ Key: 'team', Value: 'payments' }] }],
    });
    const { VpcEndpoint: e } = await consumer.send(req);
    endpointId = e!.VpcEndpointId!;
    assert.match(endpointId, /^vpce-[0-9a-f]{17}$/);
    assert.equal(e!.State, 'pendingAcceptance');
    assert.equal(e!.VpcEndpointType, 'Interface');
    assert.equal(e!.OwnerId, CONSUMER);
    assert.equal(e!.PrivateDnsEnabled, false);
    assert.equal(e!.RequesterManaged, false);
    assert.equal(e!.IpAddressType, 'ipv4');
    assert.deepEqual(e!.DnsOptions, { DnsRecordIpType: 'ipv4' });
    assert.deepEqual(e!.SubnetIds, [a, b]);
    const sgs = await consumer.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [consumerNet.vpcId] }, { Name: 'group-name', Values: ['default'] }] }));
    assert.deepEqual(e!.Groups, [{ GroupId: sgs.SecurityGroups![0].GroupId, GroupName: 'default' }]);
    assert.equal(e!.DnsEntries!.length, 3);
    const [regional, zoneA, zoneB] = e!.DnsEntries!;
    const label = new RegExp(`^${endpointId}-[a-z0-9]{8}`);
    assert.match(regional.DnsName!, new RegExp(`${label.source}\\.${serviceId}\\.us-east-1\\.vpce\\.amazonaws\\.com$`));
    assert.equal(zoneA.DnsName, regional.DnsName!.replace(`.${serviceId}`, `-us-east-1a.${serviceId}`));
    assert.equal(zoneB.DnsName, regional.DnsName!.replace(`.${serviceId}`, `-us-east-1b.${serviceId}`));
    assert.ok(e!.DnsEntries!.every((d) => d.HostedZoneId === 'Z7HUB22UULQXV'));
    // The same ClientToken answers the same endpoint.
    assert.equal((await consumer.send(req)).VpcEndpoint!.VpcEndpointId, endpointId);

    const { NetworkInterfaces: enis } = await consumer.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: e!.NetworkInterfaceIds }));
    assert.equal(enis!.length, 2);
    for (const eni of enis!) {
      assert.equal(eni.InterfaceType, 'vpc_endpoint');
      assert.equal(eni.RequesterManaged, true);
      assert.equal(eni.Description, `VPC Endpoint Interface ${endpointId}`);
      assert.equal(eni.Status, 'in-use');
      assert.equal(eni.VpcId, consumerNet.vpcId);
      assert.deepEqual(eni.Groups!.map((g) => g.GroupName), ['default']);
    }
    assert.deepEqual(enis!.map((n) => n.SubnetId).sort(), [a, b].sort());
    const byType = await consumer.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'interface-type', Values: ['vpc_endpoint'] }] }));
    assert.equal(byType.NetworkInterfaces!.length, 2);
    // In use by the endpoint: EC2 refuses before it gets to the requester-managed check.
    await rejects(consumer.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: enis![0].NetworkInterfaceId })), 'InvalidNetworkInterface.InUse');

    // Each interface has its own loopback address, from the pool load balancers use.
    const stored = enis!.map((n) => ln.store.get<{ _address?: string }>('ec2:network-interface', { account: CONSUMER, region: 'us-east-1' }, n.NetworkInterfaceId!)!._address);
    const nlbAddress = ln.store.get<{ _address: string }>('elbv2:load-balancer', { account: PROVIDER, region: 'us-east-1' }, nlbArn)!._address;
    for (const addr of stored) assert.ok(addr?.startsWith(`${LB_PREFIX}.`), `${addr} in ${LB_PREFIX}.0.0/16`);
    assert.equal(new Set([...stored, nlbAddress]).size, 3);
  });

  it('shows the provider its connections and lets it accept one endpoint and reject another', async () => {
    const { VpcEndpointConnections: conns } = await provider.send(new DescribeVpcEndpointConnectionsCommand({}));
    assert.equal(conns!.length, 1);
    assert.equal(conns![0].VpcEndpointId, endpointId);
    assert.equal(conns![0].VpcEndpointOwner, CONSUMER);
    assert.equal(conns![0].VpcEndpointState, 'pendingAcceptance');
    assert.equal(conns![0].ServiceId, serviceId);
    assert.match(conns![0].VpcEndpointConnectionId!, /^vpce-con-[0-9a-f]{17}$/);
    assert.deepEqual(conns![0].NetworkLoadBalancerArns, [nlbArn]);
    assert.equal(conns![0].DnsEntries!.length, 3);

    const accepted = await provider.send(new AcceptVpcEndpointConnectionsCommand({ ServiceId: serviceId, VpcEndpointIds: [endpointId, 'vpce-0123456789abcdef0'] }));
    assert.deepEqual(accepted.Unsuccessful!.map((u) => [u.ResourceId, u.Error!.Code]), [['vpce-0123456789abcdef0', 'InvalidVpcEndpointId.NotFound']]);
    assert.equal((await endpoint(consumer, endpointId)).State, 'available');

    // Everyone may connect now: account 333333333333's endpoint waits, then is rejected.
    await provider.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: serviceId, AddAllowedPrincipals: ['*'] }));
    const { VpcEndpoint: o } = await other.send(new CreateVpcEndpointCommand({ VpcEndpointType: 'Interface', VpcId: otherNet.vpcId, ServiceName: serviceName, SubnetIds: otherNet.subnets }));
    rejectedId = o!.VpcEndpointId!;
    assert.equal(o!.State, 'pendingAcceptance');
    const pending = await provider.send(new DescribeVpcEndpointConnectionsCommand({ Filters: [{ Name: 'vpc-endpoint-state', Values: ['pendingAcceptance'] }] }));
    assert.deepEqual(pending.VpcEndpointConnections!.map((c) => [c.VpcEndpointId, c.VpcEndpointOwner]), [[rejectedId, OTHER]]);
    const rejected = await provider.send(new RejectVpcEndpointConnectionsCommand({ ServiceId: serviceId, VpcEndpointIds: [rejectedId] }));
    assert.deepEqual(rejected.Unsuccessful, []);
    assert.equal((await endpoint(other, rejectedId)).State, 'rejected');
    await rejects(other.send(new AcceptVpcEndpointConnectionsCommand({ ServiceId: serviceId, VpcEndpointIds: [rejectedId] })), 'InvalidVpcEndpointServiceId.NotFound');
  });

  it('refuses to delete a service with connected endpoints, and what an endpoint uses', async () => {
    const { Unsuccessful } = await provider.send(new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId, 'vpce-svc-0123456789abcdef0'] }));
    assert.deepEqual(
      Unsuccessful!.map((u) => [u.ResourceId, u.Error!.Code, u.Error!.Message]),
      [
        [serviceId, 'ExistingVpcEndpointConnections', 'Service has existing active VPC Endpoint connections!'],
        ['vpce-svc-0123456789abcdef0', 'InvalidVpcEndpointServiceId.NotFound', "The VpcEndpointService Id 'vpce-svc-0123456789abcdef0' does not exist"],
      ],
    );
    await rejects(consumer.send(new DeleteSubnetCommand({ SubnetId: consumerNet.subnets[0] })), 'DependencyViolation');
    await rejects(consumer.send(new DeleteVpcCommand({ VpcId: consumerNet.vpcId })), 'DependencyViolation');
    const sg = (await consumer.send(new CreateSecurityGroupCommand({ GroupName: 'endpoint', Description: 'endpoint', VpcId: consumerNet.vpcId }))).GroupId!;
    await consumer.send(new ModifyVpcEndpointCommand({ VpcEndpointId: endpointId, AddSecurityGroupIds: [sg] }));
    await rejects(consumer.send(new DeleteSecurityGroupCommand({ GroupId: sg })), 'DependencyViolation');
    const e = await endpoint(consumer, endpointId);
    assert.deepEqual(e.Groups!.map((g) => g.GroupName).sort(), ['default', 'endpoint']);
    const enis = await consumer.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: e.NetworkInterfaceIds }));
    assert.ok(enis.NetworkInterfaces!.every((n) => n.Groups!.length === 2));
  });

  it('verifies the private DNS name only once the TXT record is in the delegated public zone', async () => {
    const check = (await provider.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }))).ServiceConfigurations![0].PrivateDnsNameConfiguration!;
    const recordName = `${check.Name}.api.provider.example`;
    const delegated = (await r53.send(new CreateHostedZoneCommand({ Name: 'api.provider.example', CallerReference: 'delegated' }))).HostedZone!.Id!;
    const shadow = (await r53.send(new CreateHostedZoneCommand({ Name: 'api.provider.example', CallerReference: 'shadow' }))).HostedZone!.Id!;
    const privateZone = (await r53.send(new CreateHostedZoneCommand({ Name: 'api.provider.example', CallerReference: 'private', VPC: { VPCId: (await provider.send(new CreateVpcCommand({ CidrBlock: '10.50.0.0/16' }))).Vpc!.VpcId!, VPCRegion: 'us-east-1' } }))).HostedZone!.Id!;
    const state = async () => (await provider.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }))).ServiceConfigurations![0].PrivateDnsNameConfiguration!.State;

    await provider.send(new StartVpcEndpointServicePrivateDnsVerificationCommand({ ServiceId: serviceId }));
    await rounds();
    assert.equal(await state(), 'pendingVerification', 'no record yet');
    await txt(r53, privateZone, recordName, check.Value!);
    await txt(r53, shadow, recordName, check.Value!);
    await txt(r53, delegated, recordName, 'vpce:wrong');
    await rounds();
    assert.equal(await state(), 'pendingVerification', 'a private zone and an undelegated public zone are not what the world sees');
    await txt(r53, delegated, recordName, check.Value!);
    const deadline = Date.now() + 10_000;
    while ((await state()) !== 'verified' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await state(), 'verified');
    const detail = (await consumer.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [serviceName] }))).ServiceDetails![0];
    assert.equal(detail.PrivateDnsNameVerificationState, 'verified');
    assert.equal(detail.PrivateDnsName, 'api.provider.example');
  });

  it('turns private DNS on for the endpoint once the name is verified and the VPC has DNS hostnames', async () => {
    await rejects(consumer.send(new ModifyVpcEndpointCommand({ VpcEndpointId: endpointId, PrivateDnsEnabled: true })), 'InvalidParameter', `Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for ${consumerNet.vpcId}`);
    await consumer.send(new ModifyVpcAttributeCommand({ VpcId: consumerNet.vpcId, EnableDnsHostnames: { Value: true } }));
    await consumer.send(new ModifyVpcEndpointCommand({ VpcEndpointId: endpointId, PrivateDnsEnabled: true }));
    const e = await endpoint(consumer, endpointId);
    assert.equal(e.PrivateDnsEnabled, true);
    assert.equal(e.DnsEntries!.length, 4);
    assert.equal(e.DnsEntries![3].DnsName, 'api.provider.example');
  });

  it('reaches the endpoint from a peered VPC in another region; the service itself is same-region only', async () => {
    const west = ec2Client(ln, { accessKeyId: CONSUMER, region: 'us-west-2' });
    const westNet = await vpcWithSubnets(west, '10.9.0.0/16', ['us-west-2a']);
    await rejects(west.send(new CreateVpcEndpointCommand({ VpcEndpointType: 'Interface', VpcId: westNet.vpcId, ServiceName: serviceName, SubnetIds: westNet.subnets })), 'InvalidServiceName');
    const pcx = (await west.send(new CreateVpcPeeringConnectionCommand({ VpcId: westNet.vpcId, PeerVpcId: consumerNet.vpcId, PeerRegion: 'us-east-1' }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
    await consumer.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx }));
    const peering = (await west.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [pcx] }))).VpcPeeringConnections![0];
    assert.equal(peering.Status!.Code, 'active');
    // What the peered VPC routes to: the endpoint interfaces' private addresses, inside the consumer VPC.
    const e = await endpoint(consumer, endpointId);
    const enis = await consumer.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: e.NetworkInterfaceIds }));
    assert.ok(enis.NetworkInterfaces!.every((n) => n.PrivateIpAddress!.startsWith('10.1.')));
  });

  it('tags endpoints and filters and pages DescribeVpcEndpoints', async () => {
    await consumer.send(new CreateTagsCommand({ Resources: [endpointId], Tags: [{ Key: 'env', Value: 'prod' }] }));
    const byTag = await consumer.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'tag:env', Values: ['prod'] }] }));
    assert.deepEqual(byTag.VpcEndpoints!.map((v) => v.VpcEndpointId), [endpointId]);
    for (const [name, value] of [['vpc-id', consumerNet.vpcId], ['vpc-endpoint-state', 'available'], ['vpc-endpoint-type', 'Interface'], ['service-name', serviceName], ['vpc-endpoint-id', endpointId]]) {
      const r = await consumer.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: name, Values: [value] }] }));
      assert.deepEqual(r.VpcEndpoints!.map((v) => v.VpcEndpointId), [endpointId], name);
    }
    assert.equal((await consumer.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-endpoint-type', Values: ['Gateway'] }] }))).VpcEndpoints!.length, 0);
    const page = await consumer.send(new DescribeVpcEndpointsCommand({ MaxResults: 5 }));
    assert.equal(page.VpcEndpoints!.length, 1);
    assert.equal(page.NextToken, undefined);
    await rejects(consumer.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce-0123456789abcdef0'] })), 'InvalidVpcEndpointId.NotFound');
  });

  it('keeps services, endpoints, connections and interfaces across a restart', async () => {
    ln = await ln.restart();
    provider = ec2Client(ln, { accessKeyId: PROVIDER });
    consumer = ec2Client(ln, { accessKeyId: CONSUMER });
    other = ec2Client(ln, { accessKeyId: OTHER });
    elb = elbClient(ln, { accessKeyId: PROVIDER });
    const svc = (await provider.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }))).ServiceConfigurations![0];
    assert.equal(svc.PrivateDnsNameConfiguration!.State, 'verified');
    const e = await endpoint(consumer, endpointId);
    assert.equal(e.State, 'available');
    assert.equal(e.PrivateDnsEnabled, true);
    assert.equal((await endpoint(other, rejectedId)).State, 'rejected');
    const conns = await provider.send(new DescribeVpcEndpointConnectionsCommand({}));
    assert.deepEqual(conns.VpcEndpointConnections!.map((c) => c.VpcEndpointState).sort(), ['available', 'rejected']);
    const enis = await consumer.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: e.NetworkInterfaceIds }));
    assert.equal(enis.NetworkInterfaces!.length, 2);
  });

  it('deletes endpoints with their interfaces, then the service and its load balancer', async () => {
    const e = await endpoint(consumer, endpointId);
    const { Unsuccessful } = await consumer.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [endpointId, 'vpce-0123456789abcdef0'] }));
    assert.deepEqual(Unsuccessful!.map((u) => [u.ResourceId, u.Error!.Code]), [['vpce-0123456789abcdef0', 'InvalidVpcEndpointId.NotFound']]);
    await rejects(consumer.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: e.NetworkInterfaceIds })), 'InvalidNetworkInterfaceID.NotFound');
    assert.equal((await consumer.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints!.length, 0);
    // The rejected endpoint does not hold the service.
    assert.deepEqual((await provider.send(new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }))).Unsuccessful, []);
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: nlbArn }));
    await consumer.send(new DeleteSubnetCommand({ SubnetId: consumerNet.subnets[0] }));
  });

  it('changes a service: load balancers, acceptance, IP types, private DNS name', async () => {
    const elb2 = elb;
    const net = await vpcWithSubnets(provider, '10.60.0.0/16', ['us-east-1a', 'us-east-1c']);
    const nlb1 = (await elb2.send(new CreateLoadBalancerCommand({ Name: 'nlb-one', Type: 'network', Scheme: 'internal', Subnets: [net.subnets[0]] }))).LoadBalancers![0].LoadBalancerArn!;
    const nlb2 = (await elb2.send(new CreateLoadBalancerCommand({ Name: 'nlb-two', Type: 'network', Scheme: 'internal', Subnets: [net.subnets[1]] }))).LoadBalancers![0].LoadBalancerArn!;
    const id = (await provider.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [nlb1], AcceptanceRequired: false }))).ServiceConfiguration!.ServiceId!;
    const get = async () => (await provider.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [id] }))).ServiceConfigurations![0];
    assert.deepEqual((await get()).AvailabilityZones, ['us-east-1a']);
    await provider.send(new ModifyVpcEndpointServiceConfigurationCommand({ ServiceId: id, AddNetworkLoadBalancerArns: [nlb2], RemoveNetworkLoadBalancerArns: [nlb1], AcceptanceRequired: true, AddSupportedIpAddressTypes: ['ipv6'], PrivateDnsName: 'svc.example.org' }));
    const svc = await get();
    assert.deepEqual(svc.NetworkLoadBalancerArns, [nlb2]);
    assert.deepEqual(svc.AvailabilityZones, ['us-east-1c']);
    assert.equal(svc.AcceptanceRequired, true);
    assert.deepEqual(svc.SupportedIpAddressTypes, ['ipv4', 'ipv6']);
    assert.equal(svc.PrivateDnsNameConfiguration!.State, 'pendingVerification');
    await rejects(provider.send(new ModifyVpcEndpointServiceConfigurationCommand({ ServiceId: id, RemoveNetworkLoadBalancerArns: [nlb2] })), 'InvalidParameter');
    await provider.send(new ModifyVpcEndpointServiceConfigurationCommand({ ServiceId: id, RemovePrivateDnsName: true }));
    const removed = await get();
    assert.equal(removed.PrivateDnsName, undefined);
    assert.equal(removed.PrivateDnsNameConfiguration, undefined);
    await rejects(provider.send(new StartVpcEndpointServicePrivateDnsVerificationCommand({ ServiceId: id })), 'InvalidParameter');
    // nlb1 is free again.
    await elb2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: nlb1 }));
  });
});
