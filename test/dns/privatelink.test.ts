// PrivateLink in the DNS views, over real DNS queries (Node's resolver and
// raw packets) against a running localnet: an interface endpoint's regional
// and zonal names resolve everywhere; the service's private DNS name only in
// the consumer VPC (not publicly, not from a VPC peered across regions) until
// that VPC gets a private zone of its own aliasing the regional name; and
// `localnet dig`'s explanation says why.
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { after, before, describe, it } from 'node:test';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, type Route53Client, type VPCRegion } from '@aws-sdk/client-route-53';
import { startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';
import { route53Client } from '../services/route53/helpers.ts';
import {
  buildPrivateLinkNet, putEndpointService, putInterfaceEndpoint, putNlb, settle, updateEndpoint, updateEndpointService,
  type Endpoint, type PrivateLinkNet, type Service,
} from '../privatelink/fixtures.ts';
import { rcode, udpAsk } from './client.ts';

const NAME = 'internal-api.example.com';

describe('PrivateLink names in the DNS views', () => {
  let ln: TestLocalnet;
  let r53: Route53Client;
  let net: PrivateLinkNet;
  let service: Service;
  let ep: Endpoint;
  let refs = 0;

  const view = (v: string) => ln.dns.views().find((x) => x.view === v)!;
  const resolver = (v: string) => {
    const { address, port } = view(v);
    const r = new Resolver({ timeout: 1000, tries: 1 });
    r.setServers([`${address}:${port}`]);
    return r;
  };
  const a = async (v: string, name: string) => (await resolver(v).resolve4(name)).sort();
  const explain = async (v: string, name: string): Promise<string> => {
    const res = await fetch(`${ln.endpoint}/_localnet/dns/query?name=${name}&type=A${v === 'public' ? '' : `&vpc=${v}`}`);
    return ((await res.json()) as { explanation: string[] }).explanation.join('\n');
  };
  const privateZone = async (name: string, vpcId: string, region: VPCRegion) => {
    const z = await r53.send(new CreateHostedZoneCommand({ Name: name, CallerReference: `plink-${Date.now()}-${refs++}`, VPC: { VPCId: vpcId, VPCRegion: region } }));
    return z.HostedZone!.Id!.replace('/hostedzone/', '');
  };

  before(async () => {
    ln = await startTestLocalnet();
    r53 = route53Client(ln);
    net = await buildPrivateLinkNet(ln);
    const nlb = putNlb(ln, net.provider, [443]);
    service = putEndpointService(ln, nlb, { privateDnsName: NAME });
    ep = putInterfaceEndpoint(ln, net.consumer, service, { privateDnsName: NAME, groups: [net.consumer.endpointSg] });
    await settle(ln);
  });
  after(async () => ln?.stop());

  it('the regional name answers every interface and a zonal name its AZ\'s, in every view', async () => {
    const all = Object.values(ep.addresses).sort();
    for (const v of ['public', net.consumer.vpcId, net.peer.vpcId, net.provider.vpcId]) {
      assert.deepEqual(await a(v, ep.regionalName), all, `regional name in ${v}`);
      assert.deepEqual(await a(v, ep.zonalNames['us-east-1b']), [ep.addresses['us-east-1b']], `zonal name in ${v}`);
    }
    const p = await udpAsk(view('public').address, view('public').port, ep.regionalName, 'A');
    assert.equal((p.answers![0] as { ttl?: number }).ttl, 60);
    assert.match(await explain('public', ep.regionalName), /regional DNS name of interface endpoint vpce-/);
  });

  it('the private DNS name resolves only in the consumer VPC', async () => {
    assert.deepEqual(await a(net.consumer.vpcId, NAME), Object.values(ep.addresses).sort());
    await assert.rejects(a('public', NAME), { code: 'EREFUSED' });
    await assert.rejects(a(net.peer.vpcId, NAME), { code: 'EREFUSED' });
    await assert.rejects(a(net.provider.vpcId, NAME), { code: 'EREFUSED' });
    // Names under an exact private DNS name are not the service's.
    const below = await udpAsk(view(net.consumer.vpcId).address, view(net.consumer.vpcId).port, `x.${NAME}`, 'A');
    assert.equal(rcode(below), 3, 'NXDOMAIN from the managed zone');
  });

  it('explains why the peered VPC does not resolve it, and the fix', async () => {
    const text = await explain(net.peer.vpcId, NAME);
    assert.match(text, new RegExp(`${NAME} is the private DNS name of endpoint ${ep.id} in ${net.consumer.vpcId}; it resolves only inside ${net.consumer.vpcId}`));
    assert.match(text, new RegExp(`create a private hosted zone for ${NAME} associated with ${net.peer.vpcId} .*alias \\(or CNAME\\) to ${ep.regionalName}`));
    const why = await (await fetch(`${ln.endpoint}/_localnet/why?dns=${NAME}&from=${net.peer.vpcId}`)).json() as { lines: string[] };
    assert.ok(why.lines.some((l) => l.includes(`peered with ${net.consumer.vpcId} (${net.pcx})`) && l.includes('does not share the endpoint\'s private DNS name')), why.lines.join('\n'));
    assert.ok(!why.lines.some((l) => l.includes('associate-vpc-with-hosted-zone')), 'no advice to associate AWS\'s managed zone');
    assert.match(await explain(net.consumer.vpcId, NAME), /private DNS name of endpoint vpce-.* AWS's managed private zone/);
  });

  it('a private zone in the peered VPC with an alias to the regional name fixes it', async () => {
    const zoneId = await privateZone(NAME, net.peer.vpcId, 'us-west-2');
    await r53.send(new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: { Name: NAME, Type: 'A', AliasTarget: { DNSName: ep.regionalName, HostedZoneId: 'Z7HUB22UULQXV', EvaluateTargetHealth: false } } }] },
    }));
    await settle(ln);
    assert.deepEqual(await a(net.peer.vpcId, NAME), Object.values(ep.addresses).sort());
    assert.match(await explain(net.peer.vpcId, NAME), /another source answers it/);
  });

  it('the managed zone takes precedence over a user zone of the consumer VPC, for its name only', async () => {
    const zoneId = await privateZone('example.com', net.consumer.vpcId, 'us-east-1');
    await r53.send(new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: { Changes: [
        { Action: 'CREATE', ResourceRecordSet: { Name: NAME, Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.9.9.9' }] } },
        { Action: 'CREATE', ResourceRecordSet: { Name: `other.example.com`, Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.9.9.8' }] } },
      ] },
    }));
    const same = await privateZone(NAME, net.consumer.vpcId, 'us-east-1');
    await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: same, ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: { Name: NAME, Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.9.9.7' }] } }] } }));
    await settle(ln);
    assert.deepEqual(await a(net.consumer.vpcId, NAME), Object.values(ep.addresses).sort());
    assert.deepEqual(await a(net.consumer.vpcId, 'other.example.com'), ['10.9.9.8']);
    assert.match(await explain(net.consumer.vpcId, NAME), /takes precedence/);
  });

  it('private DNS off, a name not verified, or an endpoint not yet accepted: not resolved, and explain says why', async () => {
    const consumer = net.consumer.vpcId;
    const nlb = putNlb(ln, net.provider, [8443]);
    const svc = putEndpointService(ln, nlb, { privateDnsName: 'orders.example.net' });
    const e = putInterfaceEndpoint(ln, net.consumer, svc, { privateDnsName: 'orders.example.net', privateDnsEnabled: false });
    await settle(ln);
    await assert.rejects(a(consumer, 'orders.example.net'), { code: 'EREFUSED' });
    assert.match(await explain(consumer, 'orders.example.net'), /PrivateDnsEnabled is false on vpce-/);

    updateEndpoint(ln, e.id, (x) => { x.PrivateDnsEnabled = true; });
    updateEndpointService(ln, svc.id, (s) => { s.PrivateDnsNameConfiguration!.State = 'pendingVerification'; });
    await settle(ln);
    await assert.rejects(a(consumer, 'orders.example.net'), { code: 'EREFUSED' });
    assert.match(await explain(consumer, 'orders.example.net'), /is pendingVerification, not verified.*start-vpc-endpoint-service-private-dns-verification/);

    updateEndpointService(ln, svc.id, (s) => { s.PrivateDnsNameConfiguration!.State = 'verified'; });
    updateEndpoint(ln, e.id, (x) => { x.State = 'pendingAcceptance'; });
    await settle(ln);
    await assert.rejects(a(consumer, 'orders.example.net'), { code: 'EREFUSED' });
    assert.match(await explain(consumer, 'orders.example.net'), /pendingAcceptance, not available.*accept-vpc-endpoint-connections/);
    assert.deepEqual(await a('public', e.regionalName), Object.values(e.addresses).sort(), 'its names exist before acceptance');

    updateEndpoint(ln, e.id, (x) => { x.State = 'available'; });
    await settle(ln);
    assert.deepEqual(await a(consumer, 'orders.example.net'), Object.values(e.addresses).sort());

    updateEndpoint(ln, e.id, (x) => { x.State = 'deleted'; });
    await settle(ln);
    await assert.rejects(a('public', e.regionalName), { code: 'EREFUSED' });
  });

  it('a wildcard private DNS name covers the names under it, not its parent', async () => {
    const nlb = putNlb(ln, net.provider, [8443]);
    const svc = putEndpointService(ln, nlb, { privateDnsName: '*.svc.example.org' });
    const e = putInterfaceEndpoint(ln, net.consumer, svc, { privateDnsName: '*.svc.example.org' });
    await settle(ln);
    assert.deepEqual(await a(net.consumer.vpcId, 'a.svc.example.org'), Object.values(e.addresses).sort());
    assert.deepEqual(await a(net.consumer.vpcId, 'b.c.svc.example.org'), Object.values(e.addresses).sort());
    // The parent is the managed zone's apex: it exists (NODATA), with no address.
    await assert.rejects(a(net.consumer.vpcId, 'svc.example.org'), { code: 'ENODATA' });
    await assert.rejects(a(net.peer.vpcId, 'a.svc.example.org'), { code: 'EREFUSED' });
    assert.match(await explain(net.peer.vpcId, 'a.svc.example.org'), /a\.svc\.example\.org is the private DNS name \(\*\.svc\.example\.org\) of endpoint/);
  });
});
