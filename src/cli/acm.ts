// localnet acm approve ARN: approve EMAIL validation (localnet sends no mail).
// localnet acm why [ARN]:  why a certificate (or every one not ISSUED) is in its state.
import type { Config } from '../config.ts';
import { endpointOf, health, localnetRequest } from './endpoint.ts';

const USAGE = `Usage:
  localnet acm approve ARN    approve the EMAIL validation of a certificate (no mail is sent)
  localnet acm why [ARN]      why a certificate is pending or failed (all not-ISSUED certificates without ARN)`;

export async function acmCommand(config: Config, args: string[]): Promise<number> {
  const [sub, arn] = args;
  const endpoint = endpointOf(config);
  if (sub !== 'approve' && sub !== 'why') {
    console.error(USAGE);
    return 2;
  }
  if (!(await health(endpoint))) {
    console.error(`localnet is not running at ${endpoint}`);
    return 1;
  }
  if (sub === 'approve') {
    if (!arn) {
      console.error(USAGE);
      return 2;
    }
    const res = await localnetRequest(`${endpoint}/_localnet/acm/approve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ arn }) });
    const body = res.json() as { status?: string; failureReason?: string; error?: string };
    if (!res.ok) {
      console.error(`localnet acm approve: ${body.error ?? `HTTP ${res.status}`}`);
      return 1;
    }
    console.log(`${arn}: approved; status ${body.status}${body.failureReason ? ` (${body.failureReason})` : ''}`);
    return 0;
  }
  const res = await localnetRequest(`${endpoint}/_localnet/acm/why${arn ? `?arn=${encodeURIComponent(arn)}` : ''}`);
  const body = res.json() as { arn?: string; status?: string; lines?: string[]; certificates?: { arn: string; status: string; lines: string[] }[]; error?: string };
  if (!res.ok) {
    console.error(`localnet acm why: ${body.error ?? `HTTP ${res.status}`}`);
    return 1;
  }
  const certs = body.certificates ?? [body as { arn: string; status: string; lines: string[] }];
  if (certs.length === 0) console.log('Every certificate is ISSUED.');
  for (const c of certs) {
    console.log(`${c.arn}  ${c.status}`);
    for (const l of c.lines) console.log(`  ${l}`);
  }
  return 0;
}
