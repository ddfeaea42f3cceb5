// Which service a request is for, in explicit stages (first match wins):
//   1. the SigV4 signing name of the credential scope
//   2. the X-Amz-Target header's prefix (json protocols)
//   3. the path's API version prefix (rest protocols, e.g. /2013-04-01/ for Route 53)
//   4. the form's Action + Version (ec2 and query protocols, unsigned callers)
// A request that names a real AWS service localnet does not emulate resolves
// to that service's identity so the answer can say so precisely.
import { allServices, type ServiceIdentity } from './model.ts';
import type { ServiceDefinition } from './service.ts';
import { header, type WireRequest } from './protocols/wire.ts';
import { formParams } from './protocols/form.ts';
import { ownEntry } from './protocols/unsafe-names.ts';

export type Route = { kind: 'emulated'; service: ServiceDefinition } | { kind: 'unemulated'; identity: ServiceIdentity; operation?: string } | { kind: 'unknown'; name?: string };

export function routeRequest(req: WireRequest, signingName: string | undefined, services: ServiceDefinition[]): Route {
  const emulated = (pred: (s: ServiceDefinition) => boolean): Route | undefined => {
    const service = services.find(pred);
    return service ? { kind: 'emulated', service } : undefined;
  };
  const known = (pred: (s: ServiceIdentity) => boolean, operation?: string): Route | undefined => {
    const identity = allServices().find(pred);
    return identity ? { kind: 'unemulated', identity, operation } : undefined;
  };

  const target = header(req, 'x-amz-target');
  const targetPrefix = target?.split('.')[0];
  const targetOp = target?.split('.').slice(1).join('.') || undefined;

  if (signingName) {
    // Several services share a signing name (elasticloadbalancing: v1 and v2); the API version settles it.
    const candidates = services.filter((s) => s.signingNames.includes(signingName));
    if (candidates.length === 1) return { kind: 'emulated', service: candidates[0] };
    if (candidates.length > 1) {
      const version = formParams(req).get('Version');
      const byVersion = candidates.find((s) => s.model.metadata.apiVersion === version);
      if (byVersion) return { kind: 'emulated', service: byVersion };
    }
    const action = formParams(req).get('Action') ?? targetOp;
    return known((s) => s.signingName === signingName || s.endpointPrefix === signingName, action) ?? { kind: 'unknown', name: signingName };
  }
  if (targetPrefix) {
    return emulated((s) => s.model.metadata.targetPrefix === targetPrefix) ?? known((s) => s.targetPrefix === targetPrefix, targetOp) ?? { kind: 'unknown', name: targetPrefix };
  }
  const version = /^\/(\d{4}-\d{2}-\d{2})\//.exec(req.path)?.[1];
  if (version) {
    const r = emulated((s) => s.model.metadata.apiVersion === version && s.model.metadata.protocol.startsWith('rest'));
    if (r) return r;
  }
  const params = formParams(req);
  const action = params.get('Action');
  const apiVersion = params.get('Version');
  if (action && apiVersion) {
    return (
      emulated((s) => s.model.metadata.apiVersion === apiVersion && ownEntry(s.model.operations, action) !== undefined) ??
      known((s) => s.apiVersion === apiVersion && (s.protocol === 'query' || s.protocol === 'ec2'), action) ?? { kind: 'unknown' }
    );
  }
  return { kind: 'unknown' };
}
