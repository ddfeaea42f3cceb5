// localnet start: prints where it listens (the real ports, also with
// LOCALNET_PORT=0), then runs until SIGINT/SIGTERM and closes cleanly.
// Exit code 1 when another localnet runs on the same data directory.
import type { Config } from '../config.ts';
import { startLocalnet, type Localnet } from '../server.ts';
import { DataDirInUseError } from '../store/lock.ts';
import { VERSION } from '../version.ts';
import { configuredEndpoint, health } from './endpoint.ts';

/** What holds the API port: another localnet (named, with its data directory) or some other program. */
async function portTaken(config: Config): Promise<string> {
  // The port this start failed to bind, not LOCALNET_ENDPOINT (which names where the CLI's other commands go).
  const endpoint = configuredEndpoint(config);
  const other = await health(endpoint);
  if (other?.status === 'running') {
    return `localnet is already running at ${endpoint} (pid ${other.pid ?? '?'}, data dir ${other.dataDir}); \`localnet status\` shows it. To run another one beside it, give it its own LOCALNET_PORT and LOCALNET_DATA_DIR.`;
  }
  return `localnet: port ${config.port} on ${config.host} is taken by another program; stop it or choose another port (LOCALNET_PORT=4567 npm start).`;
}

export async function startCommand(config: Config): Promise<number> {
  const started = Date.now();
  let localnet: Localnet;
  try {
    localnet = await startLocalnet(config);
  } catch (err) {
    if (err instanceof DataDirInUseError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE' && (err as Error).message.endsWith(`:${config.port}`)) {
      process.stderr.write(`${await portTaken(config)}\n`);
      return 1;
    }
    throw err;
  }
  const lines = [`localnet ${VERSION} ready in ${Date.now() - started} ms`, `  AWS API   ${localnet.endpoint}   (aws --endpoint-url ${localnet.endpoint} ...)`];
  const dns = localnet.dns.views().find((v) => v.view === 'public');
  if (dns) lines.push(`  DNS       ${dns.address}:${dns.port}   (dig @${dns.address} -p ${dns.port} NAME; the VPC views: localnet status)`);
  lines.push(`  ACME      ${localnet.acme.directory}   (certbot --server ${localnet.acme.directory} with REQUESTS_CA_BUNDLE=${localnet.ca.files.root})`);
  lines.push(`  data      ${config.dataDir}`);
  // One write: whoever reads the endpoint (a script, a test) sees the whole banner at once.
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = async () => {
    await localnet.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1; // keep running
}
