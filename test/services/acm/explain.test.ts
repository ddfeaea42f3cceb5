// The explanation of a pending certificate, as a pure function over a DNS snapshot.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DnsSnapshot, DnsZone } from '../../../src/dns/types.ts';
import { explainCertificate, explainValidationRecord, publicZoneFor } from '../../../src/services/acm/explain.ts';
import type { CertificateRecord, ResourceRecord } from '../../../src/services/acm/types.ts';

const rr: ResourceRecord = { Name: '_abc.www.example.com.', Type: 'CNAME', Value: '_def.xyz.acm-validations.aws.' };
const cname = (value = '_def.xyz.acm-validations.aws') => ({ name: '_abc.www.example.com', type: 'CNAME', ttl: 300, values: [value] });
const zone = (id: string, name: string, records: DnsZone['records'], vpcs: string[] = []): DnsZone => ({ id, name, private: vpcs.length > 0, vpcs: vpcs.map((vpcId) => ({ vpcId, region: 'us-east-1' })), records });
const snap = (zones: DnsZone[], delegations: [string, string][]): DnsSnapshot => ({ zones, vpcs: [], loadBalancers: [], delegations: new Map(delegations) });

describe('explaining pending DNS validation', () => {
  const cases: { name: string; snapshot: DnsSnapshot; want: RegExp[] }[] = [
    {
      name: 'no zone at all',
      snapshot: snap([], []),
      want: [/no public hosted zone that the internet is delegated to holds _abc\.www\.example\.com/],
    },
    {
      name: 'delegated zone without the record',
      snapshot: snap([zone('ZPUB', 'example.com', [])], [['example.com', 'ZPUB']]),
      want: [/^create CNAME _abc\.www\.example\.com\. -> _def\.xyz\.acm-validations\.aws\. in the delegated public hosted zone example\.com \(ZPUB\)$/],
    },
    {
      name: 'only in a private zone',
      snapshot: snap([zone('ZPRIV', 'example.com', [cname()], ['vpc-1', 'vpc-2']), zone('ZPUB', 'example.com', [])], [['example.com', 'ZPUB']]),
      want: [/only in private hosted zone example\.com \(ZPRIV\), visible only inside vpc-1, vpc-2; ACM validates from the public internet/, /in the delegated public hosted zone example\.com \(ZPUB\)/],
    },
    {
      name: 'in an undelegated public zone',
      snapshot: snap([zone('ZOLD', 'example.com', []), zone('ZNEW', 'example.com', [cname()])], [['example.com', 'ZOLD']]),
      want: [/public hosted zone example\.com \(ZNEW\), which is not the zone the internet is delegated to for example\.com: the delegated zone is public hosted zone example\.com \(ZOLD\)/],
    },
    {
      name: 'in a public zone whose domain is delegated elsewhere',
      snapshot: snap([zone('ZX', 'example.com', [cname()])], []),
      want: [/the domain's name servers point to none of localnet's zones/],
    },
    {
      name: 'in the parent while a more specific delegated zone answers',
      snapshot: snap([zone('ZP', 'example.com', [cname()]), zone('ZW', 'www.example.com', [])], [['example.com', 'ZP'], ['www.example.com', 'ZW']]),
      want: [/the more specific delegated public hosted zone www\.example\.com \(ZW\) answers/],
    },
    {
      name: 'in the delegated zone with a wrong value',
      snapshot: snap([zone('ZPUB', 'example.com', [cname('_wrong.acm-validations.aws')])], [['example.com', 'ZPUB']]),
      want: [/points to _wrong\.acm-validations\.aws, but ACM expects _def\.xyz\.acm-validations\.aws\./],
    },
    {
      name: 'in the delegated zone with the right value',
      snapshot: snap([zone('ZPUB', 'example.com', [cname()])], [['example.com', 'ZPUB']]),
      want: [/with the right value; ACM sees it at its next check/],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const lines = explainValidationRecord(rr, c.snapshot);
      for (const re of c.want) assert.ok(lines.some((l) => re.test(l)), `${re} not in:\n${lines.join('\n')}`);
    });
  }

  it('finds the most specific delegated zone', () => {
    const s = snap([zone('ZP', 'example.com', []), zone('ZW', 'www.example.com', [])], [['example.com', 'ZP'], ['www.example.com', 'ZW']]);
    assert.equal(publicZoneFor(s, 'a.www.example.com')?.id, 'ZW');
    assert.equal(publicZoneFor(s, 'api.example.com')?.id, 'ZP');
    assert.equal(publicZoneFor(s, 'example.org'), undefined);
  });

  it('groups a name with its wildcard, reports what the validator saw and how to approve EMAIL', () => {
    const base: CertificateRecord = {
      arn: 'arn:aws:acm:us-east-1:000000000000:certificate/11111111-1111-1111-1111-111111111111',
      id: '11111111-1111-1111-1111-111111111111',
      domainName: 'www.example.com',
      names: ['www.example.com', '*.www.example.com'],
      type: 'AMAZON_ISSUED',
      status: 'PENDING_VALIDATION',
      validations: [
        { domainName: 'www.example.com', validationDomain: 'www.example.com', validationMethod: 'DNS', status: 'PENDING_VALIDATION', resourceRecord: rr },
        { domainName: '*.www.example.com', validationDomain: 'www.example.com', validationMethod: 'DNS', status: 'PENDING_VALIDATION', resourceRecord: rr },
      ],
      keyAlgorithm: 'RSA_2048',
      options: { CertificateTransparencyLoggingPreference: 'ENABLED', Export: 'DISABLED' },
      createdAt: '2026-01-01T00:00:00.000Z',
      inUseBy: [],
      tags: [],
      exported: false,
      lastCheck: { at: '2026-01-01T00:00:01.000Z', lookups: [{ name: rr.Name, outcome: '_abc.www.example.com. does not exist in public DNS (NXDOMAIN)' }] },
    };
    const out = explainCertificate(base, snap([], []), new Date('2026-01-01T00:01:00Z')).lines.join('\n');
    assert.match(out, /pending validation for 60 s/);
    assert.match(out, /www\.example\.com and \*\.www\.example\.com: waiting for CNAME/);
    assert.match(out, /last public DNS lookup \(2026-01-01T00:00:01\.000Z\): .*NXDOMAIN/);
    const email = { ...base, validations: base.validations.map((v) => ({ ...v, validationMethod: 'EMAIL' as const, resourceRecord: undefined })) };
    assert.match(explainCertificate(email, undefined).lines.join('\n'), /localnet acm approve arn:aws:acm:/);
    assert.match(explainCertificate({ ...base, status: 'VALIDATION_TIMED_OUT' }, undefined).lines[0], /72 hours/);
  });
});
