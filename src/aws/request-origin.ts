// Requests from web pages. localnet's API has no authentication, so a page
// in a browser on the same machine could otherwise change state: a form
// POST of `Action=DeleteVpc...` is a CORS "simple request" that needs no
// preflight, and a hostile name that resolves to 127.0.0.1 (DNS rebinding)
// makes the page's requests same-origin. The rule: a request from a foreign
// Origin (or that the browser marks cross-site), or addressed to a Host that
// is not this machine's loopback or an AWS endpoint name, is refused before
// it is read, whatever its method (reads leak state too). The AWS CLI and
// SDKs send no Origin and a loopback (or amazonaws.com) Host.

type Headers = Record<string, string | string[] | undefined>;

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** A host name (lower case, no brackets, no trailing dot) that is this machine's loopback. */
export function isLoopbackName(hostname: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname) || hostname === '::1' || hostname === 'localhost' || hostname.endsWith('.localhost');
}

/**
 * The host name in a Host header or an origin's authority, normalized as a
 * browser would (127.1 is 127.0.0.1, [::1] is ::1, case and a trailing dot
 * dropped); undefined when it is not a plain host[:port].
 */
export function hostnameOf(authority: string): string | undefined {
  if (!/^[A-Za-z0-9._\-[\]:]+$/.test(authority)) return undefined;
  try {
    return new URL(`http://${authority}`).hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  } catch {
    return undefined;
  }
}

/** An Origin a page on this machine has: http(s) on a loopback name, any port. */
export function isLoopbackOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // `null` (sandboxed frames, file: pages) and garbage
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = hostnameOf(url.host);
  return host !== undefined && isLoopbackName(host);
}

/**
 * Whether the Host header names localnet: a loopback name, an AWS endpoint
 * name (localnet's DNS answers under amazonaws.com and users point SDK
 * endpoints at such names), or the host localnet was configured to bind.
 */
export function isOwnHost(hostHeader: string, configuredHost?: string): boolean {
  const host = hostnameOf(hostHeader);
  if (host === undefined) return false;
  if (isLoopbackName(host) || host === 'amazonaws.com' || host.endsWith('.amazonaws.com')) return true;
  return configuredHost !== undefined && host === hostnameOf(configuredHost.includes(':') && !configuredHost.startsWith('[') ? `[${configuredHost}]` : configuredHost);
}

/** Why a request must be refused as coming from a browser page, or undefined when it may proceed. */
export function browserRefusal(headers: Headers, configuredHost?: string): string | undefined {
  const origin = first(headers.origin);
  if (origin !== undefined && !isLoopbackOrigin(origin)) return `requests from the web origin '${origin}' are refused: localnet answers only its own machine's tools and pages`;
  if (first(headers['sec-fetch-site'])?.toLowerCase() === 'cross-site') return 'cross-site browser requests are refused: localnet answers only its own machine\'s tools and pages';
  const host = first(headers.host);
  if (host !== undefined && !isOwnHost(host, configuredHost)) return `requests addressed to host '${host}' are refused: localnet answers loopback names (127.0.0.1, localhost) and AWS endpoint names only (DNS rebinding)`;
  return undefined;
}
