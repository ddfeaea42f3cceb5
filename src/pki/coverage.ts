// Does a certificate cover a host name? The rule browsers and load balancers
// apply (RFC 6125 as ACM documents it): a name matches itself,
// case-insensitively; a wildcard is the whole leftmost label and stands for
// exactly one label, so *.example.com covers www.example.com but neither
// example.com nor a.b.example.com. Pure; used for SNI and explanations.

function norm(name: string): string {
  return (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase();
}

/** True when one certificate name (possibly a wildcard) covers host. */
export function nameCovers(certName: string, host: string): boolean {
  const c = norm(certName);
  const h = norm(host);
  if (!c || !h) return false;
  if (!c.startsWith('*.')) return c === h;
  const base = c.slice(2);
  const dot = h.indexOf('.');
  if (dot <= 0) return false;
  return h.slice(dot + 1) === base && !h.slice(0, dot).includes('*');
}

/** True when any of a certificate's names (its SANs; the CN is ignored when SANs exist, as ACM does) covers host. */
export function certificateCovers(names: string[], host: string): boolean {
  return names.some((n) => nameCovers(n, host));
}

/** The first of several certificates (in preference order) that covers host, for SNI selection. */
export function pickCertificate<T extends { names: string[] }>(certs: T[], host: string): T | undefined {
  return certs.find((c) => certificateCovers(c.names, host));
}
