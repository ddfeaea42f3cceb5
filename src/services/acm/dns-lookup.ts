// How ACM sees DNS: real queries to localnet's public view (the "internet"),
// never to a VPC view (src/dns/public-client.ts). CNAMEs are followed up to
// ACM's limit; CAA must allow Amazon.
import { caaAllowsIssuer, normName as norm, PublicDnsLookup, type CaaRecord } from '../../dns/public-client.ts';

export type { CaaRecord, PublicDnsAddress } from '../../dns/public-client.ts';

/** ACM stops following a CNAME chain longer than this. */
export const MAX_CNAME_CHAIN = 5;

/** CAA issuer domains that allow ACM (Amazon) to issue. */
export const AMAZON_CAA_ISSUERS = ['amazon.com', 'amazontrust.com', 'awstrust.com', 'amazonaws.com'];

export type CnameOutcome = { ok: true } | { ok: false; detail: string };

export class PublicDnsClient extends PublicDnsLookup {
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
}

/** Does a CAA record set let Amazon issue for name? (issuewild first for wildcards; see caaAllowsIssuer.) */
export function caaAllows(records: CaaRecord[], wildcard: boolean): boolean {
  return caaAllowsIssuer(records, wildcard, AMAZON_CAA_ISSUERS);
}
