// What `localnet dig` / explain adds when the name asked is the private DNS
// name of an interface endpoint (PrivateLink): where it resolves (only inside
// the endpoint's VPC, from AWS's managed private zone), why it does not
// (private DNS off, the name not verified, the endpoint not available), and
// the fix from another VPC (a private zone of its own with an alias to the
// endpoint's regional name).
import { isAtOrBelow, normalizeName } from './names.ts';
import type { SnapshotIndex } from './snapshot-index.ts';
import type { DnsEndpoint } from './types.ts';

/** Whether `lname` is the private DNS name `pdn` or, for a wildcard `*.example.com`, a name under example.com. */
export function matchesPrivateDnsName(lname: string, pdn: string): boolean {
  if (!pdn.startsWith('*.')) return lname === pdn;
  const parent = pdn.slice(2);
  return lname !== parent && isAtOrBelow(lname, parent);
}

/** Endpoints whose service's private DNS name covers `name`. */
export function endpointsForPrivateName(index: SnapshotIndex, name: string): DnsEndpoint[] {
  const lname = normalizeName(name);
  return (index.snapshot.endpoints ?? []).filter((e) => e.privateDns && matchesPrivateDnsName(lname, e.privateDns.name));
}

/** Lines for explain: `answered` says whether the view's resolution found records. */
export function explainEndpointName(index: SnapshotIndex, view: string, name: string, answered: boolean): string[] {
  const lname = normalizeName(name);
  const lines: string[] = [];
  for (const e of endpointsForPrivateName(index, lname)) {
    const pdns = e.privateDns!;
    const regional = e.names[0]?.name;
    const what = `${lname} is the private DNS name${pdns.name !== lname ? ` (${pdns.name})` : ''} of endpoint ${e.id} in ${e.vpcId}`;
    if (!pdns.served) {
      lines.push(`${what}, but it is not in force: ${pdns.reason ?? 'private DNS is off'}${regional ? `; meanwhile the endpoint's regional name ${regional} resolves everywhere` : ''}`);
      continue;
    }
    if (view === e.vpcId) continue;
    if (answered) {
      lines.push(`${what}; here in ${view} another source answers it (the endpoint's managed zone is associated with ${e.vpcId} only)`);
      continue;
    }
    const where = view === 'public' ? 'the public view (the internet)' : view;
    const fix = view === 'public'
      ? `outside ${e.vpcId} use the endpoint's regional name${regional ? ` ${regional}` : ''}, which is public DNS, or a private hosted zone associated with the client's VPC`
      : `from ${view} create a private hosted zone for ${pdns.name.replace(/^\*\./, '')} associated with ${view} holding ${pdns.name.startsWith('*.') ? `a wildcard ${pdns.name}` : 'an'} alias (or CNAME) to ${regional ?? 'the endpoint\'s regional DNS name'}`;
    lines.push(`${what}; it resolves only inside ${e.vpcId} (AWS's managed private zone is associated with the endpoint's VPC alone), not in ${where}; ${fix}`);
  }
  return lines;
}
