// Interop: records created with the real AWS CLI v2 (`aws route53 ...`) are
// served by localnet's DNS server and answered to plain `dig`, on the public
// view and inside a VPC's view, with the addresses and ports localnet lists in
// GET /_localnet/health.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { awsCli, awsCliMissing, dummyAwsEnv, run, type AwsCli } from '../helpers/aws-cli.ts';
import { startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';

const DIG = '/usr/bin/dig';

interface View {
  view: string;
  address: string;
  port: number;
}

async function views(ln: TestLocalnet): Promise<View[] | undefined> {
  const health = (await (await fetch(`${ln.endpoint}/_localnet/health`)).json()) as { dns?: { views?: View[] } };
  return health.dns?.views;
}

/** Waits (bounded) until health lists the view; VPC views are bound in the background after a change. */
async function viewOf(ln: TestLocalnet, name: string): Promise<View> {
  for (let i = 0; i < 50; i++) {
    const v = (await views(ln))?.find((x) => x.view === name);
    if (v) return v;
    await sleep(100);
  }
  assert.fail(`health lists no DNS view ${name}: ${JSON.stringify(await views(ln))}`);
}

async function dig(v: View, ...args: string[]): Promise<string> {
  const r = await run(DIG, [`@${v.address}`, '-p', String(v.port), '+time=2', '+tries=1', ...args], process.env, 15_000);
  assert.equal(r.code, 0, `dig ${args.join(' ')} exited ${r.code}: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Polls GetChange until INSYNC (bounded); localnet applies changes at once, AWS within about a minute. */
async function insync(aws: AwsCli, changeId: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    if ((await aws.ok(['route53', 'get-change', '--id', changeId, '--query', 'ChangeInfo.Status'])) === 'INSYNC') return;
    await sleep(200);
  }
  assert.fail(`change ${changeId} never reached INSYNC`);
}

function changeBatch(zone: string, records: [name: string, type: string, value: string][]): string {
  return JSON.stringify({
    Changes: records.map(([name, type, value]) => ({ Action: 'CREATE', ResourceRecordSet: { Name: `${name}.${zone}`, Type: type, TTL: 300, ResourceRecords: [{ Value: value }] } })),
  });
}

const skip = awsCliMissing() ?? (existsSync(DIG) ? undefined : `${DIG} is not installed: apt-get install -y bind9-dnsutils (.ci/run does)`);

describe('dig against the DNS views, records from the AWS CLI', { skip }, () => {
  let ln: TestLocalnet;
  let aws: AwsCli;
  let pub: View | undefined;
  before(async () => {
    ln = await startTestLocalnet();
    aws = awsCli(ln.endpoint, dummyAwsEnv());
    pub = (await views(ln))?.find((v) => v.view === 'public');
  });
  after(() => ln?.stop());

  it('answers a public zone on the public view: A, CNAME chain, NS at the apex, NXDOMAIN with the SOA', async (t) => {
    if (!pub) return t.skip('GET /_localnet/health lists no public DNS view yet (the DNS server is not wired in)');
    const zone = 'interop-public.example';
    const { HostedZone, DelegationSet } = await aws.ok(['route53', 'create-hosted-zone', '--name', zone, '--caller-reference', 'interop-public-1']);
    assert.match(HostedZone.Id, /^\/hostedzone\/Z[0-9A-Z]+$/);
    assert.equal(HostedZone.Name, `${zone}.`);
    assert.equal(DelegationSet.NameServers.length, 4);
    const { ChangeInfo } = await aws.ok(['route53', 'change-resource-record-sets', '--hosted-zone-id', HostedZone.Id, '--change-batch', changeBatch(zone, [['www', 'A', '192.0.2.10'], ['api', 'CNAME', `www.${zone}`], ['txt', 'TXT', '"v=interop"']])]);
    await insync(aws, ChangeInfo.Id);

    assert.equal((await dig(pub, `www.${zone}`, 'A', '+short')).trim(), '192.0.2.10');
    assert.equal((await dig(pub, `www.${zone}`, 'A', '+short', '+tcp')).trim(), '192.0.2.10', 'the same answer over TCP');
    assert.deepEqual((await dig(pub, `api.${zone}`, 'A', '+short')).trim().split('\n'), [`www.${zone}.`, '192.0.2.10']);
    assert.equal((await dig(pub, `txt.${zone}`, 'TXT', '+short')).trim(), '"v=interop"');

    const ns = (await dig(pub, zone, 'NS', '+short')).trim().split('\n').map((n) => n.replace(/\.$/, '')).sort();
    assert.deepEqual(ns, DelegationSet.NameServers.map((n: string) => n.replace(/\.$/, '')).sort());
    const full = await dig(pub, `www.${zone}`, 'A');
    assert.match(full, /status: NOERROR/);
    assert.match(full, /flags: qr aa/, 'authoritative');

    const missing = await dig(pub, `nothere.${zone}`, 'A');
    assert.match(missing, /status: NXDOMAIN/);
    assert.match(missing, new RegExp(`AUTHORITY SECTION:\\n${zone.replace(/\./g, '\\.')}\\.\\s+\\d+\\s+IN\\s+SOA`));
  });

  it('answers a private zone inside its VPC only', async (t) => {
    if (!pub) return t.skip('GET /_localnet/health lists no public DNS view yet (the DNS server is not wired in)');
    const { Vpc } = await aws.ok(['ec2', 'create-vpc', '--cidr-block', '10.30.0.0/16']);
    await aws.ok(['ec2', 'modify-vpc-attribute', '--vpc-id', Vpc.VpcId, '--enable-dns-hostnames', '{"Value":true}']);
    const zone = 'interop-private.internal';
    const { HostedZone } = await aws.ok(['route53', 'create-hosted-zone', '--name', zone, '--caller-reference', 'interop-private-1', '--vpc', `VPCRegion=us-east-1,VPCId=${Vpc.VpcId}`, '--hosted-zone-config', 'PrivateZone=true']);
    assert.equal(HostedZone.Config.PrivateZone, true);
    const { ChangeInfo } = await aws.ok(['route53', 'change-resource-record-sets', '--hosted-zone-id', HostedZone.Id, '--change-batch', changeBatch(zone, [['db', 'A', '10.30.1.5']])]);
    await insync(aws, ChangeInfo.Id);

    const inside = await viewOf(ln, Vpc.VpcId);
    assert.match(inside.address, /^127\./);
    assert.equal((await dig(inside, `db.${zone}`, 'A', '+short')).trim(), '10.30.1.5');
    const outside = await dig(pub, `db.${zone}`, 'A');
    assert.doesNotMatch(outside, /10\.30\.1\.5/, 'a private zone is invisible on the public view');
    assert.match(outside, /status: (NXDOMAIN|REFUSED)/);
  });
});
