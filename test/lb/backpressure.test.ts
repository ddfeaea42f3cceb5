// What a client connection may make the load balancer hold, seen from the
// client: a client that writes as fast as its socket takes it must find its
// writes stalling (the load balancer stops reading) when nothing can take
// the bytes, instead of the load balancer reading them into memory. Kernel
// socket buffers on loopback take some MB themselves, so the bounds are in
// MB while what is written is ten times more.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import net from 'node:net';
import { once } from 'node:events';
import { CreateSecurityGroupCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';
import { flood } from './client-floods.ts';
import { buildNetwork, forward, putListener, putLoadBalancer, putTarget, putTargetGroup, runInstance, startBackend, type Backend, type Net } from './fixtures.ts';

// 0.05: the 10 s connect timeout is 500 ms.
process.env.LOCALNET_LB_TIME_SCALE = '0.05';

const MB = 1024 * 1024;

describe('load balancer backpressure', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  let netw: Net;
  let web: Backend;

  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln);
    netw = await buildNetwork(ec2);
    web = await startBackend('web');
  });
  after(async () => {
    await ln?.stop();
    await web?.close();
  });

  it('an upload to a target the security groups cut off stalls the client and ends in 504, not in memory', async () => {
    // The instance's only group admits nothing from the load balancer: packets dropped, ALB waits for the connect timeout.
    const closedSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'closed', Description: 'closed', VpcId: netw.vpcId }))).GroupId!;
    const inst = await runInstance(ec2, netw, { 80: web.port }, [closedSg]);
    const { arn, address } = putLoadBalancer(ln, netw);
    const tg = putTargetGroup(ln, netw, { health: { HealthCheckEnabled: false } });
    putTarget(ln, tg, inst);
    putListener(ln, arn, 8080, 'HTTP', forward(tg));
    await ln.lb.reconcile();
    const total = 256 * MB;
    const r = await flood(address, 8080, `POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: ${total}\r\n\r\n`, Buffer.alloc(MB, 'u'), total);
    assert.match(r.answer, /^HTTP\/1\.1 504 Gateway Time-out\r\n/);
    assert.match(r.answer, /Connection: close/);
    assert.ok(r.stalled, 'the client found its writes stalling');
    // Before: the load balancer read the whole upload into memory (every byte written, no stall).
    assert.ok(r.written < 64 * MB, `the client wrote ${(r.written / MB).toFixed(1)} MB before the load balancer stopped reading`);
    assert.equal(web.requests.length, 0, 'nothing reached the target');
  });

  it('an upload to a target that accepts and never reads stalls the client and ends in 504 at the idle timeout', async () => {
    const sockets: net.Socket[] = [];
    // Accepts, then reads nothing: the kernel buffers fill and the load balancer's writes stop.
    const sink = net.createServer((s) => {
      s.pause();
      sockets.push(s);
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    const inst = await runInstance(ec2, netw, { 80: (sink.address() as net.AddressInfo).port });
    const { arn, address } = putLoadBalancer(ln, netw, { attributes: { 'idle_timeout.timeout_seconds': '1' } });
    const tg = putTargetGroup(ln, netw, { health: { HealthCheckEnabled: false } });
    putTarget(ln, tg, inst);
    putListener(ln, arn, 8081, 'HTTP', forward(tg));
    await ln.lb.reconcile();
    const total = 256 * MB;
    const r = await flood(address, 8081, `POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: ${total}\r\n\r\n`, Buffer.alloc(MB, 'u'), total, 300, 5000);
    assert.match(r.answer, /^HTTP\/1\.1 504 /);
    assert.ok(r.written < 128 * MB, `the client wrote ${(r.written / MB).toFixed(1)} MB before the load balancer stopped reading`);
    for (const s of sockets) s.destroy();
    sink.close();
  });

  it('pipelined requests from a client that never reads its answers wait unforwarded instead of piling answers up', async () => {
    let seen = 0;
    const answer = 'a'.repeat(4096);
    const counting = await startBackend('counting', (req, res) => {
      seen++;
      req.resume();
      res.end(answer);
    });
    const inst = await runInstance(ec2, netw, { 80: counting.port });
    const { arn, address } = putLoadBalancer(ln, netw);
    const tg = putTargetGroup(ln, netw, { health: { HealthCheckEnabled: false } });
    putTarget(ln, tg, inst);
    putListener(ln, arn, 8082, 'HTTP', forward(tg));
    await ln.lb.reconcile();
    const one = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n';
    const n = 8000;
    const client = net.connect({ host: address, port: 8082 });
    await once(client, 'connect');
    client.pause();
    client.write(one.repeat(n));
    // Until the count stays the same for 20 polls 50 ms apart (polls, not elapsed time: this process runs the load balancer too).
    let last = -1;
    for (let same = 0; same < 20 && seen < n; same = seen === last ? same + 1 : 0) {
      last = seen;
      await new Promise((r) => setTimeout(r, 50));
    }
    client.destroy();
    await counting.close();
    // Before: every request was forwarded and its 4 KB answer held for a client that reads none (32 MB).
    // The kernel's socket buffers take some MB of answers (one 4 KB answer each) before the load balancer stops.
    assert.ok(seen < n / 2, `${seen} of ${n} pipelined requests forwarded for a client that reads no answer`);
  });
});
