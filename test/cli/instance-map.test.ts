// `localnet instance map|ports` and the public addresses in `localnet status`,
// run as a user runs them against a `localnet start` process; and
// LOCALNET_PUBLIC_ADDRESSES=aws, which keeps AWS-looking addresses and binds
// nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AllocateAddressCommand, AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DescribeInstancesCommand, DescribeSubnetsCommand,
  DescribeTagsCommand, DescribeVpcsCommand, RunInstancesCommand, type EC2Client,
} from '@aws-sdk/client-ec2';
import { ec2At, localnetCli, startLocalnetProcess, type LocalnetProcess } from '../helpers/localnet-process.ts';
import { PUBLIC_IP } from '../helpers/slot.ts';

/** What a connection to ip:port gets within `ms`: the first data, or the error code. */
function probe(ip: string, port: number, ms = 1000): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host: ip, port });
    const done = (r: string) => { clearTimeout(t); s.destroy(); resolve(r); };
    const t = setTimeout(() => done('silent'), ms);
    s.on('data', (d) => done(d.toString()));
    s.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  });
}

/** Polls until `check` holds (the data plane reconciles just after the API answers), at most ~3 s. */
async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 30; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`never happened: ${what}`);
}

/** A web server in the default VPC: a group open on 80 to the world, an instance in a default subnet (public IP on launch). */
async function webInstance(ec2: EC2Client, tags: { Key: string; Value: string }[] = []): Promise<{ id: string; publicIp: string }> {
  const vpcId = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0].VpcId!;
  const subnet = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Subnets![0].SubnetId!;
  const sg = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: `web-${Date.now()}`, Description: 'web' }))).GroupId!;
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' }));
  const r = await ec2.send(new RunInstancesCommand({
    ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SubnetId: subnet, SecurityGroupIds: [sg],
    ...(tags.length ? { TagSpecifications: [{ ResourceType: 'instance', Tags: tags }] } : {}),
  }));
  const id = r.Instances![0].InstanceId!;
  const i = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0].Instances![0];
  return { id, publicIp: i.PublicIpAddress! };
}

describe('localnet instance map / ports', () => {
  let dataDir: string;
  let ln: LocalnetProcess;
  let ec2: EC2Client;
  let web: net.Server;
  let webPort: number;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pubip-cli-'));
    ln = await startLocalnetProcess(dataDir);
    ec2 = ec2At(ln.endpoint);
    env = { ...process.env, LOCALNET_ENDPOINT: ln.endpoint };
    web = net.createServer((s) => s.end('hello from nginx'));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    webPort = (web.address() as net.AddressInfo).port;
  });
  after(async () => {
    await ln?.stop();
    await new Promise<void>((r) => (web ? web.close(() => r()) : r()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('maps a port with tags, serves it on the public address, lists it, and unmaps it', async () => {
    const { id, publicIp } = await webInstance(ec2);
    assert.match(publicIp, PUBLIC_IP);
    assert.equal(await probe(publicIp, 80), 'ECONNREFUSED', 'no port mapped yet');

    const mapped = await localnetCli(['instance', 'map', id, `80=127.0.0.1:${webPort}`, '443=127.0.0.1:1'], env);
    assert.equal(mapped.code, 0, mapped.stderr);
    assert.match(mapped.stdout, new RegExp(`${id} port 80 → 127\\.0\\.0\\.1:${webPort}`));
    const tags = (await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [id] }] }))).Tags!;
    assert.deepEqual(tags.filter((t) => t.Key!.startsWith('localnet:port:')).map((t) => `${t.Key}=${t.Value}`).sort(), [`localnet:port:443=127.0.0.1:1`, `localnet:port:80=127.0.0.1:${webPort}`]);
    await eventually('the public address answers on 80', async () => (await probe(publicIp, 80)) === 'hello from nginx');

    const ports = await localnetCli(['instance', 'ports', id], env);
    assert.equal(ports.code, 0, ports.stderr);
    assert.match(ports.stdout, new RegExp(`port 80 → 127\\.0\\.0\\.1:${webPort}\\n  public ${publicIp.replace(/\./g, '\\.')}:80\\n`));
    // Port 443 is mapped, but the group does not open it: the socket exists and holds connections.
    assert.match(ports.stdout, /port 443 → 127\.0\.0\.1:1\n {2}public \S+:443 {2}blocked: .*sg-/);

    const status = await localnetCli(['status'], env);
    assert.equal(status.code, 0, status.stderr);
    assert.ok(status.stdout.includes(`public ${publicIp} TCP 80 → ${id} 127.0.0.1:${webPort}`), status.stdout);
    assert.match(status.stdout, new RegExp(`public ${publicIp.replace(/\./g, '\\.')} TCP 443 → ${id} 127\\.0\\.0\\.1:1 {2}blocked: `));

    const why = await localnetCli(['why', 'internet', `${publicIp}:443`], env);
    assert.match(why.stdout, /sg-/);

    const removed = await localnetCli(['instance', 'map', id, '80=', '--remove', '443'], env);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, /port 80 unmapped/);
    await eventually('the public address refuses 80 again', async () => (await probe(publicIp, 80)) === 'ECONNREFUSED');
    const none = await localnetCli(['instance', 'ports', id], env);
    assert.match(none.stdout, /maps no port/);
  });

  it('refuses what it cannot map, and names an unknown instance', async () => {
    const { id } = await webInstance(ec2);
    const far = await localnetCli(['instance', 'map', id, '80=10.0.0.1:80'], env);
    assert.equal(far.code, 2);
    assert.match(far.stderr, /not a loopback address/);
    const bad = await localnetCli(['instance', 'map', id, 'http=3000'], env);
    assert.equal(bad.code, 2);
    const unknown = await localnetCli(['instance', 'ports', 'i-0123456789abcdef0'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /InvalidInstanceID\.NotFound/);
  });
});

describe('LOCALNET_PUBLIC_ADDRESSES=aws', () => {
  let dataDir: string;
  let ln: LocalnetProcess;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pubip-aws-'));
    ln = await startLocalnetProcess(dataDir, { LOCALNET_PUBLIC_ADDRESSES: 'aws' });
  });
  after(async () => {
    await ln?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps AWS-looking addresses and binds nothing, and status says so', async () => {
    const ec2 = ec2At(ln.endpoint);
    const eip = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    assert.match(eip.PublicIp!, /^(203\.0\.113|198\.51\.100)\.\d+$/);
    const { publicIp } = await webInstance(ec2, [{ Key: 'localnet:port:80', Value: '127.0.0.1:1' }]);
    assert.match(publicIp, /^192\.0\.2\.\d+$/);
    const env = { ...process.env, LOCALNET_ENDPOINT: ln.endpoint };
    const health = (await (await fetch(`${ln.endpoint}/_localnet/health`)).json()) as { publicAddressBlock: string; publicAddresses: unknown[] };
    assert.equal(health.publicAddressBlock, 'aws');
    assert.deepEqual(health.publicAddresses, []);
    const status = await localnetCli(['status'], env);
    assert.match(status.stdout, /public addresses: AWS-looking \(LOCALNET_PUBLIC_ADDRESSES=aws\), nothing binds them/);
  });
});
