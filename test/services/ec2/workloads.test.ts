import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWorkloadValue, workloadAddress, workloadPorts, type WorkloadTarget } from '../../../src/services/ec2/workloads.ts';

describe('workload port mapping', () => {
  const cases: [string, WorkloadTarget['kind'], string?, number?][] = [
    ['127.0.0.1:3000', 'mapped', '127.0.0.1', 3000],
    ['127.1.2.3:8080', 'mapped', '127.1.2.3', 8080],
    ['localhost:5173', 'mapped', 'localhost', 5173],
    ['[::1]:9000', 'mapped', '::1', 9000],
    ['3000', 'mapped', '127.0.0.1', 3000],
    [' 127.0.0.1:3000 ', 'mapped', '127.0.0.1', 3000],
    ['10.0.0.5:80', 'invalid'],
    ['192.168.1.10:80', 'invalid'],
    ['example.com:80', 'invalid'],
    ['[2001:db8::1]:80', 'invalid'],
    ['128.0.0.1:80', 'invalid'],
    ['127.0.0.1:0', 'invalid'],
    ['127.0.0.1:65536', 'invalid'],
    ['127.0.0.1', 'invalid'],
    ['', 'invalid'],
  ];
  for (const [value, kind, host, port] of cases) {
    it(`reads '${value}' as ${kind}`, () => {
      const t = parseWorkloadValue(value);
      assert.equal(t.kind, kind, JSON.stringify(t));
      if (t.kind === 'mapped') assert.deepEqual([t.host, t.port], [host, port]);
      if (t.kind === 'invalid') assert.ok(t.reason.length > 0);
    });
  }

  it('finds the tag for the asked port only', () => {
    const instance = { Tags: [{ Key: 'localnet:port:80', Value: '127.0.0.1:3000' }, { Key: 'localnet:port:443', Value: '8443' }, { Key: 'Name', Value: 'web' }] };
    assert.deepEqual(workloadAddress(instance, 80), { kind: 'mapped', host: '127.0.0.1', port: 3000 });
    assert.deepEqual(workloadAddress(instance, 443), { kind: 'mapped', host: '127.0.0.1', port: 8443 });
    assert.deepEqual(workloadAddress(instance, 8080), { kind: 'unmapped' });
    assert.deepEqual(workloadAddress({}, 80), { kind: 'unmapped' });
    assert.deepEqual(
      workloadPorts(instance).map((p) => p.port),
      [80, 443],
    );
  });
});
