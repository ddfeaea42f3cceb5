// What a service folder hands to the gateway: its model, its protocol and
// its operation handlers. Handlers take typed input (model member names) and
// return typed output; they never see the wire.
//
// Registering operations, the same way in every service folder:
//   - A file that implements operations ends with their table, keyed by the
//     model's operation name:
//       export const vpcHandlers = { CreateVpc: createVpc, ... } satisfies Handlers;
//     A table whose handlers need something from outside the request (a
//     secret, a shared model) is a function of it:
//       export function certificateHandlers(validationSecret: string): Handlers
//   - The folder's index.ts exports `<service>Service(options?)`, returning
//     the ServiceDefinition with `handlers: mergeHandlers(vpcHandlers, ...)`:
//     the one list of the service's tables. Options carry what the tables
//     need (acmService({ validationSecret })).
// An operation in no table answers 501 NotImplemented (docs/coverage.md).
import type { Store, Scope } from '../store/store.ts';
import type { RequestContext } from './context.ts';
import type { ServiceModel } from './model.ts';
import type { Protocol } from './protocols/wire.ts';

export interface HandlerEnv {
  ctx: RequestContext;
  store: Store;
  /** The account and region the request acts in. */
  scope: Scope;
  /** Runs fn after the request's transaction commits (data plane updates, timers). */
  afterCommit(fn: () => void): void;
}

export type Handler = (input: any, env: HandlerEnv) => unknown;

/** Handlers by the model's operation name. */
export type Handlers = Record<string, Handler>;

/** One service's handlers from its files' tables; an operation registered twice is a bug, reported at startup. */
export function mergeHandlers(...tables: Handlers[]): Handlers {
  const out: Handlers = {};
  for (const table of tables) {
    for (const [operation, handler] of Object.entries(table)) {
      if (operation in out) throw new Error(`operation ${operation} is registered twice`);
      out[operation] = handler;
    }
  }
  return out;
}

export interface ServiceDefinition {
  /** The name localnet uses for the service (also its model file name). */
  name: string;
  /** SigV4 signing names that select this service. */
  signingNames: string[];
  model: ServiceModel;
  protocol: Protocol;
  handlers: Handlers;
  /** Called before every handler of this service, inside the request's transaction (lazy defaults such as the default VPC). */
  prepare?(env: HandlerEnv): void;
}
