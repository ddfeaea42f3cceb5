// The rest-xml protocol (Route 53): the operation is chosen by HTTP method +
// requestUri template; input members come from URI labels ({Id}, greedy
// {Name+}), the query string, headers and an XML body whose root is the
// input's locationName; output is <OperationResponse xmlns=...> (or the
// payload member), with header members and the model's status code; errors
// are <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>.
//
// Errors that carry a list of messages (Route 53's InvalidChangeBatch) expose
// `messages: string[]` on the AwsError; they are rendered as the Message
// "[m1, m2]" (as Route 53 answers) plus a <messages><Message/></messages>
// list, the error's `messages` member in the official model.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AwsError } from '../errors.ts';
import { resolve, type Operation, type ServiceModel, type Shape } from '../model.ts';
import { isUnsafeName } from './unsafe-names.ts';
import { header, type Protocol, type WireRequest, type WireResponse } from './wire.ts';
import { escapeXml, scalarText, writeMembers } from './xml-writer.ts';

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

type XmlNode = string | { [key: string]: XmlNode | XmlNode[] };

interface Route {
  operation: string;
  method: string;
  pattern: RegExp;
  labels: { name: string; greedy: boolean }[];
  /** Query keys the requestUri itself requires (`?tagging`). */
  query: [string, string | undefined][];
  /** Literal characters in the template: the more, the more specific. */
  specificity: number;
}

const routeCache = new WeakMap<ServiceModel, Route[]>();

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Strips one trailing slash (Route 53's SDKs differ on `/rrset` vs `/rrset/`). */
function trimSlash(p: string): string {
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

function compile(operation: string, op: Operation): Route {
  const uri = op.http?.requestUri ?? '/';
  const [path, qs] = uri.split('?');
  const labels: Route['labels'] = [];
  let specificity = 0;
  const source = trimSlash(path)
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const m = /^\{([^}+]+)(\+?)\}$/.exec(part);
      if (!m) {
        specificity += part.length;
        return escapeRegex(part);
      }
      labels.push({ name: m[1], greedy: m[2] === '+' });
      return m[2] === '+' ? '(.+)' : '([^/]+)';
    })
    .join('');
  const query = qs ? [...new URLSearchParams(qs)].map(([k, v]): [string, string | undefined] => [k, v === '' ? undefined : v]) : [];
  return { operation, method: op.http?.method ?? 'POST', pattern: new RegExp(`^${source}$`), labels, query, specificity: specificity + query.length };
}

function routes(model: ServiceModel): Route[] {
  let r = routeCache.get(model);
  if (!r) {
    r = Object.entries(model.operations)
      .map(([name, op]) => compile(name, op))
      .sort((a, b) => b.specificity - a.specificity);
    routeCache.set(model, r);
  }
  return r;
}

function match(req: WireRequest, model: ServiceModel): { route: Route; labels: Record<string, string> } | undefined {
  const path = trimSlash(req.path);
  for (const route of routes(model)) {
    if (route.method !== req.method.toUpperCase()) continue;
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (!route.query.every(([k, v]) => req.query.has(k) && (v === undefined || req.query.get(k) === v))) continue;
    const labels: Record<string, string> = {};
    try {
      route.labels.forEach((l, i) => (labels[l.name] = l.greedy ? m[i + 1].split('/').map(decodeURIComponent).join('/') : decodeURIComponent(m[i + 1])));
    } catch {
      throw new AwsError('InvalidInput', 'The request URI is not correctly percent-encoded.', 400);
    }
    return { route, labels };
  }
  return undefined;
}

function namespace(model: ServiceModel): string {
  if (model.metadata.xmlNamespace) return model.metadata.xmlNamespace;
  for (const op of Object.values(model.operations)) {
    const ns = op.input?.xmlNamespace;
    if (ns) return typeof ns === 'string' ? ns : ns.uri;
  }
  return `https://${model.metadata.endpointPrefix}.amazonaws.com/doc/${model.metadata.apiVersion}/`;
}

