// Request parsing shared by the two form-encoded protocols, ec2 and query.
// Keys like `Filter.1.Value.2=x` are first folded into a tree, then read
// against the operation's input shape. The two dialects differ only in how
// members and lists are named:
//   ec2:   member name = queryName ?? Capitalized(locationName) ?? name; every list is `Name.N`
//   query: member name = locationName ?? name; lists are `Name.member.N` unless flattened
import { AwsError } from '../errors.ts';
import { resolve, type ServiceModel, type Shape } from '../model.ts';
import { isUnsafeName } from './unsafe-names.ts';
import type { WireRequest } from './wire.ts';

export type Dialect = 'ec2' | 'query';
type Tree = { [key: string]: Tree | string };

/** Parameters that carry the request's identity or signature, not the operation's input. */
const ENVELOPE = /^(Action|Version|AWSAccessKeyId|Signature|SignatureMethod|SignatureVersion|Timestamp|Expires|SecurityToken|X-Amz-.*)$/i;

const parsed = new WeakMap<WireRequest, URLSearchParams>();

/** The query string and form body of a request as one parameter list (parsed once per request). */
export function formParams(req: WireRequest): URLSearchParams {
  let params = parsed.get(req);
  if (params) return params;
  params = new URLSearchParams(req.query);
  parsed.set(req, params);
  const type = String(req.headers['content-type'] ?? '');
  if (req.body.length > 0 && (type === '' || type.includes('application/x-www-form-urlencoded'))) {
    for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params.append(k, v);
  }
  return params;
}

function badInput(dialect: Dialect, message: string): AwsError {
  return new AwsError(dialect === 'ec2' ? 'InvalidParameterValue' : 'ValidationError', message, 400);
}

/** A tree node without a prototype: a key such as `__proto__` is then only ever an own key. */
function newNode(): Tree {
  return Object.create(null) as Tree;
}

export function buildTree(params: URLSearchParams, dialect: Dialect): Tree {
  const root = newNode();
  for (const [key, value] of params) {
    if (ENVELOPE.test(key)) continue;
    const parts = key.split('.');
    const unsafe = parts.find(isUnsafeName);
    if (unsafe !== undefined) throw badInput(dialect, `The parameter ${key} is not valid: '${unsafe}' cannot be a parameter name.`);
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const next = node[parts[i]];
      if (typeof next === 'string') throw badInput(dialect, `The parameter ${parts.slice(0, i + 1).join('.')} cannot be both a value and a group.`);
      node = next ?? (node[parts[i]] = newNode());
    }
    const last = parts[parts.length - 1];
    if (typeof node[last] === 'object') throw badInput(dialect, `The parameter ${key} cannot be both a value and a group.`);
    node[last] = value;
  }
  return root;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function memberKey(dialect: Dialect, name: string, ref: Shape, shape: Shape): string {
  if (dialect === 'ec2') return ref.queryName ?? shape.queryName ?? (ref.locationName ? capitalize(ref.locationName) : name);
  return ref.locationName ?? name;
}

/** Lower-camel form used in query-protocol validation messages (loadBalancerArn). */
function camel(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/**
 * Reads an operation's input. `enums` (query protocol only, see ../enums.ts)
 * constrains top-level string members to a value set, answered with AWS's
 * standard validation message.
 */
export function readInput(model: ServiceModel, input: Shape | undefined, tree: Tree, dialect: Dialect, enums?: Record<string, string[]>): Record<string, unknown> {
  if (!input) return {};
  const out = readStructure(model, resolve(model, input), tree, dialect, '');
  if (enums) {
    for (const [name, value] of Object.entries(out)) {
      const allowed = enums[name];
      if (allowed && typeof value === 'string' && !allowed.includes(value)) {
        throw new AwsError('ValidationError', `1 validation error detected: Value '${value}' at '${camel(name)}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`, 400);
      }
    }
  }
  return out;
}

function readStructure(model: ServiceModel, shape: Shape, node: Tree, dialect: Dialect, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const member = resolve(model, ref);
    const key = memberKey(dialect, name, ref, member);
    seen.add(key);
    const raw = node[key];
    if (raw === undefined) continue;
    out[name] = readValue(model, member, raw, dialect, path ? `${path}.${key}` : key);
  }
  if (dialect === 'ec2') {
    const unknown = Object.keys(node).find((k) => !seen.has(k));
    if (unknown !== undefined) throw new AwsError('UnknownParameter', `The parameter ${path ? `${path}.${unknown}` : unknown} is not recognized`, 400);
  }
  for (const name of shape.required ?? []) {
    if (out[name] !== undefined) continue;
    const ref = shape.members![name];
    const key = memberKey(dialect, name, ref, resolve(model, ref));
    if (dialect === 'ec2') throw new AwsError('MissingParameter', `The request must contain the parameter ${path ? `${path}.${key}` : key}`, 400);
    throw new AwsError('ValidationError', `1 validation error detected: Value null at '${camel(path ? `${path}.${key}` : key)}' failed to satisfy constraint: Member must not be null`, 400);
  }
  return out;
}

