// PrivateLink end to end through the SDK only, as a provider and a consumer
// in two accounts would build it: an internal NLB with a TLS listener in
// front of an instance, published as an endpoint service with a private DNS
// name verified by a TXT record; an interface endpoint in the consumer's
// VPC. The consumer resolves the private DNS name in its VPC's view with
// Node's resolver and makes a real TLS exchange through the endpoint and the
// NLB to the backend; Network Insights from a consumer instance to the
// endpoint follows the path into the provider's side, and each rule that
// breaks it (the endpoint's group, the targets' group) is named.
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { after, before, describe, it } from 'node:test';
import {
  AcceptVpcEndpointConnectionsCommand, AuthorizeSecurityGroupIngressCommand, CreateNetworkInsightsPathCommand, CreateSecurityGroupCommand, CreateSubnetCommand,
  CreateVpcCommand, CreateVpcEndpointCommand, CreateVpcEndpointServiceConfigurationCommand, DescribeVpcEndpointsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand, ModifyVpcAttributeCommand, ModifyVpcEndpointServicePermissionsCommand, RevokeSecurityGroupIngressCommand,
  RunInstancesCommand, StartNetworkInsightsAnalysisCommand, StartVpcEndpointServicePrivateDnsVerificationCommand, type EC2Client,
} from '@aws-sdk/client-ec2';
import { CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, ElasticLoadBalancingV2Client, RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { clientConfig, ec2Client, startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';
import { buildNetwork, putCertificate, runInstance, type Net } from '../lb/fixtures.ts';
import { exchange, startTcpEcho, type EchoServer } from '../lb/nlb-fixtures.ts';

const CONSUMER = '222222222222';
const NAME = 'internal-api.example.com';

async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > end) assert.fail(`${what}: still ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A TLS exchange: connects, checks the certificate against the CA for `servername`, sends a line and reads the echo. */
function tlsExchange(host: string, port: number, servername: string, ca: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host, port, servername, ca }, () => s.write(line));
    const timer = setTimeout(() => (s.destroy(), reject(new Error(`no TLS answer from ${host}:${port}`))), 5000);
    s.setEncoding('utf8');
    s.on('data', (d: string) => (clearTimeout(timer), s.end(), resolve(d)));
    s.on('error', (e) => (clearTimeout(timer), reject(e)));
  });
}

describe('PrivateLink through the SDK: provider and consumer accounts, TLS through the endpoint', () => {
  let ln: TestLocalnet;
  let provider: EC2Client;
  let consumer: EC2Client;
  let net: Net;
  let echo: EchoServer;
  let endpointId = '';
  let endpointSg = '';
  let consumerInstance = '';
  let consumerVpc = '';

  before(async () => {
    ln = await startTestLocalnet();
    provider = ec2Client(ln);
    consumer = ec2Client(ln, { accessKeyId: CONSUMER });
    const elb = new ElasticLoadBalancingV2Client(clientConfig(ln));
    const r53 = new Route53Client(clientConfig(ln));
    echo = await startTcpEcho({ prefix: 'api:' });

    // Provider: the API instance behind an internal NLB (no security groups: the targets' group judges the NLB's addresses).
    net = await buildNetwork(provider);
    await provider.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: net.appSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 7000, ToPort: 7000, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }] }));
    const instance = await runInstance(provider, net, { 7000: echo.port });
    const nlb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'api', Type: 'network', Scheme: 'internal', Subnets: net.publicSubnets }))).LoadBalancers![0].LoadBalancerArn!;
    const tg = (await elb.send(new CreateTargetGroupCommand({ Name: 'api', Protocol: 'TCP', Port: 7000, VpcId: net.vpcId }))).TargetGroups![0].TargetGroupArn!;
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: instance }] }));
    const cert = await putCertificate(ln, [NAME]);
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: nlb, Protocol: 'TLS', Port: 443, Certificates: [{ CertificateArn: cert }], DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }] }));

    // The endpoint service, its private DNS name verified through the public zone the world sees.
    const svc = (await provider.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [nlb], AcceptanceRequired: true, PrivateDnsName: NAME }))).ServiceConfiguration!;
    await provider.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: svc.ServiceId, AddAllowedPrincipals: [`arn:aws:iam::${CONSUMER}:root`] }));
    const zone = (await r53.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'plink-e2e' }))).HostedZone!.Id!;
    const { Name, Value } = svc.PrivateDnsNameConfiguration!;
    await r53.send(new ChangeResourceRecordSetsCommand({
      HostedZoneId: zone,
      ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: { Name: `${Name}.${NAME}`, Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: `"${Value}"` }] } }] },
    }));
    await provider.send(new StartVpcEndpointServicePrivateDnsVerificationCommand({ ServiceId: svc.ServiceId }));
    await until('private DNS verification', async () => (await provider.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [svc.ServiceId!] }))).ServiceConfigurations![0].PrivateDnsNameConfiguration?.State, (s) => s === 'verified');

    // Consumer: a VPC with DNS hostnames, an instance, and the endpoint (its group admits the VPC on 443).
    const vpc = (await consumer.send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/16' }))).Vpc!.VpcId!;
    consumerVpc = vpc;
    await consumer.send(new ModifyVpcAttributeCommand({ VpcId: vpc, EnableDnsHostnames: { Value: true } }));
    const subnet = (await consumer.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.2.1.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
    endpointSg = (await consumer.send(new CreateSecurityGroupCommand({ GroupName: 'endpoint', Description: 'endpoint', VpcId: vpc }))).GroupId!;
    await consumer.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: endpointSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.2.0.0/16' }] }] }));
    consumerInstance = (await consumer.send(new RunInstancesCommand({ ImageId: 'ami-0abcdef1234567890', MinCount: 1, MaxCount: 1, SubnetId: subnet }))).Instances![0].InstanceId!;
    const ep = (await consumer.send(new CreateVpcEndpointCommand({ VpcEndpointType: 'Interface', VpcId: vpc, ServiceName: svc.ServiceName, SubnetIds: [subnet], SecurityGroupIds: [endpointSg], PrivateDnsEnabled: true }))).VpcEndpoint!;
    assert.equal(ep.State, 'pendingAcceptance');
    endpointId = ep.VpcEndpointId!;
    await provider.send(new AcceptVpcEndpointConnectionsCommand({ ServiceId: svc.ServiceId, VpcEndpointIds: [endpointId] }));
    await until('endpoint available', async () => (await consumer.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }))).VpcEndpoints![0].State as string | undefined, (s) => s === 'available');
  });
  after(async () => {
    await ln?.stop();
    await echo?.close();
  });

  const consumerVpcView = () => until('the consumer VPC\'s DNS view', async () => ln.dns.views().find((v) => v.view === consumerVpc), (v) => v !== undefined);
  const socketOf = () => until('the endpoint interface socket', async () => ln.endpoints.bindings().find((b) => b.endpoint === endpointId && b.port === 443), (b) => b !== undefined);

  it('resolves the private DNS name in the consumer VPC and speaks TLS through the endpoint and the NLB to the backend', async () => {
    const view = (await consumerVpcView())!;
    const r = new Resolver({ timeout: 1000, tries: 1 });
    r.setServers([`${view.address}:${view.port}`]);
    const [address] = await until('the private DNS name in the consumer VPC', () => r.resolve4(NAME).catch(() => []), (a) => a.length === 1);
    const socket = (await socketOf())!;
    assert.equal(address, socket.address, 'the name resolves to the endpoint interface\'s loopback address');
    const ca = readFileSync(ln.ca.files.root, 'utf8');
    assert.equal(await tlsExchange(address, socket.boundPort, NAME, ca, 'hello'), 'api:hello');
  });

  it('Network Insights from a consumer instance follows the endpoint into the provider\'s side, and names what breaks it', async () => {
    const analyse = async () => {
      const path = (await consumer.send(new CreateNetworkInsightsPathCommand({ Source: consumerInstance, Destination: endpointId, Protocol: 'tcp', DestinationPort: 443 }))).NetworkInsightsPath!;
      return (await consumer.send(new StartNetworkInsightsAnalysisCommand({ NetworkInsightsPathId: path.NetworkInsightsPathId! }))).NetworkInsightsAnalysis!;
    };
    const ok = await analyse();
    assert.equal(ok.NetworkPathFound, true, JSON.stringify(ok.Explanations));
    assert.equal(ok.ForwardPathComponents!.at(-1)!.Component!.Id, endpointId);

    // The targets' group stops admitting the NLB's addresses: the consumer's path breaks on the provider's side.
    await provider.send(new RevokeSecurityGroupIngressCommand({ GroupId: net.appSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 7000, ToPort: 7000, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }] }));
    const broken = await analyse();
    assert.equal(broken.NetworkPathFound, false);
    assert.ok(broken.Explanations!.some((e) => e.LoadBalancerArn?.includes(':loadbalancer/net/api/')), JSON.stringify(broken.Explanations));
    await provider.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: net.appSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 7000, ToPort: 7000, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }] }));
    assert.equal((await analyse()).NetworkPathFound, true);
  });

  it('a client the endpoint\'s security group does not admit gets no answer', async () => {
    await consumer.send(new RevokeSecurityGroupIngressCommand({ GroupId: endpointSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.2.0.0/16' }] }] }));
    const socket = await until('the endpoint socket blocked', async () => ln.endpoints.bindings().find((b) => b.endpoint === endpointId && b.port === 443), (b) => Boolean(b?.blocked));
    assert.match(socket!.blocked!, new RegExp(endpointSg));
    assert.deepEqual(await exchange(socket!.address, socket!.boundPort, 'hello', { ms: 600 }), { kind: 'silent' });
  });
});