function invalidInput(message: string): AwsError {
  return new AwsError('InvalidInput', message, 400);
}

/**
 * How deep a body may nest. Route 53's deepest input is 8 elements
 * (ChangeResourceRecordSetsRequest > ChangeBatch > Changes > Change >
 * ResourceRecordSet > ResourceRecords > ResourceRecord > Value); anything far
 * deeper is an attack on the parser, refused before it costs anything.
 */
const MAX_XML_DEPTH = 32;

/** An element the parser meets: its name may never be an unsafe object key (see unsafe-names.ts). */
function checkElementName(name: string): string {
  if (isUnsafeName(name)) throw invalidInput(`Invalid XML ; the element name '${name}' is not allowed.`);
  return name;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
  maxNestedTags: MAX_XML_DEPTH,
  transformTagName: checkElementName,
});

/** Route 53's answer to a body it cannot parse (MalformedInput "Could not parse XML"), with the reason. */
function malformed(reason: string): AwsError {
  return new AwsError('MalformedInput', `Could not parse XML: ${reason}`, 400);
}

/**
 * Parses an XML body into plain nodes; a body that is not well-formed XML,
 * that declares a DOCTYPE (entities, external entities: nothing Route 53
 * takes), nests too deep or whose root is not `expectedRoot` is a 400, never
 * a crash. Route 53 answers MalformedInput for both: "Could not parse XML"
 * and "X is not valid, expected ChangeResourceRecordSetsRequest".
 */
export function parseXmlBody(body: string, expectedRoot: string): XmlNode {
  if (/<!DOCTYPE/i.test(body)) throw malformed('a DOCTYPE declaration is not accepted.');
  // The parser first: it stops at MAX_XML_DEPTH, where the validator would
  // first build a stack as deep as the document (memory and time).
  let doc: Record<string, XmlNode>;
  try {
    doc = parser.parse(body) as Record<string, XmlNode>;
  } catch (err) {
    if (err instanceof AwsError) throw err;
    throw malformed((err as Error).message);
  }
  // The parser is lenient (unclosed tags, stray text); the validator holds the body to well-formed XML.
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw malformed(`${valid.err.msg} (line ${valid.err.line})`);
  const roots = Object.keys(doc);
  if (roots.length !== 1) throw malformed('the document must have exactly one root element.');
  if (roots[0] !== expectedRoot) throw new AwsError('MalformedInput', `${roots[0]} is not valid, expected ${expectedRoot}`, 400);
  return doc[roots[0]];
}

function camel(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function readScalar(shape: Shape, raw: string, path: string): unknown {
  switch (shape.type) {
    case 'boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      throw invalidInput(`Invalid value '${raw}' for ${path}: expected true or false.`);
    case 'integer':
    case 'long':
      if (!/^-?[0-9]+$/.test(raw)) throw invalidInput(`Invalid value '${raw}' for ${path}: expected an integer.`);
      return Number(raw);
    case 'float':
    case 'double': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n)) throw invalidInput(`Invalid value '${raw}' for ${path}: expected a number.`);
      return n;
    }
    case 'timestamp': {
      const d = /^[0-9]+(\.[0-9]+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
      if (Number.isNaN(d.getTime())) throw invalidInput(`Invalid value '${raw}' for ${path}: expected a timestamp.`);
      return d;
    }
    case 'blob':
      return Buffer.from(raw, 'base64');
    default:
      return raw;
  }
}

