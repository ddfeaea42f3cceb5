// The NLB data plane's pure parts, table-driven: PROXY v2 headers (read back
// with the test's own parser), ALPN policies, the flow-hash choice with fail
// open, what a PrivateLink flow changes, and NLB health check settings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alpnProtocols } from '../../src/lb/nlb/alpn.ts';
import { chooseTarget, flowHash } from '../../src/lb/nlb/flow-hash.ts';
import { flowFacts } from '../../src/lb/nlb/privatelink.ts';
import { proxyV2Header } from '../../src/lb/nlb/proxy-protocol.ts';
import { settingsOf } from '../../src/lb/health.ts';
import type { HealthState, TargetGroupRecord } from '../../src/lb/records.ts';
import type { ResolvedTarget } from '../../src/lb/state.ts';
import { healthCheckDefaults } from '../../src/services/elbv2/health-check-settings.ts';
import { parseProxyV2 } from './nlb-fixtures.ts';

describe('PROXY protocol v2 header', () => {
  it('TCP over IPv4: signature, command, family, addresses and ports', () => {
    const buf = proxyV2Header({ transport: 'tcp', source: { address: '127.0.0.1', port: 40000 }, destination: { address: '127.81.0.3', port: 443 } });
    assert.equal(buf.length, 16 + 12);
    const p = parseProxyV2(buf)!;
    assert.deepEqual(p.header, { command: 0x21, family: 0x11, source: { address: '127.0.0.1', port: 40000 }, destination: { address: '127.81.0.3', port: 443 }, tlvs: [] });
  });
  it('a dual-stack view of an IPv4 peer is written as IPv4; UDP is family 0x12', () => {
    const p = parseProxyV2(proxyV2Header({ transport: 'udp', source: { address: '::ffff:127.0.0.9', port: 5 }, destination: { address: '127.81.0.3', port: 53 } }))!;
    assert.equal(p.header.family, 0x12);
    assert.equal(p.header.source?.address, '127.0.0.9');
  });
  it('IPv6: 36 address bytes', () => {
    const buf = proxyV2Header({ transport: 'tcp', source: { address: '::1', port: 1 }, destination: { address: '::1', port: 2 } });
    assert.equal(buf[13], 0x21);
    assert.equal(buf.readUInt16BE(14), 36);
    assert.equal(buf.subarray(16, 32).toString('hex'), '00000000000000000000000000000001');
  });
  it('PrivateLink: the AWS TLV (0xEA) with subtype 0x01 and the endpoint id', () => {
    const p = parseProxyV2(proxyV2Header({ transport: 'tcp', source: { address: '10.0.0.1', port: 1 }, destination: { address: '10.0.0.2', port: 2 }, vpcEndpointId: 'vpce-0abc' }))!;
    assert.equal(p.header.tlvs.length, 1);
    assert.equal(p.header.tlvs[0].type, 0xea);
    assert.deepEqual([...p.header.tlvs[0].value], [0x01, ...Buffer.from('vpce-0abc')]);
  });
});

describe('ALPN policy', () => {
  const table: [string | undefined, string[]][] = [
    ['HTTP1Only', ['http/1.1']], ['HTTP2Only', ['h2']], ['HTTP2Optional', ['http/1.1', 'h2']], ['HTTP2Preferred', ['h2', 'http/1.1']], ['None', []], [undefined, []],
  ];
  for (const [policy, want] of table) it(`${policy} → ${want.join(',') || 'no ALPN'}`, () => assert.deepEqual(alpnProtocols(policy), want));
});

describe('flow hash choice', () => {
  const t = (id: string, draining = false) => ({ key: id, id, draining }) as unknown as ResolvedTarget;
  const targets = [t('a'), t('b'), t('c'), t('d', true)];
  const health = (m: Record<string, HealthState>) => (k: string) => m[k];
  it('only healthy targets while some are healthy', () => {
    for (let port = 1000; port < 1100; port++) assert.equal(chooseTarget(targets, health({ a: 'unhealthy', b: 'healthy', c: 'unhealthy', d: 'healthy' }), flowHash('127.0.0.1', port), true)?.id, 'b');
  });
  it('fails open to every registered target (never a draining one) when none is healthy', () => {
    const seen = new Set<string>();
    for (let port = 1000; port < 1200; port++) seen.add(chooseTarget(targets, health({}), flowHash('127.0.0.1', port), true)!.id);
    assert.deepEqual([...seen].sort(), ['a', 'b', 'c']);
  });
  it('one flow always lands on one target; no live target → none', () => {
    const h = flowHash('127.0.0.5', 5555);
    const first = chooseTarget(targets, health({ a: 'healthy', b: 'healthy', c: 'healthy' }), h, true);
    assert.equal(chooseTarget(targets, health({ a: 'healthy', b: 'healthy', c: 'healthy' }), h, true), first);
    assert.equal(chooseTarget([t('x', true)], health({}), h, true), undefined);
  });
});

