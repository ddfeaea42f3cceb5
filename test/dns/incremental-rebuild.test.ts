// A write costs what it touched (issue 17 item 8): after a change to one
// hosted zone the DNS state reads and indexes that zone only (StoredZones
// keeps the others by store revision, buildSnapshotIndex reuses their
// ZoneIndex), and every answer is the one a full rebuild gives.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dnsPacket, { type Packet } from 'dns-packet';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, DeleteHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { buildDnsSnapshot } from '../../src/dns/from-records.ts';
import { answer } from '../../src/dns/server.ts';
import { buildSnapshotIndex, type SnapshotIndex } from '../../src/dns/snapshot-index.ts';
import { StoredZones } from '../../src/dns/stored-zones.ts';
import { NetworkModelCache } from '../../src/net/model/cache.ts';
import { networkDataFromRecords } from '../../src/net/model/from-records.ts';
import { KIND } from '../../src/records/kinds.ts';
import type { HostedZone, RecordSet } from '../../src/records/route53.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/store.ts';
import { clientConfig, ec2Client, startTestLocalnet } from '../helpers/localnet.ts';
import { udpAsk } from './client.ts';

const GLOBAL = { account: '000000000000', region: 'global' };

function hostedZone(id: string, name: string, records: RecordSet[]): HostedZone {
  return {
    Id: id, Name: name, CallerReference: id, PrivateZone: false, CreatedAt: '2026-01-01T00:00:00.000Z',
    NameServers: ['ns-1.awsdns-01.com'], VPCs: [], Authorizations: [], Tags: [],
    RecordSets: [
      { Name: name, Type: 'SOA', TTL: 900, ResourceRecords: [{ Value: 'ns-1.awsdns-01.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400' }] },
      ...records,
    ],
  };
}
const a = (name: string, ip: string): RecordSet => ({ Name: name, Type: 'A', TTL: 60, ResourceRecords: [{ Value: ip }] });
const hosts = (zone: string, n: number) => Array.from({ length: n }, (_, i) => a(`h${i}.${zone}`, `10.0.${i >> 8}.${i & 255}`));

/** A store whose get() of hosted zones is counted. */
function countingGets(store: Store): { store: Store; gets: string[] } {
  const gets: string[] = [];
  return { gets, store: { ...store, get: (kind, scope, id) => (kind === KIND.hostedZone && gets.push(id), store.get(kind, scope, id)) } };
}

const QUERIES = ['h0.one.test', 'h99.one.test', 'h5.two.test', 'new.two.test', 'h1.three.test', 'one.test', 'nope.two.test'];
/** The public view's answers to QUERIES (every zone delegated, so the public view answers them all). */
function answers(ix: SnapshotIndex): Packet[] {
  return QUERIES.map((name) => answer(ix, 'public', { type: 'query', id: 1, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name, class: 'IN' }] }));
}

