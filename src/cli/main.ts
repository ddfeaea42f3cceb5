// The localnet command: start | status | reset | aws | dig ...
// Each command's module is imported when that command runs, so a quick
// command (status, help) does not load (and, in the bundle, evaluate) the
// server, the certificate authority, SQLite and the AWS models.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { VERSION } from '../version.ts';

const USAGE = `localnet ${VERSION}: AWS networking on one machine

Usage:
  localnet start              run localnet (AWS API on http://127.0.0.1:4566)
  localnet status             endpoint, data directory, ports and version of the running localnet
  localnet reset [--yes]      wipe all state (asks first unless --yes)
  localnet aws ARGS...        run the AWS CLI against localnet (endpoint and dummy credentials filled in)
  localnet ca                 where the local root CA certificate is and how to trust it
  localnet acm approve ARN    approve a certificate's EMAIL validation (no mail is sent)
  localnet acm why [ARN]      why a certificate is still pending (or failed)
  localnet curl [CURL OPTIONS...] URL
                              curl as the internet sees URL: its name resolved in the public view, the port localnet bound
  localnet dig [--vpc vpc-...] NAME [TYPE]
                              how the public view (or a VPC's view) answers NAME, and why
  localnet why SOURCE DESTINATION[:PORT] [--protocol tcp|udp]
                              whether traffic gets through, hop by hop both ways; what blocks it and the fix
  localnet why --dns NAME --from vpc-...|i-...
                              which DNS view answers NAME for that VPC, and why
  localnet instance map i-... PORT=HOST:PORT [...]   (PORT= or --remove PORT removes one)
                              which local process answers the instance's port (its localnet:port:<port> tags)
  localnet instance ports i-...
                              the instance's mapped ports and the public addresses serving them

Environment: LOCALNET_DATA_DIR (default ./.localnet), LOCALNET_PORT (4566),
LOCALNET_HOST (127.0.0.1), LOCALNET_ACCOUNT_ID (000000000000), LOCALNET_DNS_PORT
(53 when it can be bound, else 10053), LOCALNET_PUBLIC_ADDRESSES (127.78.0.0/16,
or aws).`;

/** The usage lines of one command (its entries in USAGE), or undefined for a command localnet does not have. */
function commandUsage(command: string): string | undefined {
  const lines = USAGE.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith(`  localnet ${command} `) && lines[i] !== `  localnet ${command}`) continue;
    out.push(lines[i].trimStart());
    while (lines[i + 1]?.startsWith('    ')) out.push(`  ${lines[++i].trim()}`);
  }
  return out.length ? `Usage:\n${out.map((l) => `  ${l}`).join('\n')}` : undefined;
}

const wantsHelp = (args: string[]) => args.includes('--help') || args.includes('-h');

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // `localnet CMD --help` and `localnet help CMD` print that command's usage;
  // `localnet aws … help` and `localnet curl -h` stay the AWS CLI's and curl's own.
  const asked = command === 'help' && rest[0] ? rest[0] : command !== 'aws' && command !== 'curl' && command !== undefined && wantsHelp(rest) ? command : undefined;
  if (asked !== undefined) {
    const usage = commandUsage(asked);
    if (!usage) {
      console.error(`localnet: unknown command '${asked}'\n\n${USAGE}`);
      return 2;
    }
    console.log(asked === 'why' ? `${usage}\n\n${(await import('./why.ts')).WHY_USAGE}` : usage);
    return 0;
  }
  switch (command) {
    case 'start':
      return (await import('./start.ts')).startCommand(loadConfig());
    case 'status':
      return (await import('./status.ts')).statusCommand(loadConfig());
    case 'reset': {
      const { values } = parseArgs({ args: rest, options: { yes: { type: 'boolean', short: 'y' } } });
      return (await import('./reset.ts')).resetCommand(loadConfig(), values.yes ?? false);
    }
    case 'aws':
      return (await import('./aws.ts')).awsCommand(loadConfig(), rest);
    case 'ca':
      return (await import('./ca.ts')).caCommand(loadConfig());
    case 'acm':
      return (await import('./acm.ts')).acmCommand(loadConfig(), rest);
    case 'curl':
      return (await import('./curl.ts')).curlCommand(loadConfig(), rest);
    case 'dig':
      return (await import('./dig.ts')).digCommand(loadConfig(), rest);
    case 'why':
      return (await import('./why.ts')).whyCommand(loadConfig(), rest);
    case 'instance':
      return (await import('./instance.ts')).instanceCommand(loadConfig(), rest);
    case 'version':
    case '--version':
      console.log(VERSION);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    default:
      console.error(`localnet: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exitCode = code;
  },
  (err) => {
    console.error(`localnet: ${err instanceof Error ? err.message : err}`);
    process.exitCode = 1;
  },
);
