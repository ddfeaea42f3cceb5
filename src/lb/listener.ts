// One listener socket: a TCP server on the load balancer's loopback address
// that hands each connection to an inner HTTP or HTTPS server (which never
// listens itself). Sitting in front lets localnet drop connections the
// network rules would drop before any byte is read, and lets the TLS
// certificates and the rules change without re-binding.
import net, { type Socket } from 'node:net';
import tls, { type SecureContext } from 'node:tls';
import { pickCertificate } from '../pki/coverage.ts';
import type { CertificateMaterial } from '../records/certificates.ts';
import { serveConnection } from './connection.ts';
import type { ProxyContext } from './proxy.ts';
import type { ResolvedListener } from './state.ts';
import { bindWithOffset, listenTcp } from './bind.ts';

/** Privileged ports that cannot be bound are moved up by this much (80 -> 10080, 443 -> 10443); `localnet status` shows the mapping. */
/**
 * A client the network rules block from an internet-facing listener gets no
 * answer (on AWS its SYN is dropped): the connection is accepted, never read,
 * and reset after this long (times LOCALNET_LB_TIME_SCALE), so clients see
 * their own timeout first.
 */
export const BLOCKED_HOLD_MS = 60_000;

/**
 * SecureContexts per certificate and TLS versions (building one parses
 * keys), kept by the data plane for the certificates its listeners serve.
 */
export class SecureContexts {
  private readonly byCertificate = new Map<string, Map<string, SecureContext>>();

  get(c: CertificateMaterial, policy: TlsPolicy): SecureContext {
    const cert = certificateKey(c);
    let forCert = this.byCertificate.get(cert);
    if (!forCert) {
      forCert = new Map();
      this.byCertificate.set(cert, forCert);
    }
    const versions = `${policy.minVersion}|${policy.maxVersion}`;
    let ctx = forCert.get(versions);
    if (!ctx) {
      ctx = tls.createSecureContext({ key: c.privateKeyPem, cert: c.chainPem ? `${c.certificatePem.trimEnd()}\n${c.chainPem}` : c.certificatePem, ...policy });
      forCert.set(versions, ctx);
    }
    return ctx;
  }

  /** Drops the contexts of certificates (or of their earlier versions) no listener serves any more. */
  retain(listeners: Iterable<Pick<ResolvedListener, 'defaultCertificate' | 'sniCertificates'>>): void {
    const used = new Set<string>();
    for (const l of listeners) {
      if (l.defaultCertificate) used.add(certificateKey(l.defaultCertificate));
      for (const c of l.sniCertificates) used.add(certificateKey(c));
    }
    for (const key of this.byCertificate.keys()) if (!used.has(key)) this.byCertificate.delete(key);
  }

  /** Certificates with contexts (tests). */
  get size(): number {
    return this.byCertificate.size;
  }
}

function certificateKey(c: CertificateMaterial): string {
  return `${c.arn}|${c.notAfter ?? ''}|${c.certificatePem.length}`;
}

interface TlsPolicy { minVersion: tls.SecureVersion; maxVersion: tls.SecureVersion; ciphers?: string }

/** TLS versions from the ELB security policy name (the cheap part of a policy: the cipher lists are left to OpenSSL). */
export function tlsPolicy(name: string | undefined): TlsPolicy {
  const n = name ?? 'ELBSecurityPolicy-2016-08';
  const tls13 = n.includes('TLS13');
  const maxVersion: tls.SecureVersion = tls13 ? 'TLSv1.3' : 'TLSv1.2';
  if (/TLS13-1-3|TLS-1-3/.test(n)) return { minVersion: 'TLSv1.3', maxVersion };
  if (/TLS13-1-2|TLS-1-2|FS-1-2/.test(n)) return { minVersion: 'TLSv1.2', maxVersion };
  // Older policies still accept TLS 1.0/1.1, which OpenSSL 3 refuses at its default security level.
  if (/TLS13-1-1|TLS-1-1|FS-1-1/.test(n)) return { minVersion: 'TLSv1.1', maxVersion, ciphers: 'DEFAULT:@SECLEVEL=0' };
  return { minVersion: 'TLSv1', maxVersion, ciphers: 'DEFAULT:@SECLEVEL=0' };
}

export class ListenerSocket {
  config: ResolvedListener;
  /** The port actually bound (the listener's, or moved up by PRIVILEGED_PORT_OFFSET). */
  boundPort = 0;
  private readonly tcp: net.Server;
  /** HTTPS: the TLS server that terminates connections handed to it (it never listens itself). */
  private readonly tls?: tls.Server;
  private readonly sockets = new Set<Socket>();

  constructor(config: ResolvedListener, private readonly ctx: ProxyContext, private readonly contexts: SecureContexts) {
    this.config = config;
    const current = () => this.config;
    if (config.protocol === 'HTTPS') {
      this.tls = tls.createServer({ SNICallback: (name, cb) => cb(null, this.contextForHost(name)), ...this.defaultTls() }, (s) => serveConnection(s, current, ctx));
      this.tls.on('tlsClientError', (_err, s) => s.destroy());
    }
    this.tcp = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  private defaultTls(): tls.SecureContextOptions {
    const c = this.config.defaultCertificate;
    const policy = tlsPolicy(this.config.sslPolicy);
    return c ? { key: c.privateKeyPem, cert: c.chainPem ? `${c.certificatePem.trimEnd()}\n${c.chainPem}` : c.certificatePem, ...policy } : policy;
  }

  /** SNI: the first certificate covering the name, the default certificate first; the default when none does. */
  private contextForHost(name: string): SecureContext | undefined {
    const l = this.config;
    const policy = tlsPolicy(l.sslPolicy);
    const candidates = l.defaultCertificate ? [l.defaultCertificate, ...l.sniCertificates] : l.sniCertificates;
    const c = (name ? pickCertificate(candidates, name) : undefined) ?? l.defaultCertificate;
    return c ? this.contexts.get(c, policy) : undefined;
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (!this.config.ingress.allowed) {
      // Network rules drop this client: read nothing, answer nothing.
      socket.pause();
      const t = setTimeout(() => socket.resetAndDestroy(), BLOCKED_HOLD_MS * this.ctx.timeScale);
      socket.once('close', () => clearTimeout(t));
      return;
    }
    if (this.tls) this.tls.emit('connection', socket);
    else serveConnection(socket, () => this.config, this.ctx);
  }

  /** Applies a new configuration of the same socket (rules, certificates, timeouts) without re-binding. */
  update(config: ResolvedListener): void {
    const certChanged = config.defaultCertificate?.certificatePem !== this.config.defaultCertificate?.certificatePem || config.sslPolicy !== this.config.sslPolicy;
    this.config = config;
    if (certChanged && this.tls) this.tls.setSecureContext(this.defaultTls());
  }

  /** Binds the listener's port, or the offset port when a privileged port is refused. */
  async listen(): Promise<void> {
    const { address, port } = this.config;
    this.boundPort = await bindWithOffset(port, (p) => listenTcp(this.tcp, address, p));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.tcp.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }
}
