// Wires store -> services -> gateway -> data plane (the DNS server, and as
// they arrive load balancer listeners and health checks). One call starts
// everything; close() stops it.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { answerClientError } from './aws/client-error.ts';
import { Gateway } from './aws/gateway.ts';
import type { WireRequest, WireResponse } from './aws/protocols/wire.ts';
import type { ServiceDefinition } from './aws/service.ts';
import { loadConfig, type Config } from './config.ts';
import { buildDnsSnapshot } from './dns/from-records.ts';
import { dnsQuery } from './dns/inspect.ts';
import { buildSnapshotIndex } from './dns/snapshot-index.ts';
import { StoredZones } from './dns/stored-zones.ts';
import { NetworkModelCache } from './net/model/cache.ts';
import { networkDataFromRecords } from './net/model/from-records.ts';
import { whyQuery } from './net/reachability/why-query.ts';
import { startDnsServer, type DnsServer } from './dns/server.ts';
import { LoadBalancerDataPlane } from './lb/data-plane.ts';
import { EndpointDataPlane } from './privatelink/data-plane.ts';
import { PublicAddressDataPlane } from './public-addresses/data-plane.ts';
import { startAcmeServer, type AcmeServer } from './acme/index.ts';
import { loadOrCreateCa, type LocalCa } from './pki/ca.ts';
import { acmInternal, acmService, AcmValidator } from './services/acm/index.ts';
import { ec2Service } from './services/ec2/index.ts';
import { PrivateDnsVerifier } from './services/ec2/private-dns-verification.ts';
import { elbv2Service } from './services/elbv2/index.ts';
import { route53Service } from './services/route53/index.ts';
import { route53DomainsService } from './services/route53domains/index.ts';
import { KIND } from './records/kinds.ts';
import { secureDataDir } from './store/data-dir.ts';
import { lockDataDir, type DataDirLock } from './store/lock.ts';
import { openSqliteStore } from './store/sqlite.ts';
import type { Store } from './store/store.ts';
import { ReadTracker, type WrittenKinds } from './store/tracking.ts';
import { VERSION } from './version.ts';

export interface Localnet {
  config: Config;
  /** http://host:port of the AWS API endpoint. */
  endpoint: string;
  store: Store;
  services: ServiceDefinition[];
  /**
   * 'change' (ctx, kinds) after every committed request that may have changed
   * state; the data plane listens. kinds: the store kinds it wrote, undefined
   * when not known (a reset, ACM's background validation): anything may have
   * changed.
   */
  events: EventEmitter;
  /** The DNS views (public and one per VPC), answering from the current state. */
  dns: DnsServer;
  /** The local certificate authority (files under <dataDir>/ca/). */
  ca: LocalCa;
  /** ACM's background validation and issuance. */
  acmValidator: AcmValidator;
  /** PrivateLink private DNS name verification (TXT lookups in the public view). */
  vpceVerifier: PrivateDnsVerifier;
  /** The load balancers' listeners and health checks (src/lb/). */
  lb: LoadBalancerDataPlane;
  /** The one network model every data plane reads (src/net/model/). */
  network: NetworkModelCache;
  /** Interface endpoints' sockets (PrivateLink, src/privatelink/). */
  endpoints: EndpointDataPlane;
  /**
   * Public addresses' sockets (src/public-addresses/): each mapped port of an
   * instance on its Elastic or auto-assigned address. `boundPort(ip, port)`
   * is the host port a connection to that address's port must use.
   */
  publicAddresses: PublicAddressDataPlane;
  /**
   * The ACME server (src/acme/): directory URL, and portFor, the host port
   * its validator connects to for a public address's port (the public
   * address data plane's bound port: port + 10000 when a privileged port
   * could not be bound).
   */
  acme: AcmeServer;
  close(): Promise<void>;
}

export interface StartOptions extends Partial<Config> {
  log?(line: string): void;
}

/**
 * Starts localnet on its data directory: made private to the user first,
 * then locked for this process's life (a second start on it throws
 * DataDirInUseError, src/store/lock.ts), released by close().
 */