function asArray(v: XmlNode | XmlNode[] | undefined): XmlNode[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function single(v: XmlNode | XmlNode[], path: string): XmlNode {
  if (Array.isArray(v)) throw invalidInput(`The element ${path} appears more than once.`);
  return v;
}

function readValue(model: ServiceModel, shape: Shape, raw: XmlNode, path: string): unknown {
  switch (shape.type) {
    case 'structure':
      return readStructure(model, shape, raw === '' ? {} : raw, path);
    case 'list': {
      const member = resolve(model, shape.member!);
      if (raw === '') return [];
      if (typeof raw === 'string') throw invalidInput(`The element ${path} must be a list.`);
      return asArray(raw[member.locationName ?? 'member']).map((item, i) => readValue(model, member, item, `${path}[${i}]`));
    }
    case 'map': {
      const key = resolve(model, shape.key!);
      const value = resolve(model, shape.value!);
      if (raw === '') return {};
      if (typeof raw === 'string') throw invalidInput(`The element ${path} must be a map.`);
      const out: Record<string, unknown> = {};
      for (const entry of asArray(raw.entry)) {
        if (typeof entry === 'string') throw invalidInput(`The element ${path}.entry must have a key and a value.`);
        const k = entry[key.locationName ?? 'key'];
        if (typeof k !== 'string') throw invalidInput(`The element ${path}.entry has no key.`);
        if (isUnsafeName(k)) throw invalidInput(`The element ${path}.entry is not valid: '${k}' cannot be a map key.`);
        const v = entry[value.locationName ?? 'value'];
        out[k] = v === undefined ? undefined : readValue(model, value, single(v, `${path}.value`), `${path}.value`);
      }
      return out;
    }
    default:
      if (typeof raw !== 'string') throw invalidInput(`The element ${path} must be a single value.`);
      return readScalar(shape, raw, path);
  }
}

function readStructure(model: ServiceModel, shape: Shape, node: XmlNode, path: string): Record<string, unknown> {
  if (typeof node === 'string') throw invalidInput(`The element ${path} must be a structure.`);
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const member = resolve(model, ref);
    if (member.location) continue;
    const key = member.locationName ?? name;
    const memberPath = path ? `${path}.${name}` : name;
    if (member.type === 'list' && member.flattened) {
      const items = node[resolve(model, member.member!).locationName ?? key];
      if (items !== undefined) out[name] = asArray(items).map((item, i) => readValue(model, resolve(model, member.member!), item, `${memberPath}[${i}]`));
      continue;
    }
    const raw = node[key];
    if (raw === undefined) continue;
    out[name] = readValue(model, member, single(raw, memberPath), memberPath);
  }
  return out;
}

/** Required members, checked after all locations are read (AWS reports the first missing one). */
function checkRequired(model: ServiceModel, shape: Shape, value: Record<string, unknown>, path: string): void {
  for (const name of shape.required ?? []) {
    if (value[name] === undefined) {
      throw invalidInput(`1 validation error detected: Value null at '${camel(path ? `${path}.${name}` : name)}' failed to satisfy constraint: Member must not be null`);
    }
  }
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    const member = resolve(model, ref);
    const p = path ? `${path}.${name}` : name;
    if (member.type === 'structure') checkRequired(model, member, v as Record<string, unknown>, p);
    else if (member.type === 'list') {
      const item = resolve(model, member.member!);
      if (item.type === 'structure') (v as Record<string, unknown>[]).forEach((x, i) => checkRequired(model, item, x, `${p}.${i + 1}`));
    }
  }
}

function headerText(shape: Shape, value: unknown): string {
  if (shape.type === 'timestamp') return (value instanceof Date ? value : new Date(value as string)).toUTCString();
  return scalarText(shape, value);
}

function xmlResponse(status: number, body: string, headers: Record<string, string> = {}): WireResponse {
  return { status, headers: { 'content-type': 'text/xml', ...headers }, body };
}

