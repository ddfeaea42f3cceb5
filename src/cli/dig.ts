// localnet dig [--vpc vpc-...] NAME [TYPE]: asks the running localnet how a
// view answers (the public view unless --vpc) and why.
import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import { endpointOf, localnetRequest, type LocalnetResponse } from './endpoint.ts';

export const DIG_USAGE = 'localnet dig [--vpc vpc-...] NAME [TYPE]';

interface QueryAnswer {
  view: string;
  name: string;
  type: string;
  rcode: string;
  authoritative: boolean;
  answers: string[];
  authorities: string[];
  explanation: string[];
}

export async function digCommand(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { vpc: { type: 'string' } } });
  const [name, type = 'A'] = positionals;
  if (!name || positionals.length > 2) {
    console.error(`usage: ${DIG_USAGE}`);
    return 2;
  }
  const endpoint = endpointOf(config);
  const url = new URL(`${endpoint}/_localnet/dns/query`);
  url.searchParams.set('name', name);
  url.searchParams.set('type', type.toUpperCase());
  if (values.vpc) url.searchParams.set('vpc', values.vpc);
  let res: LocalnetResponse;
  try {
    res = await localnetRequest(url, { timeoutMs: 5000 });
  } catch {
    console.error(`localnet is not running at ${endpoint} (start it with: npm start, or localnet start)`);
    return 1;
  }
  const body = res.json() as QueryAnswer & { error?: string };
  if (!res.ok) {
    console.error(`localnet dig: ${body.error ?? res.statusText}`);
    return 1;
  }
  console.log(`;; view ${body.view}: ${body.name} ${body.type} -> ${body.rcode}${body.authoritative ? ' (authoritative)' : ''}`);
  if (body.answers.length > 0) {
    console.log(';; ANSWER SECTION:');
    for (const a of body.answers) console.log(a);
  }
  if (body.authorities.length > 0) {
    console.log(';; AUTHORITY SECTION:');
    for (const a of body.authorities) console.log(a);
  }
  console.log(';; WHY:');
  for (const line of body.explanation) console.log(`;;   ${line}`);
  return body.rcode === 'NOERROR' ? 0 : 1;
}
