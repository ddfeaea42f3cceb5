// How CLI commands find the running localnet: LOCALNET_ENDPOINT, else the configured host and port.
import type { Config } from '../config.ts';

export function endpointOf(config: Config): string {
  if (process.env.LOCALNET_ENDPOINT) return process.env.LOCALNET_ENDPOINT.replace(/\/$/, '');
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}`;
}

/** The running localnet's health document, or undefined when nothing answers. */
export async function health(endpoint: string): Promise<Record<string, any> | undefined> {
  try {
    const res = await fetch(`${endpoint}/_localnet/health`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return undefined;
    return (await res.json()) as Record<string, any>;
  } catch {
    return undefined;
  }
}
