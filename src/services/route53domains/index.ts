// Route 53 Domains (json protocol): the registrar side of delegation.
// Operations are registered as in every service (see src/aws/service.ts).
import { loadModel } from '../../aws/model.ts';
import { jsonProtocol } from '../../aws/protocols/json.ts';
import { mergeHandlers, type ServiceDefinition } from '../../aws/service.ts';
import { domainHandlers } from './domains.ts';

export function route53DomainsService(): ServiceDefinition {
  return { name: 'route53domains', signingNames: ['route53domains'], model: loadModel('route53domains'), protocol: jsonProtocol, handlers: mergeHandlers(domainHandlers) };
}