export const restXmlProtocol: Protocol = {
  operationOf(req, model) {
    return match(req, model)?.route.operation;
  },

  parse(req, model, operation) {
    const ref = model.operations[operation].input;
    if (!ref) return {};
    const input = resolve(model, ref);
    const found = match(req, model);
    const labels = found?.route.operation === operation ? found.labels : {};
    const out: Record<string, unknown> = {};

    // The body: the payload member, or the members without a location under the root element.
    const text = req.body.toString('utf8');
    const payload = input.payload ? resolve(model, input.members![input.payload]) : undefined;
    if (payload && payload.type !== 'structure') {
      if (req.body.length > 0) out[input.payload!] = payload.type === 'blob' ? req.body : text;
    } else if (text.trim() !== '') {
      const root = parseXmlBody(text, payload ? (payload.locationName ?? input.payload!) : (input.locationName ?? `${operation}Request`));
      if (payload) out[input.payload!] = readStructure(model, payload, root, input.payload!);
      else Object.assign(out, readStructure(model, input, root, ''));
    }

    for (const [name, mref] of Object.entries(input.members ?? {})) {
      const member = resolve(model, mref);
      const key = member.locationName ?? name;
      switch (member.location) {
        case 'uri':
          if (labels[key] !== undefined) out[name] = readScalar(member, labels[key], name);
          break;
        case 'querystring':
          if (member.type === 'list') {
            const all = req.query.getAll(key);
            if (all.length > 0) out[name] = all.map((v) => readScalar(resolve(model, member.member!), v, name));
          } else if (member.type === 'map') {
            out[name] = Object.fromEntries(req.query);
          } else if (req.query.has(key)) out[name] = readScalar(member, req.query.get(key)!, name);
          break;
        case 'header': {
          const v = header(req, key);
          if (v !== undefined) out[name] = readScalar(member, v, name);
          break;
        }
        case 'headers': {
          const prefix = key.toLowerCase();
          const map: Record<string, string> = {};
          for (const [h, v] of Object.entries(req.headers)) if (h.startsWith(prefix) && v !== undefined) map[h.slice(prefix.length)] = Array.isArray(v) ? v[0] : v;
          if (Object.keys(map).length > 0) out[name] = map;
          break;
        }
      }
    }
    checkRequired(model, input, out, '');
    return out;
  },

  serialize(ctx, model, operation, output) {
    const op = model.operations[operation];
    const headers: Record<string, string> = { 'x-amzn-requestid': ctx.requestId };
    let status = op.http?.responseCode ?? 200;
    if (!op.output) return xmlResponse(status, '', headers);
    const shape = resolve(model, op.output);
    const value = (output ?? {}) as Record<string, unknown>;
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      const member = resolve(model, ref);
      const v = value[name];
      if (v === undefined || v === null) continue;
      if (member.location === 'header') headers[member.locationName ?? name] = headerText(member, v);
      else if (member.location === 'headers') for (const [k, hv] of Object.entries(v as Record<string, string>)) headers[`${member.locationName ?? ''}${k}`] = String(hv);
      else if (member.location === 'statusCode') status = Number(v);
    }
    const ns = namespace(model);
    if (shape.payload) {
      const member = resolve(model, shape.members![shape.payload]);
      const v = value[shape.payload];
      if (member.type !== 'structure') return { status, headers, body: v === undefined ? '' : Buffer.isBuffer(v) ? v : String(v) };
      const name = member.locationName ?? shape.payload;
      const out = [`${XML_DECL}<${name} xmlns="${ns}">`];
      if (v) writeMembers(model, member, v as Record<string, unknown>, out);
      out.push(`</${name}>`);
      return xmlResponse(status, out.join(''), headers);
    }
    const root = shape.locationName ?? `${operation}Response`;
    const out = [`${XML_DECL}<${root} xmlns="${ns}">`];
    writeMembers(model, shape, value, out);
    out.push(`</${root}>`);
    return xmlResponse(status, out.join(''), headers);
  },

  serializeError(ctx, model, err) {
    const ns = model ? ` xmlns="${namespace(model)}"` : '';
    const messages = (err as AwsError & { messages?: string[] }).messages;
    const list = messages ? `<messages>${messages.map((m) => `<Message>${escapeXml(m)}</Message>`).join('')}</messages>` : '';
    const body = `${XML_DECL}<ErrorResponse${ns}><Error><Type>${err.fault}</Type><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message>${list}</Error><RequestId>${ctx.requestId}</RequestId></ErrorResponse>`;
    return xmlResponse(err.status, body, { 'x-amzn-requestid': ctx.requestId });
  },
};
