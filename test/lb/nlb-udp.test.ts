// The UDP half of an NLB listener on its own: one upstream socket per client
// flow, replies relayed back to the right client, flows forgotten after the
// idle timeout, the flow idle longest dropped when the bound is reached, and
// datagrams the network rules drop left unanswered.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { UdpListener } from '../../src/lb/nlb/udp-listener.ts';
import type { ResolvedNlbListener } from '../../src/lb/nlb/state.ts';
import type { ProxyContext } from '../../src/lb/proxy.ts';
import type { ResolvedGroup, ResolvedTarget } from '../../src/lb/state.ts';
import { startUdpEcho, type UdpEcho } from './nlb-fixtures.ts';

const OPEN = { allowed: true as const };

function client(): Promise<{ ask(port: number, msg: string, ms?: number): Promise<string | undefined>; close(): void }> {
  const s = dgram.createSocket('udp4');
  return new Promise((resolve) => s.bind(0, '127.0.0.1', () => resolve({
    ask: (port, msg, ms = 500) => new Promise((res) => {
      const t = setTimeout(() => { s.off('message', on); res(undefined); }, ms);
      const on = (m: Buffer) => { clearTimeout(t); s.off('message', on); res(m.toString()); };
      s.on('message', on);
      s.send(msg, port, '127.0.0.1');
    }),
    close: () => s.close(),
  })));
}

describe('NLB UDP flows', () => {
  let echo: UdpEcho;
  let listener: UdpListener;
  let port: number;
  const config = { protocol: 'UDP', groupArn: 'tg', udpIdleTimeoutMs: 300, ingress: { tcp: OPEN, udp: OPEN } } as unknown as ResolvedNlbListener;

  before(async () => {
    echo = await startUdpEcho();
    const target = { key: 'tg|i-1|53', draining: false, traffic: { kind: 'mapped', host: '127.0.0.1', port: echo.port }, trafficPath: OPEN } as unknown as ResolvedTarget;
    const group = { arn: 'tg', targets: [target], record: { HealthCheckEnabled: true } } as unknown as ResolvedGroup;
    const ctx = { state: { groups: new Map([['tg', group]]) }, health: () => 'healthy', timeScale: 1, log: () => {} } as unknown as ProxyContext;
    listener = new UdpListener(config, ctx, 2);
    // Port 0: the kernel picks one; read it back from a probe below.
    const probe = dgram.createSocket('udp4');
    await new Promise<void>((r) => probe.bind(0, '127.0.0.1', () => r()));
    port = probe.address().port;
    probe.close();
    await listener.bind('127.0.0.1', port);
  });
  after(() => {
    listener?.close();
    echo?.close();
  });

  it('answers each client on its own flow; at most two flows, the one idle longest dropped first', async () => {
    const [a, b, c] = await Promise.all([client(), client(), client()]);
    assert.equal(await a.ask(port, 'a1'), 'udp:a1');
    assert.equal(await b.ask(port, 'b1'), 'udp:b1');
    assert.equal(listener.size, 2);
    assert.equal(await c.ask(port, 'c1'), 'udp:c1');
    assert.equal(listener.size, 2);
    assert.equal(await a.ask(port, 'a2'), 'udp:a2');
    for (const x of [a, b, c]) x.close();
  });

  it('forgets flows after the idle timeout', async () => {
    const until = Date.now() + 5000;
    while (listener.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    assert.equal(listener.size, 0);
  });

  it('drops datagrams the network rules block: no answer, no flow', async () => {
    listener.update({ ...config, ingress: { tcp: OPEN, udp: { allowed: false, code: 'SUBNET_ACL_RESTRICTION', component: 'acl-1', explanation: 'x' } } });
    const a = await client();
    assert.equal(await a.ask(port, 'dropped', 300), undefined);
    assert.equal(listener.size, 0);
    a.close();
    listener.update(config);
  });
});
