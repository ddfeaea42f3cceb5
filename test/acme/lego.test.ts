// lego (Go's ACME client) against localnet's ACME server: HTTP-01 with its
// own listener on the A record's address, DNS-01 through its exec provider
// (a script writing the TXT record with the AWS CLI), TLS-ALPN-01 on 443,
// and revocation. Each certificate verifies against localnet's root and
// serves TLS.
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { awsCliMissing, dummyAwsEnv } from '../helpers/aws-cli.ts';
import { acmeEnv, assertUsable, LEGO, missing, run, upsert, type Env } from './helpers.ts';

const skip = missing(LEGO, 'lego') ?? missing('/usr/bin/openssl', 'openssl');
if (skip) console.log(`# skipping the lego tests: ${skip}`);

const HTTP = '127.88.11.1';
const TLS = '127.88.11.3';

describe('lego against the ACME server', { skip }, () => {
  let env: Env;
  before(async () => {
    env = await acmeEnv('example.org');
  });
  after(async () => {
    await env.ln.stop();
    rmSync(env.tmp, { recursive: true, force: true });
  });

  const lego = (path: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    run(LEGO, ['--server', env.ln.acme.directory, '--email', 'a@example.org', '--accept-tos', '--path', path, ...args], { ...extraEnv, LEGO_CA_CERTIFICATES: env.root });

  const usable = async (path: string, name: string) => {
    const base = join(path, 'certificates', name.replace('*', '_'));
    // lego's .crt is the leaf followed by the issuer; openssl verify reads the first certificate of the file.
    await assertUsable(env.root, `${base}.crt`, `${base}.issuer.crt`, `${base}.key`, name.replace('*', 'x'));
  };

  it('HTTP-01 (--http --http.port ADDRESS:80)', async () => {
    await upsert(env, 'web.example.org', 'A', HTTP);
    const path = join(env.tmp, 'lego-http');
    const r = await lego(path, ['--domains', 'web.example.org', '--http', '--http.port', `${HTTP}:80`, 'run']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    await usable(path, 'web.example.org');
  });

  it('DNS-01 (--dns exec, EXEC_PATH writing the TXT record through the AWS CLI)', { skip: awsCliMissing() }, async () => {
    const script = join(env.tmp, 'exec-dns.sh');
    writeFileSync(script, `#!/bin/sh
# lego's exec provider: $1 = present|cleanup, $2 = the record's FQDN, $3 = the value.
[ "$1" = present ] || exit 0
exec /usr/bin/aws --endpoint-url "$LN_ENDPOINT" route53 change-resource-record-sets --hosted-zone-id "$LN_ZONE" --change-batch \\
  "{\\"Changes\\":[{\\"Action\\":\\"UPSERT\\",\\"ResourceRecordSet\\":{\\"Name\\":\\"$2\\",\\"Type\\":\\"TXT\\",\\"TTL\\":60,\\"ResourceRecords\\":[{\\"Value\\":\\"\\\\\\"$3\\\\\\"\\"}]}}]}" >/dev/null
`);
    chmodSync(script, 0o755);
    const dns = env.ln.dns.views().find((v) => v.view === 'public')!;
    const path = join(env.tmp, 'lego-dns');
    const r = await lego(path, ['--domains', '*.wild.example.org', '--dns', 'exec', '--dns.disable-cp', '--dns.resolvers', `${dns.address}:${dns.port}`, 'run'], {
      ...dummyAwsEnv(),
      EXEC_PATH: script,
      EXEC_PROPAGATION_TIMEOUT: '30',
      EXEC_POLLING_INTERVAL: '1',
      LN_ENDPOINT: env.ln.endpoint,
      LN_ZONE: env.zoneId,
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    await usable(path, '*.wild.example.org');
  });

  it('TLS-ALPN-01 (--tls --tls.port ADDRESS:443): the acmeIdentifier extension checked over ALPN acme-tls/1', async () => {
    await upsert(env, 'alpn.example.org', 'A', TLS);
    const path = join(env.tmp, 'lego-tls');
    const r = await lego(path, ['--domains', 'alpn.example.org', '--tls', '--tls.port', `${TLS}:443`, 'run']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    await usable(path, 'alpn.example.org');
  });

  it('revoke', async () => {
    const path = join(env.tmp, 'lego-http');
    const r = await lego(path, ['--domains', 'web.example.org', 'revoke', '--keep']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const pem = readFileSync(join(path, 'certificates', 'web.example.org.crt'), 'utf8');
    assert.ok(pem.includes('BEGIN CERTIFICATE'));
    const rec = env.ln.acme.service.certificates().find((c) => c.names.includes('web.example.org'));
    assert.ok(rec?.revoked, 'listed as revoked');
  });

  it('a failure lego reports with the problem type: NXDOMAIN', async () => {
    const path = join(env.tmp, 'lego-fail');
    const r = await lego(path, ['--domains', 'nothing.example.org', '--http', '--http.port', `${HTTP}:80`, 'run']);
    assert.notEqual(r.code, 0);
    const out = r.stdout + r.stderr;
    assert.ok(out.includes('urn:ietf:params:acme:error:dns') && out.includes('DNS problem: NXDOMAIN looking up A for nothing.example.org - check that a DNS record exists for this domain'), out);
  });
});
