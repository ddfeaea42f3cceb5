// localnet aws ...: the user's own AWS CLI, pointed at localnet. Credentials
// and region the user already set are kept; missing ones get dummies.
import { spawn } from 'node:child_process';
import type { Config } from '../config.ts';
import { endpointOf } from './endpoint.ts';

export function awsCommand(config: Config, args: string[]): Promise<number> {
  const env = { ...process.env };
  env.AWS_ACCESS_KEY_ID ??= 'test';
  env.AWS_SECRET_ACCESS_KEY ??= 'test';
  env.AWS_DEFAULT_REGION ??= env.AWS_REGION ?? 'us-east-1';
  env.AWS_PAGER ??= '';
  const bin = process.env.LOCALNET_AWS_CLI ?? 'aws';
  return new Promise((resolve) => {
    const child = spawn(bin, ['--endpoint-url', endpointOf(config), ...args], { stdio: 'inherit', env });
    child.on('error', (err) => {
      console.error(`localnet: could not run the AWS CLI (${bin}): ${err.message}. Install it (Debian: apt-get install awscli) or set LOCALNET_AWS_CLI.`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
