// localnet's settings: environment variables LOCALNET_*, over an optional
// JSON config file (LOCALNET_CONFIG, default <data dir>/config.json), over
// defaults.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parsePublicAddresses, type PublicAddressMode } from './services/public-addresses.ts';

export interface Config {
  /** Where state lives (SQLite, CA keys ...). */
  dataDir: string;
  /** Loopback address of the AWS API endpoint. */
  host: string;
  /** Port of the AWS API endpoint (0 picks a free one). */
  port: number;
  /** Account for callers whose access key id is not 12 digits. */
  defaultAccount: string;
  /** Port of the DNS views (LOCALNET_DNS_PORT). Unset: 53 when it can be bound, else 10053. 0 picks free ports (tests). */
  dnsPort?: number;
  /**
   * LOCALNET_LB_TIME_SCALE: multiplies the load balancer's health-check
   * intervals and timeouts and its 10 s connect timeout (0.01: a 30 s interval
   * becomes 300 ms). Default 1, AWS's timing; tests use small values.
   */
  lbTimeScale: number;
  /**
   * LOCALNET_PUBLIC_ADDRESSES: the loopback block public IPv4 addresses
   * (Elastic IPs, auto-assigned ones) come from, default 127.78.0.0/16, which
   * the public address data plane binds; `aws` for AWS-looking addresses and
   * no data plane. Environment only: the EC2 allocator reads the same
   * variable (src/services/public-addresses.ts), so the two never disagree.
   */
  publicAddresses: PublicAddressMode;
  /** Port of the ACME server's HTTPS directory (LOCALNET_ACME_PORT, default 14000; 0 picks a free one). */
  acmePort: number;
  /** LOCALNET_ACME_VALIDATION_TIMEOUT_MS: connect/response timeout of one ACME validation attempt (default 5000). */
  acmeValidationTimeoutMs: number;
  /** LOCALNET_ACME_DUPLICATE_CERT_LIMIT: certificates per exact set of names per week (Let's Encrypt: 5). */
  acmeDuplicateCertLimit: number;
  /** LOCALNET_ACME_FAILED_VALIDATION_LIMIT: failed validations per account, per hostname, per hour (Let's Encrypt: 5). */
  acmeFailedValidationLimit: number;
}

export function loadConfig(overrides: Partial<Config> = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(overrides.dataDir ?? env.LOCALNET_DATA_DIR ?? '.localnet');
  const file = env.LOCALNET_CONFIG ?? join(dataDir, 'config.json');
  const fromFile: Partial<Config> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
  const config: Config = {
    dataDir,
    host: overrides.host ?? env.LOCALNET_HOST ?? fromFile.host ?? '127.0.0.1',
    port: overrides.port ?? num(env.LOCALNET_PORT) ?? fromFile.port ?? 4566,
    defaultAccount: overrides.defaultAccount ?? env.LOCALNET_ACCOUNT_ID ?? fromFile.defaultAccount ?? '000000000000',
    dnsPort: overrides.dnsPort ?? num(env.LOCALNET_DNS_PORT) ?? fromFile.dnsPort,
    lbTimeScale: overrides.lbTimeScale ?? num(env.LOCALNET_LB_TIME_SCALE) ?? fromFile.lbTimeScale ?? 1,
    publicAddresses: parsePublicAddresses(env.LOCALNET_PUBLIC_ADDRESSES),
    acmePort: overrides.acmePort ?? num(env.LOCALNET_ACME_PORT) ?? fromFile.acmePort ?? 14000,
    acmeValidationTimeoutMs: overrides.acmeValidationTimeoutMs ?? num(env.LOCALNET_ACME_VALIDATION_TIMEOUT_MS) ?? fromFile.acmeValidationTimeoutMs ?? 5000,
    acmeDuplicateCertLimit: overrides.acmeDuplicateCertLimit ?? num(env.LOCALNET_ACME_DUPLICATE_CERT_LIMIT) ?? fromFile.acmeDuplicateCertLimit ?? 5,
    acmeFailedValidationLimit: overrides.acmeFailedValidationLimit ?? num(env.LOCALNET_ACME_FAILED_VALIDATION_LIMIT) ?? fromFile.acmeFailedValidationLimit ?? 5,
  };
  if (!(config.lbTimeScale > 0 && config.lbTimeScale <= 100)) throw new Error(`LOCALNET_LB_TIME_SCALE must be a number above 0 (at most 100), got '${config.lbTimeScale}'`);
  if (config.dnsPort !== undefined && !(Number.isInteger(config.dnsPort) && config.dnsPort >= 0 && config.dnsPort <= 65535)) throw new Error(`LOCALNET_DNS_PORT must be a port number, got '${config.dnsPort}'`);
  if (!(Number.isInteger(config.acmePort) && config.acmePort >= 0 && config.acmePort <= 65535)) throw new Error(`LOCALNET_ACME_PORT must be a port number, got '${config.acmePort}'`);
  for (const [name, v] of [['LOCALNET_ACME_VALIDATION_TIMEOUT_MS', config.acmeValidationTimeoutMs], ['LOCALNET_ACME_DUPLICATE_CERT_LIMIT', config.acmeDuplicateCertLimit], ['LOCALNET_ACME_FAILED_VALIDATION_LIMIT', config.acmeFailedValidationLimit]] as const) {
    if (!(v > 0)) throw new Error(`${name} must be a number above 0, got '${v}'`);
  }
  if (!/^\d{12}$/.test(config.defaultAccount)) throw new Error(`LOCALNET_ACCOUNT_ID must be 12 digits, got '${config.defaultAccount}'`);
  if (!isLoopback(config.host)) throw new Error(`localnet binds to loopback only; LOCALNET_HOST '${config.host}' is not a loopback address`);
  return config;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
