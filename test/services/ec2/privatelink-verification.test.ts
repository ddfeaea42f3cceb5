// The private DNS verifier on its own: a started check that never sees its
// TXT record turns failed once the verification window is over; a check
// nobody started is left alone; what the last lookup saw is kept.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateSubnetCommand, CreateVpcCommand, CreateVpcEndpointServiceConfigurationCommand, DescribeVpcEndpointServiceConfigurationsCommand, StartVpcEndpointServicePrivateDnsVerificationCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { CreateLoadBalancerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { elbClient } from '../elbv2/helpers.ts';
import { PrivateDnsVerifier, VERIFICATION_WINDOW_MS } from '../../../src/services/ec2/private-dns-verification.ts';
import type { VpcEndpointServiceConfiguration } from '../../../src/records/ec2.ts';

describe('PrivateLink private DNS verifier', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  const scope = { account: '000000000000', region: 'us-east-1' };
  before(async () => {
    // localnet's own verifier runs once at start and then not for an hour: only the verifiers below look.
    process.env.LOCALNET_VPCE_VERIFICATION_INTERVAL_MS = '3600000';
    ln = await startTestLocalnet();
    delete process.env.LOCALNET_VPCE_VERIFICATION_INTERVAL_MS;
    ec2 = ec2Client(ln);
  });
  after(() => ln.stop());

  async function service(nlbName: string): Promise<string> {
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
    const nlb = (await elbClient(ln).send(new CreateLoadBalancerCommand({ Name: nlbName, Type: 'network', Scheme: 'internal', Subnets: [subnet] }))).LoadBalancers![0].LoadBalancerArn!;
    return (await ec2.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [nlb], PrivateDnsName: 'never.example.net' }))).ServiceConfiguration!.ServiceId!;
  }

  const stored = (id: string) => ln.store.get<VpcEndpointServiceConfiguration>('ec2:vpc-endpoint-service', scope, id)!;

  it('leaves an unstarted check alone, records what a started one saw, and fails it after the window', async () => {
    const started = await service('nlb-started');
    const idle = await service('nlb-idle');
    await ec2.send(new StartVpcEndpointServicePrivateDnsVerificationCommand({ ServiceId: started }));
    const publicView = () => ln.dns.views().find((v) => v.view === 'public');
    const changes: string[] = [];
    const now = new PrivateDnsVerifier({ store: ln.store, publicDns: publicView, onChange: (_s, id) => changes.push(id) });
    await now.runOnce();
    assert.equal(stored(started).PrivateDnsNameConfiguration!.State, 'pendingVerification');
    assert.match(stored(started)._verification!.lastCheck!.outcome, /never\.example\.net/);
    assert.equal(stored(idle)._verification, undefined);
    assert.deepEqual(changes, [started]);

    const later = new PrivateDnsVerifier({ store: ln.store, publicDns: publicView, now: () => new Date(Date.now() + VERIFICATION_WINDOW_MS + 60_000) });
    await later.runOnce();
    const svc = (await ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [started, idle] }))).ServiceConfigurations!;
    assert.deepEqual(svc.map((s) => s.PrivateDnsNameConfiguration!.State), ['failed', 'pendingVerification']);
    // Starting again gives it another window.
    await ec2.send(new StartVpcEndpointServicePrivateDnsVerificationCommand({ ServiceId: started }));
    assert.equal(stored(started).PrivateDnsNameConfiguration!.State, 'pendingVerification');
  });
});
