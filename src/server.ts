// Wires store -> services -> gateway (and, as they arrive, the data plane:
// DNS, load balancer listeners, health checks). One call starts everything;
// close() stops it.
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Gateway } from './aws/gateway.ts';
import type { WireRequest, WireResponse } from './aws/protocols/wire.ts';
import type { ServiceDefinition } from './aws/service.ts';
import { loadConfig, type Config } from './config.ts';
import { ec2Service } from './services/ec2/index.ts';
import { openSqliteStore } from './store/sqlite.ts';
import type { Store } from './store/store.ts';
import { VERSION } from './version.ts';

export interface Localnet {
  config: Config;
  /** http://host:port of the AWS API endpoint. */
  endpoint: string;
  store: Store;
  services: ServiceDefinition[];
  /** 'change' (ctx) after every committed request that may have changed state; the data plane listens. */
  events: EventEmitter;
  close(): Promise<void>;
}

export interface StartOptions extends Partial<Config> {
  log?(line: string): void;
}

export async function startLocalnet(opts: StartOptions = {}): Promise<Localnet> {
  const config = loadConfig(opts);
  const store = openSqliteStore(join(config.dataDir, 'localnet.db'));
  const services = [ec2Service()];
  const log = opts.log ?? ((line: string) => console.error(line));
  const startedAt = new Date();
  const events = new EventEmitter();

  const internal = (req: WireRequest): WireResponse | undefined => {
    const json = (status: number, body: unknown): WireResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body, null, 2) });
    if (req.path === '/_localnet/health') {
      return json(200, {
        status: 'running',
        version: VERSION,
        node: process.version,
        startedAt: startedAt.toISOString(),
        endpoint: localnet.endpoint,
        dataDir: config.dataDir,
        services: Object.fromEntries(services.map((s) => [s.name, { operations: Object.keys(s.handlers).length, of: Object.keys(s.model.operations).length }])),
        ports: { api: Number(new URL(localnet.endpoint).port) },
      });
    }
    if (req.path === '/_localnet/reset') {
      if (req.method !== 'POST') return json(405, { error: 'reset takes POST' });
      store.clear();
      events.emit('change', { service: 'localnet', operation: 'Reset' });
      return json(200, { reset: true });
    }
    return undefined;
  };

  const gateway = new Gateway({ store, services, defaultAccount: config.defaultAccount, internal, log, onChange: (ctx) => events.emit('change', ctx) });
  const server: Server = createServer({ keepAliveTimeout: 60_000 }, gateway.listener);
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  const localnet: Localnet = {
    config,
    endpoint: `http://${host}:${port}`,
    store,
    services,
    events,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.close();
    },
  };
  return localnet;
}
