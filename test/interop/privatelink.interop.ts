// Interop: the real AWS CLI v2 builds the PrivateLink architecture against a
// real localnet, the way the pitfall shows on AWS: a provider publishes an
// internal API behind a Network Load Balancer as an endpoint service with a
// verified private DNS name; a consumer VPC A reaches it through an interface
// endpoint by that name; VPC B, peered to A from another region, does not
// resolve the name until a private hosted zone associated with B aliases it to
// the endpoint's regional DNS name. Answers come from plain `dig` against the
// DNS views, and bytes really flow through endpoint and load balancer.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { awsCli, awsCliMissing, dummyAwsEnv, run, type AwsCli } from '../helpers/aws-cli.ts';
import { steps, until } from '../helpers/steps.ts';
import { startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';
import { localnetCli } from '../helpers/localnet-process.ts';

const PROVIDER = '111111111111';
const CONSUMER = '222222222222';
const NAME = 'internal-api.example.com';
const DIG = '/usr/bin/dig';

const { s, need } = steps();

interface View {
  view: string;
  address: string;
  port: number;
}

async function viewOf(ln: TestLocalnet, name: string): Promise<View> {
  let views: View[] | undefined;
  for (let i = 0; i < 50; i++) {
    const health = (await (await fetch(`${ln.endpoint}/_localnet/health`)).json()) as { dns?: { views?: View[] } };
    views = health.dns?.views;
    const v = views?.find((x) => x.view === name);
    if (v) return v;
    await sleep(100);
  }
  assert.fail(`health lists no DNS view ${name}: ${JSON.stringify(views)}`);
}

async function dig(v: View, ...args: string[]): Promise<string> {
  const r = await run(DIG, [`@${v.address}`, '-p', String(v.port), '+time=2', '+tries=1', ...args], process.env, 15_000);
  assert.equal(r.code, 0, `dig ${args.join(' ')} exited ${r.code}: ${r.stdout}${r.stderr}`);
  return r.stdout;
}


/** Sends a line through host:port and reads the backend's answer (bounded by a timeout). */
function exchange(host: string, port: number, line: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    let got = '';
    const timer = setTimeout(() => (sock.destroy(), reject(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms (got '${got}')`))), timeoutMs);
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.write(`${line}\n`));
    sock.on('data', (d: string) => {
      got += d;
      if (!got.includes('\n')) return;
      clearTimeout(timer);
      sock.end();
      resolve(got.trim());
    });
    sock.on('error', (e) => (clearTimeout(timer), reject(e)));
  });
}

const skip = awsCliMissing() ?? (existsSync(DIG) ? undefined : `${DIG} is not installed: apt-get install -y bind9-dnsutils (.ci/run does)`);

describe('AWS CLI v2 builds PrivateLink across accounts and regions', { skip }, () => {
  let ln: TestLocalnet;
  let provider: AwsCli;
  let consumer: AwsCli;
  let consumerWest: AwsCli;
  let backend: net.Server;
  let backendPort = 0;

  before(async () => {
    ln = await startTestLocalnet();
    provider = awsCli(ln.endpoint, dummyAwsEnv(PROVIDER, 'us-east-1'));
    consumer = awsCli(ln.endpoint, dummyAwsEnv(CONSUMER, 'us-east-1'));
    consumerWest = awsCli(ln.endpoint, dummyAwsEnv(CONSUMER, 'us-west-2'));
    // The API's process: answers each line with "api:" and the line.
    backend = net.createServer((c) => {
      c.setEncoding('utf8');
      c.on('data', (d: string) => c.write(`api:${d.trim()}\n`));
      c.on('error', () => {});
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    backendPort = (backend.address() as AddressInfo).port;
  });
  after(async () => {
    await ln?.stop();
    backend?.close();
  });

  it('provider: an internal NLB in front of the API instance', async () => {
    const { Vpc } = await provider.ok(['ec2', 'create-vpc', '--cidr-block', '10.1.0.0/16']);
    s.providerVpc = Vpc.VpcId;
    const subnet = async (cidr: string, az: string) => (await provider.ok(['ec2', 'create-subnet', '--vpc-id', Vpc.VpcId, '--cidr-block', cidr, '--availability-zone', az])).Subnet.SubnetId;
    const a = await subnet('10.1.1.0/24', 'us-east-1a');
    const b = await subnet('10.1.2.0/24', 'us-east-1b');
    const { GroupId } = await provider.ok(['ec2', 'create-security-group', '--group-name', 'api', '--description', 'api', '--vpc-id', Vpc.VpcId]);
    // Through PrivateLink the API sees the load balancer's private addresses: allow the VPC.
    await provider.ok(['ec2', 'authorize-security-group-ingress', '--group-id', GroupId, '--protocol', 'tcp', '--port', '8443', '--cidr', '10.1.0.0/16']);
    const run = await provider.ok([
      'ec2', 'run-instances', '--image-id', 'ami-0123456789abcdef0', '--instance-type', 't3.micro', '--subnet-id', a, '--security-group-ids', GroupId,
      '--tag-specifications', `ResourceType=instance,Tags=[{Key=localnet:port:8443,Value=127.0.0.1:${backendPort}}]`,
    ]);
    s.instance = run.Instances[0].InstanceId;
    const { LoadBalancers } = await provider.ok(['elbv2', 'create-load-balancer', '--name', 'api', '--type', 'network', '--scheme', 'internal', '--subnets', a, b]);
    assert.equal(LoadBalancers[0].Type, 'network');
    s.nlb = LoadBalancers[0].LoadBalancerArn;
    const { TargetGroups } = await provider.ok(['elbv2', 'create-target-group', '--name', 'api', '--protocol', 'TCP', '--port', '8443', '--vpc-id', Vpc.VpcId, '--target-type', 'instance']);
    s.tg = TargetGroups[0].TargetGroupArn;
    await provider.ok(['elbv2', 'register-targets', '--target-group-arn', s.tg!, '--targets', `Id=${s.instance}`]);
    await provider.ok(['elbv2', 'create-listener', '--load-balancer-arn', s.nlb!, '--protocol', 'TCP', '--port', '443', '--default-actions', `Type=forward,TargetGroupArn=${s.tg}`]);
  });

  it('provider: publishes it as an endpoint service with a private DNS name, verified by a TXT record', async (t) => {
    if (!need(t, 'nlb')) return;
    const { ServiceConfiguration: svc } = await provider.ok([
      'ec2', 'create-vpc-endpoint-service-configuration', '--network-load-balancer-arns', s.nlb!, '--acceptance-required', '--private-dns-name', NAME,
    ]);
    assert.match(svc.ServiceId, /^vpce-svc-[0-9a-f]{17}$/);
    assert.equal(svc.ServiceName, `com.amazonaws.vpce.us-east-1.${svc.ServiceId}`);
    assert.equal(svc.AcceptanceRequired, true);
    assert.equal(svc.PrivateDnsNameConfiguration.State, 'pendingVerification');
    s.service = svc.ServiceId;
    s.serviceName = svc.ServiceName;
    await provider.ok(['ec2', 'modify-vpc-endpoint-service-permissions', '--service-id', svc.ServiceId, '--add-allowed-principals', `arn:aws:iam::${CONSUMER}:root`]);

    // The public zone the world sees for example.com, and the TXT record AWS asks for.
    const { HostedZone } = await provider.ok(['route53', 'create-hosted-zone', '--name', 'example.com', '--caller-reference', 'privatelink-interop']);
    const { Name, Value } = svc.PrivateDnsNameConfiguration;
    await provider.ok(['ec2', 'start-vpc-endpoint-service-private-dns-verification', '--service-id', svc.ServiceId]);
    const before = await provider.ok(['ec2', 'describe-vpc-endpoint-service-configurations', '--service-ids', svc.ServiceId, '--query', 'ServiceConfigurations[0].PrivateDnsNameConfiguration.State']);
    assert.notEqual(before, 'verified', 'no TXT record yet: not verified');
    await provider.ok([
      'route53', 'change-resource-record-sets', '--hosted-zone-id', HostedZone.Id, '--change-batch',
      JSON.stringify({ Changes: [{ Action: 'CREATE', ResourceRecordSet: { Name: `${Name}.${NAME}`, Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: `"${Value}"` }] } }] }),
    ]);
    await provider.ok(['ec2', 'start-vpc-endpoint-service-private-dns-verification', '--service-id', svc.ServiceId]);
    await until(provider, ['ec2', 'describe-vpc-endpoint-service-configurations', '--service-ids', svc.ServiceId, '--query', 'ServiceConfigurations[0].PrivateDnsNameConfiguration.State'], (st) => st === 'verified', 'private DNS verification');
  });

  it('consumer VPC A: an interface endpoint, pending until the provider accepts it', async (t) => {
    if (!need(t, 'serviceName')) return;
    const { Vpc } = await consumer.ok(['ec2', 'create-vpc', '--cidr-block', '10.2.0.0/16']);
    s.vpcA = Vpc.VpcId;
    await consumer.ok(['ec2', 'modify-vpc-attribute', '--vpc-id', Vpc.VpcId, '--enable-dns-hostnames', '{"Value":true}']);
    const subnet = (await consumer.ok(['ec2', 'create-subnet', '--vpc-id', Vpc.VpcId, '--cidr-block', '10.2.1.0/24', '--availability-zone', 'us-east-1a'])).Subnet.SubnetId;
    const { GroupId } = await consumer.ok(['ec2', 'create-security-group', '--group-name', 'endpoint', '--description', 'endpoint', '--vpc-id', Vpc.VpcId]);
    await consumer.ok(['ec2', 'authorize-security-group-ingress', '--group-id', GroupId, '--protocol', 'tcp', '--port', '443', '--cidr', '10.0.0.0/8']);
    const { VpcEndpoint: ep } = await consumer.ok([
      'ec2', 'create-vpc-endpoint', '--vpc-endpoint-type', 'Interface', '--vpc-id', Vpc.VpcId, '--service-name', s.serviceName!, '--subnet-ids', subnet,
      '--security-group-ids', GroupId, '--private-dns-enabled',
    ]);
    assert.match(ep.VpcEndpointId, /^vpce-[0-9a-f]{17}$/);
    assert.equal(ep.State, 'pendingAcceptance');
    s.endpoint = ep.VpcEndpointId;

    const conns = await provider.ok(['ec2', 'describe-vpc-endpoint-connections', '--filters', `Name=service-id,Values=${s.service}`]);
    assert.deepEqual(conns.VpcEndpointConnections.map((c: any) => [c.VpcEndpointId, c.VpcEndpointOwner, c.VpcEndpointState]), [[ep.VpcEndpointId, CONSUMER, 'pendingAcceptance']]);
    const accepted = await provider.ok(['ec2', 'accept-vpc-endpoint-connections', '--service-id', s.service!, '--vpc-endpoint-ids', ep.VpcEndpointId]);
    assert.deepEqual(accepted.Unsuccessful, []);
    const ready = await until(consumer, ['ec2', 'describe-vpc-endpoints', '--vpc-endpoint-ids', ep.VpcEndpointId, '--query', 'VpcEndpoints[0]'], (e) => e.State === 'available', 'endpoint acceptance');
    const names: string[] = ready.DnsEntries.map((d: any) => d.DnsName);
    assert.match(names[0], new RegExp(`^${ep.VpcEndpointId}-[a-z0-9]+\\.${s.service}\\.us-east-1\\.vpce\\.amazonaws\\.com$`));
    assert.ok(names.includes(NAME), `the private DNS name is an entry: ${names.join(', ')}`);
    s.regionalName = names[0];
    s.regionalZone = ready.DnsEntries[0].HostedZoneId;
    const enis = await consumer.ok(['ec2', 'describe-network-interfaces', '--network-interface-ids', ...ready.NetworkInterfaceIds, '--query', 'NetworkInterfaces[].[InterfaceType,RequesterManaged,SubnetId]']);
    assert.deepEqual(enis, [['vpc_endpoint', true, subnet]]);
  });

  it('the private DNS name resolves inside VPC A only, and the API answers through it', async (t) => {
    if (!need(t, 'vpcA', 'regionalName')) return;
    const inside = await viewOf(ln, s.vpcA!);
    const addresses = (await dig(inside, NAME, 'A', '+short')).trim().split('\n').filter(Boolean);
    assert.equal(addresses.length, 1, `one interface, one address: ${addresses.join(', ')}`);
    assert.match(addresses[0], /^127\./, 'the loopback data plane answers the interface\'s loopback address');
    const pub = await viewOf(ln, 'public');
    // The public zone holds the TXT record below the name, so the name itself is an empty non-terminal there: no address.
    assert.match(await dig(pub, NAME, 'A'), /status: NOERROR.*\n.*ANSWER: 0,/, 'the private DNS name has no public address');
    assert.deepEqual((await dig(pub, s.regionalName!, 'A', '+short')).trim().split('\n'), addresses, 'the regional name resolves publicly to the interfaces');

    const port = await endpointPort(ln, s.endpoint!, 443);
    assert.equal(await exchange(addresses[0], port, 'hello'), 'api:hello');
  });

  it('VPC B, peered from another region, does not resolve the name until a private zone aliases it', async (t) => {
    if (!need(t, 'vpcA', 'regionalName', 'regionalZone')) return;
    const { Vpc } = await consumerWest.ok(['ec2', 'create-vpc', '--cidr-block', '10.3.0.0/16']);
    s.vpcB = Vpc.VpcId;
    await consumerWest.ok(['ec2', 'modify-vpc-attribute', '--vpc-id', Vpc.VpcId, '--enable-dns-hostnames', '{"Value":true}']);
    const { VpcPeeringConnection: pcx } = await consumer.ok(['ec2', 'create-vpc-peering-connection', '--vpc-id', s.vpcA!, '--peer-vpc-id', Vpc.VpcId, '--peer-region', 'us-west-2']);
    await until(consumerWest, ['ec2', 'describe-vpc-peering-connections', '--vpc-peering-connection-ids', pcx.VpcPeeringConnectionId, '--query', 'VpcPeeringConnections[0].Status.Code'], (c) => c === 'pending-acceptance', 'peering request');
    await consumerWest.ok(['ec2', 'accept-vpc-peering-connection', '--vpc-peering-connection-id', pcx.VpcPeeringConnectionId]);

    const b = await viewOf(ln, Vpc.VpcId);
    assert.equal((await dig(b, NAME, 'A', '+short')).trim(), '', 'the managed private zone of the endpoint is associated with VPC A alone');
    const why = await localnetCli(['dig', '--vpc', Vpc.VpcId, NAME], { ...process.env, LOCALNET_ENDPOINT: ln.endpoint });
    assert.match(why.stdout + why.stderr, new RegExp(s.endpoint!), `localnet dig names the endpoint whose private DNS name this is:\n${why.stdout}${why.stderr}`);

    const { HostedZone } = await consumerWest.ok(['route53', 'create-hosted-zone', '--name', NAME, '--caller-reference', 'privatelink-interop-b', '--vpc', `VPCRegion=us-west-2,VPCId=${Vpc.VpcId}`, '--hosted-zone-config', 'PrivateZone=true']);
    await consumerWest.ok([
      'route53', 'change-resource-record-sets', '--hosted-zone-id', HostedZone.Id, '--change-batch',
      JSON.stringify({ Changes: [{ Action: 'CREATE', ResourceRecordSet: { Name: NAME, Type: 'A', AliasTarget: { HostedZoneId: s.regionalZone, DNSName: s.regionalName, EvaluateTargetHealth: false } } }] }),
    ]);
    const a = await viewOf(ln, s.vpcA!);
    const expected = (await dig(a, NAME, 'A', '+short')).trim();
    let got = '';
    for (let i = 0; i < 20 && got !== expected; i++) {
      got = (await dig(b, NAME, 'A', '+short')).trim();
      if (got !== expected) await sleep(100);
    }
    assert.equal(got, expected, 'after the alias, VPC B resolves the name to the endpoint interfaces');
  });
});

/** The host port the endpoint's interface listens on for the service's port (privileged ports may be offset), from /_localnet/health. */
async function endpointPort(ln: TestLocalnet, endpointId: string, port: number): Promise<number> {
  let listed: unknown;
  for (let i = 0; i < 40; i++) {
    const health = (await (await fetch(`${ln.endpoint}/_localnet/health`)).json()) as { endpoints?: { endpoint: string; port: number; boundPort: number }[] };
    listed = health.endpoints;
    const found = health.endpoints?.find((e) => e.endpoint === endpointId && e.port === port);
    if (found) return found.boundPort;
    await sleep(100);
  }
  assert.fail(`/_localnet/health lists no socket of ${endpointId} for port ${port}: ${JSON.stringify(listed)}`);
}