export async function startLocalnet(opts: StartOptions = {}): Promise<Localnet> {
  const config = loadConfig(opts);
  const log = opts.log ?? ((line: string) => console.error(line));
  secureDataDir(config.dataDir, log);
  const lock = lockDataDir(config.dataDir);
  try {
    const localnet = await startLocked(config, log, lock);
    lock.announce(localnet.endpoint);
    return localnet;
  } catch (err) {
    lock.release();
    throw err;
  }
}

/** Answers while localnet starts: the API port is bound first, the gateway takes over once everything is up. */
const starting = (_req: IncomingMessage, res: ServerResponse): void => {
  res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
  res.end(JSON.stringify({ error: 'localnet is starting' }));
};

async function startLocked(config: Config, log: (line: string) => void, lock: DataDirLock): Promise<Localnet> {
  // The API port first: a start that cannot have it (another localnet, another
  // program) fails before anything else is bound or logged.
  const server: Server = createServer({ keepAliveTimeout: 60_000 }, starting);
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let store: Store | undefined;
  let ca: Awaited<ReturnType<typeof loadOrCreateCa>>;
  try {
    store = openSqliteStore(join(config.dataDir, 'localnet.db'));
    ca = await loadOrCreateCa(config.dataDir);
  } catch (err) {
    // The listening API socket would keep the process alive after a failed start.
    server.close();
    store?.close();
    throw err;
  }
  const services = [ec2Service(), route53Service(), route53DomainsService(), acmService({ validationSecret: ca.rootFingerprint }), elbv2Service()];
  const startedAt = new Date();
  const events = new EventEmitter();
  /** A listener of 'change' events. */
  const onChange = (fn: (kinds: WrittenKinds) => void) => events.on('change', (_ctx: unknown, kinds?: ReadonlySet<string>) => fn(kinds));
  // The one network model (src/net/model/): `localnet why`, the load balancer's
  // network verdicts and the DNS views all read it. Dropped after a write to a
  // kind it was built from (this listener runs first) and rebuilt once, by
  // the first reader that needs it.
  const networkReads = new ReadTracker(store);
  const network = new NetworkModelCache(() => {
    networkReads.restart();
    const data = networkDataFromRecords(networkReads.store);
    networkReads.complete();
    return data;
  });
  onChange((kinds) => {
    if (networkReads.affects(kinds)) network.invalidate();
  });

  const internal = (req: WireRequest): WireResponse | undefined | Promise<WireResponse | undefined> => {
    const json = (status: number, body: unknown): WireResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body, null, 2) });
    if (req.path === '/_localnet/health') {
      return json(200, {
        status: 'running',
        version: VERSION,
        node: process.version,
        pid: process.pid,
        startedAt: startedAt.toISOString(),
        endpoint: localnet.endpoint,
        dataDir: config.dataDir,
        services: Object.fromEntries(services.map((s) => [s.name, { operations: Object.keys(s.handlers).length, of: Object.keys(s.model.operations).length }])),
        ports: { api: Number(new URL(localnet.endpoint).port), ...dnsPorts(dns), ...lb.ports() },
        endpoints: endpoints.bindings(),
        // The block public addresses come from (LOCALNET_PUBLIC_ADDRESSES), or 'aws': AWS-looking addresses, nothing bound.
        publicAddressBlock: config.publicAddresses.text,
        publicAddresses: publicAddresses.bindings(),
        dns: { views: dns.views() },
        ca: { root: ca.files.root, intermediate: ca.files.intermediate, rootFingerprint: ca.rootFingerprint },
        acme: { directory: acme.directory, intermediate: ca.files.acmeIntermediate, ...acmeCounts() },
      });
    }
    if (req.path === '/_localnet/acme/certificates') return json(200, { certificates: acme.service.certificates() });
    if (req.path.startsWith('/_localnet/acm/')) return acmEndpoints(req);
    if (req.path === '/_localnet/dns/query') return json(...dnsQuery(dnsSnapshot(), req.query));
    if (req.path === '/_localnet/why') return json(...whyQuery(network.get(), () => buildSnapshotIndex(dnsSnapshot()), req.query, { account: config.defaultAccount, region: 'us-east-1' }));
    if (req.path === '/_localnet/reset') {
      if (req.method !== 'POST') return json(405, { error: 'reset takes POST' });
      store.clear();
      events.emit('change', { service: 'localnet', operation: 'Reset' });
      return json(200, { reset: true });
    }
    return undefined;
  };

  // The DNS views and the load balancers are rebuilt only after a change to a
  // kind they were built from (a new subnet or security group rule changes
  // no DNS answer), so that a write's cost does not grow with the estate.
  // The DNS views read zones and domains themselves, and from the network
  // model only VPCs, interfaces (host names), load balancers, and VPC
  // endpoints with their services (endpoint names, private DNS names).
  // Zones are read again only when their store revision moved, so that a
  // Route 53 change costs the zone it changed (src/dns/stored-zones.ts).
  const dnsReads = new ReadTracker(store);
  const DNS_FROM_MODEL: string[] = [KIND.vpc, KIND.networkInterface, KIND.loadBalancer, KIND.vpcEndpoint, KIND.vpcEndpointService];
  const storedZones = new StoredZones();
  const dnsSnapshot = () => {
    dnsReads.restart();
    const snapshot = buildDnsSnapshot(dnsReads.store, network.get(), storedZones);
    dnsReads.complete();
    return snapshot;
  };
  let dns: DnsServer;
  try {
    dns = await startDns(config, dnsSnapshot, log);
  } catch (err) {
    server.close();
    store.close();
    throw err;
  }
  onChange((kinds) => {
    if (dnsReads.affects(kinds) || DNS_FROM_MODEL.some((k) => kinds?.has(k))) dns.invalidate();
  });
  const acmValidator = new AcmValidator({ store, ca, publicDns: () => dns.views().find((v) => v.view === 'public'), log, onChange: () => events.emit('change', { service: 'acm', operation: 'Validate' }) });
  // PrivateLink's private DNS name verification: TXT lookups in the public view, as ACM's.
  const vpceVerifier = new PrivateDnsVerifier({ store, publicDns: () => dns.views().find((v) => v.view === 'public'), log, onChange: () => events.emit('change', { service: 'ec2', operation: 'VerifyPrivateDnsName' }, new Set([KIND.vpcEndpointService])) });
  const acmEndpoints = acmInternal({ store, validator: acmValidator, snapshot: dnsSnapshot });

  const gateway = new Gateway({ store, services, defaultAccount: config.defaultAccount, host: config.host, internal, log, onChange: (ctx, kinds) => events.emit('change', ctx, kinds) });
  const { port } = server.address() as AddressInfo;
  let acme: AcmeServer;
  try {
    acme = await startAcmeServer({
      store,
      ca,
      host: config.host,
      port: config.acmePort,
      publicDns: () => dns.views().find((v) => v.view === 'public'),
      validationTimeoutMs: config.acmeValidationTimeoutMs,
      limits: { duplicateCertificatesPerWeek: config.acmeDuplicateCertLimit, failedValidationsPerHour: config.acmeFailedValidationLimit },
      log,
    });
  } catch (err) {
    server.close();
    await dns.close();
    store.close();
    throw err;
  }
  const acmeCounts = () => {
    const certs = acme.service.certificates();
    return { certificates: certs.length, revoked: certs.filter((c) => c.revoked).length };
  };
  acmValidator.start();
  vpceVerifier.start();
  // The load balancer data plane reads its records, and the network model
  // only while some load balancer is active (its network verdicts).
  const lbReads = new ReadTracker(store);
  let lbUsedModel = false;
  const lb = new LoadBalancerDataPlane({
    store: lbReads.store,
    network: () => {
      lbUsedModel = true;
      return network.get();
    },
    timeScale: config.lbTimeScale,
    log,
  });
  const reconcileLb = () => {
    lbReads.restart();
    lbUsedModel = false;
    return lb.reconcile().then(() => lbReads.complete());
  };
  const lbRebuilds = new Rebuilds(reconcileLb);
  onChange((kinds) => {
    if (lbReads.affects(kinds) || (lbUsedModel && networkReads.affects(kinds))) lbRebuilds.request();
  });
  await reconcileLb();
  // The endpoint data plane reads only the network model (endpoints, their
  // interfaces and groups, the services' load balancers and listeners).
  const endpoints = new EndpointDataPlane({ network: () => network.get(), timeScale: config.lbTimeScale, nlbBoundPort: (address, port) => lb.nlbBoundPort(address, port), log });
  const endpointRebuilds = new Rebuilds(() => endpoints.reconcile());
  onChange((kinds) => {
    if (networkReads.affects(kinds)) endpointRebuilds.request();
  });
  await endpoints.reconcile();
  // The public address data plane reads only the network model too (instances,
  // their interfaces' public addresses and tags, routes, NACLs, groups).
  const publicAddresses = new PublicAddressDataPlane({ network: () => network.get(), mode: config.publicAddresses.kind, timeScale: config.lbTimeScale, log });
  const publicRebuilds = new Rebuilds(() => publicAddresses.reconcile());
  onChange((kinds) => {
    if (networkReads.affects(kinds)) publicRebuilds.request();
  });
  await publicAddresses.reconcile();
  // ACME validations reach a public address where its socket is bound (port + 10000 when privileged and not root).
  acme.portFor = (ip, p) => publicAddresses.boundPort(ip, p) ?? p;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  const localnet: Localnet = {
    config,
    endpoint: `http://${host}:${port}`,
    store,
    services,
    events,
    dns,
    ca,
    acmValidator,
    vpceVerifier,
    lb,
    network,
    endpoints,
    publicAddresses,
    acme,
    close: async () => {
      await acme.close();
      await acmValidator.stop();
      await vpceVerifier.stop();
      lbRebuilds.stop();
      endpointRebuilds.stop();
      publicRebuilds.stop();
      await publicAddresses.close();
      await endpoints.close();
      await lb.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await dns.close();
      store.close();
      lock.release();
    },
  };
  server.off('request', starting);
  server.on('request', gateway.listener);
  return localnet;
}

