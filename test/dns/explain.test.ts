// `localnet dig` explanations: the lines name the handler and the reason.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explain } from '../../src/dns/explain.ts';
import { sampleSnapshot } from './fixtures.ts';

const snap = sampleSnapshot();
const text = (view: string, name: string, type = 'A') => explain(snap, view, name, type).join('\n');

describe('explain', () => {
  it('private zone shadowing a public record', () => {
    const t = text('vpc-aaaa', 'v2.registry.sample.io');
    assert.match(t, /private zone Z4REGISTRY \(registry\.sample\.io\) is associated with vpc-aaaa/);
    assert.match(t, /NXDOMAIN/);
    assert.match(t, /public record is not consulted/);
  });
  it('two public zones, one delegated', () => {
    assert.match(text('public', 'host1.example.com'), /2 public zones exist for example\.com; the world is delegated to Z1PUBLIC \(ns-1\.awsdns-01\.com, …\); Z2SHADOW not answering publicly/);
  });
  it('DNS support off', () => {
    assert.match(text('vpc-bbbb', 'host1.example.com'), /enableDnsSupport is off for vpc-bbbb: the Route 53 Resolver at VPC\+2 does not answer/);
  });
  it('wildcard, alias and the final answer', () => {
    assert.match(text('public', 'q.wild.example.com'), /wildcard \*\.wild\.example\.com in zone Z1PUBLIC matches it/);
    const t = text('public', 'alb.example.com');
    assert.match(t, /load balancer my-alb-1234567890/);
    assert.match(t, /answered by: public-zone; NOERROR, authoritative \(AA\)\n {2}alb\.example\.com\. 60 A 127\.100\.0\.1/);
  });
  it('names outside every view', () => {
    assert.match(text('public', 'www.google.com'), /REFUSED \(localnet does not recurse to the real internet\)/);
  });
});
