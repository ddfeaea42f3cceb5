// The json protocol (Route 53 Domains, ACM): POST / with
// X-Amz-Target: <targetPrefix>.<Operation> and an application/x-amz-json-1.1
// body holding the input structure; output is the output structure as JSON;
// timestamps travel as epoch seconds, blobs as base64; errors are
// {"__type": code, "message": ...} with the x-amzn-ErrorType header.
import { AwsError } from '../errors.ts';
import { resolve, type ServiceModel, type Shape } from '../model.ts';
import { isUnsafeName } from './unsafe-names.ts';
import { header, type Protocol, type WireResponse } from './wire.ts';

function contentType(model: ServiceModel | undefined): string {
  return `application/x-amz-json-${model?.metadata.jsonVersion ?? '1.1'}`;
}

function serializationError(message: string): AwsError {
  return new AwsError('SerializationException', message, 400);
}

/**
 * JSON.parse's reviver sees every key of the body: `__proto__` and friends
 * are refused wherever they appear, before anything reads or copies the
 * parsed value (JSON.parse makes `__proto__` an own key, harmless until a
 * merge or an assignment elsewhere turns it into a prototype).
 */
function refuseUnsafeKeys(key: string, value: unknown): unknown {
  if (isUnsafeName(key)) throw serializationError(`The request body is not valid: '${key}' cannot be a member name.`);
  return value;
}

function camel(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function readValue(model: ServiceModel, shape: Shape, raw: unknown, path: string): unknown {
  if (raw === null) return undefined;
  const wrong = (what: string) => serializationError(`Invalid value at '${path}': expected ${what}.`);
  switch (shape.type) {
    case 'structure': {
      if (typeof raw !== 'object' || Array.isArray(raw)) throw wrong('an object');
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const v = (raw as Record<string, unknown>)[name];
        if (v === undefined || v === null) continue;
        out[name] = readValue(model, resolve(model, ref), v, path ? `${path}.${name}` : name);
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(raw)) throw wrong('an array');
      const member = resolve(model, shape.member!);
      return raw.map((item, i) => readValue(model, member, item, `${path}[${i}]`));
    }
    case 'map': {
      if (typeof raw !== 'object' || Array.isArray(raw)) throw wrong('an object');
      const value = resolve(model, shape.value!);
      return Object.fromEntries(Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k, readValue(model, value, v, `${path}.${k}`)]));
    }
    case 'boolean':
      if (typeof raw !== 'boolean') throw wrong('a boolean');
      return raw;
    case 'integer':
    case 'long':
      if (typeof raw !== 'number' || !Number.isInteger(raw)) throw wrong('an integer');
      return raw;
    case 'float':
    case 'double':
      if (typeof raw !== 'number') throw wrong('a number');
      return raw;
    case 'timestamp': {
      const d = typeof raw === 'number' ? new Date(raw * 1000) : typeof raw === 'string' ? new Date(raw) : undefined;
      if (!d || Number.isNaN(d.getTime())) throw wrong('a timestamp (epoch seconds)');
      return d;
    }
    case 'blob':
      if (typeof raw !== 'string') throw wrong('a base64 string');
      return Buffer.from(raw, 'base64');
    default:
      if (typeof raw !== 'string') throw wrong('a string');
      return raw;
  }
}

/** Required members anywhere in the input, reported as AWS's validation message. */
function checkRequired(model: ServiceModel, shape: Shape, value: Record<string, unknown>, path: string): void {
  for (const name of shape.required ?? []) {
    if (value[name] === undefined) {
      throw new AwsError('ValidationException', `1 validation error detected: Value null at '${camel(path ? `${path}.${name}` : name)}' failed to satisfy constraint: Member must not be null`, 400);
    }
  }
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const v = value[name];
    if (v === undefined) continue;
    const member = resolve(model, ref);
    const p = path ? `${path}.${name}` : name;
    if (member.type === 'structure') checkRequired(model, member, v as Record<string, unknown>, p);
    else if (member.type === 'list' && resolve(model, member.member!).type === 'structure') {
      (v as Record<string, unknown>[]).forEach((x, i) => checkRequired(model, resolve(model, member.member!), x, `${p}.${i + 1}`));
    }
  }
}

function writeValue(model: ServiceModel, shape: Shape, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const v = writeValue(model, resolve(model, ref), (value as Record<string, unknown>)[name]);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case 'list': {
      const member = resolve(model, shape.member!);
      return (value as unknown[]).map((v) => writeValue(model, member, v));
    }
    case 'map': {
      const member = resolve(model, shape.value!);
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, writeValue(model, member, v)]));
    }
    case 'timestamp': {
      const d = value instanceof Date ? value : new Date(value as string | number);
      return d.getTime() / 1000;
    }
    case 'blob':
      return Buffer.isBuffer(value) ? value.toString('base64') : String(value);
    default:
      return value;
  }
}

export const jsonProtocol: Protocol = {
  operationOf(req, model) {
    const target = header(req, 'x-amz-target');
    if (!target) return undefined;
    const dot = target.lastIndexOf('.');
    if (dot < 0 || target.slice(0, dot) !== model.metadata.targetPrefix) return undefined;
    return target.slice(dot + 1);
  },

  parse(req, model, operation) {
    const ref = model.operations[operation].input;
    const text = req.body.toString('utf8');
    let raw: unknown = {};
    if (text.trim() !== '') {
      try {
        raw = JSON.parse(text, refuseUnsafeKeys);
      } catch (err) {
        if (err instanceof AwsError) throw err;
        throw serializationError(`The request body is not valid JSON: ${(err as Error).message}`);
      }
    }
    if (!ref) return {};
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw serializationError('The request body must be a JSON object.');
    const input = resolve(model, ref);
    const out = readValue(model, input, raw, '') as Record<string, unknown>;
    checkRequired(model, input, out, '');
    return out;
  },

  serialize(ctx, model, operation, output) {
    const ref = model.operations[operation].output;
    const body = ref && output ? writeValue(model, resolve(model, ref), output) : {};
    return { status: 200, headers: { 'content-type': contentType(model), 'x-amzn-requestid': ctx.requestId }, body: JSON.stringify(body) };
  },

  serializeError(ctx, model, err): WireResponse {
    return {
      status: err.status,
      headers: { 'content-type': contentType(model), 'x-amzn-requestid': ctx.requestId, 'x-amzn-errortype': err.code },
      body: JSON.stringify({ __type: err.code, message: err.message }),
    };
  },
};
