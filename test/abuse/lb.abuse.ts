// The Application Load Balancer's data plane under abuse, against a real
// `localnet start`: uploads of hundreds of MB to a target the security groups
// cut off (held until the 504) and to a target that accepts and never reads,
// and pipelining clients that never read their answers. Each loop is bounded;
// afterwards the process still answers and its RSS stayed under
// RSS_BOUND_MB and within GROWTH_MB of what it was after setup.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, ElasticLoadBalancingV2Client, ModifyLoadBalancerAttributesCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { buildNetwork, runInstance, startBackend, type Backend } from '../lb/fixtures.ts';
import { flood } from '../lb/client-floods.ts';
import { RSS_BOUND_MB, startAbuseTarget, type AbuseTarget } from './harness.ts';

/**
 * Besides the suite's RSS_BOUND_MB: growth over the RSS after setup (about
 * 135 MB when run through tsx). Each connection holds at most about 200 KB
 * of its own; the rest is what passed through and waits for the collector.
 */
const GROWTH_MB = 64;
const MB = 1024 * 1024;

describe('load balancer abuse', () => {
  let t: AbuseTarget;
  let web: Backend;
  let sink: net.Server;
  const sinkSockets = new Set<net.Socket>();
  /** `address:port` of each listener, by its port. */
  const listeners = new Map<number, { host: string; port: number }>();
  let baseMb = 0;

  before(async () => {
    // 0.5: the 10 s connect timeout is 5 s, long enough for an unbounded load balancer to read GBs meanwhile.
    t = await startAbuseTarget('127.92.0.0/16', { LOCALNET_LB_TIME_SCALE: '0.5' });
    const config = { endpoint: t.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
    const ec2 = new EC2Client(config);
    const elb = new ElasticLoadBalancingV2Client(config);
    web = await startBackend('web');
    // Accepts and never reads.
    sink = net.createServer((s) => {
      s.pause();
      sinkSockets.add(s);
      s.on('close', () => sinkSockets.delete(s));
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    const netw = await buildNetwork(ec2);
    // An instance whose only group admits nothing: the load balancer's packets are dropped (504 after the connect timeout).
    const closedSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'closed', Description: 'closed', VpcId: netw.vpcId }))).GroupId!;
    const blocked = await runInstance(ec2, netw, { 80: web.port }, [closedSg]);
    const sinkInstance = await runInstance(ec2, netw, { 80: (sink.address() as net.AddressInfo).port });
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: netw.lbSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 9000, ToPort: 9000, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'abuse', Subnets: netw.publicSubnets, SecurityGroups: [netw.lbSg], Scheme: 'internet-facing', Type: 'application' }))).LoadBalancers![0];
    // The sink's 504 comes after 1 s without progress.
    await elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn, Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '1' }] }));
    const group = async (name: string, instance: string) => {
      const arn = (await elb.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 80, VpcId: netw.vpcId, TargetType: 'instance' }))).TargetGroups![0].TargetGroupArn!;
      await elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: instance }] }));
      return arn;
    };
    const forwardTo = async (port: number, tg: string) => elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }] }));
    await forwardTo(8080, await group('blocked', blocked));
    await forwardTo(8081, await group('sink', sinkInstance));
    // ALB's largest fixed response (1024 characters): about 1.2 KB of answer per 27-byte request.
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 9000, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', ContentType: 'text/plain', MessageBody: 'x'.repeat(1024) } }] }));
    // The listeners bind once the data plane reconciles: /_localnet/health lists them as `lb <name> HTTP <port>` -> address:bound port.
    const until = Date.now() + 10_000;
    while (listeners.size < 3 && Date.now() < until) {
      const health = (await (await fetch(`${t.endpoint}/_localnet/health`)).json()) as { ports: Record<string, string | number> };
      for (const port of [8080, 8081, 9000]) {
        const at = health.ports[`lb abuse HTTP ${port}`];
        if (typeof at === 'string') {
          const i = at.lastIndexOf(':');
          listeners.set(port, { host: at.slice(0, i), port: Number(at.slice(i + 1)) });
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(listeners.size, 3, 'the listeners are bound');
    baseMb = t.rssMb();
  });

  function assertBounded(peakMb: number): void {
    assert.ok(peakMb < RSS_BOUND_MB && peakMb - baseMb < GROWTH_MB, `RSS peaked at ${peakMb.toFixed(0)} MB (${baseMb.toFixed(0)} MB after setup)`);
  }
  after(async () => {
    await t?.stop();
    await web?.close();
    for (const s of sinkSockets) s.destroy();
    sink?.close();
  });

  /** Four concurrent uploads of 400 MB each, as fast as the sockets take them; each must stall and end in 504. */
  async function uploads(port: number): Promise<void> {
    const { host, port: bound } = listeners.get(port)!;
    const total = 400 * MB;
    const head = `POST /upload HTTP/1.1\r\nHost: abuse.example\r\nContent-Length: ${total}\r\n\r\n`;
    const { result, peakMb } = await t.peakDuring(() => Promise.all(Array.from({ length: 4 }, () => flood(host, bound, head, Buffer.alloc(MB, 'u'), total, 500, 8000))));
    assertBounded(peakMb);
    for (const r of result) {
      assert.match(r.answer, /^HTTP\/1\.1 504 Gateway Time-out\r\n/);
      assert.ok(r.stalled, 'the client found its writes stalling');
      assert.ok(r.written < 100 * MB, `${(r.written / MB).toFixed(0)} MB written before the load balancer stopped reading`);
    }
    assert.equal(await t.answers(), true);
  }

  it('uploads to a target the security groups cut off are held without reading them: 504, RSS bounded', () => uploads(8080));

  it('uploads to a target that accepts and never reads: 504 at the idle timeout, RSS bounded', () => uploads(8081));

  it('pipelining clients that never read their answers: RSS bounded', async () => {
    const { host, port } = listeners.get(9000)!;
    const one = 'GET / HTTP/1.1\r\nHost: abuse.example\r\n\r\n';
    const payload = Buffer.from(one.repeat(Math.floor((4 * MB) / one.length)));
    const { peakMb } = await t.peakDuring(async () => {
      // Eight clients write 4 MB of requests each (about 1.2 GB of answers) and read nothing for 3 s.
      const clients = Array.from({ length: 8 }, () => {
        const s = net.connect({ host, port }, () => {
          s.pause();
          for (let at = 0; at < payload.length; at += 64 * 1024) s.write(payload.subarray(at, at + 64 * 1024));
        });
        s.on('error', () => {});
        return s;
      });
      await new Promise((r) => setTimeout(r, 3000));
      for (const s of clients) s.destroy();
    });
    assertBounded(peakMb);
    assert.equal(await t.answers(), true);
  });

  it('slow clients dribbling their heads do not keep others from being answered', async () => {
    const { host, port } = listeners.get(9000)!;
    const { result: answered, peakMb } = await t.peakDuring(async () => {
      // 300 clients send a head a few bytes every 100 ms for 3 s (a head stays under ALB's 64 KB limit meanwhile).
      const slow = Array.from({ length: 300 }, () => {
        const s = net.connect({ host, port }, () => s.write('GET / HTTP/1.1\r\nHost: abuse.example\r\n'));
        s.on('error', () => {});
        return s;
      });
      const drip = setInterval(() => {
        for (const s of slow) if (!s.destroyed) s.write('X-Slow: 1\r\n');
      }, 100);
      let ok = 0;
      const until = Date.now() + 3000;
      while (Date.now() < until) {
        const res = await fetch(`http://${host}:${port}/`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
        if (res?.status === 200 && (await res.text()).length === 1024) ok++;
        await new Promise((r) => setTimeout(r, 200));
      }
      clearInterval(drip);
      for (const s of slow) s.destroy();
      return ok;
    });
    assert.ok(answered >= 5, `${answered} answers for a regular client meanwhile`);
    assertBounded(peakMb);
    assert.equal(await t.answers(), true);
  });
});
