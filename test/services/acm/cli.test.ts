// The localnet ca and localnet acm commands against a running localnet.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { DescribeCertificateCommand, RequestCertificateCommand, type ACMClient } from '@aws-sdk/client-acm';
import { startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { acmClient } from './clients.ts';

const run = promisify(execFile);
const main = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));

describe('localnet ca / localnet acm', () => {
  let ln: TestLocalnet;
  let acm: ACMClient;
  const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', main, ...args], { env: { ...process.env, LOCALNET_ENDPOINT: ln.endpoint } });
  before(async () => {
    ln = await startTestLocalnet();
    acm = acmClient(ln);
  });
  after(() => ln.stop());

  it('ca prints the root of the running localnet and how to trust it', async () => {
    const { stdout } = await cli('ca');
    assert.ok(stdout.includes(ln.ca.files.root));
    assert.ok(stdout.includes(ln.ca.rootFingerprint));
    for (const want of ['update-ca-certificates', 'certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n localnet', 'NODE_EXTRA_CA_CERTS=', 'curl --cacert', 'REQUESTS_CA_BUNDLE=']) assert.ok(stdout.includes(want), want);
  });

  it('ca writes a bundle of the system roots plus localnet\'s root, and a TLS client given only that file trusts localnet', async () => {
    const { stdout } = await cli('ca');
    const file = /System roots \+ this root:\s+(\S+)/.exec(stdout)?.[1];
    assert.ok(file && existsSync(file), stdout);
    assert.ok(stdout.includes(`REQUESTS_CA_BUNDLE=${file}`) && stdout.includes(`AWS_CA_BUNDLE=${file}`), 'single-file tools get the bundle, not root.pem');
    const pem = readFileSync(file, 'utf8');
    const certs = pem.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
    assert.ok(certs > 50, `the system's roots are in it (${certs} certificates)`);
    assert.ok(pem.trimEnd().endsWith(readFileSync(ln.ca.files.root, 'utf8').trimEnd()), 'localnet\'s root closes it');
    // localnet's ACME server presents a certificate chained to the root: verified with the bundle alone.
    const url = new URL(ln.acme.directory);
    const socket = tls.connect({ host: url.hostname, port: Number(url.port), ca: pem, servername: 'localhost' });
    await once(socket, 'secureConnect');
    assert.equal(socket.authorized, true);
    socket.destroy();
  });

  it('acm why explains a pending certificate; acm approve issues an EMAIL-validated one', async () => {
    const { CertificateArn } = await acm.send(new RequestCertificateCommand({ DomainName: 'cli.example.com', ValidationMethod: 'EMAIL' }));
    const why = await cli('acm', 'why', CertificateArn!);
    assert.match(why.stdout, /PENDING_VALIDATION/);
    assert.match(why.stdout, /localnet acm approve/);
    const approved = await cli('acm', 'approve', CertificateArn!);
    assert.match(approved.stdout, /status ISSUED/);
    assert.equal((await acm.send(new DescribeCertificateCommand({ CertificateArn }))).Certificate!.Status, 'ISSUED');
    await assert.rejects(cli('acm', 'approve', 'arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000'), /no certificate/);
  });
});
