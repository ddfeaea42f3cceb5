// What a protocol sees of an HTTP exchange, independent of node:http.
import type { RequestContext } from '../context.ts';
import type { AwsError } from '../errors.ts';
import type { ServiceModel } from '../model.ts';

export interface WireRequest {
  method: string;
  /** Path without the query string, percent-decoding left to the protocol. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface Protocol {
  /** The operation a request names (Action, X-Amz-Target, method + path), or undefined when it names none. */
  operationOf(req: WireRequest, model: ServiceModel): string | undefined;
  /** Parses the request into the operation's input structure (model member names). Throws AwsError on bad input. */
  parse(req: WireRequest, model: ServiceModel, operation: string): Record<string, unknown>;
  serialize(ctx: RequestContext, model: ServiceModel, operation: string, output: unknown): WireResponse;
  serializeError(ctx: RequestContext, model: ServiceModel | undefined, err: AwsError): WireResponse;
}

export function header(req: WireRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
