// The delegation rules (pure) and the two-public-zones pitfall through the
// API and the public DNS view.
import assert from 'node:assert/strict';
import { promises as dns } from 'node:dns';
import { after, before, describe, it } from 'node:test';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, DeleteHostedZoneCommand, ListHostedZonesByNameCommand, type Route53Client } from '@aws-sdk/client-route-53';
import { GetDomainDetailCommand, ListDomainsCommand, RegisterDomainCommand, UpdateDomainNameserversCommand, type Route53DomainsClient } from '@aws-sdk/client-route-53-domains';
import { resolveDelegations } from '../../../src/services/route53/delegation.ts';
import { startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { domainsClient, ref, rejects, route53Client } from './helpers.ts';

const NS1 = ['ns-1.awsdns-00.com', 'ns-600.awsdns-11.net', 'ns-1100.awsdns-09.org', 'ns-1600.awsdns-08.co.uk'];
const NS2 = ['ns-2.awsdns-00.com', 'ns-601.awsdns-11.net', 'ns-1101.awsdns-09.org', 'ns-1601.awsdns-08.co.uk'];

describe('delegation rules (pure)', () => {
  const z1 = { id: 'Z1', name: 'example.com', nameServers: NS1 };
  const z2 = { id: 'Z2', name: 'example.com', nameServers: NS2 };
  const cases: [string, Parameters<typeof resolveDelegations>, string | undefined][] = [
    ['unregistered: the first zone', [[z1, z2], []], 'Z1'],
    ['registered without name server changes: the first zone', [[z1, z2], [{ name: 'example.com' }]], 'Z1'],
    ['name servers of the second zone: the second zone', [[z1, z2], [{ name: 'example.com', nameServers: NS2.map((n) => `${n.toUpperCase()}.`), delegatedZoneId: 'Z2' }]], 'Z2'],
    ['delegated zone deleted: the oldest remaining', [[z1], [{ name: 'example.com', nameServers: NS2, delegatedZoneId: 'Z2' }]], 'Z1'],
    ['name servers elsewhere: no local zone answers', [[z1, z2], [{ name: 'example.com', nameServers: ['ns1.other-dns.net'] }]], undefined],
    ['no public zone: nothing', [[], [{ name: 'example.com' }]], undefined],
  ];
  for (const [title, args, want] of cases) {
    it(title, () => assert.equal(resolveDelegations(...args).get('example.com'), want));
  }
});

describe('Route 53 Domains delegation through the API', () => {
  let ln: TestLocalnet;
  let r53: Route53Client;
  let domains: Route53DomainsClient;
  let resolver: dns.Resolver;
  const contact = { FirstName: 'A', LastName: 'B', ContactType: 'PERSON' as const, Email: 'a@example.com', CountryCode: 'US' as const };
  const publicA = async (name: string) => {
    try {
      return await resolver.resolve4(name);
    } catch (err: any) {
      return err.code as string;
    }
  };

  before(async () => {
    ln = await startTestLocalnet();
    r53 = route53Client(ln);
    domains = domainsClient(ln);
    const pub = ln.dns.views().find((v) => v.view === 'public')!;
    resolver = new dns.Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([`${pub.address}:${pub.port}`]);
  });
  after(() => ln.stop());

  it('a second public zone of the same name is not what the world sees until the name servers move', async () => {
    const first = await r53.send(new CreateHostedZoneCommand({ Name: 'pitfall.com', CallerReference: ref() }));
    const second = await r53.send(new CreateHostedZoneCommand({ Name: 'pitfall.com', CallerReference: ref() }));
    const put = (zone: string, value: string) =>
      r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zone, ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'www.pitfall.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: value }] } }] } }));
    await put(second.HostedZone!.Id!, '192.0.2.2');
    assert.equal(await publicA('www.pitfall.com'), 'ENOTFOUND', 'records of the second zone are invisible');
    await put(first.HostedZone!.Id!, '192.0.2.1');
    assert.deepEqual(await publicA('www.pitfall.com'), ['192.0.2.1']);

    // Registering the domain keeps the first zone (no new zone: the account has one).
    const reg = await domains.send(new RegisterDomainCommand({ DomainName: 'pitfall.com', DurationInYears: 1, AdminContact: contact, RegistrantContact: contact, TechContact: contact }));
    assert.ok(reg.OperationId);
    assert.equal((await r53.send(new ListHostedZonesByNameCommand({ DNSName: 'pitfall.com' }))).HostedZones!.filter((z) => z.Name === 'pitfall.com.').length, 2);
    const detail = await domains.send(new GetDomainDetailCommand({ DomainName: 'pitfall.com' }));
    assert.deepEqual(detail.Nameservers?.map((n) => n.Name), first.DelegationSet?.NameServers);

    // Moving the name servers to the second zone moves what the world sees.
    await domains.send(new UpdateDomainNameserversCommand({ DomainName: 'pitfall.com', Nameservers: second.DelegationSet!.NameServers!.map((Name) => ({ Name })) }));
    assert.deepEqual(await publicA('www.pitfall.com'), ['192.0.2.2']);
    assert.deepEqual((await domains.send(new GetDomainDetailCommand({ DomainName: 'pitfall.com' }))).Nameservers?.map((n) => n.Name), second.DelegationSet?.NameServers);

    // Deleting the delegated zone: the oldest remaining zone answers again.
    await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: second.HostedZone!.Id, ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: { Name: 'www.pitfall.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.2' }] } }] } }));
    await r53.send(new DeleteHostedZoneCommand({ Id: second.HostedZone!.Id }));
    assert.deepEqual(await publicA('www.pitfall.com'), ['192.0.2.1']);
  });

  it('RegisterDomain creates the hosted zone, as Route 53 does; ListDomains lists it; errors are json-protocol errors', async () => {
    await domains.send(new RegisterDomainCommand({ DomainName: 'fresh.net', DurationInYears: 2, AdminContact: contact, RegistrantContact: contact, TechContact: contact }));
    const zones = await r53.send(new ListHostedZonesByNameCommand({ DNSName: 'fresh.net', MaxItems: 1 }));
    assert.equal(zones.HostedZones?.[0].Name, 'fresh.net.');
    assert.equal(zones.HostedZones?.[0].Config?.Comment, 'HostedZone created by Route53 Registrar');
    const list = await domains.send(new ListDomainsCommand({}));
    assert.deepEqual(list.Domains?.map((d) => d.DomainName), ['fresh.net', 'pitfall.com']);
    assert.ok(list.Domains![0].Expiry instanceof Date);
    await rejects(domains.send(new RegisterDomainCommand({ DomainName: 'fresh.net', DurationInYears: 1, AdminContact: contact, RegistrantContact: contact, TechContact: contact })), 'DomainLimitExceeded');
    await rejects(domains.send(new GetDomainDetailCommand({ DomainName: 'unknown.org' })), 'InvalidInput');
    // Name servers that belong to no local zone: the domain is delegated elsewhere.
    await domains.send(new UpdateDomainNameserversCommand({ DomainName: 'fresh.net', Nameservers: [{ Name: 'ns1.elsewhere.org' }] }));
    await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zones.HostedZones![0].Id, ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: { Name: 'fresh.net', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.9' }] } }] } }));
    // The public view is authoritative only: it refuses names it holds no delegated zone for.
    assert.equal(await publicA('fresh.net'), 'EREFUSED');
  });
});
