// Network Insights through the EC2 SDK against a test localnet, on the seed
// estate (test/net/reachability/sdk-estate.ts): the paths that work, then the
// seed mistakes one by one (a security group on the wrong port, a peering
// without the return route, a private subnet without its NAT route, a NACL
// without the ephemeral return range), plus the API's own behaviour.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateTagsCommand, DescribeTagsCommand, CreateNetworkInsightsPathCommand, DeleteNetworkInsightsAnalysisCommand, DeleteNetworkInsightsPathCommand,
  DeleteRouteCommand, DescribeNetworkInsightsAnalysesCommand, DescribeNetworkInsightsPathsCommand, EC2Client,
  StartNetworkInsightsAnalysisCommand, type NetworkInsightsAnalysis,
} from '@aws-sdk/client-ec2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { clientConfig, ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { buildEstate, onlyHttpsNacl, type Estate } from '../../net/reachability/sdk-estate.ts';

describe('EC2 Network Insights', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  let e: Estate;
  let token = 0;
  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln);
    e = await buildEstate(ec2, new Route53Client(clientConfig(ln)));
  });
  after(async () => ln?.stop());

  async function analyse(Source: string, dest: { Destination?: string; DestinationIp?: string }, DestinationPort: number): Promise<NetworkInsightsAnalysis> {
    const { NetworkInsightsPath } = await ec2.send(new CreateNetworkInsightsPathCommand({ Source, ...dest, Protocol: 'tcp', DestinationPort, ClientToken: `t-${++token}` }));
    const started = await ec2.send(new StartNetworkInsightsAnalysisCommand({ NetworkInsightsPathId: NetworkInsightsPath!.NetworkInsightsPathId!, ClientToken: `a-${token}` }));
    assert.equal(started.NetworkInsightsAnalysis!.Status, 'succeeded');
    const { NetworkInsightsAnalyses } = await ec2.send(new DescribeNetworkInsightsAnalysesCommand({ NetworkInsightsAnalysisIds: [started.NetworkInsightsAnalysis!.NetworkInsightsAnalysisId!] }));
    return NetworkInsightsAnalyses![0];
  }
  const ids = (a: NetworkInsightsAnalysis, which: 'ForwardPathComponents' | 'ReturnPathComponents') => (a[which] ?? []).map((c) => c.Component?.Id);

  it('the paths that work: private instance to the internet through the NAT gateway, the internet to the web server, across the peering', async () => {
    const out = await analyse(e.app, { Destination: e.igw }, 443);
    assert.equal(out.NetworkPathFound, true, JSON.stringify(out.Explanations));
    assert.deepEqual(out.Explanations ?? [], []);
    assert.ok(ids(out, 'ForwardPathComponents').includes(e.nat));
    assert.ok(ids(out, 'ForwardPathComponents').includes(e.igw));
    assert.equal(out.ForwardPathComponents![0].SequenceNumber, 1);
    const route = out.ForwardPathComponents!.find((c) => c.Component?.Id === e.rtbPriv)!.RouteTableRoute!;
    assert.equal(route.NatGatewayId, e.nat);
    assert.equal(route.DestinationCidr, '0.0.0.0/0');
    assert.ok(out.ReturnPathComponents!.length > 0);

    const inbound = await analyse(e.igw, { Destination: e.web }, 443);
    assert.equal(inbound.NetworkPathFound, true, JSON.stringify(inbound.Explanations));
    const sg = inbound.ForwardPathComponents!.find((c) => c.SecurityGroupRule)!;
    assert.equal(sg.SecurityGroupRule!.SecurityGroupId, e.sgWeb);
    assert.equal(sg.SecurityGroupRule!.Direction, 'ingress');

    const peer = await analyse(e.app, { Destination: e.db }, 5432);
    assert.equal(peer.NetworkPathFound, true, JSON.stringify(peer.Explanations));
    assert.ok(ids(peer, 'ForwardPathComponents').includes(e.pcx));
    assert.ok(ids(peer, 'ReturnPathComponents').includes(e.rtbB));
  });

  it('a security group that allows the wrong port: ENI_SG_RULES_MISMATCH on the web server\'s group', async () => {
    const a = await analyse(e.igw, { Destination: e.web }, 22);
    assert.equal(a.NetworkPathFound, false);
    const x = a.Explanations![0];
    assert.equal(x.ExplanationCode, 'ENI_SG_RULES_MISMATCH');
    assert.equal(x.Direction, 'ingress');
    assert.deepEqual(x.SecurityGroups!.map((g) => g.Id), [e.sgWeb]);
  });

  it('a peering without the return route: NO_ROUTE_TO_DESTINATION in the peer\'s route table', async () => {
    await ec2.send(new DeleteRouteCommand({ RouteTableId: e.rtbB, DestinationCidrBlock: '10.0.0.0/16' }));
    const a = await analyse(e.app, { Destination: e.db }, 5432);
    assert.equal(a.NetworkPathFound, false);
    assert.equal(a.Explanations![0].ExplanationCode, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(a.Explanations![0].RouteTable!.Id, e.rtbB);
    assert.equal(a.ForwardPathComponents!.at(-1)!.AttachedTo!.Id, e.db, 'the request arrives; only the reply is lost');
  });

  it('a private subnet without a NAT route: NO_ROUTE_TO_DESTINATION in the private route table', async () => {
    await ec2.send(new DeleteRouteCommand({ RouteTableId: e.rtbPriv, DestinationCidrBlock: '0.0.0.0/0' }));
    const a = await analyse(e.app, { DestinationIp: '203.0.113.10' }, 443);
    assert.equal(a.NetworkPathFound, false);
    assert.equal(a.Explanations![0].ExplanationCode, 'NO_ROUTE_TO_DESTINATION');
    assert.equal(a.Explanations![0].RouteTable!.Id, e.rtbPriv);
  });

  it('a NACL without the ephemeral return range: the reply is dropped (SUBNET_ACL_RESTRICTION, egress, rule 32767)', async () => {
    const acl = await onlyHttpsNacl(ec2, e);
    const a = await analyse(e.igw, { Destination: e.web }, 443);
    assert.equal(a.NetworkPathFound, false);
    const x = a.Explanations![0];
    assert.equal(x.ExplanationCode, 'SUBNET_ACL_RESTRICTION');
    assert.equal(x.Direction, 'egress');
    assert.equal(x.Acl!.Id, acl);
    assert.equal(x.AclRule!.RuleNumber, 32767);
    assert.equal(x.AclRule!.RuleAction, 'deny');
    assert.deepEqual(x.PortRanges, [{ From: 1024, To: 65535 }]);
    assert.ok(ids(a, 'ForwardPathComponents').includes(acl), 'the request passes the NACL inbound');
  });

  it('paths: ClientToken is idempotent, Describe and Delete, and the errors AWS gives', async () => {
    const first = await ec2.send(new CreateNetworkInsightsPathCommand({ Source: e.app, Destination: e.db, Protocol: 'tcp', DestinationPort: 5432, ClientToken: 'same' }));
    const again = await ec2.send(new CreateNetworkInsightsPathCommand({ Source: e.app, Destination: e.db, Protocol: 'tcp', DestinationPort: 5432, ClientToken: 'same' }));
    const id = first.NetworkInsightsPath!.NetworkInsightsPathId!;
    assert.match(id, /^nip-[0-9a-f]{17}$/);
    assert.equal(again.NetworkInsightsPath!.NetworkInsightsPathId, id);
    assert.match(first.NetworkInsightsPath!.SourceArn!, new RegExp(`^arn:aws:ec2:us-east-1:\\d{12}:instance/${e.app}$`));
    const listed = await ec2.send(new DescribeNetworkInsightsPathsCommand({ NetworkInsightsPathIds: [id] }));
    assert.equal(listed.NetworkInsightsPaths![0].DestinationPort, 5432);
    const run = await ec2.send(new StartNetworkInsightsAnalysisCommand({ NetworkInsightsPathId: id, ClientToken: 'run-1' }));
    const nia = run.NetworkInsightsAnalysis!.NetworkInsightsAnalysisId!;
    assert.match(nia, /^nia-[0-9a-f]{17}$/);
    await ec2.send(new CreateTagsCommand({ Resources: [id, nia], Tags: [{ Key: 'team', Value: 'net' }] }));
    const tagged = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['team'] }] }));
    assert.deepEqual(tagged.Tags!.map((t) => [t.ResourceId, t.ResourceType]).sort(), [[id, 'network-insights-path'], [nia, 'network-insights-analysis']].sort());
    assert.deepEqual((await ec2.send(new DescribeNetworkInsightsPathsCommand({ NetworkInsightsPathIds: [id] }))).NetworkInsightsPaths![0].Tags, [{ Key: 'team', Value: 'net' }]);
    const byPath = await ec2.send(new DescribeNetworkInsightsAnalysesCommand({ NetworkInsightsPathId: id }));
    assert.deepEqual(byPath.NetworkInsightsAnalyses!.map((x) => x.NetworkInsightsAnalysisId), [nia]);
    await ec2.send(new DeleteNetworkInsightsAnalysisCommand({ NetworkInsightsAnalysisId: nia }));
    await ec2.send(new DeleteNetworkInsightsPathCommand({ NetworkInsightsPathId: id }));
    await assert.rejects(ec2.send(new DescribeNetworkInsightsPathsCommand({ NetworkInsightsPathIds: [id] })), { name: 'InvalidNetworkInsightsPathId.NotFound' });
    await assert.rejects(ec2.send(new DeleteNetworkInsightsAnalysisCommand({ NetworkInsightsAnalysisId: nia })), { name: 'InvalidNetworkInsightsAnalysisId.NotFound' });
    await assert.rejects(ec2.send(new CreateNetworkInsightsPathCommand({ Source: 'i-0123456789abcdef0', Destination: e.db, Protocol: 'tcp', ClientToken: 'x1' })), { name: 'InvalidInstanceID.NotFound' });
    await assert.rejects(ec2.send(new CreateNetworkInsightsPathCommand({ Source: e.app, Destination: e.db, Protocol: 'icmp' as 'tcp', ClientToken: 'x2' })), { name: 'InvalidParameterValue' });
    await assert.rejects(ec2.send(new CreateNetworkInsightsPathCommand({ Source: e.app, Protocol: 'tcp', ClientToken: 'x3' })), { name: 'InvalidParameterCombination' });
  });
});
