// End to end: zones and records made with the SDK, answered by localnet's DNS
// views, queried with Node's resolver at the addresses /_localnet/health gives.
import assert from 'node:assert/strict';
import { promises as dns } from 'node:dns';
import { after, before, describe, it } from 'node:test';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, type Route53Client } from '@aws-sdk/client-route-53';
import { CreateVpcCommand, ModifyVpcAttributeCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { ref, route53Client } from './helpers.ts';

describe('DNS through localnet', () => {
  let ln: TestLocalnet;
  let r53: Route53Client;
  let ec2: EC2Client;
  let vpcId: string;

  const health = async () => (await (await fetch(`${ln.endpoint}/_localnet/health`)).json()) as any;
  const resolverAt = (addr: string) => {
    const r = new dns.Resolver({ timeout: 2000, tries: 1 });
    r.setServers([addr]);
    return r;
  };
  const put = (zone: string, name: string, type: 'A' | 'TXT' | 'CNAME', value: string) =>
    r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zone, ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: name, Type: type, TTL: 60, ResourceRecords: [{ Value: value }] } }] } }));

  before(async () => {
    ln = await startTestLocalnet();
    r53 = route53Client(ln);
    ec2 = ec2Client(ln);
    const pub = await r53.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: ref() }));
    await put(pub.HostedZone!.Id!, 'www.example.com', 'A', '198.51.100.10');
    await put(pub.HostedZone!.Id!, 'api.example.com', 'A', '198.51.100.11');
    await put(pub.HostedZone!.Id!, '*.apps.example.com', 'A', '198.51.100.12');
    await put(pub.HostedZone!.Id!, 'example.com', 'TXT', '"v=spf1 -all"');
    vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    // A private zone that overrides one name of the public domain for this VPC.
    const priv = await r53.send(new CreateHostedZoneCommand({ Name: 'api.example.com', CallerReference: ref(), VPC: { VPCId: vpcId, VPCRegion: 'us-east-1' } }));
    await put(priv.HostedZone!.Id!, 'api.example.com', 'A', '10.0.1.5');
    const corp = await r53.send(new CreateHostedZoneCommand({ Name: 'corp.internal', CallerReference: ref(), VPC: { VPCId: vpcId, VPCRegion: 'us-east-1' } }));
    await put(corp.HostedZone!.Id!, 'db.corp.internal', 'A', '10.0.2.7');
    await ln.dns.ready();
  });
  after(() => ln.stop());

  it('reports the public view and every VPC view in /_localnet/health', async () => {
    const h = await health();
    assert.match(h.ports.dns, /^127\.0\.0\.1:\d+$/);
    assert.match(h.ports[`dns ${vpcId}`], /^127\.\d+\.\d+\.\d+:\d+$/);
    const view = h.dns.views.find((v: any) => v.view === vpcId);
    assert.equal(view.resolverIp, '10.0.0.2');
  });

  it('the public view answers public zones (wildcards included) and not private ones', async () => {
    const r = resolverAt((await health()).ports.dns);
    assert.deepEqual(await r.resolve4('www.example.com'), ['198.51.100.10']);
    assert.deepEqual(await r.resolve4('api.example.com'), ['198.51.100.11']);
    assert.deepEqual(await r.resolve4('anything.apps.example.com'), ['198.51.100.12']);
    assert.deepEqual(await r.resolveTxt('example.com'), [['v=spf1 -all']]);
    await assert.rejects(r.resolve4('nope.example.com'), { code: 'ENOTFOUND' });
    await assert.rejects(r.resolve4('db.corp.internal'), (err: any) => ['EREFUSED', 'ENOTFOUND'].includes(err.code));
  });

  it('a VPC view answers its private zones first and falls back to the public view for other names', async () => {
    const r = resolverAt((await health()).ports[`dns ${vpcId}`]);
    assert.deepEqual(await r.resolve4('db.corp.internal'), ['10.0.2.7']);
    assert.deepEqual(await r.resolve4('api.example.com'), ['10.0.1.5'], 'the private zone wins in the VPC');
    assert.deepEqual(await r.resolve4('www.example.com'), ['198.51.100.10'], 'other names resolve publicly');
    await assert.rejects(r.resolve4('nope.corp.internal'), { code: 'ENOTFOUND' });
  });

  it('follows changes: a new record is served as soon as the API answers', async () => {
    const pub = await r53.send(new CreateHostedZoneCommand({ Name: 'later.org', CallerReference: ref() }));
    await put(pub.HostedZone!.Id!, 'now.later.org', 'A', '203.0.113.1');
    const r = resolverAt((await health()).ports.dns);
    assert.deepEqual(await r.resolve4('now.later.org'), ['203.0.113.1']);
  });

  it('/_localnet/dns/query answers and explains (what localnet dig prints)', async () => {
    const res = await fetch(`${ln.endpoint}/_localnet/dns/query?name=api.example.com&type=A&vpc=${vpcId}`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as any;
    assert.equal(body.rcode, 'NOERROR');
    assert.equal(body.view, vpcId);
    assert.match(body.answers[0], /^api\.example\.com\.\t60\tIN\tA\t10\.0\.1\.5$/);
    assert.ok(body.explanation.length > 1);
    const pub = (await (await fetch(`${ln.endpoint}/_localnet/dns/query?name=nope.example.com`)).json()) as any;
    assert.equal(pub.view, 'public');
    assert.equal(pub.rcode, 'NXDOMAIN');
    assert.equal((await fetch(`${ln.endpoint}/_localnet/dns/query`)).status, 400);
  });
});
