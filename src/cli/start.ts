// localnet start: runs until SIGINT/SIGTERM, then closes cleanly.
import type { Config } from '../config.ts';
import { startLocalnet } from '../server.ts';
import { VERSION } from '../version.ts';

export async function startCommand(config: Config): Promise<number> {
  const started = Date.now();
  const localnet = await startLocalnet(config);
  console.log(`localnet ${VERSION} ready in ${Date.now() - started} ms`);
  console.log(`  AWS API   ${localnet.endpoint}   (aws --endpoint-url ${localnet.endpoint} ...)`);
  console.log(`  data      ${config.dataDir}`);
  const stop = async () => {
    await localnet.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1; // keep running
}
