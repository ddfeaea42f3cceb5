// The UDP flow table shared by NLB UDP listeners and endpoint interfaces:
// bounded (the flow idle longest goes first), idle flows swept, sockets closed.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { UdpFlows, type UdpFlow } from '../../src/lb/udp-flows.ts';

const flow = (): UdpFlow & { closed: boolean } => {
  const upstream = dgram.createSocket('udp4');
  const f = { upstream, lastSeen: 0, closed: false };
  upstream.on('close', () => (f.closed = true));
  upstream.bind(0, '127.0.0.1');
  return f;
};

test('a flood of new flows keeps at most max, dropping (and closing) the one idle longest', async () => {
  const flows = new UdpFlows<ReturnType<typeof flow>>(() => 60_000, 3);
  const made = ['a', 'b', 'c'].map((k) => {
    const f = flow();
    flows.add(k, f);
    return f;
  });
  assert.ok(flows.use('a'), 'a is used again: b is now the one idle longest');
  flows.add('d', flow());
  assert.equal(flows.size, 3);
  assert.equal(flows.use('b'), undefined);
  await sleep(20);
  assert.deepEqual(made.map((f) => f.closed), [false, true, false]);
  for (let i = 0; i < 100; i++) flows.add(`x${i}`, flow());
  assert.equal(flows.size, 3);
  flows.close();
  assert.equal(flows.size, 0);
});

test('flows idle past the timeout are swept', async () => {
  const flows = new UdpFlows<UdpFlow>(() => 100, 10);
  flows.add('a', flow());
  flows.add('b', flow());
  for (let i = 0; i < 6; i++) {
    await sleep(40);
    flows.use('b');
  }
  assert.equal(flows.use('a'), undefined, 'a idled past 100 ms');
  assert.ok(flows.use('b'), 'b kept being used');
  flows.close();
});
