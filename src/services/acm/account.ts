// GetAccountConfiguration / PutAccountConfiguration: how many days before
// expiry ACM starts sending expiry events (default 45, 1..45).
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { constraint } from './errors.ts';
import { ACCOUNT_CONFIGURATION_KIND, type AccountConfiguration } from './types.ts';

const DEFAULT_DAYS = 45;
const ID = 'default';
const TOKEN_WINDOW_MS = 3_600_000;

function current(env: HandlerEnv): AccountConfiguration {
  return env.store.get<AccountConfiguration>(ACCOUNT_CONFIGURATION_KIND, env.scope, ID) ?? { daysBeforeExpiry: DEFAULT_DAYS };
}

export function getAccountConfiguration(_input: unknown, env: HandlerEnv) {
  return { ExpiryEvents: { DaysBeforeExpiry: current(env).daysBeforeExpiry } };
}

export function putAccountConfiguration(input: { IdempotencyToken: string; ExpiryEvents?: { DaysBeforeExpiry?: number } }, env: HandlerEnv): Record<string, never> {
  if (!/^\w{1,32}$/.test(input.IdempotencyToken)) throw constraint(input.IdempotencyToken, 'idempotencyToken', 'Member must satisfy regular expression pattern: \\w+');
  const days = input.ExpiryEvents?.DaysBeforeExpiry;
  if (days !== undefined && (days < 1 || days > 45)) {
    throw constraint(String(days), 'expiryEvents.daysBeforeExpiry', days < 1 ? 'Member must have value greater than or equal to 1' : 'Member must have value less than or equal to 45');
  }
  const cur = current(env);
  const next = days ?? cur.daysBeforeExpiry;
  // ACM honours only the first call with a token within an hour; later ones change nothing.
  const now = Date.now();
  if (cur.idempotencyToken === input.IdempotencyToken && cur.tokenAt && now - Date.parse(cur.tokenAt) < TOKEN_WINDOW_MS) return {};
  env.store.put<AccountConfiguration>(ACCOUNT_CONFIGURATION_KIND, env.scope, ID, { daysBeforeExpiry: next, idempotencyToken: input.IdempotencyToken, tokenAt: new Date(now).toISOString() });
  return {};
}

export const accountConfigurationHandlers = {
  GetAccountConfiguration: getAccountConfiguration,
  PutAccountConfiguration: putAccountConfiguration,
} satisfies Handlers;
