// Certbot against localnet's ACME server, as an engineer runs it against
// Let's Encrypt: webroot and standalone HTTP-01 with the A record in a
// Route 53 public zone, manual DNS-01 with a hook writing the TXT record
// through the AWS CLI, renew and revoke; and the failures users meet
// (no A record, a firewalled port, a wrong address) with Let's Encrypt's
// error types and wording in Certbot's output.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type * as net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { awsCliMissing, dummyAwsEnv } from '../helpers/aws-cli.ts';
import { acmeEnv, assertUsable, CERTBOT, certbot, certbotLog, closeServer, missing, run, silentServer, upsert, webrootServer, type Env } from './helpers.ts';

const skip = missing(CERTBOT, 'certbot') ?? missing('/usr/bin/openssl', 'openssl');
if (skip) console.log(`# skipping the Certbot tests: ${skip}`);

/** Loopback addresses the tests' "instances" use (A records point here). */
const WEB = '127.88.10.1';
const STANDALONE = '127.88.10.2';
const SILENT = '127.88.10.3';
const NOBODY = '127.88.10.4';

describe('Certbot against the ACME server', { skip }, () => {
  let env: Env;
  let web: Server;
  const webroot = () => join(env.tmp, 'webroot');
  before(async () => {
    env = await acmeEnv('example.com');
    web = await webrootServer(WEB, webroot());
  });
  after(async () => {
    await closeServer(web);
    await env.ln.stop();
  });

  const live = (dir: string, name: string) => join(dir, 'config', 'live', name);

  it('certonly --webroot: HTTP-01 from the public view to the A record\'s address, a certificate that verifies and serves TLS', async () => {
    await upsert(env, 'www.example.com', 'A', WEB);
    const dir = join(env.tmp, 'cb-webroot');
    const r = await certbot(env, dir, ['certonly', '--webroot', '-w', webroot(), '-d', 'www.example.com']);
    assert.equal(r.code, 0, r.stdout + r.stderr + certbotLog(dir));
    const d = live(dir, 'www.example.com');
    await assertUsable(env.root, join(d, 'cert.pem'), join(d, 'chain.pem'), join(d, 'privkey.pem'), 'www.example.com');
    const text = (await run('/usr/bin/openssl', ['x509', '-in', join(d, 'cert.pem'), '-noout', '-text'])).stdout;
    assert.match(text, /Issuer: CN = localnet ACME Intermediate/);
    assert.match(text, /TLS Web Server Authentication/);
    assert.match(text, /DNS:www\.example\.com/);
  });
});
