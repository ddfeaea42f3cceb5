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
import { restXmlProtocol } from './protocols/rest-xml.ts';
import { escapeXml } from './protocols/xml-writer.ts';
import { BODY_LIMITS, BodyBudget, bodyFamily, readBody, type BodyFamily } from './request-body.ts';
import { browserRefusal } from './request-origin.ts';
import { ownEntry } from './protocols/unsafe-names.ts';

export interface GatewayOptions {
  store: Store;
  services: ServiceDefinition[];
  defaultAccount: string;
  /** Handles /_localnet/* requests; returns undefined for paths it does not know. */
  internal?(req: WireRequest): WireResponse | undefined | Promise<WireResponse | undefined>;
  log?(line: string): void;
  /** The host localnet was configured to bind (LOCALNET_HOST): requests addressed to it are localnet's own. */
  host?: string;
  /** How long a client may take to send a request body (default BODY_DEADLINE_MS). */
  bodyDeadlineMs?: number;
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

  /** The bytes of request bodies all connections hold at once. */
  readonly bodies = new BodyBudget();

  /**
   * node:http request listener: browser requests are refused from their
   * head, the body is read within its family's limits (request-body.ts),
   * then handled. An answer given before the whole body was read closes the
   * connection, so the rest of that body is never parsed as a request.
   */
  listener = (req: IncomingMessage, res: ServerResponse): void => {
    const send = (r: WireResponse, close = false) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(r.status, { ...r.headers, 'content-length': Buffer.byteLength(r.body), ...(close ? { connection: 'close' } : {}) });
      res.end(r.body);
    };
    const url = parseTarget(req.url);
    // node's parser lets through request targets URL cannot read (`GET http://[ HTTP/1.1`).
    if (!url) {
      req.resume();
      return send(plainError(newContext(), new AwsError('InvalidURI', 'localnet could not parse the request URI.', 400)), true);
    }
    const head: WireRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.alloc(0) };
    const family = bodyFamily(head);
    const refusal = browserRefusal(req.headers, this.opts.host);
    if (refusal) {
      req.resume();
      return send(earlyError(family, head, new AwsError(family === 'json' ? 'AccessDeniedException' : 'AccessDenied', refusal, 403)), true);
    }
    readBody(req, { limit: BODY_LIMITS[family], budget: this.bodies, deadlineMs: this.opts.bodyDeadlineMs }).then(
      ({ body, release }) =>
        Promise.resolve(this.handle({ ...head, body }))
          .then(send, (err) => {
            this.opts.log?.(`internal error: ${err?.stack ?? err}`);
            send(plainError(newContext(), internalFailure()));
          })
          .finally(release),
      (err) => {
        if (err instanceof AwsError) send(earlyError(family, head, err), true);
        else res.destroy();
      },
    ).catch((err) => {
      // Only writing the answer can fail here (the handler's errors are answered above).
      this.opts.log?.(`internal error answering ${req.method} ${req.url}: ${err?.stack ?? err}`);
      res.destroy();
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

/** The request target as a URL, or undefined when it is not one (URL.parse is newer than Node 20.0). */
function parseTarget(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
}

/**
 * An error answered from a request's head, before it is routed: in the
 * caller's protocol family (EC2 when the request is signed for ec2; the
 * query protocol's <ErrorResponse> for other form requests), JSON for
 * localnet's own endpoints.
 */
function earlyError(family: BodyFamily, head: WireRequest, err: AwsError): WireResponse {
  const ctx = newContext();
  switch (family) {
    case 'internal':
      return { status: err.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: err.message, code: err.code }) };
    case 'json':
      return plainError(ctx, err, 'json');
    case 'rest-xml':
      return restXmlProtocol.serializeError(ctx, undefined, err);
    case 'form':
      return plainError(ctx, err, identify(head, '').signingName === 'ec2' ? 'ec2' : 'query');
  }
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