/** The items of a list node in index order: `1`, `2`, ... (gaps are allowed, order is numeric). */
function indexed(node: Tree | string, dialect: Dialect, path: string): [string, Tree | string][] {
  if (typeof node === 'string') {
    // `Name=` with an empty value is how the query protocols send an empty list.
    if (node === '') return [];
    throw badInput(dialect, `The parameter ${path} must be a list (${path}.1, ${path}.2, ...).`);
  }
  const entries = Object.entries(node);
  for (const [k] of entries) {
    if (!/^[1-9][0-9]{0,5}$/.test(k)) throw badInput(dialect, `The parameter ${path}.${k} is not a valid list index.`);
  }
  return entries.sort((a, b) => Number(a[0]) - Number(b[0]));
}

function readValue(model: ServiceModel, shape: Shape, raw: Tree | string, dialect: Dialect, path: string): unknown {
  switch (shape.type) {
    case 'structure':
      if (typeof raw === 'string') throw badInput(dialect, `The parameter ${path} must be a structure.`);
      return readStructure(model, shape, raw, dialect, path);
    case 'list': {
      const member = resolve(model, shape.member!);
      let node: Tree | string = raw;
      if (dialect === 'query' && !shape.flattened && typeof raw === 'object') node = raw[member.locationName ?? 'member'] ?? {};
      return indexed(node, dialect, path).map(([i, item]) => readValue(model, member, item, dialect, `${path}.${i}`));
    }
    case 'map': {
      const key = resolve(model, shape.key!);
      const value = resolve(model, shape.value!);
      let node: Tree | string = raw;
      if (!shape.flattened && typeof raw === 'object') node = raw.entry ?? {};
      const out: Record<string, unknown> = {};
      for (const [i, entry] of indexed(node, dialect, path)) {
        if (typeof entry === 'string') throw badInput(dialect, `The parameter ${path}.${i} must have a key and a value.`);
        const k = entry[key.locationName ?? 'key'];
        const v = entry[value.locationName ?? 'value'];
        if (typeof k !== 'string') throw badInput(dialect, `The parameter ${path}.${i} has no key.`);
        if (isUnsafeName(k)) throw badInput(dialect, `The parameter ${path}.${i} is not valid: '${k}' cannot be a map key.`);
        out[k] = v === undefined ? undefined : readValue(model, value, v, dialect, `${path}.${i}.value`);
      }
      return out;
    }
    default:
      if (typeof raw !== 'string') throw badInput(dialect, `The parameter ${path} must be a single value.`);
      return readScalar(shape, raw, dialect, path);
  }
}

function readScalar(shape: Shape, raw: string, dialect: Dialect, path: string): unknown {
  switch (shape.type) {
    case 'boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      throw badInput(dialect, `Invalid value '${raw}' for ${path}: expected true or false.`);
    case 'integer':
    case 'long':
      if (!/^-?[0-9]+$/.test(raw)) throw badInput(dialect, `Invalid value '${raw}' for ${path}: expected an integer.`);
      return Number(raw);
    case 'float':
    case 'double': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n)) throw badInput(dialect, `Invalid value '${raw}' for ${path}: expected a number.`);
      return n;
    }
    case 'timestamp': {
      const d = /^[0-9]+(\.[0-9]+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
      if (Number.isNaN(d.getTime())) throw badInput(dialect, `Invalid value '${raw}' for ${path}: expected a timestamp.`);
      return d;
    }
    default:
      return raw;
  }
}
