import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  type Change,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { ec2Client } from '../../helpers/localnet.ts';
import { alb, elbClient, network } from '../elbv2/helpers.ts';
import { ref, rejects, route53Client } from './helpers.ts';

const a = (name: string, value = '192.0.2.1', ttl = 300): ResourceRecordSet => ({ Name: name, Type: 'A', TTL: ttl, ResourceRecords: [{ Value: value }] });
const rr = (name: string, type: ResourceRecordSet['Type'], ...values: string[]): ResourceRecordSet => ({ Name: name, Type: type, TTL: 300, ResourceRecords: values.map((Value) => ({ Value })) });

describe('Route 53 record sets', () => {
  let ln: TestLocalnet;
  let r53: Route53Client;
  let zoneId: string;
  const change = (...changes: Change[]) => r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: changes } }));
  const names = async () => (await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))).ResourceRecordSets!.map((r) => `${r.Name} ${r.Type}${r.SetIdentifier ? ` ${r.SetIdentifier}` : ''}`);

  before(async () => {
    ln = await startTestLocalnet();
    r53 = route53Client(ln);
    const z = await r53.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: ref() }));
    zoneId = z.HostedZone!.Id!;
  });
  after(() => ln.stop());

  it('creates, upserts and deletes; GetChange goes PENDING -> INSYNC', async () => {
    const out = await change({ Action: 'CREATE', ResourceRecordSet: a('www.example.com') });
    assert.equal(out.ChangeInfo?.Status, 'PENDING');
    assert.match(out.ChangeInfo!.Id!, /^\/change\/C[0-9A-Z]{20}$/);
    const got = await r53.send(new GetChangeCommand({ Id: out.ChangeInfo!.Id }));
    assert.equal(got.ChangeInfo?.Status, 'INSYNC');
    await rejects(r53.send(new GetChangeCommand({ Id: 'C0000000000000000000X' })), 'NoSuchChange', undefined, 404);
    await change({ Action: 'UPSERT', ResourceRecordSet: a('www.example.com', '192.0.2.2', 60) });
    const list = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: 'www.example.com', StartRecordType: 'A', MaxItems: 1 }));
    assert.deepEqual(list.ResourceRecordSets?.[0], { Name: 'www.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.2' }] });
    await change({ Action: 'DELETE', ResourceRecordSet: a('www.example.com', '192.0.2.2', 60) });
    assert.deepEqual(await names(), ['example.com. NS', 'example.com. SOA']);
  });

  it('answers InvalidChangeBatch with AWS\'s messages, all problems of a batch together, and changes nothing', async () => {
    await change({ Action: 'CREATE', ResourceRecordSet: a('dup.example.com') });
    const err = await rejects(
      change(
        { Action: 'CREATE', ResourceRecordSet: a('ok.example.com') },
        { Action: 'CREATE', ResourceRecordSet: a('dup.example.com') },
        { Action: 'DELETE', ResourceRecordSet: a('missing.example.com') },
        { Action: 'CREATE', ResourceRecordSet: rr('example.com', 'CNAME', 'www.example.org') },
        { Action: 'CREATE', ResourceRecordSet: a('x.other.com') },
      ),
      'InvalidChangeBatch',
      undefined,
      400,
    );
    assert.deepEqual(err.messages, [
      "Tried to create resource record set [name='dup.example.com.', type='A'] but it already exists",
      "Tried to delete resource record set [name='missing.example.com.', type='A'] but it was not found",
      'RRSet of type CNAME with DNS name example.com. is not permitted at apex in zone example.com.',
      'RRSet with DNS name x.other.com. is not permitted in zone example.com.',
    ]);
    assert.match(err.message, /^\[Tried to create .* but it already exists, /);
    assert.ok(!(await names()).includes('ok.example.com. A'), 'a failed batch changes nothing');
  });

  it('refuses a DELETE whose values differ, and apex SOA/NS deletion', async () => {
    await rejects(change({ Action: 'DELETE', ResourceRecordSet: a('dup.example.com', '192.0.2.9') }), 'InvalidChangeBatch', /but the values provided do not match the current values/);
    await rejects(change({ Action: 'DELETE', ResourceRecordSet: rr('example.com', 'SOA', 'ns.example.com. h.example.com. 1 2 3 4 5') }), 'InvalidChangeBatch', /exactly one SOA record/);
    const { ResourceRecordSets } = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, MaxItems: 1 }));
    await rejects(change({ Action: 'DELETE', ResourceRecordSet: ResourceRecordSets![0] }), 'InvalidChangeBatch', /at least one NS record/);
  });

  it('keeps CNAMEs exclusive at a name (both directions)', async () => {
    await change({ Action: 'CREATE', ResourceRecordSet: rr('alias.example.com', 'CNAME', 'www.example.org') });
    await rejects(change({ Action: 'CREATE', ResourceRecordSet: a('alias.example.com') }), 'InvalidChangeBatch', /RRSet of type A with DNS name alias\.example\.com\. is not permitted because a conflicting RRSet of type {2}CNAME with the same DNS name already exists in zone example\.com\./);
    await rejects(change({ Action: 'CREATE', ResourceRecordSet: rr('dup.example.com', 'CNAME', 'www.example.org') }), 'InvalidChangeBatch', /RRSet of type CNAME with DNS name dup\.example\.com\. is not permitted as it conflicts with other records with the same DNS name in zone example\.com\./);
  });

  it('validates values per type', async () => {
    const bad: [ResourceRecordSet, RegExp][] = [
      [rr('v.example.com', 'A', '1.2.3'), /ARRDATAIllegalIPv4Address/],
      [rr('v.example.com', 'AAAA', '1.2.3.4'), /AAAARRDATAIllegalIPv6Address/],
      [rr('v.example.com', 'MX', 'mail.example.com'), /MXRRDATANotTwoFields/],
      [rr('v.example.com', 'SRV', '1 2 http target.example.com'), /SRV/],
      [rr('v.example.com', 'TXT', '"unbalanced'), /UnbalancedQuotes/],
      [rr('v.example.com', 'TXT', `"${'x'.repeat(256)}"`), /CharacterStringTooLong/],
      [rr('v.example.com', 'CAA', '0 issue'), /CAARRDATANotThreeFields/],
      [rr('v.example.com', 'CNAME', 'a.example.org', 'b.example.org'), /more than one ResourceRecord/],
      [rr('v.example.com', 'DS', '1 2 3 xyz'), /DSRRDATAIllegalDigest/],
      [rr('v..example.com', 'A', '1.2.3.4'), /DomainLabelEmpty/],
    ];
    for (const [set, message] of bad) await rejects(change({ Action: 'CREATE', ResourceRecordSet: set }), 'InvalidChangeBatch', message);
    await change(
      { Action: 'CREATE', ResourceRecordSet: rr('good.example.com', 'MX', '10 mail.example.com.') },
      { Action: 'CREATE', ResourceRecordSet: rr('good.example.com', 'TXT', '"v=spf1 -all"', '"a" "b"') },
      { Action: 'CREATE', ResourceRecordSet: rr('_sip._tcp.example.com', 'SRV', '10 5 5060 sip.example.com.') },
      { Action: 'CREATE', ResourceRecordSet: rr('good.example.com', 'CAA', '0 issue "amazon.com"') },
      { Action: 'CREATE', ResourceRecordSet: rr('good.example.com', 'AAAA', '2001:db8::1') },
      { Action: 'CREATE', ResourceRecordSet: rr('4.2.0.192.in-addr.example.com', 'PTR', 'host.example.com') },
      { Action: 'CREATE', ResourceRecordSet: rr('good.example.com', 'NAPTR', '100 10 "S" "SIP+D2U" "" _sip._udp.example.com.') },
      { Action: 'CREATE', ResourceRecordSet: rr('sub.example.com', 'DS', '12345 13 2 ABCDEF0123') },
      { Action: 'CREATE', ResourceRecordSet: rr('sub.example.com', 'NS', 'ns1.example.net.') },
      { Action: 'CREATE', ResourceRecordSet: rr('good.example.com', 'SPF', '"v=spf1 -all"') },
    );
  });

  it('refuses malformed changes with InvalidInput (TTL without records, SetIdentifier without policy)', async () => {
    await rejects(change({ Action: 'CREATE', ResourceRecordSet: { Name: 'n.example.com', Type: 'A', TTL: 60 } }), 'InvalidInput', /Expected exactly one of \[AliasTarget, all of \[TTL, and ResourceRecords\], or TrafficPolicyInstanceId\], but found none/);
    await rejects(change({ Action: 'CREATE', ResourceRecordSet: { ...a('n.example.com'), SetIdentifier: 'x' } }), 'InvalidInput', /but found none in Change with \[Action=CREATE, Name=n\.example\.com, Type=A, SetIdentifier=x\]/);
    await rejects(change({ Action: 'CREATE', ResourceRecordSet: { ...a('n.example.com'), Weight: 10 } }), 'InvalidInput', /Missing field 'SetIdentifier'/);
  });

  it('stores wildcards lower-case and returns them as \\052; lists in Route 53 order with pagination', async () => {
    await change({ Action: 'CREATE', ResourceRecordSet: a('*.Wild.Example.com') }, { Action: 'CREATE', ResourceRecordSet: a('\\052.two.example.com') });
    await rejects(change({ Action: 'CREATE', ResourceRecordSet: a('*.wild.example.com') }), 'InvalidChangeBatch', /\[name='\\052\.wild\.example\.com\.', type='A'\] but it already exists/);
    const all = await names();
    assert.ok(all.includes('\\052.wild.example.com. A'));
    assert.ok(all.includes('\\052.two.example.com. A'));
    // Labels reversed: example.com < _sip._tcp < alias < ... < wild; then by type.
    const labels = (s: string) => s.split(' ')[0].slice(0, -1).split('.').reverse();
    const sorted = [...all].sort((x, y) => {
      const [lx, ly] = [labels(x), labels(y)];
      for (let i = 0; i < Math.min(lx.length, ly.length); i++) if (lx[i] !== ly[i]) return lx[i] < ly[i] ? -1 : 1;
      if (lx.length !== ly.length) return lx.length - ly.length;
      return x.split(' ')[1] < y.split(' ')[1] ? -1 : 1;
    });
    assert.deepEqual(all, sorted);
    const seen: string[] = [];
    let start: { StartRecordName?: string; StartRecordType?: any; StartRecordIdentifier?: string } = {};
    for (;;) {
      const page = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, MaxItems: 3, ...start }));
      seen.push(...page.ResourceRecordSets!.map((r) => `${r.Name} ${r.Type}`));
      if (!page.IsTruncated) break;
      start = { StartRecordName: page.NextRecordName, StartRecordType: page.NextRecordType, StartRecordIdentifier: page.NextRecordIdentifier };
    }
    assert.deepEqual(seen, all);
  });

  it('stores weighted, multivalue and other routing policies, and refuses mixing them with simple records', async () => {
    await change(
      { Action: 'CREATE', ResourceRecordSet: { ...a('w.example.com', '192.0.2.10'), SetIdentifier: 'blue', Weight: 90 } },
      { Action: 'CREATE', ResourceRecordSet: { ...a('w.example.com', '192.0.2.11'), SetIdentifier: 'green', Weight: 10 } },
      { Action: 'CREATE', ResourceRecordSet: { ...a('mv.example.com', '192.0.2.12'), SetIdentifier: 'one', MultiValueAnswer: true } },
      { Action: 'CREATE', ResourceRecordSet: { ...a('lat.example.com'), SetIdentifier: 'use1', Region: 'us-east-1' } },
      { Action: 'CREATE', ResourceRecordSet: { ...a('fo.example.com'), SetIdentifier: 'primary', Failover: 'PRIMARY' } },
      { Action: 'CREATE', ResourceRecordSet: { ...a('geo.example.com'), SetIdentifier: 'eu', GeoLocation: { ContinentCode: 'EU' } } },
    );
    await rejects(change({ Action: 'CREATE', ResourceRecordSet: a('w.example.com') }), 'InvalidChangeBatch', /other RRSets exist with the same name and type/);
    const page = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: 'w.example.com', StartRecordType: 'A', StartRecordIdentifier: 'green', MaxItems: 1 }));
    assert.deepEqual(page.ResourceRecordSets?.[0], { Name: 'w.example.com.', Type: 'A', SetIdentifier: 'green', Weight: 10, TTL: 300, ResourceRecords: [{ Value: '192.0.2.11' }] });
    const geo = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: 'geo.example.com', StartRecordType: 'A', MaxItems: 1 }));
    assert.deepEqual(geo.ResourceRecordSets?.[0].GeoLocation, { ContinentCode: 'EU' });
  });

  it('checks alias targets inside the zone and stores other targets faithfully', async () => {
    await change({ Action: 'CREATE', ResourceRecordSet: { Name: 'example.com', Type: 'A', AliasTarget: { HostedZoneId: zoneId, DNSName: 'dup.example.com', EvaluateTargetHealth: false } } });
    await rejects(
      change({ Action: 'CREATE', ResourceRecordSet: { Name: 'al.example.com', Type: 'A', AliasTarget: { HostedZoneId: zoneId, DNSName: 'nothing.example.com', EvaluateTargetHealth: false } } }),
      'InvalidChangeBatch',
      /Tried to create an alias that targets nothing\.example\.com\., type A in zone Z[0-9A-Z]+, but that target was not found/,
    );
    await rejects(
      change({ Action: 'CREATE', ResourceRecordSet: { Name: 'al.example.com', Type: 'A', AliasTarget: { HostedZoneId: zoneId, DNSName: 'www.example.org', EvaluateTargetHealth: false } } }),
      'InvalidChangeBatch',
      /the alias target name does not lie within the target zone/,
    );
    const lb = await alb(elbClient(ln), await network(ec2Client(ln)));
    const elb = { HostedZoneId: lb.CanonicalHostedZoneId!, DNSName: lb.DNSName!, EvaluateTargetHealth: true };
    await change({ Action: 'CREATE', ResourceRecordSet: { Name: 'app.example.com', Type: 'A', AliasTarget: elb } });
    const page = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: 'app.example.com', StartRecordType: 'A', MaxItems: 1 }));
    assert.deepEqual(page.ResourceRecordSets?.[0], { Name: 'app.example.com.', Type: 'A', AliasTarget: { ...elb, DNSName: `${elb.DNSName}.` } });
    await rejects(
      change({ Action: 'CREATE', ResourceRecordSet: { Name: 'al2.example.com', Type: 'A', TTL: 60, AliasTarget: elb } }),
      'InvalidInput',
      /but found more than one/,
    );
  });

  it('refuses an alias to a load balancer or endpoint that does not exist, in Route 53\'s words', async () => {
    const lb = await alb(elbClient(ln), await network(ec2Client(ln), '10.1.0.0/16'));
    const alias = (DNSName: string, HostedZoneId = lb.CanonicalHostedZoneId!) => ({ Action: 'UPSERT' as const, ResourceRecordSet: { Name: 'lb.example.com', Type: 'A' as const, AliasTarget: { HostedZoneId, DNSName, EvaluateTargetHealth: false } } });
    await rejects(
      change(alias('nope-123.us-east-1.elb.amazonaws.com')),
      'InvalidChangeBatch',
      /Tried to create an alias that targets nope-123\.us-east-1\.elb\.amazonaws\.com\., type A in zone Z35SXDOTRQ7X7K, but the alias target name does not lie within the target zone/,
    );
    // The NLB zone id with an ALB's name: the name is not within that zone.
    await rejects(change(alias(lb.DNSName!, 'Z26RNL4JYFTOTI')), 'InvalidChangeBatch', /does not lie within the target zone/);
    await rejects(change(alias('vpce-0123456789abcdef0-abcdefgh.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com', 'Z7HUB22UULQXV')), 'InvalidChangeBatch', /does not lie within the target zone/);
    // The load balancer's own name, with dualstack. and in upper case, is accepted; so is a target localnet cannot check (CloudFront).
    await change(alias(`dualstack.${lb.DNSName!.toUpperCase()}`));
    await change(alias('d111111abcdef8.cloudfront.net', 'Z2FDTNDATAQYW2'));
  });

  it('DELETE then CREATE of the same set in one batch replaces it', async () => {
    await change({ Action: 'CREATE', ResourceRecordSet: a('swap.example.com', '192.0.2.20') });
    await change({ Action: 'DELETE', ResourceRecordSet: a('swap.example.com', '192.0.2.20') }, { Action: 'CREATE', ResourceRecordSet: a('swap.example.com', '192.0.2.21') });
    const page = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: 'swap.example.com', StartRecordType: 'A', MaxItems: 1 }));
    assert.equal(page.ResourceRecordSets?.[0].ResourceRecords?.[0].Value, '192.0.2.21');
  });

  it('answers NoSuchHostedZone for a missing zone', async () => {
    await rejects(r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: 'Z0000000000000000000Q' })), 'NoSuchHostedZone', undefined, 404);
  });
});
