// How ACM sees DNS: real queries to localnet's public view (the "internet"),
// never to a VPC view. CNAMEs are followed up to ACM's limit; CAA is looked
// up walking from the name towards the root (RFC 8659).
import { Resolver } from 'node:dns/promises';

export interface PublicDnsAddress {
  address: string;
  port: number;
}

/** ACM stops following a CNAME chain longer than this. */
export const MAX_CNAME_CHAIN = 5;

/** CAA issuer domains that allow ACM (Amazon) to issue. */
export const AMAZON_CAA_ISSUERS = ['amazon.com', 'amazontrust.com', 'awstrust.com', 'amazonaws.com'];

export type CnameOutcome = { ok: true } | { ok: false; detail: string };

export interface CaaRecord {
  critical: number;
  issue?: string;
  issuewild?: string;
  iodef?: string;
  [tag: string]: unknown;
}

const norm = (n: string) => n.toLowerCase().replace(/\.$/, '');

export class PublicDnsClient {
  private readonly resolver: Resolver;

  constructor(server: PublicDnsAddress, timeoutMs = 1000) {
    this.resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
    const host = server.address.includes(':') ? `[${server.address}]` : server.address;
    this.resolver.setServers([`${host}:${server.port}`]);
  }

  /** Does name lead (through at most MAX_CNAME_CHAIN CNAMEs) to expected? */
  async checkCname(name: string, expected: string): Promise<CnameOutcome> {
    let current = norm(name);
    const want = norm(expected);
    for (let hop = 0; hop < MAX_CNAME_CHAIN; hop++) {
      let targets: string[];
      try {
        targets = await this.resolver.resolveCname(current);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (hop > 0) return { ok: false, detail: `${name} leads through CNAMEs to ${current}, which is not ${expected}` };
        if (code === 'ENOTFOUND') return { ok: false, detail: `${name} does not exist in public DNS (NXDOMAIN)` };
        if (code === 'EREFUSED') return { ok: false, detail: `no public hosted zone answers for ${name} (the public DNS view refused the query)` };
        if (code === 'ENODATA') return { ok: false, detail: `${name} exists in public DNS but has no CNAME record` };
        return { ok: false, detail: `public DNS lookup of ${name} failed (${code ?? (err as Error).message})` };
      }
      const next = norm(targets[0] ?? '');
      if (next === want) return { ok: true };
      current = next;
    }
    return { ok: false, detail: `${name} is a chain of more than ${MAX_CNAME_CHAIN} CNAMEs; ACM stops following it` };
  }

  /** A and TXT lookups for ACME's validation (src/acme/): the answer, or the resolver's error code (ENOTFOUND = NXDOMAIN, ENODATA, ETIMEOUT, EREFUSED, ESERVFAIL ...). */
  async lookup(name: string, type: 'A' | 'TXT'): Promise<{ values: string[] } | { code: string }> {
    try {
      const values = type === 'A' ? await this.resolver.resolve4(norm(name)) : (await this.resolver.resolveTxt(norm(name))).map((chunks) => chunks.join(''));
      return { values };
    } catch (err) {
      return { code: (err as NodeJS.ErrnoException).code ?? 'ESERVFAIL' };
    }
  }

  /** The CAA record set that applies to name: the first non-empty one walking up the tree (empty when none). */
  async relevantCaa(name: string): Promise<{ at: string; records: CaaRecord[] }> {
    const labels = norm(name).split('.');
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
 * Does a CAA record set let Amazon (or the given issuer domains: ACME's) issue for name? Wildcard names look at
 * issuewild first (falling back to issue when there is none), others at issue.
 * A set without issue/issuewild properties restricts nothing.
 */
export function caaAllows(records: CaaRecord[], wildcard: boolean, issuers: string[] = AMAZON_CAA_ISSUERS): boolean {
  const values = (tag: 'issue' | 'issuewild') => records.filter((r) => typeof r[tag] === 'string').map((r) => r[tag] as string);
  let relevant = wildcard ? values('issuewild') : [];
  if (relevant.length === 0) relevant = values('issue');
  if (relevant.length === 0) return true;
  return relevant.some((v) => issuers.includes(v.split(';')[0].trim().toLowerCase()));
}
