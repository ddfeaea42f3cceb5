// localnet why SOURCE DESTINATION[:PORT] [--protocol tcp|udp]
// localnet why --dns NAME --from vpc-…|i-…
// Asks the running localnet (/_localnet/why) whether traffic gets through,
// and prints both paths hop by hop, what blocks and the fix.
import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import { endpointOf, localnetRequest, type LocalnetResponse } from './endpoint.ts';

export const WHY_USAGE = `localnet why SOURCE DESTINATION[:PORT] [--protocol tcp|udp] [--port N] [--account ID] [--region R]
localnet why --dns NAME --from vpc-…|i-…|eni-… [--type A]
  SOURCE / DESTINATION: i-…, eni-…, nat-…, igw-…, internet, an IP address, a load balancer (name or ARN), or a DNS name (resolved in the source's view)`;

export async function whyCommand(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { protocol: { type: 'string' }, port: { type: 'string' }, dns: { type: 'string' }, from: { type: 'string' }, type: { type: 'string' }, account: { type: 'string' }, region: { type: 'string' }, json: { type: 'boolean' } },
  });
  const endpoint = endpointOf(config);
  const url = new URL(`${endpoint}/_localnet/why`);
  if (values.dns) {
    if (!values.from || positionals.length) {
      console.error(`usage: ${WHY_USAGE}`);
      return 2;
    }
    url.searchParams.set('dns', values.dns);
    url.searchParams.set('from', values.from);
    if (values.type) url.searchParams.set('type', values.type);
  } else {
    if (positionals.length !== 2) {
      console.error(`usage: ${WHY_USAGE}`);
      return 2;
    }
    url.searchParams.set('source', positionals[0]);
    url.searchParams.set('destination', positionals[1]);
    for (const k of ['protocol', 'port', 'account', 'region'] as const) if (values[k]) url.searchParams.set(k, values[k]);
  }
  let res: LocalnetResponse;
  try {
    res = await localnetRequest(url, { timeoutMs: 10_000 });
  } catch {
    console.error(`localnet is not running at ${endpoint} (start it with: npm start, or localnet start)`);
    return 1;
  }
  const body = res.json() as { error?: string; lines?: string[]; text?: string[]; analysis?: { pathFound: boolean } };
  if (!res.ok) {
    console.error(`localnet why: ${body.error ?? res.statusText}`);
    return 1;
  }
  if (values.json) {
    console.log(JSON.stringify(body, null, 2));
  } else {
    for (const line of body.lines ?? body.text ?? []) console.log(line);
  }
  if (body.analysis) return body.analysis.pathFound ? 0 : 1;
  return 0;
}
