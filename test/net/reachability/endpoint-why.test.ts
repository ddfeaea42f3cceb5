// `localnet why` to a VPC endpoint against a running localnet (the endpoint
// records in the store as the EC2 endpoint API writes them, instances
// through the EC2 SDK): by endpoint id, by the endpoint's regional DNS name
// resolved in the source's view, by its private DNS name; and
// `why --dns NAME --from` for the private DNS name seen from a peered VPC.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { buildPrivateLinkNet, putEndpointService, putInterfaceEndpoint, putNlb, settle, type Endpoint, type PrivateLinkNet } from '../../privatelink/fixtures.ts';

const NAME = 'internal-api.example.com';

describe('localnet why to a VPC endpoint', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  let net: PrivateLinkNet;
  let ep: Endpoint;
  let client: string;

  const why = async (params: Record<string, string>) => {
    const res = await fetch(`${ln.endpoint}/_localnet/why?${new URLSearchParams(params)}`);
    return { status: res.status, body: (await res.json()) as { text?: string[]; lines?: string[]; error?: string; analysis?: { pathFound: boolean; forward: { kind: string; Component: { Id: string } }[] } } };
  };

  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln);
    net = await buildPrivateLinkNet(ln);
    const service = putEndpointService(ln, putNlb(ln, net.provider, [443]), { privateDnsName: NAME });
    ep = putInterfaceEndpoint(ln, net.consumer, service, { privateDnsName: NAME, groups: [net.consumer.endpointSg] });
    client = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0abcdef1234567890', MinCount: 1, MaxCount: 1, SubnetId: net.consumer.subnets[0].id }))).Instances![0].InstanceId!;
    await settle(ln);
  });
  after(async () => ln?.stop());

  for (const [label, destination] of [['its id', () => `${ep.id}:443`], ['its regional name', () => `${ep.regionalName}:443`], ['its private DNS name', () => `${NAME}:443`]] as const) {
    it(`reaches the endpoint by ${label}`, async () => {
      const { status, body } = await why({ source: client, destination: destination() });
      assert.equal(status, 200, JSON.stringify(body));
      assert.equal(body.analysis?.pathFound, true, body.text?.join('\n'));
      const last = body.analysis!.forward.at(-1)!;
      assert.equal(last.kind, 'vpc-endpoint');
      assert.equal(last.Component.Id, ep.id);
      assert.ok(body.text!.some((l) => l.includes('vpc-endpoint')), body.text!.join('\n'));
    });
  }

  it('explains the private DNS name seen from the peered VPC', async () => {
    const { body } = await why({ dns: NAME, from: net.peer.vpcId });
    const text = body.lines!.join('\n');
    assert.match(text, new RegExp(`resolves only inside ${net.consumer.vpcId}`));
    assert.match(text, new RegExp(`create a private hosted zone for ${NAME} associated with ${net.peer.vpcId}`));
    assert.match(text, /peered with .* does not share the endpoint's private DNS name/);
  });
});
