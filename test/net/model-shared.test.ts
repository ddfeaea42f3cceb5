// One network model per state: after a committed change, the DNS views,
// `localnet why` (/_localnet/why) and the dig endpoint all read the same
// model, built once; the next change drops it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateSubnetCommand, CreateVpcCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';

describe('the network model is shared', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln);
  });
  after(async () => ln?.stop());

  it('one build serves the DNS views, why and dig after a change', async () => {
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.8.0.0/16' }))).Vpc!.VpcId!;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.8.1.0/24' }))).Subnet!.SubnetId!;
    const i = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0abcdef1234567890', MinCount: 1, MaxCount: 1, SubnetId: subnet }))).Instances![0].InstanceId!;
    await ln.dns.ready();
    const before = ln.network.builds;
    const why = await fetch(`${ln.endpoint}/_localnet/why?source=${i}&destination=internet:443`);
    assert.equal(why.status, 200);
    const dig = await fetch(`${ln.endpoint}/_localnet/dns/query?name=example.com&type=A`);
    assert.equal(dig.status, 200);
    await ln.lb.reconcile();
    assert.ok(ln.network.builds - before <= 1, `built ${ln.network.builds - before} times for one state`);
    const built = ln.network.builds;
    await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.8.2.0/24' }));
    await fetch(`${ln.endpoint}/_localnet/why?source=${i}&destination=internet:443`);
    assert.equal(ln.network.builds, built + 1, 'a change drops the model; the next reader builds it once');
  });
});
