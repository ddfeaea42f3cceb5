// Route 53 Domains (json protocol): the registrar side of delegation.
import { loadModel } from '../../aws/model.ts';
import { jsonProtocol } from '../../aws/protocols/json.ts';
import type { Handler, ServiceDefinition } from '../../aws/service.ts';
import { getDomainDetail, listDomains, registerDomain, updateDomainNameservers } from './domains.ts';

const handlers: Record<string, Handler> = {
  RegisterDomain: registerDomain,
  UpdateDomainNameservers: updateDomainNameservers,
  GetDomainDetail: getDomainDetail,
  ListDomains: listDomains,
};

export function route53DomainsService(): ServiceDefinition {
  return { name: 'route53domains', signingNames: ['route53domains'], model: loadModel('route53domains'), protocol: jsonProtocol, handlers };
}
