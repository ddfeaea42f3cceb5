// The localnet CLI as a user runs it, in child processes: start on a free
// port, status, reset (with and without confirmation), aws with a stand-in
// AWS CLI that prints what it was given.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateVpcCommand, DescribeVpcsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { ec2At, localnetCli, startLocalnetProcess, type LocalnetProcess } from '../helpers/localnet-process.ts';

/** An environment without the caller's AWS settings, so the tests see what a fresh shell sees. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && !k.startsWith('LOCALNET_')) env[k] = v;
  return { ...env, ...extra };
}

/** A loopback port where nothing listens (bound, then released). */
async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function vpcExists(ec2: EC2Client, vpcId: string): Promise<boolean> {
  try {
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
    return Vpcs?.length === 1;
  } catch (err: any) {
    if (err.name === 'InvalidVpcID.NotFound') return false;
    throw err;
  }
}

describe('localnet CLI', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'localnet-cli-'));
  const dataDir = join(tmp, 'data');
  let ln: LocalnetProcess;
  let ec2: EC2Client;
  before(async () => {
    ln = await startLocalnetProcess(dataDir, cleanEnv());
    ec2 = ec2At(ln.endpoint);
  });
  after(async () => {
    await ln?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('start on port 0 prints the endpoint it really listens on, and the data dir', async () => {
    assert.match(ln.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(new URL(ln.endpoint).port, '0');
    assert.match(ln.stdout(), /ready in \d+ ms/);
    assert.match(ln.stdout(), /DNS\s+127\.0\.0\.1:\d+\s+\(dig @127\.0\.0\.1 -p \d+ NAME/);
    assert.ok(ln.stdout().includes(dataDir), ln.stdout());
    const health = (await (await fetch(`${ln.endpoint}/_localnet/health`)).json()) as any;
    assert.equal(health.status, 'running');
    assert.equal(health.endpoint, ln.endpoint);
  });

  it('start refuses a non-loopback host and says why', async () => {
    const r = await localnetCli(['start'], cleanEnv({ LOCALNET_HOST: '0.0.0.0', LOCALNET_PORT: '0', LOCALNET_DATA_DIR: join(tmp, 'never') }));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /loopback/);
  });

  it('status reports endpoint, data dir, ports and version of the running localnet', async () => {
    const r = await localnetCli(['status'], cleanEnv({ LOCALNET_ENDPOINT: ln.endpoint }));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^localnet \d+\.\d+\.\d+ running since /);
    assert.ok(r.stdout.includes(`endpoint  ${ln.endpoint}`), r.stdout);
    assert.ok(r.stdout.includes(`data dir  ${dataDir}`), r.stdout);
    assert.match(r.stdout, new RegExp(`api\\s+${new URL(ln.endpoint).port}`));
    assert.match(r.stdout, /ec2\s+\d+ \/ \d+/);
  });

  it('status says so, exit 1, when nothing runs there', async () => {
    const r = await localnetCli(['status'], cleanEnv({ LOCALNET_PORT: String(await deadPort()), LOCALNET_DATA_DIR: join(tmp, 'none') }));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /not running/);
  });

  it('reset without --yes and without a terminal refuses and changes nothing', async () => {
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
    const r = await localnetCli(['reset'], cleanEnv({ LOCALNET_ENDPOINT: ln.endpoint }));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--yes/);
    assert.equal(await vpcExists(ec2, Vpc!.VpcId!), true);
  });

  it('reset --yes wipes the state of the running localnet', async () => {
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.21.0.0/16' }));
    assert.equal(await vpcExists(ec2, Vpc!.VpcId!), true);
    const r = await localnetCli(['reset', '--yes'], cleanEnv({ LOCALNET_ENDPOINT: ln.endpoint }));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Wiped all state/);
    assert.equal(await vpcExists(ec2, Vpc!.VpcId!), false);
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({}));
    assert.deepEqual(Vpcs?.map((v) => v.CidrBlock), ['172.31.0.0/16'], 'only the default VPC, recreated on first use');
  });

  it('reset --yes with nothing running wipes the data directory', async () => {
    const dir = join(tmp, 'offline');
    const first = await startLocalnetProcess(dir, cleanEnv());
    const { Vpc } = await ec2At(first.endpoint).send(new CreateVpcCommand({ CidrBlock: '10.22.0.0/16' }));
    assert.equal(await first.stop(), 0);
    const r = await localnetCli(['reset', '--yes'], cleanEnv({ LOCALNET_DATA_DIR: dir, LOCALNET_PORT: String(await deadPort()) }));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes(`Wiped all state in ${dir}`), r.stdout);
    const second = await startLocalnetProcess(dir, cleanEnv());
    try {
      assert.equal(await vpcExists(ec2At(second.endpoint), Vpc!.VpcId!), false);
    } finally {
      await second.stop();
    }
  });

  it('reset --yes does not delete the files of a localnet running on the directory at another port', async () => {
    const r = await localnetCli(['reset', '--yes'], cleanEnv({ LOCALNET_DATA_DIR: dataDir, LOCALNET_PORT: String(await deadPort()) }));
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`localnet is already running at ${ln.endpoint.replace(/[.]/g, '\\.')} \\(pid \\d+, data dir [^)]+\\); .*reset it through its API: LOCALNET_ENDPOINT=${ln.endpoint.replace(/[.]/g, '\\.')} localnet reset`));
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.23.0.0/16' }));
    assert.equal(await vpcExists(ec2, Vpc!.VpcId!), true, 'the running localnet still writes its database');
  });

  describe('aws', () => {
    const fake = join(tmp, 'fake-aws');
    before(() => {
      writeFileSync(
        fake,
        [
          '#!/bin/sh',
          'for a in "$@"; do echo "arg=$a"; done',
          'for v in AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_DEFAULT_REGION AWS_PAGER; do eval "echo env:$v=\\${$v-UNSET}"; done',
          'exit 3',
          '',
        ].join('\n'),
      );
      chmodSync(fake, 0o755);
    });

    const parse = (stdout: string) => ({
      args: stdout.split('\n').filter((l) => l.startsWith('arg=')).map((l) => l.slice(4)),
      env: Object.fromEntries(stdout.split('\n').filter((l) => l.startsWith('env:')).map((l) => l.slice(4).split(/=(.*)/s).slice(0, 2))),
    });

    it('fills in the endpoint and dummy credentials, passes the arguments through and returns the exit code', async () => {
      const r = await localnetCli(['aws', 'ec2', 'create-vpc', '--cidr-block', '10.0.0.0/16', '--tag-specifications', 'ResourceType=vpc,Tags=[{Key=Name,Value=a b}]'], cleanEnv({ LOCALNET_AWS_CLI: fake, LOCALNET_ENDPOINT: ln.endpoint }));
      assert.equal(r.code, 3, r.stderr);
      const { args, env } = parse(r.stdout);
      assert.deepEqual(args, ['--endpoint-url', ln.endpoint, 'ec2', 'create-vpc', '--cidr-block', '10.0.0.0/16', '--tag-specifications', 'ResourceType=vpc,Tags=[{Key=Name,Value=a b}]']);
      assert.deepEqual(env, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' });
    });

    it("keeps the user's own credentials and region", async () => {
      const r = await localnetCli(['aws', 'sts', 'get-caller-identity'], cleanEnv({ LOCALNET_AWS_CLI: fake, LOCALNET_ENDPOINT: ln.endpoint, AWS_ACCESS_KEY_ID: '123456789012', AWS_SECRET_ACCESS_KEY: 's', AWS_REGION: 'eu-west-1' }));
      const { env } = parse(r.stdout);
      assert.deepEqual(env, { AWS_ACCESS_KEY_ID: '123456789012', AWS_SECRET_ACCESS_KEY: 's', AWS_DEFAULT_REGION: 'eu-west-1', AWS_PAGER: '' });
    });

    it('uses the configured port when LOCALNET_ENDPOINT is not set', async () => {
      const r = await localnetCli(['aws', 'ec2', 'describe-vpcs'], cleanEnv({ LOCALNET_AWS_CLI: fake, LOCALNET_PORT: '4599', LOCALNET_DATA_DIR: join(tmp, 'none') }));
      assert.deepEqual(parse(r.stdout).args.slice(0, 2), ['--endpoint-url', 'http://127.0.0.1:4599']);
    });

    it('explains a missing AWS CLI, exit 127', async () => {
      const r = await localnetCli(['aws', 'ec2', 'describe-vpcs'], cleanEnv({ LOCALNET_AWS_CLI: join(tmp, 'no-such-aws'), LOCALNET_ENDPOINT: ln.endpoint }));
      assert.equal(r.code, 127);
      assert.match(r.stderr, /could not run the AWS CLI.*apt-get install awscli/s);
    });
  });

  it('prints usage for help and exits 2 on an unknown command', async () => {
    const help = await localnetCli(['help'], cleanEnv());
    assert.equal(help.code, 0);
    assert.match(help.stdout, /localnet start/);
    const bad = await localnetCli(['frobnicate'], cleanEnv());
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown command 'frobnicate'/);
  });
});
