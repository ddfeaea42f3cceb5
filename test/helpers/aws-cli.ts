// Runs the real AWS CLI v2 (/usr/bin/aws, Debian's awscli) against a localnet
// endpoint, as a user would: --endpoint-url, --output json, dummy credentials
// from the environment and no ~/.aws (config and credential files point into
// an empty temporary directory).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const AWS_CLI = process.env.LOCALNET_TEST_AWS_CLI ?? '/usr/bin/aws';

/** Why the AWS CLI tests cannot run here, or undefined when they can. */
export function awsCliMissing(): string | undefined {
  return existsSync(AWS_CLI) ? undefined : `${AWS_CLI} (AWS CLI v2) is not installed: apt-get install -y awscli (.ci/run does)`;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

let emptyHome: string | undefined;

/** The environment of a user with dummy credentials and nothing configured (HOME is an empty directory). */
export function dummyAwsEnv(accessKeyId = 'test', region = 'us-east-1'): NodeJS.ProcessEnv {
  emptyHome ??= mkdtempSync(join(tmpdir(), 'localnet-awscli-home-'));
  const home = emptyHome;
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return {
    ...env,
    HOME: home,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: region,
    AWS_PAGER: '',
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    // One attempt: a 5xx from localnet shows at once instead of after retries.
    AWS_MAX_ATTEMPTS: '1',
  };
}

export function run(bin: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(bin, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export interface AwsCli {
  /** Runs `aws --endpoint-url E --output json ARGS`. */
  raw(args: string[]): Promise<CliResult>;
  /** Runs and expects success; returns the parsed JSON output (undefined when the command prints nothing). */
  ok(args: string[]): Promise<any>;
  /** Runs and expects an AWS service error (exit code 254) with this error code in stderr; returns stderr. */
  fails(args: string[], errorCode: string): Promise<string>;
}

export function awsCli(endpoint: string, env: NodeJS.ProcessEnv): AwsCli {
  const raw = (args: string[]) => run(AWS_CLI, ['--endpoint-url', endpoint, '--output', 'json', ...args], env);
  return {
    raw,
    async ok(args) {
      const r = await raw(args);
      assert.equal(r.code, 0, `aws ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
      return r.stdout.trim() === '' ? undefined : JSON.parse(r.stdout);
    },
    async fails(args, errorCode) {
      const r = await raw(args);
      assert.equal(r.code, 254, `aws ${args.join(' ')}: expected exit 254 (service error ${errorCode}), got ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
      assert.ok(r.stderr.includes(`(${errorCode})`), `aws ${args.join(' ')}: expected (${errorCode}) in stderr, got: ${r.stderr.trim()}`);
      return r.stderr;
    },
  };
}