/**
 * Runs a view's rebuild after changes, off the request path: once the answer
 * is on its way (not before it, as a microtask would), at most one waiting,
 * and while changes keep coming no sooner than BUSY_FACTOR times the last
 * rebuild's duration after it ended. A view slow to rebuild (a large estate)
 * then lags the API by a few rebuilds' time instead of slowing every write;
 * an isolated change is still picked up on the next turn of the event loop.
 */
class Rebuilds {
  static readonly BUSY_FACTOR = 4;
  private waiting = false;
  private timer?: { cancel(): void };
  private lastEnd = 0;
  private lastMs = 0;
  private stopped = false;

  constructor(private readonly rebuild: () => Promise<void>) {}

  request(): void {
    if (this.waiting || this.stopped) return;
    this.waiting = true;
    const run = () => {
      this.waiting = false;
      this.timer = undefined;
      const started = performance.now();
      void this.rebuild().then(() => {
        this.lastEnd = performance.now();
        this.lastMs = this.lastEnd - started;
      });
    };
    const wait = this.lastEnd + Rebuilds.BUSY_FACTOR * this.lastMs - performance.now();
    if (wait > 0) {
      const t = setTimeout(run, wait);
      this.timer = { cancel: () => clearTimeout(t) };
    } else {
      const i = setImmediate(run);
      this.timer = { cancel: () => clearImmediate(i) };
    }
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }
}

/** The DNS port: the configured one, else 53 when it can be bound, else 10053 (unprivileged, or 53 taken). */
async function startDns(config: Config, snapshot: () => ReturnType<typeof buildDnsSnapshot>, log: (line: string) => void): Promise<DnsServer> {
  const start = (port: number) => startDnsServer({ host: config.host, port, snapshot, log });
  if (config.dnsPort !== undefined) return start(config.dnsPort);
  try {
    return await start(53);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EADDRINUSE') throw err;
    log(`dns: cannot bind port 53 (${code}); the DNS views use port 10053 (set LOCALNET_DNS_PORT to choose)`);
    return start(10053);
  }
}

/** The DNS views as health `ports` entries: 'dns' (the public view) and 'dns <vpc-id>'. */
function dnsPorts(dns: DnsServer): Record<string, string> {
  return Object.fromEntries(dns.views().map((v) => [v.view === 'public' ? 'dns' : `dns ${v.view}`, `${v.address}:${v.port}`]));
}
