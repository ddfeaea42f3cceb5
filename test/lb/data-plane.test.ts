// End to end through real sockets: listeners bound on the load balancer's
// loopback address, TLS with certificates from localnet's CA, rules, forward
// to node:http backends mapped through instance tags, ALB's error codes,
// health checks and a restart.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import http from 'node:http';
import net from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { AuthorizeSecurityGroupIngressCommand, RevokeSecurityGroupIngressCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';
import {
  buildNetwork, closedPort, fetchOnce, forward, health, putCertificate, putListener, putLoadBalancer, putRule, putTarget, putTargetGroup, runInstance,
  startBackend, waitForHealth, type Backend, type Net,
} from './fixtures.ts';

// 0.05: a 5 s health-check interval is 250 ms, the 10 s connect timeout 500 ms.
process.env.LOCALNET_LB_TIME_SCALE = '0.05';

function rawExchange(host: string, port: number, payload: string, ms = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port }, () => s.write(payload));
    let out = '';
    s.setEncoding('utf8');
    s.on('data', (d) => (out += d));
    s.on('end', () => resolve(out));
    s.on('close', () => resolve(out));
    s.on('error', reject);
    s.setTimeout(ms, () => { s.destroy(); resolve(out); });
  });
}

describe('load balancer data plane', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  let netw: Net;
  let web: Backend;
  let api: Backend;
  let webInstance: string;
  let apiInstance: string;

  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln);
    netw = await buildNetwork(ec2);
    web = await startBackend('web');
    api = await startBackend('api');
    webInstance = await runInstance(ec2, netw, { 80: web.port });
    apiInstance = await runInstance(ec2, netw, { 80: api.port });
  });
  after(async () => {
    await ln?.stop();
    await web?.close();
    await api?.close();
  });

  it('seed 001: HTTP redirects to HTTPS, HTTPS terminates TLS with the ACM certificate and forwards with X-Forwarded headers', async () => {
    const cert = await putCertificate(ln, ['example.com', 'www.example.com']);
    const other = await putCertificate(ln, ['*.other.test']);
    const { arn, address } = putLoadBalancer(ln, netw);
    const tg = putTargetGroup(ln, netw);
    const key = putTarget(ln, tg, webInstance);
    putListener(ln, arn, 80, 'HTTP', [{ Type: 'redirect', Order: 1, RedirectConfig: { Protocol: 'HTTPS', Port: '443', Host: '#{host}', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301' } }]);
    putListener(ln, arn, 443, 'HTTPS', forward(tg), { default: cert, sni: [other] });
    await ln.lb.reconcile();
    const bound = ln.lb.bindings().filter((b) => b.address === address);
    assert.deepEqual(bound.map((b) => `${b.protocol} ${b.port}->${b.boundPort}`).sort(), process.getuid?.() === 0 ? ['HTTP 80->80', 'HTTPS 443->443'] : ['HTTP 80->10080', 'HTTPS 443->10443']);
    const p80 = bound.find((b) => b.port === 80)!.boundPort;
    const p443 = bound.find((b) => b.port === 443)!.boundPort;
    await waitForHealth(ln, key, (h) => h.State === 'healthy');

    const redirect = await fetchOnce(`http://${address}:${p80}/path/x?q=1`, { host: 'example.com' });
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.location, 'https://example.com:443/path/x?q=1');
    assert.equal(redirect.headers.server, 'awselb/2.0');

    const ok = await fetchOnce(`https://${address}:${p443}/hello?x=1`, { host: 'example.com', ca: ln.ca.files.root, headers: { 'x-forwarded-for': '203.0.113.9', 'X-Forwarded-Proto': 'spoofed' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body, 'web /hello?x=1');
    const seen = web.requests.at(-1)!;
    assert.equal(seen.headers['x-forwarded-for'], '203.0.113.9, 127.0.0.1');
    assert.equal(seen.headers['x-forwarded-proto'], 'https');
    assert.equal(seen.headers['x-forwarded-port'], '443');
    assert.equal(seen.headers.host, 'example.com');
    assert.match(String(seen.headers['x-amzn-trace-id']), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);

    // SNI: a name the SNI certificate covers gets it; the client trusts only localnet's root.
    const sni = await fetchOnce(`https://${address}:${p443}/`, { host: 'a.other.test', ca: ln.ca.files.root });
    assert.equal(sni.status, 200);
    // Without a covering certificate the default one is served, which does not match the name.
    await assert.rejects(fetchOnce(`https://${address}:${p443}/`, { host: 'nomatch.test', ca: ln.ca.files.root }), /altnames|Hostname/);

    // A trace id from the client keeps its Root and gains Self.
    await fetchOnce(`https://${address}:${p443}/`, { host: 'example.com', ca: ln.ca.files.root, headers: { 'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793' } });
    assert.match(String(web.requests.at(-1)!.headers['x-amzn-trace-id']), /^Root=1-5759e988-bd862e3fe1be46a994272793;Self=1-[0-9a-f]{8}-[0-9a-f]{24}$/);

    if (existsSync('/usr/bin/curl') && p443 === 443) {
      const { stdout: out } = await promisify(execFile)('curl', ['-sS', '--max-time', '5', '--cacert', ln.ca.files.root, '--resolve', `example.com:443:${address}`, 'https://example.com/curl'], { encoding: 'utf8' });
      assert.equal(out, 'web /curl');
      const { stdout: loc } = await promisify(execFile)('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{redirect_url}', '--max-time', '5', '--resolve', `example.com:80:${address}`, 'http://example.com/'], { encoding: 'utf8' });
      assert.equal(loc, '301 https://example.com:443/');
    }
    // status shows the mapping
    assert.equal(ln.lb.ports()[`lb ${bound[0].loadBalancer} HTTPS 443`], `${address}:${p443}`);
  });

  it('host- and path-based rules over two target groups, fixed responses, X-Forwarded-For modes', async () => {
    const { arn, address } = putLoadBalancer(ln, netw, { attributes: { 'routing.http.xff_header_processing.mode': 'remove' } });
    const tgWeb = putTargetGroup(ln, netw);
    const tgApi = putTargetGroup(ln, netw);
    const kWeb = putTarget(ln, tgWeb, webInstance);
    const kApi = putTarget(ln, tgApi, apiInstance);
    const l = putListener(ln, arn, 8080, 'HTTP', [{ Type: 'fixed-response', Order: 1, FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'no route' } }]);
    putRule(ln, l, 10, [{ Field: 'host-header', HostHeaderConfig: { Values: ['api.example.com'] } }], forward(tgApi));
    putRule(ln, l, 20, [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }], forward(tgApi));
    putRule(ln, l, 30, [{ Field: 'host-header', HostHeaderConfig: { Values: ['*.example.com'] } }], forward(tgWeb));
    putRule(ln, l, 40, [{ Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['DELETE'] } }], [{ Type: 'fixed-response', Order: 1, FixedResponseConfig: { StatusCode: '403', ContentType: 'application/json', MessageBody: '{"denied":true}' } }]);
    await ln.lb.reconcile();
    await waitForHealth(ln, kWeb, (h) => h.State === 'healthy');
    await waitForHealth(ln, kApi, (h) => h.State === 'healthy');
    const url = `http://${address}:8080`;
    assert.equal((await fetchOnce(`${url}/x`, { host: 'API.example.com' })).body, 'api /x');
    assert.equal((await fetchOnce(`${url}/api/v1`, { host: 'www.example.com' })).body, 'api /api/v1');
    assert.equal((await fetchOnce(`${url}/API/v1`, { host: 'www.example.com' })).body, 'web /API/v1', 'path patterns are case-sensitive');
    const nf = await fetchOnce(`${url}/x`, { host: 'example.com' });
    assert.deepEqual([nf.status, nf.body, nf.headers['content-type']], [404, 'no route', 'text/plain']);
    const del = await fetchOnce(`${url}/x`, { host: 'example.com', method: 'DELETE' });
    assert.deepEqual([del.status, del.body], [403, '{"denied":true}']);
    await fetchOnce(`${url}/x`, { host: 'www.example.com', headers: { 'x-forwarded-for': '198.51.100.1' } });
    assert.equal(web.requests.at(-1)!.headers['x-forwarded-for'], undefined, 'mode remove drops the header');
  });

  it('weighted forwarding splits traffic by weight (200 requests)', async () => {
    const { arn, address } = putLoadBalancer(ln, netw);
    const a = putTargetGroup(ln, netw);
    const b = putTargetGroup(ln, netw);
    const ka = putTarget(ln, a, webInstance);
    const kb = putTarget(ln, b, apiInstance);
    putListener(ln, arn, 8081, 'HTTP', [{ Type: 'forward', Order: 1, ForwardConfig: { TargetGroups: [{ TargetGroupArn: a, Weight: 1 }, { TargetGroupArn: b, Weight: 3 }] } }]);
    await ln.lb.reconcile();
    await waitForHealth(ln, ka, (h) => h.State === 'healthy');
    await waitForHealth(ln, kb, (h) => h.State === 'healthy');
    let toApi = 0;
    for (let i = 0; i < 200; i++) if ((await fetchOnce(`http://${address}:8081/`)).body.startsWith('api')) toApi++;
    // Expected 150; binomial sd ~6.1: 110..190 is beyond 6 sd.
    assert.ok(toApi > 110 && toApi < 190, `api got ${toApi} of 200`);
  });

  it('502 when the target refuses, 503 without targets, 504 past the idle timeout', async () => {
    const refused = await closedPort();
    const deadInstance = await runInstance(ec2, netw, { 80: refused });
    let slowRes: (() => void)[] = [];
    const slow = await startBackend('slow', (_req, res) => { slowRes.push(() => res.end('late')); });
    const slowInstance = await runInstance(ec2, netw, { 80: slow.port });
    const { arn, address } = putLoadBalancer(ln, netw, { attributes: { 'idle_timeout.timeout_seconds': '1' } });
    const tgDead = putTargetGroup(ln, netw);
    putTarget(ln, tgDead, deadInstance);
    const tgEmpty = putTargetGroup(ln, netw);
    const tgSlow = putTargetGroup(ln, netw, { health: { HealthCheckEnabled: false } });
    putTarget(ln, tgSlow, slowInstance);
    const l = putListener(ln, arn, 8082, 'HTTP', forward(tgDead));
    putRule(ln, l, 1, [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/empty'] } }], forward(tgEmpty));
    putRule(ln, l, 2, [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/slow'] } }], forward(tgSlow));
    await ln.lb.reconcile();
    const r502 = await fetchOnce(`http://${address}:8082/`);
    assert.equal(r502.status, 502);
    assert.equal(r502.headers.server, 'awselb/2.0');
    assert.match(r502.body, /<center><h1>502 Bad Gateway<\/h1><\/center>/);
    assert.equal((await fetchOnce(`http://${address}:8082/empty`)).status, 503);
    const t0 = Date.now();
    const r504 = await fetchOnce(`http://${address}:8082/slow`);
    assert.equal(r504.status, 504);
    assert.ok(Date.now() - t0 >= 900, 'waited for the idle timeout');
    for (const f of slowRes) f();
    slowRes = [];
    await slow.close();
  });

  it('502 for a malformed answer or a reset from the target; garbage from clients never crashes', async () => {
    const bad = net.createServer((s) => s.once('data', () => s.end('NOT HTTP AT ALL\r\n\r\n')));
    const rst = net.createServer((s) => s.once('data', () => s.resetAndDestroy()));
    await new Promise<void>((r) => bad.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => rst.listen(0, '127.0.0.1', r));
    // Both on port 80: the app security group admits only that from the load balancer.
    const inst = await runInstance(ec2, netw, { 80: (bad.address() as net.AddressInfo).port });
    const inst2 = await runInstance(ec2, netw, { 80: (rst.address() as net.AddressInfo).port });
    const { arn, address } = putLoadBalancer(ln, netw);
    const tgBad = putTargetGroup(ln, netw, { health: { HealthCheckEnabled: false } });
    putTarget(ln, tgBad, inst, 80);
    const tgRst = putTargetGroup(ln, netw, { health: { HealthCheckEnabled: false } });
    putTarget(ln, tgRst, inst2, 80);
    const l = putListener(ln, arn, 8090, 'HTTP', forward(tgBad));
    putRule(ln, l, 1, [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/rst'] } }], forward(tgRst));
    await ln.lb.reconcile();
    assert.equal((await fetchOnce(`http://${address}:8090/`)).status, 502);
    assert.equal((await fetchOnce(`http://${address}:8090/rst`)).status, 502);
    for (const junk of ['\x00\x01\x02\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', 'GET /\r\n', `${'A'.repeat(70_000)}\r\n`, 'GET / HTTP/1.1\r\nHost x\r\n\r\n', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n']) {
      const out = await rawExchange(address, 8090, junk, 1000);
      assert.ok(out === '' || /^HTTP\/1\.1 400/.test(out), `junk ${JSON.stringify(junk.slice(0, 20))} -> ${out.slice(0, 40)}`);
    }
    assert.equal((await fetchOnce(`http://${address}:8090/`)).status, 502, 'still serving');
    bad.close();
    rst.close();
  });

  it('rejects request smuggling, oversized headers and TRACE as ALB does', async () => {
    const { arn, address } = putLoadBalancer(ln, netw);
    const tg = putTargetGroup(ln, netw);
    putTarget(ln, tg, webInstance);
    putListener(ln, arn, 8083, 'HTTP', forward(tg));
    await ln.lb.reconcile();
    const proxied = () => web.requests.filter((q) => q.headers['user-agent'] !== 'ELB-HealthChecker/2.0').length;
    const before = proxied();
    const both = await rawExchange(address, 8083, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.match(both, /^HTTP\/1\.1 400 Bad Request/);
    assert.match(both, /Server: awselb\/2\.0/);
    const twoLengths = await rawExchange(address, 8083, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde');
    assert.match(twoLengths, /^HTTP\/1\.1 400/);
    const huge = await rawExchange(address, 8083, `GET / HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 5 }, (_, i) => `X-Big-${i}: ${'a'.repeat(15_000)}\r\n`).join('')}\r\n`);
    assert.match(huge, /^HTTP\/1\.1 400/);
    const oneBigHeader = await rawExchange(address, 8083, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17_000)}\r\n\r\n`);
    assert.match(oneBigHeader, /^HTTP\/1\.1 400/);
    const trace = await fetchOnce(`http://${address}:8083/`, { method: 'TRACE' });
    assert.equal(trace.status, 405);
    assert.equal(proxied(), before, 'nothing reached the backend');
    // Still serving after all that.
    assert.equal((await fetchOnce(`http://${address}:8083/fine`)).body, 'web /fine');
  });

  it('streams request bodies (length and chunked), answers pipelined requests in order, HEAD without body', async () => {
    const echo = await startBackend('echo', (req, res) => {
      let n = 0;
      req.on('data', (c: Buffer) => (n += c.length));
      req.on('end', () => res.end(`${req.method} ${req.url} ${n} ${req.headers['transfer-encoding'] ?? 'length'}`));
    });
    const inst = await runInstance(ec2, netw, { 80: echo.port });
    const { arn, address } = putLoadBalancer(ln, netw);
    const tg = putTargetGroup(ln, netw, { health: { HealthCheckEnabled: false } });
    putTarget(ln, tg, inst);
    putListener(ln, arn, 8089, 'HTTP', forward(tg));
    await ln.lb.reconcile();
    const big = 'x'.repeat(200_000);
    assert.equal((await fetchOnce(`http://${address}:8089/up`, { method: 'POST', body: big, headers: { 'content-length': String(big.length) } })).body, 'POST /up 200000 length');
    const chunked = await rawExchange(address, 8089, 'POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n');
    assert.match(chunked, /POST \/c 8 chunked$/);
    const pipelined = await rawExchange(address, 8089, 'GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.deepEqual([...pipelined.matchAll(/GET (\/\d) 0/g)].map((m) => m[1]), ['/1', '/2', '/3']);
    const head = await rawExchange(address, 8089, 'HEAD /h HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.match(head, /^HTTP\/1\.1 200 OK/);
    assert.ok(head.endsWith('\r\n\r\n'), 'no body after the head');
    await echo.close();
  });

  it('relays a large answer of unknown length chunked and intact while the client reads slowly', async () => {
    const piece = Buffer.alloc(64 * 1024, 'abcdefgh');
    const pieces = 40;
    const stream = await startBackend('stream', (_req, res) => {
      // No Content-Length: node:http frames it chunked, the load balancer re-frames it for the client.
      let i = 0;
      const more = () => {
        while (i < pieces) {
          i++;
          if (!res.write(piece)) return void res.once('drain', more);
        }
        res.end();
      };
      more();
    });
    const inst = await runInstance(ec2, netw, { 80: stream.port });
    const { arn, address } = putLoadBalancer(ln, netw);
    const tg = putTargetGroup(ln, netw, { health: { HealthCheckEnabled: false } });
    putTarget(ln, tg, inst);
    putListener(ln, arn, 8091, 'HTTP', forward(tg));
    await ln.lb.reconcile();
    const got = await new Promise<{ te: string | undefined; bytes: number; intact: boolean }>((resolve, reject) => {
      const req = http.request({ host: address, port: 8091, path: '/big', agent: false }, (res) => {
        // Read nothing for a while: the load balancer's writes to this socket fill its buffer.
        res.pause();
        setTimeout(() => res.resume(), 300);
        let bytes = 0;
        let intact = true;
        res.on('data', (c: Buffer) => {
          for (let k = 0; k < c.length && intact; k++) if (c[k] !== piece[(bytes + k) % piece.length]) intact = false;
          bytes += c.length;
        });
        res.on('end', () => resolve({ te: res.headers['transfer-encoding'], bytes, intact }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    assert.deepEqual(got, { te: 'chunked', bytes: pieces * piece.length, intact: true });
    await stream.close();
  });

  it('health: a port where nothing listens is unhealthy with Target.FailedHealthChecks and says why', async () => {
    const { arn } = putLoadBalancer(ln, netw);
    const tg = putTargetGroup(ln, netw, { port: 443 });
    const key = putTarget(ln, tg, webInstance, 443);
    putListener(ln, arn, 8084, 'HTTP', forward(tg));
    await ln.lb.reconcile();
    const h = await waitForHealth(ln, key, (x) => x.State === 'unhealthy');
    assert.equal(h.Reason, 'Target.FailedHealthChecks');
    assert.match(h.Description!, new RegExp(`instance ${webInstance} port 443: the port is not mapped; add the tag localnet:port:443`));
    // A mapped port where nothing listens says where it looked.
    const port = await closedPort();
    const inst = await runInstance(ec2, netw, { 80: port });
    const k2 = putTarget(ln, putTargetGroupUsed(), inst, 80);
    function putTargetGroupUsed() {
      const t = putTargetGroup(ln, netw);
      putListener(ln, arn, 8085, 'HTTP', forward(t));
      return t;
    }
    await ln.lb.reconcile();
    const h2 = await waitForHealth(ln, k2, (x) => x.State === 'unhealthy');
    assert.match(h2.Description!, new RegExp(`nothing listens on 127\\.0\\.0\\.1:${port}`));
  });

  it('health: once the backend is back, the explanation describes the latest check while the state waits for the threshold', async () => {
    const { arn } = putLoadBalancer(ln, netw);
    const port = await closedPort();
    const inst = await runInstance(ec2, netw, { 80: port });
    const tg = putTargetGroup(ln, netw, { health: { HealthyThresholdCount: 5, UnhealthyThresholdCount: 2 } });
    const key = putTarget(ln, tg, inst, 80);
    putListener(ln, arn, 8089, 'HTTP', forward(tg));
    await ln.lb.reconcile();
    await waitForHealth(ln, key, (x) => x.State === 'unhealthy' && /nothing listens/.test(x.Description ?? ''));
    const back = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => back.listen(port, '127.0.0.1', r));
    try {
      const h = await waitForHealth(ln, key, (x) => x.State === 'unhealthy' && /last check passed/.test(x.Description ?? ''));
      assert.equal(h.Reason, 'Target.FailedHealthChecks', 'the state and AWS reason stay until the threshold');
      assert.match(h.Description!, /^Health checks failed \(localnet: the last check passed; [1-4] of 5 passing checks in a row needed to turn healthy\)$/);
      await waitForHealth(ln, key, (x) => x.State === 'healthy');
    } finally {
      await new Promise<void>((r) => back.close(() => r()));
    }
  });

  it('health: a security group without the rule ends in Target.Timeout naming it; traffic gets 504', async () => {
    const { arn, address } = putLoadBalancer(ln, netw);
    const tg = putTargetGroup(ln, netw, { port: 80 });
    const key = putTarget(ln, tg, apiInstance);
    putListener(ln, arn, 8086, 'HTTP', forward(tg));
    await ln.lb.reconcile();
    await waitForHealth(ln, key, (x) => x.State === 'healthy');
    // Remove port 80 from the app security group (the rule that admits the load balancer's group).
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: netw.appSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: netw.lbSg }] }] }));
    await ln.lb.reconcile();
    const h = await waitForHealth(ln, key, (x) => x.State === 'unhealthy');
    assert.equal(h.Reason, 'Target.Timeout');
    assert.match(h.Description!, /^Request timed out \(localnet: the target's security groups \(sg-[0-9a-f]+\) have no inbound rule allowing TCP port 80 from the load balancer/);
    const r = await fetchOnce(`http://${address}:8086/`);
    assert.equal(r.status, 504, 'fail open to the blocked target: the connection times out');
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: netw.appSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: netw.lbSg }] }] }));
    await ln.lb.reconcile();
    await waitForHealth(ln, key, (x) => x.State === 'healthy');
  });

  it('internet clients get no answer when the security group does not admit the listener port; opening it lets them in', async () => {
    const { arn, address } = putLoadBalancer(ln, netw);
    const tg = putTargetGroup(ln, netw);
    putTarget(ln, tg, webInstance);
    putListener(ln, arn, 9000, 'HTTP', forward(tg));
    await ln.lb.reconcile();
    const b = ln.lb.bindings().find((x) => x.address === address)!;
    assert.match(b.blocked ?? '', /no inbound rule allowing TCP port 9000 from 0\.0\.0\.0\/0/);
    await assert.rejects(fetchOnce(`http://${address}:9000/`, { timeoutMs: 400 }), (e: NodeJS.ErrnoException) => e.code === 'CLIENT_TIMEOUT');
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: netw.lbSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 9000, ToPort: 9000, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    await ln.lb.reconcile();
    assert.equal((await fetchOnce(`http://${address}:9000/open`)).body, 'web /open');
  });

  it('target stickiness (AWSALB) keeps a client on one target', async () => {
    const { arn, address } = putLoadBalancer(ln, netw);
    const tg = putTargetGroup(ln, netw, { attributes: { 'stickiness.enabled': 'true', 'stickiness.type': 'lb_cookie', 'stickiness.lb_cookie.duration_seconds': '60' } });
    const k1 = putTarget(ln, tg, webInstance);
    const k2 = putTarget(ln, tg, apiInstance);
    putListener(ln, arn, 8088, 'HTTP', forward(tg));
    await ln.lb.reconcile();
    await waitForHealth(ln, k1, (h) => h.State === 'healthy');
    await waitForHealth(ln, k2, (h) => h.State === 'healthy');
    const first = await fetchOnce(`http://${address}:8088/`);
    const cookie = (first.headers['set-cookie'] ?? []).find((c) => c.startsWith('AWSALB='))!;
    assert.ok(cookie, 'AWSALB cookie set');
    assert.ok((first.headers['set-cookie'] ?? []).some((c) => c.startsWith('AWSALBCORS=') && /SameSite=None; Secure/.test(c)));
    const name = first.body.split(' ')[0];
    for (let i = 0; i < 6; i++) assert.equal((await fetchOnce(`http://${address}:8088/`, { headers: { cookie: cookie.split(';')[0] } })).body.split(' ')[0], name);
    const spread = new Set<string>();
    for (let i = 0; i < 4; i++) spread.add((await fetchOnce(`http://${address}:8088/`)).body.split(' ')[0]);
    assert.equal(spread.size, 2, 'without the cookie, round robin');
  });

  it('restart: listeners re-bound and health checks resume', async () => {
    const { arn, address } = putLoadBalancer(ln, netw);
    const tg = putTargetGroup(ln, netw);
    const key = putTarget(ln, tg, webInstance);
    putListener(ln, arn, 8087, 'HTTP', forward(tg));
    await ln.lb.reconcile();
    await waitForHealth(ln, key, (x) => x.State === 'healthy');
    assert.equal((await fetchOnce(`http://${address}:8087/a`)).body, 'web /a');
    ln = await ln.restart();
    assert.equal((await fetchOnce(`http://${address}:8087/b`)).body, 'web /b');
    assert.equal(health(ln, key)?.State, 'healthy', 'the stored state carries over');
    // Health checks run again.
    const before = web.requests.length;
    await new Promise((r) => setTimeout(r, 600));
    assert.ok(web.requests.slice(before).some((q) => q.headers['user-agent'] === 'ELB-HealthChecker/2.0'), 'health checks resumed');
  });
});
