// An acknowledged write survives kill -9: localnet start runs as a child
// process, the SDK creates resources, the process is SIGKILLed (no clean
// close, no checkpoint), and a new process on the same data directory
// serves them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { CreateSubnetCommand, CreateVpcCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { ec2At, startLocalnetProcess, type LocalnetProcess } from '../helpers/localnet-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'localnet-kill9-'));
const running: LocalnetProcess[] = [];
after(async () => {
  for (const p of running) await p.kill9();
  rmSync(dataDir, { recursive: true, force: true });
});

it('keeps every acknowledged write after SIGKILL', async () => {
  const first = await startLocalnetProcess(dataDir);
  running.push(first);
  const ec2 = ec2At(first.endpoint, '444455556666');
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.42.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'survivor' }] }] }));
  const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: '10.42.1.0/24', AvailabilityZone: 'us-east-1c' }));
  await first.kill9();
  assert.equal(first.child.signalCode, 'SIGKILL');

  const second = await startLocalnetProcess(dataDir);
  running.push(second);
  const again = ec2At(second.endpoint, '444455556666');
  const { Vpcs } = await again.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['survivor'] }] }));
  assert.deepEqual(Vpcs?.map((v) => [v.VpcId, v.CidrBlock, v.OwnerId]), [[Vpc!.VpcId, '10.42.0.0/16', '444455556666']]);
  const { Subnets } = await again.send(new DescribeSubnetsCommand({ SubnetIds: [Subnet!.SubnetId!] }));
  assert.equal(Subnets?.[0].AvailabilityZone, 'us-east-1c');
  assert.equal(Subnets?.[0].VpcId, Vpc!.VpcId);
  await second.stop();
});
