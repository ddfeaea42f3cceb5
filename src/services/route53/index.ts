// The Route 53 service (rest-xml, global): hosted zones, record sets, VPC
// associations, delegation sets, tags, changes. Operations not listed answer
// 501 NotImplemented (health checks, traffic policies, DNSSEC, query logging,
// CIDR collections). See README.md.
import { loadModel } from '../../aws/model.ts';
import { restXmlProtocol } from '../../aws/protocols/rest-xml.ts';
import type { Handler, ServiceDefinition } from '../../aws/service.ts';
import { getChange } from './changes.ts';
import { createReusableDelegationSet, deleteReusableDelegationSet, getReusableDelegationSet, getReusableDelegationSetLimit, listReusableDelegationSets } from './delegation-sets.ts';
import {
  createHostedZone,
  deleteHostedZone,
  getHostedZone,
  getHostedZoneCount,
  getHostedZoneLimit,
  listHostedZones,
  listHostedZonesByName,
  updateHostedZoneComment,
} from './hosted-zones.ts';
import { changeResourceRecordSets, listResourceRecordSets } from './record-sets.ts';
import { changeTagsForResource, listTagsForResource, listTagsForResources } from './tags.ts';
import {
  associateVPCWithHostedZone,
  createVPCAssociationAuthorization,
  deleteVPCAssociationAuthorization,
  disassociateVPCFromHostedZone,
  listHostedZonesByVPC,
  listVPCAssociationAuthorizations,
} from './vpc-associations.ts';

const handlers: Record<string, Handler> = {
  CreateHostedZone: createHostedZone,
  GetHostedZone: getHostedZone,
  ListHostedZones: listHostedZones,
  ListHostedZonesByName: listHostedZonesByName,
  ListHostedZonesByVPC: listHostedZonesByVPC,
  GetHostedZoneCount: getHostedZoneCount,
  GetHostedZoneLimit: getHostedZoneLimit,
  UpdateHostedZoneComment: updateHostedZoneComment,
  DeleteHostedZone: deleteHostedZone,
  ChangeResourceRecordSets: changeResourceRecordSets,
  ListResourceRecordSets: listResourceRecordSets,
  GetChange: getChange,
  AssociateVPCWithHostedZone: associateVPCWithHostedZone,
  DisassociateVPCFromHostedZone: disassociateVPCFromHostedZone,
  CreateVPCAssociationAuthorization: createVPCAssociationAuthorization,
  DeleteVPCAssociationAuthorization: deleteVPCAssociationAuthorization,
  ListVPCAssociationAuthorizations: listVPCAssociationAuthorizations,
  CreateReusableDelegationSet: createReusableDelegationSet,
  GetReusableDelegationSet: getReusableDelegationSet,
  ListReusableDelegationSets: listReusableDelegationSets,
  DeleteReusableDelegationSet: deleteReusableDelegationSet,
  GetReusableDelegationSetLimit: getReusableDelegationSetLimit,
  ChangeTagsForResource: changeTagsForResource,
  ListTagsForResource: listTagsForResource,
  ListTagsForResources: listTagsForResources,
};

export function route53Service(): ServiceDefinition {
  return { name: 'route53', signingNames: ['route53'], model: loadModel('route53'), protocol: restXmlProtocol, handlers };
}
