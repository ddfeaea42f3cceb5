// The privileged-port rule of the public address data plane: a port below
// 1024 that cannot be bound (not root) binds port + 10000, boundPort() says
// so (what the ACME server's HTTP-01 validation connects to), and the offset
// socket relays like any other. Tests run as root here, so a socket that
// refuses low ports stands in for an unprivileged process.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DescribeInstancesCommand, DescribeSubnetsCommand, DescribeVpcsCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { PublicAddressDataPlane } from '../../src/public-addresses/data-plane.ts';
import { PublicSocket } from '../../src/public-addresses/public-socket.ts';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';

class Unprivileged extends PublicSocket {
  protected override bind(address: string, port: number): Promise<void> {
    if (port < 1024) return Promise.reject(Object.assign(new Error(`listen EACCES: permission denied ${address}:${port}`), { code: 'EACCES' }));
    return super.bind(address, port);
  }
}

describe('public address sockets on privileged ports', () => {
  let ln: TestLocalnet;
  let plane: PublicAddressDataPlane;
  let web: net.Server;
  const logs: string[] = [];

  before(async () => {
    ln = await startTestLocalnet();
    // This test's own data plane stands in for the localnet's.
    await ln.publicAddresses.close();
    plane = new PublicAddressDataPlane({
      network: () => ln.network.get(), mode: ln.config.publicAddresses.kind, timeScale: 1, log: (l) => logs.push(l),
      socket: (b, ctx) => new Unprivileged(b, ctx),
    });
    web = net.createServer((s) => s.end('served'));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  });
  after(async () => {
    await plane?.close();
    await ln?.stop();
    await new Promise<void>((r) => web.close(() => r()));
  });

  it('binds port + 10000, reports it, and relays there', async () => {
    const ec2 = ec2Client(ln);
    const vpcId = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0].VpcId!;
    const subnet = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Subnets![0].SubnetId!;
    const sg = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: 'web', Description: 'web' }))).GroupId!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' }));
    const port = (web.address() as net.AddressInfo).port;
    const id = (await ec2.send(new RunInstancesCommand({
      ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SubnetId: subnet, SecurityGroupIds: [sg],
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'localnet:port:80', Value: `127.0.0.1:${port}` }, { Key: 'localnet:port:8080', Value: `127.0.0.1:${port}` }] }],
    }))).Instances![0].InstanceId!;
    const ip = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0].Instances![0].PublicIpAddress!;
    await plane.reconcile();
    assert.equal(plane.boundPort(ip, 80), 10080);
    assert.equal(plane.boundPort(ip, 8080), 8080, 'an unprivileged port binds as is');
    assert.ok(logs.some((l) => l.includes(`${ip} TCP 80 binds port 10080`)), logs.join('\n'));
    assert.deepEqual(plane.bindings().map((b) => `${b.port}:${b.boundPort}`), ['80:10080', '8080:8080']);
    const got = await new Promise<string>((resolve, reject) => {
      const s = net.connect({ host: ip, port: 10080 });
      let data = '';
      s.on('data', (d) => (data += d.toString()));
      s.on('end', () => resolve(data));
      s.on('error', reject);
    });
    assert.equal(got, 'served');
  });
});
