// Which public hosted zone the world sees for a domain: localnet's stand-in
// for the registry (see README.md, "Delegation"). One pure function; the
// DNS snapshot and Route 53 Domains' GetDomainDetail both use it.

export interface PublicZoneFact {
  id: string;
  /** Decoded lower-case apex without the final dot. */
  name: string;
  nameServers: string[];
}

export interface DomainFact {
  /** Lower-case, no final dot. */
  name: string;
  /** Name servers set with UpdateDomainNameservers / at registration (absent: follow the first zone). */
  nameServers?: string[];
  /** The zone those name servers belonged to when they were set (absent: they matched no zone here). */
  delegatedZoneId?: string;
}

function nsKey(servers: string[]): string {
  return servers
    .map((s) => s.toLowerCase().replace(/\.$/, ''))
    .sort()
    .join(' ');
}

/**
 * Domain -> id of the public zone that answers for it on the public view.
 * `zones` must be oldest first. Per domain name with at least one public zone:
 *  1. a registered domain whose name servers equal a zone's four name servers is
 *     delegated to that zone (the oldest such zone if several share a delegation set);
 *  2. a registered domain whose name servers belonged to a zone that has since been
 *     deleted falls back to the oldest remaining public zone of that name;
 *  3. a registered domain whose name servers never matched a zone here is delegated
 *     elsewhere: no local zone answers for it;
 *  4. otherwise (not registered through Route 53 Domains, or registered without
 *     changing its name servers) the oldest public zone answers — the zone created
 *     first is the one the registrar points at, a second zone of the same name is
 *     NOT seen by the world.
 */
export function resolveDelegations(zones: PublicZoneFact[], domains: DomainFact[]): Map<string, string> {
  const byName = new Map<string, PublicZoneFact[]>();
  for (const z of zones) byName.set(z.name, [...(byName.get(z.name) ?? []), z]);
  const registered = new Map(domains.map((d) => [d.name, d]));
  const out = new Map<string, string>();
  for (const [name, candidates] of byName) {
    const domain = registered.get(name);
    if (domain?.nameServers && domain.nameServers.length > 0) {
      const want = nsKey(domain.nameServers);
      const match = candidates.find((z) => nsKey(z.nameServers) === want);
      if (match) out.set(name, match.id);
      else if (domain.delegatedZoneId !== undefined && !candidates.some((z) => z.id === domain.delegatedZoneId)) out.set(name, candidates[0].id);
      continue;
    }
    out.set(name, candidates[0].id);
  }
  return out;
}