describe('DNS rebuild after a change to one zone', () => {
  it('reads and indexes only the changed zone, drops a deleted one, and answers as a full rebuild does', () => {
    const store = openSqliteStore(':memory:');
    const network = new NetworkModelCache(() => networkDataFromRecords(store));
    const zones = { one: hostedZone('ZONE1', 'one.test', hosts('one.test', 200)), two: hostedZone('ZTWO', 'two.test', hosts('two.test', 10)), three: hostedZone('ZTHREE', 'three.test', hosts('three.test', 10)) };
    for (const z of Object.values(zones)) store.put(KIND.hostedZone, GLOBAL, z.Id, z);
    for (const [domain, z] of [['one.test', 'ZONE1'], ['two.test', 'ZTWO'], ['three.test', 'ZTHREE']]) {
      store.put(KIND.domain, GLOBAL, domain, { DomainName: domain, Nameservers: [{ Name: 'ns-1.awsdns-01.com' }], DelegatedZoneId: z });
    }
    const stored = new StoredZones();
    const full = () => buildSnapshotIndex(buildDnsSnapshot(store, network.get()));
    const first = buildSnapshotIndex(buildDnsSnapshot(store, network.get(), stored));
    assert.deepEqual(answers(first), answers(full()));

    // One record more in zone two.
    store.put(KIND.hostedZone, GLOBAL, 'ZTWO', { ...zones.two, RecordSets: [...zones.two.RecordSets, a('new.two.test', '192.0.2.7')] });
    const counted = countingGets(store);
    const second = buildSnapshotIndex(buildDnsSnapshot(counted.store, network.get(), stored), first);
    assert.deepEqual(counted.gets, ['ZTWO'], 'only the changed zone is read from the store');
    assert.equal(second.zones.get('ZONE1'), first.zones.get('ZONE1'), 'zone one keeps its index');
    assert.equal(second.zones.get('ZTHREE'), first.zones.get('ZTHREE'), 'zone three keeps its index');
    assert.notEqual(second.zones.get('ZTWO'), first.zones.get('ZTWO'), 'zone two is indexed again');
    assert.deepEqual(answers(second), answers(full()));
    assert.deepEqual((answers(second)[3].answers ?? []).map((r) => (r as { data: unknown }).data), ['192.0.2.7']);

    // Nothing changed: nothing is read, every index is kept.
    const idle = countingGets(store);
    const third = buildSnapshotIndex(buildDnsSnapshot(idle.store, network.get(), stored), second);
    assert.deepEqual(idle.gets, []);
    for (const id of ['ZONE1', 'ZTWO', 'ZTHREE']) assert.equal(third.zones.get(id), second.zones.get(id), id);

    // A deleted zone is gone; a zone created again under the same id is read anew.
    store.delete(KIND.hostedZone, GLOBAL, 'ZTHREE');
    const fourth = buildSnapshotIndex(buildDnsSnapshot(store, network.get(), stored), third);
    assert.equal(fourth.zones.has('ZTHREE'), false);
    assert.deepEqual(answers(fourth), answers(full()));
    store.put(KIND.hostedZone, GLOBAL, 'ZTHREE', hostedZone('ZTHREE', 'three.test', [a('h1.three.test', '192.0.2.3')]));
    const fifth = buildSnapshotIndex(buildDnsSnapshot(store, network.get(), stored), fourth);
    assert.deepEqual(answers(fifth), answers(full()));
    assert.deepEqual((answers(fifth)[4].answers ?? []).map((r) => (r as { data: unknown }).data), ['192.0.2.3']);
    store.close();
  });

  it('through a running localnet: a change to one zone is served at once, the other zones answer as before, a deleted zone stops answering', async () => {
    const ln = await startTestLocalnet();
    try {
      const r53 = new Route53Client(clientConfig(ln));
      const { Vpcs } = await ec2Client(ln).send(new DescribeVpcsCommand({}));
      const VPC = { VPCId: Vpcs![0].VpcId!, VPCRegion: 'us-east-1' as const };
      const ids: string[] = [];
      for (const name of ['big.internal', 'small.internal']) {
        const { HostedZone } = await r53.send(new CreateHostedZoneCommand({ Name: name, CallerReference: name, VPC }));
        ids.push(HostedZone!.Id!);
        const Changes = hosts(name, name === 'big.internal' ? 300 : 3).map((r) => ({ Action: 'CREATE' as const, ResourceRecordSet: { Name: r.Name, Type: 'A' as const, TTL: 60, ResourceRecords: r.ResourceRecords } }));
        await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: HostedZone!.Id, ChangeBatch: { Changes } }));
      }
      await ln.dns.ready();
      const view = ln.dns.views().find((v) => v.view === VPC.VPCId)!;
      const ask = async (name: string) => (await udpAsk(view.address, view.port, name, 'A')).answers?.map((r) => (r as { data: unknown }).data) ?? [];
      assert.deepEqual(await ask('h299.big.internal'), ['10.0.1.43']);
      for (let i = 0; i < 5; i++) {
        await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: ids[1], ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'w.small.internal', Type: 'A', TTL: 60, ResourceRecords: [{ Value: `192.0.2.${i}` }] } }] } }));
        assert.deepEqual(await ask('w.small.internal'), [`192.0.2.${i}`]);
        assert.deepEqual(await ask('h299.big.internal'), ['10.0.1.43']);
      }
      await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: ids[1], ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: { Name: 'w.small.internal', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.4' }] } }, ...hosts('small.internal', 3).map((r) => ({ Action: 'DELETE' as const, ResourceRecordSet: { Name: r.Name, Type: 'A' as const, TTL: 60, ResourceRecords: r.ResourceRecords } }))] } }));
      await r53.send(new DeleteHostedZoneCommand({ Id: ids[1] }));
      const gone = await udpAsk(view.address, view.port, 'h1.small.internal', 'A');
      assert.equal(gone.answers?.length ?? 0, 0);
      assert.deepEqual(await ask('h1.big.internal'), ['10.0.0.1']);
      r53.destroy();
    } finally {
      await ln.stop();
    }
  });
});
