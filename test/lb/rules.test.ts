import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileCondition, compileRules, hostWithoutPort, queryPairs, selectRule, wildcardRegExp, type RequestFacts, type RuleCondition } from '../../src/lb/rules.ts';

function req(over: Partial<RequestFacts> = {}): RequestFacts {
  return { host: 'www.example.com', path: '/', query: '', method: 'GET', headers: {}, sourceIp: '127.0.0.1', ...over };
}

describe('listener rule conditions (ALB semantics)', () => {
  const cases: [string, RuleCondition, Partial<RequestFacts>, boolean][] = [
    ['host exact, case-insensitive', { Field: 'host-header', HostHeaderConfig: { Values: ['WWW.Example.com'] } }, {}, true],
    ['host wildcard *', { Field: 'host-header', HostHeaderConfig: { Values: ['*.example.com'] } }, {}, true],
    ['*.example.com does not match the apex', { Field: 'host-header', HostHeaderConfig: { Values: ['*.example.com'] } }, { host: 'example.com' }, false],
    ['host ? is exactly one character', { Field: 'host-header', HostHeaderConfig: { Values: ['ww?.example.com'] } }, {}, true],
    ['host ? does not match two', { Field: 'host-header', HostHeaderConfig: { Values: ['w?.example.com'] } }, {}, false],
    ['host values are OR-ed', { Field: 'host-header', HostHeaderConfig: { Values: ['a.example.com', 'www.example.com'] } }, {}, true],
    ['legacy Values form', { Field: 'host-header', Values: ['www.example.com'] }, {}, true],
    ['host dot is literal', { Field: 'host-header', HostHeaderConfig: { Values: ['wwwxexample.com'] } }, {}, false],
    ['path exact', { Field: 'path-pattern', PathPatternConfig: { Values: ['/api'] } }, { path: '/api' }, true],
    ['path is case-sensitive', { Field: 'path-pattern', PathPatternConfig: { Values: ['/API/*'] } }, { path: '/api/x' }, false],
    ['path wildcard spans slashes', { Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }, { path: '/api/v1/users' }, true],
    ['path does not see the query', { Field: 'path-pattern', PathPatternConfig: { Values: ['*x=1*'] } }, { path: '/a', query: 'x=1' }, false],
    ['path regex characters are literal', { Field: 'path-pattern', PathPatternConfig: { Values: ['/a.b(c)'] } }, { path: '/a.b(c)' }, true],
    ['header name case-insensitive, value wildcard', { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'User-Agent', Values: ['*mobile*'] } }, { headers: { 'user-agent': 'X Mobile Y' } }, true],
    ['header absent', { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Env', Values: ['*'] } }, {}, false],
    ['header list values', { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'x-a', Values: ['b'] } }, { headers: { 'x-a': ['a', 'b'] } }, true],
    ['method exact', { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['POST', 'PUT'] } }, { method: 'PUT' }, true],
    ['method case-sensitive', { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['post'] } }, { method: 'POST' }, false],
    ['query key/value', { Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'version', Value: 'v1' }] } }, { query: 'a=b&version=v1' }, true],
    ['query value only (any key)', { Field: 'query-string', QueryStringConfig: { Values: [{ Value: 'bl*e' }] } }, { query: 'color=BLUE' }, true],
    ['query wrong value', { Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'version', Value: 'v1' }] } }, { query: 'version=v2' }, false],
    ['query decoded', { Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'q', Value: 'a b' }] } }, { query: 'q=a%20b' }, true],
    ['query none', { Field: 'query-string', QueryStringConfig: { Values: [{ Value: '*' }] } }, {}, false],
    ['source ip in CIDR', { Field: 'source-ip', SourceIpConfig: { Values: ['127.0.0.0/8'] } }, {}, true],
    ['source ip v4-mapped', { Field: 'source-ip', SourceIpConfig: { Values: ['10.0.0.0/8'] } }, { sourceIp: '::ffff:10.1.2.3' }, true],
    ['source ip outside', { Field: 'source-ip', SourceIpConfig: { Values: ['10.0.0.0/8'] } }, {}, false],
    ['source ip ignores X-Forwarded-For', { Field: 'source-ip', SourceIpConfig: { Values: ['10.0.0.0/8'] } }, { headers: { 'x-forwarded-for': '10.0.0.1' } }, false],
    ['unknown field never matches', { Field: 'weird' }, {}, false],
  ];
  for (const [name, cond, facts, want] of cases) {
    it(name, () => assert.equal(compileCondition(cond)(req(facts)), want));
  }
});

describe('rule order', () => {
  const rules = compileRules(
    [
      { Priority: 'default', IsDefault: true, name: 'default' },
      { Priority: '20', Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }], name: 'api' },
      { Priority: '5', Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }, { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['POST'] } }], name: 'api-post' },
      { Priority: '10', Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['admin.*'] } }], name: 'admin' },
    ],
    (r) => r.name,
  );
  const cases: [Partial<RequestFacts>, string][] = [
    [{ path: '/api/x', method: 'POST' }, 'api-post'],
    [{ path: '/api/x' }, 'api'],
    [{ host: 'admin.example.com', path: '/api/x' }, 'admin'],
    [{ host: 'admin.example.com', path: '/api/x', method: 'POST' }, 'api-post'],
    [{ path: '/other' }, 'default'],
  ];
  for (const [facts, want] of cases) it(`${JSON.stringify(facts)} -> ${want}`, () => assert.equal(selectRule(rules, req(facts))?.action, want));
  it('numeric priorities sort numerically, default last', () => assert.deepEqual(rules.map((r) => r.action), ['api-post', 'admin', 'api', 'default']));
});

describe('helpers', () => {
  it('wildcards', () => {
    assert.ok(wildcardRegExp('a*c', false).test('abbbc'));
    assert.ok(wildcardRegExp('a*c', false).test('ac'));
    assert.ok(!wildcardRegExp('a?c', false).test('ac'));
  });
  it('host without port', () => {
    assert.equal(hostWithoutPort('example.com:8080'), 'example.com');
    assert.equal(hostWithoutPort('[::1]:80'), '[::1]');
    assert.equal(hostWithoutPort(undefined), '');
  });
  it('query pairs', () => assert.deepEqual(queryPairs('a=1&b&c=x%2By'), [['a', '1'], ['b', ''], ['c', 'x+y']]));
});
