// The README's end-to-end block and its "Break it" block, run as one script
// exactly as written (only the backend's port is changed to a free one),
// against a `localnet start` of this checkout: as root (ports 80/443 bound as
// they are) and as an unprivileged user (10080/10443), with the outputs the
// README promises checked.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { AWS_CLI, awsCliMissing } from '../helpers/aws-cli.ts';
import { REPO } from '../helpers/localnet-process.ts';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/** The first ```sh block of the README section whose heading starts with `heading`. */
function readmeBlock(heading: string): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const at = readme.indexOf(`\n${heading}`);
  assert.ok(at >= 0, `README has a section "${heading}"`);
  const section = readme.slice(at, readme.indexOf('\n## ', at + heading.length));
  const m = /```sh\n([\s\S]*?)```/.exec(section);
  assert.ok(m, `README's "${heading}" has a \`\`\`sh block`);
  return m[1];
}

interface Run { code: number; out: string }

/** Runs argv, as uid when given (setpriv), collecting stdout+stderr; bounded by timeoutMs. */
function run(argv: string[], env: NodeJS.ProcessEnv, uid: number | undefined, timeoutMs: number): { child: ChildProcess; done: Promise<Run>; output: () => string } {
  const full = uid === undefined ? argv : ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', ...argv];
  const child = spawn(full[0], full.slice(1), { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = once(child, 'exit').then(([code]) => {
    clearTimeout(timer);
    return { code: (code as number | null) ?? -1, out };
  });
  return { child, done, output: () => out };
}

async function backend(): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.end('hello from the README backend\n'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

const skip = awsCliMissing() ?? (existsSync('/usr/bin/setpriv') || !isRoot ? undefined : 'setpriv (util-linux) is needed to run as an unprivileged user');

describe('README end to end, run as written', { skip }, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  const cases: { name: string; uid?: number; block: string; https: number; http: number }[] = isRoot
    ? [{ name: 'as root', block: '127.95.0.0/16', https: 443, http: 80 }, { name: 'as an unprivileged user', uid: NOBODY, block: '127.96.0.0/16', https: 10443, http: 10080 }]
    : [{ name: 'as an unprivileged user', block: '127.96.0.0/16', https: 10443, http: 10080 }];

  for (const c of cases) {
    it(c.name, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'localnet-readme-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      chmodSync(dir, 0o755);
      if (c.uid !== undefined) chownSync(dir, c.uid, c.uid);
      const app = await backend();
      cleanups.push(() => app.close());
      const env: NodeJS.ProcessEnv = {
        PATH: `${join(AWS_CLI, '..')}:${process.env.PATH}`,
        HOME: dir,
        LOCALNET_DATA_DIR: join(dir, 'data'),
        LOCALNET_PORT: '0',
        LOCALNET_DNS_PORT: '0',
        LOCALNET_ACME_PORT: '0',
        LOCALNET_LB_ADDRESSES: c.block,
        LOCALNET_PUBLIC_ADDRESSES: c.block.replace(/^127\.(\d+)/, (_m, n) => `127.${Number(n) + 2}`),
        LOCALNET_LB_TIME_SCALE: '0.02',
        npm_config_cache: join(dir, 'npm-cache'),
        npm_config_update_notifier: 'false',
      };
      const server = run([process.execPath, 'bin/localnet.js', 'start'], env, c.uid, 300_000);
      cleanups.push(() => void server.child.kill('SIGTERM'));
      let endpoint: string | undefined;
      for (let i = 0; i < 600 && !endpoint; i++) {
        endpoint = /AWS API\s+(http:\/\/\S+)/.exec(server.output())?.[1];
        if (!endpoint) await sleep(100);
      }
      assert.ok(endpoint, `localnet start printed no endpoint:\n${server.output()}`);

      const script = join(dir, 'e2e.sh');
      const text = ['## End to end', '## Break it', '## A private zone'].map(readmeBlock).join('\n');
      writeFileSync(script, text.replaceAll('127.0.0.1:3000', `127.0.0.1:${app.port}`), { mode: 0o755 });
      const r = await run(['bash', script], { ...env, LOCALNET_ENDPOINT: endpoint }, c.uid, 240_000).done;
      const out = r.out;
      assert.equal(r.code, 0, `the README block failed (exit ${r.code}):\n${out}\n--- localnet:\n${server.output()}`);
      const lbAddress = c.block.replace('0.0/16', '0.1');
      assert.match(out, new RegExp(`example\\.com\\.\\s+60\\s+IN\\s+A\\s+${lbAddress.replace(/\./g, '\\.')}`), 'localnet dig: the alias answers with the load balancer address');
      assert.match(out, new RegExp(`localnet: example\\.com:80 -> ${lbAddress.replace(/\./g, '\\.')}:${c.http} \\(load balancer web\\)`));
      assert.match(out, /HTTP\/1\.1 301 Moved Permanently[\s\S]*Location: https:\/\/example\.com:443\//i);
      assert.match(out, new RegExp(`localnet: example\\.com:443 -> ${lbAddress.replace(/\./g, '\\.')}:${c.https} \\(load balancer web\\)`));
      assert.match(out, /hello from the README backend/, 'the service answered through HTTPS with the ACM certificate');
      assert.match(out, /"State": "(healthy|initial)"/);
      assert.equal(out.match(/^REACHABLE \(tcp/gm)?.length, 2, 'both why questions are REACHABLE');
      // Break it: each mistake and what localnet answers.
      assert.match(out, /^502$/m, 'nothing listens: 502 from the load balancer');
      assert.match(out, /Health checks failed \(localnet: nothing listens on 127\.0\.0\.1:3999, where instance i-[0-9a-f]+ port 80 is mapped by its tag localnet:port:80\)/);
      assert.match(out, /BLOCKED on the forward path at sg-[0-9a-f]+: SG_HAS_NO_RULES \(ingress\)/);
      assert.match(out, /BLOCKED on the return path at acl-[0-9a-f]+: SUBNET_ACL_RESTRICTION \(egress\)[\s\S]*fix: add an outbound NACL rule allowing tcp 1024-65535/);
      assert.match(out, /the record exists only in private hosted zone example\.org \(Z[0-9A-Z]+\), visible only inside vpc-[0-9a-f]+; ACM validates from the public internet/);
      assert.match(out, /^Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range$/m);
      assert.match(out, /InvalidGatewayID\.NotFound[\s\S]*The gateway ID 'igw-0123456789abcdef0' does not exist/);
      // The private zone: refused until the VPC's DNS hostnames are on, then answered in the VPC's view only.
      assert.match(out, /enableDnsHostnames is off for vpc-[0-9a-f]+: its private hosted zones are not consulted/);
      assert.match(out, /;; view vpc-[0-9a-f]+: db\.internal\.example A -> NOERROR[\s\S]*db\.internal\.example\.\s+60\s+IN\s+A\s+10\.0\.1\.50/);
      assert.match(out, /;; view public: db\.internal\.example A -> REFUSED/);
      assert.match(out, /private zone Z[0-9A-Z]+ \(internal\.example\) would serve db\.internal\.example but is not associated with vpc-[0-9a-f]+/);
      assert.match(out, /DNS views \(dig @ADDRESS -p PORT NAME\)/);
    });
  }
});
