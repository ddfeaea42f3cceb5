// Test harness: a real localnet on a free loopback port with its own data
// directory, and SDK clients pointed at it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EC2Client } from '@aws-sdk/client-ec2';
import { startLocalnet, type Localnet } from '../../src/server.ts';

// Load balancers and public addresses bind loopback blocks of this test
// process's own (./slot.ts), apart from other test processes and from a
// localnet a user runs on the defaults.
import './slot.ts';

export interface TestLocalnet extends Localnet {
  /** Stops localnet; with keepData the data directory stays for a restart. */
  stop(keepData?: boolean): Promise<void>;
  restart(): Promise<TestLocalnet>;
}

export async function startTestLocalnet(dataDir = mkdtempSync(join(tmpdir(), 'localnet-test-'))): Promise<TestLocalnet> {
  const logs: string[] = [];
  const ln = await startLocalnet({ dataDir, port: 0, dnsPort: 0, acmePort: 0, host: '127.0.0.1', log: (l) => logs.push(l) });
  const t: TestLocalnet = {
    ...ln,
    stop: async (keepData = false) => {
      await ln.close();
      if (logs.some((l) => l.startsWith('internal error'))) console.error(logs.join('\n'));
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
    restart: async () => {
      await ln.close();
      return startTestLocalnet(dataDir);
    },
  };
  return t;
}

export interface ClientOptions {
  region?: string;
  /** A 12-digit access key id acts as that account. */
  accessKeyId?: string;
}

function clientConfig(ln: Localnet, opts: ClientOptions = {}) {
  return {
    endpoint: ln.endpoint,
    region: opts.region ?? 'us-east-1',
    credentials: { accessKeyId: opts.accessKeyId ?? 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
}

export function ec2Client(ln: Localnet, opts?: ClientOptions): EC2Client {
  return new EC2Client(clientConfig(ln, opts));
}

export { clientConfig };
