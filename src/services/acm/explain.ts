// Why a certificate is (still) in the state it is in, in words a user can act
// on. Pure: a certificate record plus the DNS snapshot Route 53 builds (the
// zones, which public zone each domain is delegated to). ACM validates from
// the public internet, so a validation record only counts when it sits in
// the public zone the world is delegated to; the classic pitfalls are a
// record in a private hosted zone and one in a second, undelegated public zone.
import type { DnsSnapshot, DnsZone } from '../../dns/types.ts';
import type { CertificateRecord, ResourceRecord } from './types.ts';

const norm = (n: string) => n.toLowerCase().replace(/\.$/, '');

function atOrBelow(name: string, domain: string): boolean {
  return name === domain || name.endsWith(`.${domain}`);
}

function zoneLabel(z: DnsZone): string {
  return `${z.private ? 'private' : 'public'} hosted zone ${z.name} (${z.id})`;
}

/** The public zone that answers for name on the internet: the delegated zone with the longest apex at or above it. */
export function publicZoneFor(snapshot: DnsSnapshot, name: string): DnsZone | undefined {
  let best: DnsZone | undefined;
  for (const [domain, id] of snapshot.delegations) {
    if (!atOrBelow(name, domain) || (best && best.name.length >= domain.length)) continue;
    const zone = snapshot.zones.find((z) => z.id === id);
    if (zone) best = zone;
  }
  return best;
}

function cnameIn(zone: DnsZone, name: string): string | undefined {
  const rs = zone.records.find((r) => norm(r.name) === name && r.type === 'CNAME');
  return rs ? (rs.values[0] ?? (rs.alias ? rs.alias.dnsName : '')) : undefined;
}

/** Explains one DNS validation record that has not validated yet. */
export function explainValidationRecord(rr: ResourceRecord, snapshot: DnsSnapshot): string[] {
  const name = norm(rr.Name);
  const expected = norm(rr.Value);
  const holders = snapshot.zones.filter((z) => cnameIn(z, name) !== undefined && atOrBelow(name, z.name));
  const authority = publicZoneFor(snapshot, name);
  const out: string[] = [];
  const want = `create CNAME ${rr.Name} -> ${rr.Value}`;

  if (authority && holders.includes(authority)) {
    const value = norm(cnameIn(authority, name) ?? '');
    if (value === expected) out.push(`the record is in the delegated ${zoneLabel(authority)} with the right value; ACM sees it at its next check (every few hundred milliseconds)`);
    else out.push(`the record in the delegated ${zoneLabel(authority)} points to ${value || '(nothing)'}, but ACM expects ${rr.Value}`);
    return out;
  }
  for (const z of holders) {
    if (z.private) {
      const vpcs = z.vpcs.map((v) => v.vpcId).join(', ') || 'no VPC (the zone is associated with none)';
      out.push(`the record exists only in ${zoneLabel(z)}, visible only inside ${vpcs}; ACM validates from the public internet`);
    } else if (snapshot.delegations.get(z.name) === z.id) {
      out.push(`the record is in ${zoneLabel(z)}, but ${authority ? `the more specific delegated ${zoneLabel(authority)} answers for ${name} on the internet` : 'that zone does not answer for the name'}`);
    } else {
      const delegated = snapshot.delegations.get(z.name);
      const other = delegated ? snapshot.zones.find((x) => x.id === delegated) : undefined;
      out.push(
        `the record is in ${zoneLabel(z)}, which is not the zone the internet is delegated to for ${z.name}: ` +
          (other ? `the delegated zone is ${zoneLabel(other)} (the domain's name servers point there)` : `the domain's name servers point to none of localnet's zones`),
      );
    }
  }
  if (authority) out.push(`${want} in the delegated ${zoneLabel(authority)}`);
  else out.push(`no public hosted zone that the internet is delegated to holds ${name}: create a public hosted zone for the domain (and point the domain's name servers at it), then ${want} in it`);
  return out;
}

export interface CertificateExplanation {
  arn: string;
  status: string;
  lines: string[];
}

/** Everything localnet can say about a certificate's state; snapshot is optional (without it only the validator's own observations are reported). */
export function explainCertificate(rec: CertificateRecord, snapshot: DnsSnapshot | undefined, now = new Date()): CertificateExplanation {
  const lines: string[] = [];
  switch (rec.status) {
    case 'ISSUED':
      lines.push(`issued ${rec.issuedAt ?? rec.importedAt ?? ''} for ${rec.names.join(', ')}; valid until ${rec.notAfter}`);
      if (rec.renewal?.status === 'PENDING_AUTO_RENEWAL') lines.push('a renewal is pending: ACM checks the validation records again, then re-issues');
      break;
    case 'FAILED':
      if (rec.failureReason === 'PCA_RESOURCE_NOT_FOUND') lines.push(`the private CA ${rec.certificateAuthorityArn} does not exist: localnet does not emulate AWS Private CA`);
      else lines.push(`failed: ${rec.failureReason ?? 'OTHER'}`);
      break;
    case 'VALIDATION_TIMED_OUT':
      lines.push('the domains were not validated within 72 hours of the request; request a new certificate');
      break;
    case 'PENDING_VALIDATION': {
      const age = rec.createdAt ? Math.round((now.getTime() - Date.parse(rec.createdAt)) / 1000) : 0;
      lines.push(`pending validation for ${age} s (ACM gives up after 72 hours)`);
      const emails = rec.validations.filter((v) => v.validationMethod === 'EMAIL' && v.status !== 'SUCCESS');
      if (emails.length > 0) lines.push(`EMAIL validation: localnet sends no mail; approve with: localnet acm approve ${rec.arn}`);
      const seen = new Set<string>();
      for (const v of rec.validations) {
        if (v.validationMethod !== 'DNS' || !v.resourceRecord || seen.has(v.resourceRecord.Name)) continue;
        seen.add(v.resourceRecord.Name);
        const sharing = rec.validations.filter((x) => x.resourceRecord?.Name === v.resourceRecord!.Name).map((x) => x.domainName);
        if (v.status === 'SUCCESS') {
          lines.push(`${sharing.join(' and ')}: validated`);
          continue;
        }
        lines.push(`${sharing.join(' and ')}: waiting for CNAME ${v.resourceRecord.Name} -> ${v.resourceRecord.Value} in public DNS`);
        if (snapshot) for (const l of explainValidationRecord(v.resourceRecord, snapshot)) lines.push(`  ${l}`);
        const seenByAcm = rec.lastCheck?.lookups.find((l) => l.name === v.resourceRecord!.Name);
        if (seenByAcm) lines.push(`  last public DNS lookup (${rec.lastCheck!.at}): ${seenByAcm.outcome}`);
      }
      break;
    }
    default:
      lines.push(rec.status.toLowerCase());
  }
  if (rec.failureReason === 'CAA_ERROR') for (const l of rec.lastCheck?.lookups ?? []) lines.push(`  ${l.name}: ${l.outcome}`);
  return { arn: rec.arn, status: rec.status, lines };
}
