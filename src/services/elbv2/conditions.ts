// Rule conditions as AWS validates and echoes them (API_RuleCondition,
// CreateRule): the six fields, at most one host-header, path-pattern,
// http-request-method and source-ip each per rule, at most 5 match
// evaluations and 5 wildcards per rule, values' lengths and characters.
// host-header and path-pattern are echoed with both the legacy Values and
// their *Config, as AWS does.
import { AwsError } from '../../aws/errors.ts';
import { parseCidr4, parseCidr6 } from '../../net/cidr.ts';
import type { Condition } from './types.ts';

const SINGLE = ['host-header', 'path-pattern', 'http-request-method', 'source-ip'];
const MAX_EVALUATIONS = 5;
const MAX_WILDCARDS = 5;
const MAX_VALUE = 128;

const bad = (message: string) => new AwsError('ValidationError', message);

function values(v: string[] | undefined, field: string): string[] {
  if (!v?.length) throw bad(`A '${field}' condition must have at least one value`);
  return v;
}

function checkChars(field: string, v: string, pattern: RegExp, allowed: string): void {
  if (v.length === 0 || v.length > MAX_VALUE) throw bad(`'${field}' condition values must be 1 to ${MAX_VALUE} characters: '${v}'`);
  if (!pattern.test(v)) throw bad(`'${field}' condition value '${v}' can only contain ${allowed}`);
}

/**
 * The legacy Values of host-header and path-pattern take one value; several
 * need the *Config. AWS refuses more with a ValidationError; this wording is
 * unverified (AWS's own text was not found).
 */
function legacy(v: string[] | undefined, field: string, config: string): void {
  if (v && v.length > 1) throw bad(`A condition of type '${field}' can have only one value in 'Values'; use '${config}' to specify several values`);
}

const wildcards = (s: string) => (s.match(/[*?]/g) ?? []).length;

/** Validates the conditions and returns them as AWS stores them. */
export function validateConditions(conditions: Condition[] | undefined): Condition[] {
  const seen = new Set<string>();
  let evaluations = 0;
  let wild = 0;
  const out = (conditions ?? []).map((c): Condition => {
    const field = c.Field;
    if (!field) throw bad('A condition field must be specified');
    if (SINGLE.includes(field) && seen.has(field)) throw bad(`A rule can only have one '${field}' condition`);
    seen.add(field);
    switch (field) {
      case 'host-header': {
        if (c.Values?.length && c.HostHeaderConfig) throw bad("You cannot provide both Values and 'HostHeaderConfig' for a condition of type 'host-header'");
        legacy(c.Values, field, 'HostHeaderConfig');
        const v = values(c.HostHeaderConfig?.Values ?? c.Values, field);
        for (const x of v) checkChars(field, x, /^[A-Za-z0-9.*?-]+$/, 'A-Z, a-z, 0-9, - . * ?');
        evaluations += v.length;
        wild += v.reduce((n, x) => n + wildcards(x), 0);
        return { Field: field, Values: v, HostHeaderConfig: { Values: v } };
      }
      case 'path-pattern': {
        if (c.Values?.length && c.PathPatternConfig) throw bad("You cannot provide both Values and 'PathPatternConfig' for a condition of type 'path-pattern'");
        legacy(c.Values, field, 'PathPatternConfig');
        const v = values(c.PathPatternConfig?.Values ?? c.Values, field);
        for (const x of v) checkChars(field, x, /^[A-Za-z0-9_\-.$/~"'@:+&*?]+$/, 'A-Z, a-z, 0-9, _ - . $ / ~ " \' @ : + & * ?');
        evaluations += v.length;
        wild += v.reduce((n, x) => n + wildcards(x), 0);
        return { Field: field, Values: v, PathPatternConfig: { Values: v } };
      }
      case 'http-header': {
        const hc = c.HttpHeaderConfig;
        if (!hc?.HttpHeaderName) throw bad("An 'http-header' condition needs HttpHeaderConfig with a header name");
        if (hc.HttpHeaderName.length > 40 || !/^[A-Za-z0-9!#$%&'+.^_`|~-]+$/.test(hc.HttpHeaderName)) throw bad(`'${hc.HttpHeaderName}' is not a valid HTTP header name (at most 40 characters, no wildcards)`);
        const v = values(hc.Values, field);
        for (const x of v) if (x.length === 0 || x.length > MAX_VALUE) throw bad(`'http-header' condition values must be 1 to ${MAX_VALUE} characters: '${x}'`);
        evaluations += v.length;
        wild += v.reduce((n, x) => n + wildcards(x), 0);
        return { Field: field, HttpHeaderConfig: { HttpHeaderName: hc.HttpHeaderName, Values: v } };
      }
      case 'http-request-method': {
        const v = values(c.HttpRequestMethodConfig?.Values, field);
        for (const x of v) if (!/^[A-Z_-]{1,40}$/.test(x)) throw bad(`'${x}' is not a valid HTTP request method (A-Z, - and _, at most 40 characters; methods are case-sensitive)`);
        evaluations += v.length;
        return { Field: field, HttpRequestMethodConfig: { Values: v } };
      }
      case 'query-string': {
        const v = c.QueryStringConfig?.Values;
        if (!v?.length) throw bad("A 'query-string' condition needs QueryStringConfig with at least one key/value pair");
        for (const kv of v) {
          if (!kv.Value) throw bad("Each 'query-string' condition pair needs a value");
          if (kv.Value.length > MAX_VALUE || (kv.Key ?? '').length > MAX_VALUE) throw bad(`'query-string' keys and values can be at most ${MAX_VALUE} characters`);
          wild += wildcards(kv.Value) + wildcards(kv.Key ?? '');
        }
        evaluations += v.length;
        return { Field: field, QueryStringConfig: { Values: v.map((kv) => (kv.Key === undefined ? { Value: kv.Value } : { Key: kv.Key, Value: kv.Value })) } };
      }
      case 'source-ip': {
        const v = values(c.SourceIpConfig?.Values, field);
        for (const x of v) if (!parseCidr4(x) && !parseCidr6(x)) throw bad(`'${x}' is not a valid CIDR block for a 'source-ip' condition`);
        evaluations += v.length;
        return { Field: field, SourceIpConfig: { Values: v } };
      }
      default:
        throw bad(`Condition field '${field}' is not valid; use host-header, path-pattern, http-header, http-request-method, query-string or source-ip`);
    }
  });
  if (evaluations > MAX_EVALUATIONS) throw bad(`A rule can have at most ${MAX_EVALUATIONS} match evaluations; this one has ${evaluations}`);
  if (wild > MAX_WILDCARDS) throw bad(`A rule can have at most ${MAX_WILDCARDS} wildcards; this one has ${wild}`);
  return out;
}
