// The seed's whole path: one EC2 instance with an Elastic IP, its port 80
// and 443 mapped to local processes (a webroot site, then a TLS server), an
// A record in Route 53 pointing at the Elastic IP, and Certbot validating
// through that address the way Let's Encrypt validates through the internet:
// the public address data plane, the route to the internet gateway, the
// NACL and the security group all stand between them. The certificate then
// serves real TLS through the Elastic IP. Closing port 80 in the security
// group makes Certbot fail as Let's Encrypt's users see it.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { after, before, describe, it } from 'node:test';
import {
  AllocateAddressCommand, AssociateAddressCommand, AttachInternetGatewayCommand, AuthorizeSecurityGroupIngressCommand, CreateInternetGatewayCommand, CreateRouteCommand,
  CreateSecurityGroupCommand, CreateSubnetCommand, CreateTagsCommand, CreateVpcCommand, DescribeRouteTablesCommand, RevokeSecurityGroupIngressCommand, RunInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { ec2Client } from '../helpers/localnet.ts';
import { acmeEnv, assertUsable, CERTBOT, certbot, certbotLog, closeServer, missing, upsert, type Env } from './helpers.ts';

const skip = missing(CERTBOT, 'certbot') ?? missing('/usr/bin/openssl', 'openssl');
const NAME = 'site.example.org';

/** The site on the instance: files under webroot over HTTP on a free loopback port (the instance's port 80 maps there). */
async function site(webroot: string): Promise<Server> {
  mkdirSync(webroot, { recursive: true });
  const server = createServer((req, res) => {
    const file = join(webroot, decodeURIComponent((req.url ?? '/').split('?')[0]));
    if (!file.includes('..') && existsSync(file)) res.end(readFileSync(file));
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

describe('Certbot through an Elastic IP: the A record, the public address, the security group', { skip }, () => {
  let env: Env;
  let ec2: EC2Client;
  let web: Server;
  let tlsSite: tls.Server | undefined;
  let instance = '';
  let sg = '';
  let eip = '';
  const webroot = () => join(env.tmp, 'www');

  before(async () => {
    env = await acmeEnv('example.org');
    ec2 = ec2Client(env.ln);
    web = await site(webroot());
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc!.VpcId!;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.9.1.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
    const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
    const main = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc] }] }))).RouteTables![0].RouteTableId!;
    await ec2.send(new CreateRouteCommand({ RouteTableId: main, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
    sg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web', VpcId: vpc }))).GroupId!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [80, 443].map((p) => ({ IpProtocol: 'tcp', FromPort: p, ToPort: p, IpRanges: [{ CidrIp: '0.0.0.0/0' }] })) }));
    instance = (await ec2.send(new RunInstancesCommand({
      ImageId: 'ami-0abcdef1234567890', MinCount: 1, MaxCount: 1, SubnetId: subnet, SecurityGroupIds: [sg],
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'localnet:port:80', Value: `127.0.0.1:${(web.address() as AddressInfo).port}` }] }],
    }))).Instances![0].InstanceId!;
    const alloc = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    eip = alloc.PublicIp!;
    await ec2.send(new AssociateAddressCommand({ AllocationId: alloc.AllocationId, InstanceId: instance }));
    await upsert(env, NAME, 'A', eip);
    await env.ln.publicAddresses.reconcile();
  });
  after(async () => {
    await closeServer(web);
    await closeServer(tlsSite);
    await env.ln.stop();
    rmSync(env.tmp, { recursive: true, force: true });
  });

  it('the Elastic IP is a loopback address the host reaches, and the A record names it', () => {
    assert.match(eip, /^127\./);
    assert.ok(env.ln.publicAddresses.bindings().some((b) => b.address === eip && b.port === 80 && !b.blocked), JSON.stringify(env.ln.publicAddresses.bindings()));
  });

  it('certbot --webroot validates through the Elastic IP, and the certificate serves TLS through it', async () => {
    const dir = join(env.tmp, 'ok');
    const r = await certbot(env, dir, ['certonly', '--webroot', '-w', webroot(), '-d', NAME]);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}\n${certbotLog(dir)}`);
    const live = join(dir, 'config', 'live', NAME);
    await assertUsable(env.root, join(live, 'cert.pem'), join(live, 'chain.pem'), join(live, 'privkey.pem'), NAME);

    // Nginx's part: a TLS server with the new certificate as the instance's port 443, reached through the Elastic IP by name.
    tlsSite = tls.createServer({ key: readFileSync(join(live, 'privkey.pem')), cert: readFileSync(join(live, 'fullchain.pem')) }, (s) => s.end('hello from the instance\n'));
    await new Promise<void>((r) => tlsSite!.listen(0, '127.0.0.1', r));
    await ec2.send(new CreateTagsCommand({ Resources: [instance], Tags: [{ Key: 'localnet:port:443', Value: `127.0.0.1:${(tlsSite.address() as AddressInfo).port}` }] }));
    await env.ln.publicAddresses.reconcile();
    const port = env.ln.publicAddresses.boundPort(eip, 443);
    assert.ok(port, 'port 443 of the Elastic IP is bound');
    const got = await new Promise<string>((resolve, reject) => {
      const s = tls.connect({ host: eip, port, servername: NAME, ca: readFileSync(env.root) }, () => {
        let data = '';
        s.on('data', (d) => (data += d));
        s.on('end', () => resolve(data));
      });
      s.on('error', reject);
    });
    assert.equal(got, 'hello from the instance\n');
  });

  it('with port 80 closed in the security group, Certbot fails with Let\'s Encrypt\'s firewall wording', async () => {
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    await env.ln.publicAddresses.reconcile();
    // The host's own view of it: accepted, never answered.
    const silent = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: eip, port: env.ln.publicAddresses.boundPort(eip, 80)! });
      const t = setTimeout(() => (s.destroy(), resolve(true)), 400);
      s.on('data', () => (clearTimeout(t), s.destroy(), resolve(false)));
      s.on('error', () => (clearTimeout(t), resolve(false)));
      s.on('connect', () => s.write('GET / HTTP/1.0\r\n\r\n'));
    });
    assert.ok(silent, 'a connection to port 80 gets no answer');
    const dir = join(env.tmp, 'blocked');
    const r = await certbot(env, dir, ['certonly', '--webroot', '-w', webroot(), '-d', NAME]);
    assert.notEqual(r.code, 0);
    const text = `${r.stdout}${r.stderr}${certbotLog(dir)}`;
    assert.match(text, /urn:ietf:params:acme:error:connection/);
    assert.match(text, /Timeout during connect \(likely firewall problem\)/);
  });
});
