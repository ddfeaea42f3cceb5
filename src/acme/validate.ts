// Challenge validation as Let's Encrypt does it from the internet, here from
// localnet's public DNS view (real DNS queries) and real connections:
// http-01 resolves the name's A record and fetches the key authorization
// from port 80 (redirects to http/https on 80/443 followed, at most 10);
// dns-01 reads _acme-challenge.<name> TXT; tls-alpn-01 connects to 443 with
// ALPN acme-tls/1 and checks the acmeIdentifier extension. CAA is checked
// after a successful challenge. Failures carry Let's Encrypt's problem types
// and wording.
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { x509 } from '../pki/x509.ts';
import { caaAllowsIssuer, type PublicDnsLookup } from '../dns/public-client.ts';
import { problemDoc, type ProblemDocument } from './problems.ts';
import type { ChallengeType } from './records.ts';

export interface ValidationContext {
  /** The public view's client (undefined while the DNS server is not up). */
  dns(): PublicDnsLookup | undefined;
  /** The host port to connect to for a public address's port (the public-address mapping; identity by default). */
  portFor(ip: string, port: number): number;
  /** Connect / response timeout of one attempt. */
  timeoutMs: number;
  /** CAA issuer domains that allow this server (the directory's caaIdentities). */
  caaIdentities: string[];
}

export type ValidationOutcome = { ok: true; record: Record<string, unknown>[] } | { ok: false; error: ProblemDocument; record?: Record<string, unknown>[] };

const MAX_REDIRECTS = 10;
const MAX_BODY = 128 * 1024;
const ACME_IDENTIFIER_OID = '1.3.6.1.5.5.7.1.31';

export async function validateChallenge(ctx: ValidationContext, type: ChallengeType, name: string, wildcard: boolean, token: string, keyAuthorization: string): Promise<ValidationOutcome> {
  const dns = ctx.dns();
  if (!dns) return { ok: false, error: problemDoc('dns', "DNS problem: localnet's public DNS view is not running") };
  let outcome: ValidationOutcome;
  if (type === 'http-01') outcome = await validateHttp01(ctx, dns, name, token, keyAuthorization);
  else if (type === 'dns-01') outcome = await validateDns01(dns, name, keyAuthorization);
  else outcome = await validateTlsAlpn01(ctx, dns, name, keyAuthorization);
  if (!outcome.ok) return outcome;
  const caa = await dns.relevantCaa(name);
  if (!caaAllowsIssuer(caa.records, wildcard, ctx.caaIdentities)) {
    return { ok: false, error: problemDoc('caa', `CAA record for ${caa.at} prevents issuance`, 403), record: outcome.record };
  }
  return outcome;
}

/** The A lookup every address-based challenge starts with, failing with LE's DNS wordings. */
async function resolveA(dns: PublicDnsLookup, name: string): Promise<{ ip: string } | { error: ProblemDocument }> {
  const r = await dns.lookup(name, 'A');
  if ('code' in r) return { error: dnsProblem(r.code, 'A', name) };
  if (r.values.length === 0) return { error: problemDoc('dns', `No valid IP addresses found for ${name}`) };
  return { ip: r.values[0] };
}

function dnsProblem(code: string, type: string, name: string): ProblemDocument {
  // The public view refuses names no public zone holds; the internet would answer NXDOMAIN for them.
  if (code === 'ENOTFOUND' || code === 'EREFUSED') return problemDoc('dns', `DNS problem: NXDOMAIN looking up ${type} for ${name} - check that a DNS record exists for this domain`);
  if (code === 'ENODATA') return type === 'A' ? problemDoc('dns', `No valid IP addresses found for ${name}`) : problemDoc('unauthorized', `No TXT record found at ${name}`, 403);
  if (code === 'ETIMEOUT') return problemDoc('dns', `DNS problem: query timed out looking up ${type} for ${name}`);
  return problemDoc('dns', `DNS problem: SERVFAIL looking up ${type} for ${name} - the domain's nameservers may be malfunctioning`);
}

