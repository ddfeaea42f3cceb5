// What a service folder hands to the gateway: its model, its protocol and
// its operation handlers. Handlers take typed input (model member names) and
// return typed output; they never see the wire.
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

export interface ServiceDefinition {
  /** The name localnet uses for the service (also its model file name). */
  name: string;
  /** SigV4 signing names that select this service. */
  signingNames: string[];
  model: ServiceModel;
  protocol: Protocol;
  handlers: Record<string, Handler>;
  /** Called before every handler of this service, inside the request's transaction (lazy defaults such as the default VPC). */
  prepare?(env: HandlerEnv): void;
}
