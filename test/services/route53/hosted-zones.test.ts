import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ChangeResourceRecordSetsCommand,
  ChangeTagsForResourceCommand,
  CreateHostedZoneCommand,
  CreateReusableDelegationSetCommand,
  DeleteHostedZoneCommand,
  DeleteReusableDelegationSetCommand,
  GetHostedZoneCommand,
  GetHostedZoneCountCommand,
  GetHostedZoneLimitCommand,
  GetReusableDelegationSetCommand,
  GetReusableDelegationSetLimitCommand,
  ListHostedZonesByNameCommand,
  ListHostedZonesCommand,
  ListReusableDelegationSetsCommand,
  ListTagsForResourceCommand,
  ListTagsForResourcesCommand,
  UpdateHostedZoneCommentCommand,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { ref, rejects, route53Client } from './helpers.ts';

describe('Route 53 hosted zones', () => {
  let ln: TestLocalnet;
  let r53: Route53Client;
  before(async () => {
    ln = await startTestLocalnet();
    // A separate account keeps counts and listings of this suite to itself.
    r53 = route53Client(ln, { accessKeyId: '111111111111' });
  });
  after(() => ln.stop());

  it('creates a public zone: 201, Location, four awsdns name servers, SOA and NS at the apex', async () => {
    const out = await r53.send(new CreateHostedZoneCommand({ Name: 'Example.COM', CallerReference: ref(), HostedZoneConfig: { Comment: 'main' } }));
    assert.equal(out.$metadata.httpStatusCode, 201);
    assert.match(out.HostedZone!.Id!, /^\/hostedzone\/Z[0-9A-Z]{20}$/);
    assert.equal(out.Location, `https://route53.amazonaws.com/2013-04-01/hostedzone/${out.HostedZone!.Id!.split('/')[2]}`);
    assert.equal(out.HostedZone!.Name, 'example.com.');
    assert.equal(out.HostedZone!.Config?.Comment, 'main');
    assert.equal(out.HostedZone!.Config?.PrivateZone, false);
    assert.equal(out.HostedZone!.ResourceRecordSetCount, 2);
    assert.equal(out.ChangeInfo?.Status, 'PENDING');
    const ns = out.DelegationSet!.NameServers!;
    assert.equal(ns.length, 4);
    assert.match(ns[0], /^ns-\d+\.awsdns-\d\d\.com$/);
    assert.match(ns[1], /^ns-\d+\.awsdns-\d\d\.net$/);
    assert.match(ns[2], /^ns-\d+\.awsdns-\d\d\.org$/);
    assert.match(ns[3], /^ns-\d+\.awsdns-\d\d\.co\.uk$/);
    // The id is accepted with or without its prefix.
    const got = await r53.send(new GetHostedZoneCommand({ Id: out.HostedZone!.Id!.replace('/hostedzone/', '') }));
    assert.deepEqual(got.DelegationSet?.NameServers, ns);
    assert.equal(got.VPCs, undefined);
  });

  it('answers HostedZoneAlreadyExists (409) for a reused CallerReference and InvalidDomainName for a bad name', async () => {
    const r = ref();
    await r53.send(new CreateHostedZoneCommand({ Name: 'dup.example', CallerReference: r }));
    await rejects(r53.send(new CreateHostedZoneCommand({ Name: 'other.example', CallerReference: r })), 'HostedZoneAlreadyExists', /caller reference/, 409);
    await rejects(r53.send(new CreateHostedZoneCommand({ Name: 'a..example', CallerReference: ref() })), 'InvalidDomainName');
    await rejects(r53.send(new CreateHostedZoneCommand({ Name: 'com', CallerReference: ref() })), 'InvalidDomainName', /top-level domain/);
    await rejects(r53.send(new CreateHostedZoneCommand({ Name: `${'x'.repeat(64)}.example`, CallerReference: ref() })), 'InvalidDomainName');
  });

  it('answers NoSuchHostedZone (404) for an unknown id, and hides other accounts\' zones', async () => {
    await rejects(r53.send(new GetHostedZoneCommand({ Id: 'Z0000000000000000000A' })), 'NoSuchHostedZone', /Z0000000000000000000A/, 404);
    const other = route53Client(ln, { accessKeyId: '222222222222' });
    const z = await other.send(new CreateHostedZoneCommand({ Name: 'theirs.example', CallerReference: ref() }));
    await rejects(r53.send(new GetHostedZoneCommand({ Id: z.HostedZone!.Id })), 'NoSuchHostedZone');
  });

  it('lists zones with Marker/MaxItems pagination and counts them', async () => {
    const { HostedZoneCount } = await r53.send(new GetHostedZoneCountCommand({}));
    const seen: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await r53.send(new ListHostedZonesCommand({ MaxItems: 1, Marker: marker }));
      assert.equal(page.MaxItems, 1);
      seen.push(...page.HostedZones!.map((z) => z.Id!));
      if (!page.IsTruncated) break;
      marker = page.NextMarker;
    }
    assert.equal(seen.length, HostedZoneCount);
    assert.equal(new Set(seen).size, seen.length);
  });

  it('lists zones by name in reversed-label order, starting at DNSName', async () => {
    const acct = route53Client(ln, { accessKeyId: '333333333333' });
    for (const name of ['b.example.org', 'example.com', 'a.example.org', 'example.org', 'zzz.com']) {
      await acct.send(new CreateHostedZoneCommand({ Name: name, CallerReference: ref() }));
    }
    const all = await acct.send(new ListHostedZonesByNameCommand({}));
    assert.deepEqual(all.HostedZones!.map((z) => z.Name), ['example.com.', 'zzz.com.', 'example.org.', 'a.example.org.', 'b.example.org.']);
    const page = await acct.send(new ListHostedZonesByNameCommand({ DNSName: 'example.org', MaxItems: 2 }));
    assert.deepEqual(page.HostedZones!.map((z) => z.Name), ['example.org.', 'a.example.org.']);
    assert.equal(page.IsTruncated, true);
    assert.equal(page.NextDNSName, 'b.example.org.');
    assert.ok(page.NextHostedZoneId);
  });

  it('updates the comment, reports limits, and deletes only empty zones (HostedZoneNotEmpty)', async () => {
    const { HostedZone } = await r53.send(new CreateHostedZoneCommand({ Name: 'del.example', CallerReference: ref() }));
    const upd = await r53.send(new UpdateHostedZoneCommentCommand({ Id: HostedZone!.Id, Comment: 'new' }));
    assert.equal(upd.HostedZone?.Config?.Comment, 'new');
    const limit = await r53.send(new GetHostedZoneLimitCommand({ HostedZoneId: HostedZone!.Id, Type: 'MAX_RRSETS_BY_ZONE' }));
    assert.equal(limit.Limit?.Value, 10000);
    assert.equal(limit.Count, 2);
    const rr = { Name: 'www.del.example', Type: 'A' as const, TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] };
    await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: HostedZone!.Id, ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: rr }] } }));
    await rejects(r53.send(new DeleteHostedZoneCommand({ Id: HostedZone!.Id })), 'HostedZoneNotEmpty', /non-required resource record sets/, 400);
    await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: HostedZone!.Id, ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: rr }] } }));
    const del = await r53.send(new DeleteHostedZoneCommand({ Id: HostedZone!.Id }));
    assert.equal(del.ChangeInfo?.Status, 'PENDING');
    await rejects(r53.send(new GetHostedZoneCommand({ Id: HostedZone!.Id })), 'NoSuchHostedZone');
  });

  it('shares name servers through a reusable delegation set', async () => {
    const set = await r53.send(new CreateReusableDelegationSetCommand({ CallerReference: 'set-1' }));
    assert.equal(set.$metadata.httpStatusCode, 201);
    assert.match(set.DelegationSet!.Id!, /^\/delegationset\/N[0-9A-Z]{20}$/);
    await rejects(r53.send(new CreateReusableDelegationSetCommand({ CallerReference: 'set-1' })), 'DelegationSetAlreadyCreated');
    const a = await r53.send(new CreateHostedZoneCommand({ Name: 'one.example', CallerReference: ref(), DelegationSetId: set.DelegationSet!.Id }));
    const b = await r53.send(new CreateHostedZoneCommand({ Name: 'two.example', CallerReference: ref(), DelegationSetId: set.DelegationSet!.Id!.split('/')[2] }));
    assert.deepEqual(a.DelegationSet?.NameServers, set.DelegationSet?.NameServers);
    assert.deepEqual(b.DelegationSet?.NameServers, set.DelegationSet?.NameServers);
    assert.equal(a.DelegationSet?.Id, set.DelegationSet?.Id);
    await rejects(r53.send(new CreateHostedZoneCommand({ Name: 'one.example', CallerReference: ref(), DelegationSetId: set.DelegationSet!.Id })), 'ConflictingDomainExists');
    const got = await r53.send(new GetReusableDelegationSetCommand({ Id: set.DelegationSet!.Id }));
    assert.deepEqual(got.DelegationSet?.NameServers, set.DelegationSet?.NameServers);
    const limit = await r53.send(new GetReusableDelegationSetLimitCommand({ DelegationSetId: set.DelegationSet!.Id, Type: 'MAX_ZONES_BY_REUSABLE_DELEGATION_SET' }));
    assert.equal(limit.Count, 2);
    const listed = await r53.send(new ListHostedZonesCommand({ DelegationSetId: set.DelegationSet!.Id }));
    assert.equal(listed.HostedZones?.length, 2);
    assert.ok((await r53.send(new ListReusableDelegationSetsCommand({}))).DelegationSets!.some((s) => s.Id === set.DelegationSet!.Id));
    await rejects(r53.send(new DeleteReusableDelegationSetCommand({ Id: set.DelegationSet!.Id })), 'DelegationSetInUse');
    await r53.send(new DeleteHostedZoneCommand({ Id: a.HostedZone!.Id }));
    await r53.send(new DeleteHostedZoneCommand({ Id: b.HostedZone!.Id }));
    await r53.send(new DeleteReusableDelegationSetCommand({ Id: set.DelegationSet!.Id }));
    await rejects(r53.send(new GetReusableDelegationSetCommand({ Id: set.DelegationSet!.Id })), 'NoSuchDelegationSet');
  });

  it('tags hosted zones (ChangeTagsForResource, ListTagsForResource(s)); health checks do not exist', async () => {
    const { HostedZone } = await r53.send(new CreateHostedZoneCommand({ Name: 'tags.example', CallerReference: ref() }));
    const id = HostedZone!.Id!.split('/')[2];
    await r53.send(new ChangeTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: id, AddTags: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'a' }] }));
    await r53.send(new ChangeTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: id, AddTags: [{ Key: 'env', Value: 'prod' }], RemoveTagKeys: ['team'] }));
    const one = await r53.send(new ListTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: id }));
    assert.deepEqual(one.ResourceTagSet, { ResourceType: 'hostedzone', ResourceId: id, Tags: [{ Key: 'env', Value: 'prod' }] });
    const many = await r53.send(new ListTagsForResourcesCommand({ ResourceType: 'hostedzone', ResourceIds: [id] }));
    assert.equal(many.ResourceTagSets?.[0].Tags?.[0].Value, 'prod');
    await rejects(r53.send(new ListTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: 'Z0000000000000000000B' })), 'NoSuchHostedZone');
    await rejects(r53.send(new ListTagsForResourceCommand({ ResourceType: 'healthcheck', ResourceId: 'abc' })), 'NoSuchHealthCheck', undefined, 404);
  });
});