export async function validateHttp01(ctx: ValidationContext, dns: PublicDnsLookup, name: string, token: string, keyAuthorization: string): Promise<ValidationOutcome> {
  let url = new URL(`http://${name}/.well-known/acme-challenge/${token}`);
  const record: Record<string, unknown>[] = [];
  for (let hop = 0; ; hop++) {
    const host = url.hostname;
    const a = await resolveA(dns, host);
    if ('error' in a) return { ok: false, error: a.error, record };
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    record.push({ url: url.href, hostname: host, port: String(port), addressesResolved: [a.ip], addressUsed: a.ip });
    const res = await fetchOnce(url, a.ip, ctx.portFor(a.ip, port), ctx.timeoutMs);
    const shown = url.href;
    if ('error' in res) {
      const what = { connect: 'Timeout during connect (likely firewall problem)', read: 'Timeout after connect (your server may be slow or overloaded)', refused: 'Connection refused', reset: 'Connection reset by peer', other: res.message ?? 'Error getting validation data' }[res.error];
      return { ok: false, error: problemDoc('connection', `${a.ip}: Fetching ${shown}: ${what}`), record };
    }
    if ([301, 302, 303, 307, 308].includes(res.status) && res.location) {
      if (hop + 1 > MAX_REDIRECTS) return { ok: false, error: problemDoc('connection', `${a.ip}: Fetching ${shown}: Too many redirects`), record };
      let next: URL;
      try {
        next = new URL(res.location, url);
      } catch {
        return { ok: false, error: problemDoc('connection', `${a.ip}: Fetching ${shown}: Invalid redirect target "${res.location}"`), record };
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') return { ok: false, error: problemDoc('connection', `${a.ip}: Fetching ${shown}: Invalid protocol scheme in redirect target. Only "http" and "https" protocol schemes are supported, not "${next.protocol.replace(':', '')}"`), record };
      if (next.port && next.port !== '80' && next.port !== '443') return { ok: false, error: problemDoc('connection', `${a.ip}: Fetching ${shown}: Invalid port in redirect target. Only ports 80 and 443 are supported, not ${next.port}`), record };
      if (net.isIP(next.hostname)) return { ok: false, error: problemDoc('connection', `${a.ip}: Fetching ${shown}: Invalid host in redirect target "${next.hostname}". Only domain names are supported, not IP addresses`), record };
      url = next;
      continue;
    }
    if (res.status !== 200) return { ok: false, error: problemDoc('unauthorized', `${a.ip}: Invalid response from ${shown}: ${res.status}`, 403), record };
    const got = res.body.trim();
    if (got !== keyAuthorization) {
      const shownBody = got.length > 64 ? `${got.slice(0, 64)}...` : got;
      return { ok: false, error: problemDoc('unauthorized', `The key authorization file from the server did not match this challenge. Expected "${keyAuthorization}" (got "${shownBody}")`, 403), record };
    }
    return { ok: true, record };
  }
}

type FetchResult = { status: number; location?: string; body: string } | { error: 'connect' | 'read' | 'refused' | 'reset' | 'other'; message?: string };

/**
 * One GET to ip:port with Host from url. A connection that is accepted but
 * never answered (not one byte back) counts as "during connect": on
 * loopback, a security group or network ACL that blocks the port accepts
 * and stays silent where on the internet the SYN would go unanswered.
 */
function fetchOnce(url: URL, ip: string, port: number, timeoutMs: number): Promise<FetchResult> {
  return new Promise((resolve) => {
    let gotBytes = false;
    let done = false;
    const finish = (r: FetchResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    };
    const opts = { host: ip, port, path: url.pathname + url.search, headers: { host: url.host, 'user-agent': 'localnet-acme-va (like Let\'s Encrypt validation)', accept: '*/*' }, agent: false as const };
    const req = url.protocol === 'https:' ? https.request({ ...opts, servername: net.isIP(url.hostname) ? undefined : url.hostname, rejectUnauthorized: false }) : http.request(opts);
    const timer = setTimeout(() => finish({ error: gotBytes ? 'read' : 'connect' }), timeoutMs);
    req.on('socket', (s) => s.on('data', () => (gotBytes = true)));
    req.on('response', (res) => {
      gotBytes = true;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_BODY) chunks.push(c);
      });
      res.on('end', () => finish({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => finish({ error: 'reset' }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') finish({ error: 'refused' });
      else if (err.code === 'ECONNRESET' || err.code === 'EPIPE') finish({ error: gotBytes ? 'reset' : 'connect' });
      else finish({ error: 'other', message: err.message });
    });
    req.end();
  });
}

export async function validateDns01(dns: PublicDnsLookup, name: string, keyAuthorization: string): Promise<ValidationOutcome> {
  const at = `_acme-challenge.${name}`;
  const expected = createHash('sha256').update(keyAuthorization).digest('base64url');
  const r = await dns.lookup(at, 'TXT');
  if ('code' in r) return { ok: false, error: dnsProblem(r.code, 'TXT', at) };
  if (r.values.length === 0) return { ok: false, error: problemDoc('unauthorized', `No TXT record found at ${at}`, 403) };
  if (r.values.includes(expected)) return { ok: true, record: [{ hostname: name }] };
  const more = r.values.length > 1 ? ` (and ${r.values.length - 1} more)` : '';
  return { ok: false, error: problemDoc('unauthorized', `Incorrect TXT record "${r.values[0]}"${more} found at ${at}`, 403) };
}

export async function validateTlsAlpn01(ctx: ValidationContext, dns: PublicDnsLookup, name: string, keyAuthorization: string): Promise<ValidationOutcome> {
  const a = await resolveA(dns, name);
  if ('error' in a) return { ok: false, error: a.error };
  const record = [{ hostname: name, port: '443', addressesResolved: [a.ip], addressUsed: a.ip }];
  const expected = createHash('sha256').update(keyAuthorization).digest();
  const res = await new Promise<{ cert?: Buffer; alpn?: string | false; error?: string }>((resolve) => {
    let connected = false;
    const socket = tls.connect({ host: a.ip, port: ctx.portFor(a.ip, 443), servername: name, ALPNProtocols: ['acme-tls/1'], rejectUnauthorized: false });
    const timer = setTimeout(() => finish({ error: connected ? 'Timeout after connect (your server may be slow or overloaded)' : 'Timeout during connect (likely firewall problem)' }), ctx.timeoutMs);
    const finish = (r: { cert?: Buffer; alpn?: string | false; error?: string }) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    socket.on('data', () => (connected = true));
    socket.on('secureConnect', () => finish({ cert: socket.getPeerX509Certificate()?.raw, alpn: socket.alpnProtocol ?? false }));
    socket.on('error', (err: NodeJS.ErrnoException) => finish({ error: err.code === 'ECONNREFUSED' ? 'Connection refused' : err.message }));
  });
  const prefix = `${a.ip}: Error getting validation data`;
  if (res.error) return { ok: false, error: problemDoc('connection', `${a.ip}: ${res.error}`), record };
  if (res.alpn !== 'acme-tls/1') return { ok: false, error: problemDoc('unauthorized', `${a.ip}: Cannot negotiate ALPN protocol "acme-tls/1" for tls-alpn-01 challenge`, 403), record };
  if (!res.cert) return { ok: false, error: problemDoc('unauthorized', `${prefix}: no certificate`, 403), record };
  const cert = new x509.X509Certificate(new Uint8Array(res.cert));
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const names = san?.names.items.map((n) => `${n.type}:${n.value}`) ?? [];
  if (names.length !== 1 || names[0].toLowerCase() !== `dns:${name}`) {
    return { ok: false, error: problemDoc('unauthorized', `Incorrect validation certificate for tls-alpn-01 challenge. Requested ${name} from ${a.ip}:443. Received certificate containing: ${names.map((n) => n.replace(/^dns:/, '')).join(', ')}`, 403), record };
  }
  const ext = cert.extensions.find((e) => e.type === ACME_IDENTIFIER_OID);
  if (!ext || !ext.critical) return { ok: false, error: problemDoc('unauthorized', 'Incorrect validation certificate for tls-alpn-01 challenge. Missing acmeValidationV1 extension.', 403), record };
  const value = Buffer.from(ext.value);
  // extnValue holds a DER OCTET STRING of the 32-byte digest.
  if (value.length !== 34 || value[0] !== 0x04 || value[1] !== 0x20 || !value.subarray(2).equals(expected)) {
    return { ok: false, error: problemDoc('unauthorized', 'Incorrect validation certificate for tls-alpn-01 challenge. Invalid acmeValidationV1 extension value.', 403), record };
  }
  return { ok: true, record };
}
