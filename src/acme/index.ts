// The ACME server (RFC 8555): Let's Encrypt on loopback, issuing from the
// local CA's ACME intermediate after validating challenges from localnet's
// public DNS view. See README.md.
import type { Server } from 'node:https';
import type { LocalCa } from '../pki/ca.ts';
import { PublicDnsLookup, type PublicDnsAddress } from '../dns/public-client.ts';
import type { Store } from '../store/store.ts';
import { listenHttps } from './http.ts';
import { Nonces } from './nonces.ts';
import { LETS_ENCRYPT_LIMITS, type RateLimits } from './rate-limits.ts';
import { AcmeService } from './service.ts';

/** CAA issuer domains that let this server issue: Let's Encrypt's own (so zones copied from production work) and localnet's. */
export const CAA_IDENTITIES = ['localnet.test', 'letsencrypt.org'];

export interface AcmeOptions {
  store: Store;
  ca: LocalCa;
  host: string;
  /** 0 picks a free port. */
  port: number;
  publicDns(): PublicDnsAddress | undefined;
  /** The host port behind a public address's port (identity by default; the public-address data plane maps privileged ports). */
  portFor?(ip: string, port: number): number;
  validationTimeoutMs?: number;
  limits?: Partial<RateLimits>;
  log?(line: string): void;
}

export interface AcmeServer {
  /** https://host:port/directory */
  directory: string;
  port: number;
  service: AcmeService;
  /** Replaceable after start (the lead wires the public addresses' boundPort here). */
  portFor: (ip: string, port: number) => number;
  close(): Promise<void>;
}

export async function startAcmeServer(o: AcmeOptions): Promise<AcmeServer> {
  const nonces = new Nonces();
  const acme: Partial<AcmeServer> = { portFor: o.portFor ?? ((_ip, port) => port) };
  const service = new AcmeService({
    store: o.store,
    ca: o.ca,
    nonces,
    limits: { ...LETS_ENCRYPT_LIMITS, ...o.limits },
    log: o.log,
    validation: {
      dns: () => {
        const at = o.publicDns();
        return at ? new PublicDnsLookup(at, 2000) : undefined;
      },
      portFor: (ip, port) => acme.portFor!(ip, port),
      timeoutMs: o.validationTimeoutMs ?? 5000,
      caaIdentities: CAA_IDENTITIES,
    },
  });
  const meta = {
    termsOfService: 'https://localnet.test/acme/terms (localnet: local development only, no agreement binds anyone)',
    website: 'https://github.com/localnet',
    caaIdentities: CAA_IDENTITIES,
    externalAccountRequired: false,
  };
  const { server, port } = await listenHttps({ host: o.host, port: o.port, ca: o.ca, service, nonces, meta, log: o.log });
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  service.base = `https://${host}:${port}`;
  service.resumeValidations();
  return Object.assign(acme, {
    directory: `${service.base}/directory`,
    port,
    service,
    close: async () => {
      await closeServer(server);
      await service.settle();
    },
  }) as AcmeServer;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
