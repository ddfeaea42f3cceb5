// Typed access to the generated service models (src/aws/models/*.json).
// Models use the aws-sdk v2 layout: a member is a reference ({shape: 'S1a',
// locationName ...}) or an inline shape; resolve() merges the reference's
// serialization traits over the target shape.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODELS_DIR } from '../paths.ts';

export interface Shape {
  type?: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'timestamp' | 'blob';
  shape?: string;
  members?: Record<string, Shape>;
  required?: string[];
  member?: Shape;
  key?: Shape;
  value?: Shape;
  locationName?: string;
  queryName?: string;
  location?: 'header' | 'headers' | 'uri' | 'querystring' | 'statusCode';
  flattened?: boolean;
  xmlAttribute?: boolean;
  xmlNamespace?: { uri: string; prefix?: string } | string;
  timestampFormat?: string;
  resultWrapper?: string;
  payload?: string;
  enum?: string[];
  idempotencyToken?: boolean;
}

export interface Operation {
  name?: string;
  http?: { method?: string; requestUri?: string; responseCode?: number };
  input?: Shape;
  output?: Shape;
}

export interface ServiceModel {
  metadata: {
    apiVersion: string;
    endpointPrefix: string;
    protocol: string;
    serviceId: string;
    signingName?: string;
    targetPrefix?: string;
    jsonVersion?: string;
    xmlNamespace?: string;
  };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

const modelsDir = MODELS_DIR;
const cache = new Map<string, ServiceModel>();

export function loadModel(name: string): ServiceModel {
  let model = cache.get(name);
  if (!model) {
    model = JSON.parse(readFileSync(join(modelsDir, `${name}.json`), 'utf8')) as ServiceModel;
    cache.set(name, model);
  }
  return model;
}

export interface ServiceIdentity {
  uid: string;
  serviceId: string;
  signingName: string;
  endpointPrefix: string;
  targetPrefix?: string;
  protocol: string;
  apiVersion: string;
}

let services: ServiceIdentity[] | undefined;
/** Every AWS service's wire identity, to name unemulated services precisely. */
export function allServices(): ServiceIdentity[] {
  services ??= (JSON.parse(readFileSync(join(modelsDir, 'services.json'), 'utf8')) as { services: ServiceIdentity[] }).services;
  return services;
}

const resolved = new WeakMap<Shape, Shape>();

/** Resolves a member reference to a full shape, keeping the reference's own traits (memoized per reference). */
export function resolve(model: ServiceModel, ref: Shape): Shape {
  let out = resolved.get(ref);
  if (!out) {
    out = resolveOnce(model, ref);
    resolved.set(ref, out);
  }
  return out;
}

function resolveOnce(model: ServiceModel, ref: Shape): Shape {
  if (!ref.shape) return ref.type ? ref : { ...ref, type: 'string' };
  const target = model.shapes[ref.shape];
  if (!target) throw new Error(`model has no shape ${ref.shape}`);
  const { shape: _s, ...traits } = ref;
  const merged = { ...resolve(model, target), ...traits };
  merged.type ??= 'string';
  return merged;
}
