// The one HTTP endpoint that serves every AWS service: identity, routing,
// parsing, one transaction per request, serialization. Anything unexpected
// becomes InternalFailure on the wire with the cause logged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../store/store.ts';
import { recordWrites } from '../store/tracking.ts';
import { newContext, type RequestContext } from './context.ts';
import { AwsError, internalFailure, notImplemented } from './errors.ts';
import { identify } from './identity.ts';
import type { ServiceModel } from './model.ts';
import { routeRequest } from './routing.ts';
import type { HandlerEnv, ServiceDefinition } from './service.ts';
import type { Protocol, WireRequest, WireResponse } from './protocols/wire.ts';
import { ec2Protocol } from './protocols/ec2.ts';
import { queryProtocol } from './protocols/query.ts';
import { escapeXml } from './protocols/xml-writer.ts';
import { ownEntry } from './protocols/unsafe-names.ts';

/** The largest request body accepted; AWS APIs take far less. */
const MAX_BODY = 16 * 1024 * 1024;

export interface GatewayOptions {
  store: Store;
  services: ServiceDefinition[];
  defaultAccount: string;
  /** Handles /_localnet/* requests; returns undefined for paths it does not know. */
  internal?(req: WireRequest): WireResponse | undefined | Promise<WireResponse | undefined>;
  log?(line: string): void;
  /**
   * Called after a request that may have changed state commits (any
   * operation but Describe*, List*, Get*, and any request whose preparation
   * wrote, such as a first request creating an account's defaults), with the
   * store kinds its committed transactions wrote.
   */
  onChange?(ctx: RequestContext, kinds: ReadonlySet<string>): void;
}

/** Operations that only read state. */
const READ_ONLY = /^(Describe|List|Get)/;

/** DryRun is run for real inside a transaction that is then rolled back. */
class DryRunRollback extends Error {}

export class Gateway {
  constructor(private readonly opts: GatewayOptions) {}

  /** node:http request listener. */
  listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(c);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const wire: WireRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks) };
      const send = (r: WireResponse) => {
        res.writeHead(r.status, { ...r.headers, 'content-length': Buffer.byteLength(r.body) });
        res.end(r.body);
      };
      if (tooLarge) return send(plainError(newContext(), new AwsError('RequestEntityTooLarge', 'The request body is larger than localnet accepts.', 413)));
      Promise.resolve(this.handle(wire)).then(send, (err) => {
        this.opts.log?.(`internal error: ${err?.stack ?? err}`);
        send(plainError(newContext(), internalFailure()));
      });
    });
  };

  async handle(req: WireRequest): Promise<WireResponse> {
    if (req.path.startsWith('/_localnet/')) {
      const r = await this.opts.internal?.(req);
      return r ?? { status: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: `no localnet endpoint ${req.path}` }) };
    }
    const ctx = newContext();
    const who = identify(req, this.opts.defaultAccount);
    Object.assign(ctx, { account: who.account, region: who.region, accessKeyId: who.accessKeyId });

    const route = routeRequest(req, who.signingName, this.opts.services);
    if (route.kind === 'unknown') {
      return plainError(ctx, new AwsError('UnknownService', route.name ? `localnet does not know the service '${route.name}'. See docs/coverage.md for what is emulated.` : 'localnet could not tell which AWS service this request is for (no SigV4 credential scope, X-Amz-Target, API path or Action/Version).', route.name ? 501 : 400));
    }
    if (route.kind === 'unemulated') {
      ctx.service = route.identity.signingName;
      return plainError(ctx, notImplemented(route.identity.serviceId, route.operation), route.identity.protocol);
    }
    const service = route.service;
    ctx.service = service.name;
    return this.invoke(ctx, service, req);
  }

  private invoke(ctx: RequestContext, service: ServiceDefinition, req: WireRequest): WireResponse {
    const { protocol, model } = service;
    try {
      const operation = protocol.operationOf(req, model);
      if (!operation) throw missingAction(service);
      // Own entries only: `Action=constructor` names no operation (and no handler).
      if (!ownEntry(model.operations, operation)) throw invalidAction(service, operation);
      ctx.operation = operation;
      const input = protocol.parse(req, model, operation);
      const handler = ownEntry(service.handlers, operation);
      if (!handler) throw notImplemented(model.metadata.serviceId, operation);
      const output = this.run(ctx, service, handler, input);
      return protocol.serialize(ctx, model, operation, output);
    } catch (err) {
      return this.renderError(ctx, protocol, model, err);
    }
  }

  private run(ctx: RequestContext, service: ServiceDefinition, handler: (input: any, env: HandlerEnv) => unknown, input: Record<string, unknown>): unknown {
    const written = new Set<string>();
    const store = recordWrites(this.opts.store, written);
    const after: (() => void)[] = [];
    const env: HandlerEnv = { ctx, store, scope: { account: ctx.account, region: ctx.region }, afterCommit: (fn) => after.push(fn) };
    if (service.prepare) store.transaction(() => service.prepare!(env));
    after.length = 0;
    /** What the preparation committed, whatever the handler then does. */
    const prepared = new Set(written);
    try {
      const output = store.transaction(() => {
        const out = handler(input, env);
        if (input.DryRun === true) throw new DryRunRollback();
        return out;
      });
      for (const fn of after) fn();
      if (!READ_ONLY.test(ctx.operation) || written.size > 0) this.opts.onChange?.(ctx, written);
      return output;
    } catch (err) {
      if (prepared.size > 0) this.opts.onChange?.(ctx, prepared);
      if (err instanceof DryRunRollback) throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
      throw err;
    }
  }

  private renderError(ctx: RequestContext, protocol: Protocol, model: ServiceModel, err: unknown): WireResponse {
    if (!(err instanceof AwsError)) {
      this.opts.log?.(`internal error in ${ctx.service}.${ctx.operation || '?'} (${ctx.requestId}): ${(err as Error)?.stack ?? err}`);
      err = internalFailure();
    }
    return protocol.serializeError(ctx, model, err as AwsError);
  }
}

function missingAction(service: ServiceDefinition): AwsError {
  return service.model.metadata.protocol === 'ec2'
    ? new AwsError('MissingAction', 'The request must contain the parameter Action', 400)
    : new AwsError('MissingAction', 'Could not find operation to perform.', 400);
}

function invalidAction(service: ServiceDefinition, operation: string): AwsError {
  return new AwsError('InvalidAction', `The action ${operation} is not valid for this web service.`, 400);
}

/** An error for a request no emulated protocol owns, rendered in the caller's protocol family. */
function plainError(ctx: RequestContext, err: AwsError, protocol?: string): WireResponse {
  if (protocol === 'json' || protocol === 'rest-json') {
    return { status: err.status, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': ctx.requestId, 'x-amzn-errortype': err.code }, body: JSON.stringify({ __type: err.code, message: err.message }) };
  }
  if (protocol === 'ec2') return ec2Protocol.serializeError(ctx, undefined, err);
  if (protocol === 'query') return queryProtocol.serializeError(ctx, undefined, err);
  return { status: err.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId }, body: `<ErrorResponse><Error><Type>${err.fault}</Type><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message></Error><RequestId>${ctx.requestId}</RequestId></ErrorResponse>` };
}
