// The Route 53 service (rest-xml, global): hosted zones, record sets, VPC
// associations, delegation sets, tags, changes, registered one table per
// file (see src/aws/service.ts). Operations in no table answer 501
// NotImplemented (health checks, traffic policies, DNSSEC, query logging,
// CIDR collections). See README.md.
import { loadModel } from '../../aws/model.ts';
import { restXmlProtocol } from '../../aws/protocols/rest-xml.ts';
import { mergeHandlers, type ServiceDefinition } from '../../aws/service.ts';
import { changeHandlers } from './changes.ts';
import { delegationSetHandlers } from './delegation-sets.ts';
import { hostedZoneHandlers } from './hosted-zones.ts';
import { recordSetHandlers } from './record-sets.ts';
import { tagHandlers } from './tags.ts';
import { vpcAssociationHandlers } from './vpc-associations.ts';

export function route53Service(): ServiceDefinition {
  return {
    name: 'route53',
    signingNames: ['route53'],
    model: loadModel('route53'),
    protocol: restXmlProtocol,
    handlers: mergeHandlers(hostedZoneHandlers, recordSetHandlers, changeHandlers, vpcAssociationHandlers, delegationSetHandlers, tagHandlers),
  };
}