describe('PrivateLink flow facts', () => {
  const endpoints = new Map([['127.81.250.7', { endpointId: 'vpce-1', eniId: 'eni-1', privateIp: '10.0.1.77' }]]);
  const cases: [string, string, { securityGroups: string[]; enforceOnPrivateLink: boolean }, boolean, ReturnType<typeof flowFacts>][] = [
    ['direct client, preservation on', '127.0.0.1', { securityGroups: ['sg-1'], enforceOnPrivateLink: true }, true, { inboundRulesApply: true, clientIpPreserved: true }],
    ['direct client, NLB without groups', '127.0.0.1', { securityGroups: [], enforceOnPrivateLink: true }, false, { inboundRulesApply: false, clientIpPreserved: false }],
    ['endpoint, enforcement on', '127.81.250.7', { securityGroups: ['sg-1'], enforceOnPrivateLink: true }, true, { vpcEndpointId: 'vpce-1', inboundRulesApply: true, clientIpPreserved: false }],
    ['endpoint, enforcement off', '127.81.250.7', { securityGroups: ['sg-1'], enforceOnPrivateLink: false }, true, { vpcEndpointId: 'vpce-1', inboundRulesApply: false, clientIpPreserved: false }],
    ['endpoint, NLB without groups', '127.81.250.7', { securityGroups: [], enforceOnPrivateLink: true }, true, { vpcEndpointId: 'vpce-1', inboundRulesApply: false, clientIpPreserved: false }],
  ];
  for (const [name, remote, lb, preserve, want] of cases) it(name, () => assert.deepEqual(flowFacts(remote, endpoints, lb, { preserveClientIp: preserve }), want));
});

describe('NLB health check settings', () => {
  it('AWS defaults: interval 30 s, timeout 10 s (TCP, HTTPS) or 6 s (HTTP), thresholds 5 and 2, matcher 200-399', () => {
    const tcp = healthCheckDefaults('TCP', 'instance', undefined);
    assert.deepEqual([tcp.HealthCheckProtocol, tcp.HealthCheckIntervalSeconds, tcp.HealthCheckTimeoutSeconds, tcp.HealthyThresholdCount, tcp.UnhealthyThresholdCount], ['TCP', 30, 10, 5, 2]);
    assert.equal(healthCheckDefaults('TCP', 'instance', undefined, 'HTTP').HealthCheckTimeoutSeconds, 6);
    assert.equal(healthCheckDefaults('TLS', 'instance', undefined, 'HTTPS').HealthCheckTimeoutSeconds, 10);
    assert.equal(healthCheckDefaults('UDP', 'instance', undefined, 'HTTP').Matcher?.HttpCode, '200-399');
  });
  it('the checker: TCP for TCP, TLS and UDP groups without an HTTP check, scaled in time', () => {
    const tg = (p: Partial<TargetGroupRecord>) => ({ Protocol: 'TCP', ...p }) as TargetGroupRecord;
    assert.equal(settingsOf(tg({}), 1).protocol, 'TCP');
    assert.equal(settingsOf(tg({ Protocol: 'UDP' }), 1).timeoutMs, 10_000);
    assert.equal(settingsOf(tg({ Protocol: 'TLS', HealthCheckProtocol: 'HTTP' }), 0.5).timeoutMs, 3000);
    assert.equal(settingsOf(tg({ HealthCheckProtocol: 'HTTPS' }), 1).matcher, '200-399');
    assert.equal(settingsOf({ Protocol: 'HTTP' } as TargetGroupRecord, 1).protocol, 'HTTP');
  });
});
