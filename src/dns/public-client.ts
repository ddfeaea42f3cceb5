// A client of localnet's public DNS view (the "internet") for whoever
// validates like a public CA: ACM (src/services/acm/dns-lookup.ts adds its
// CNAME check), the ACME server (src/acme/), EC2's private DNS name
// verification of endpoint services. Real queries over UDP to the
// view's address, so what a validator sees is what `dig` sees. CAA is
// looked up walking from the name towards the root (RFC 8659).
import { Resolver } from 'node:dns/promises';

export interface PublicDnsAddress {
  address: string;
  port: number;
}

export interface CaaRecord {
  critical: number;
  issue?: string;
  issuewild?: string;
  iodef?: string;
  [tag: string]: unknown;
}

export const normName = (n: string) => n.toLowerCase().replace(/\.$/, '');

export class PublicDnsLookup {
  protected readonly resolver: Resolver;

  constructor(server: PublicDnsAddress, timeoutMs = 1000) {
    this.resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
    const host = server.address.includes(':') ? `[${server.address}]` : server.address;
    this.resolver.setServers([`${host}:${server.port}`]);
  }

  /** A or TXT answers (CNAMEs followed by the view), or the resolver's error code (ENOTFOUND = NXDOMAIN, ENODATA, ETIMEOUT, EREFUSED, ESERVFAIL ...). */
  async lookup(name: string, type: 'A' | 'TXT'): Promise<{ values: string[] } | { code: string }> {
    try {
      const values = type === 'A' ? await this.resolver.resolve4(normName(name)) : (await this.resolver.resolveTxt(normName(name))).map((chunks) => chunks.join(''));
      return { values };
    } catch (err) {
      return { code: (err as NodeJS.ErrnoException).code ?? 'ESERVFAIL' };
    }
  }

  /** The CAA record set that applies to name: the first non-empty one walking up the tree (empty when none). */
  async relevantCaa(name: string): Promise<{ at: string; records: CaaRecord[] }> {
    const labels = normName(name).split('.');
    for (let i = 0; i < labels.length; i++) {
      const at = labels.slice(i).join('.');
      try {
        const records = (await this.resolver.resolveCaa(at)) as unknown as CaaRecord[];
        if (records.length > 0) return { at, records };
      } catch {
        // NXDOMAIN / NODATA: keep walking up.
      }
    }
    return { at: '', records: [] };
  }
}

/**
 * Does a CAA record set let a CA whose issuer domains are `issuers` issue for
 * name? Wildcard names look at issuewild first (falling back to issue when
 * there is none), others at issue. A set without issue/issuewild properties
 * restricts nothing.
 */
export function caaAllowsIssuer(records: CaaRecord[], wildcard: boolean, issuers: string[]): boolean {
  const values = (tag: 'issue' | 'issuewild') => records.filter((r) => typeof r[tag] === 'string').map((r) => r[tag] as string);
  let relevant = wildcard ? values('issuewild') : [];
  if (relevant.length === 0) relevant = values('issue');
  if (relevant.length === 0) return true;
  return relevant.some((v) => issuers.includes(v.split(';')[0].trim().toLowerCase()));
}
