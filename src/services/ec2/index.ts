// The EC2 service: its model, protocol and the operations localnet emulates,
// one table per file (see src/aws/service.ts). Operations in no table answer
// 501 NotImplemented (see docs/coverage.md).
import { loadModel } from '../../aws/model.ts';
import { ec2Protocol } from '../../aws/protocols/ec2.ts';
import { mergeHandlers, type ServiceDefinition } from '../../aws/service.ts';
import { accountHandlers } from './account.ts';
import { addressHandlers } from './addresses.ts';
import { ensureDefaults } from './defaults.ts';
import { dhcpOptionsHandlers } from './dhcp-options.ts';
import { instanceHandlers } from './instances.ts';
import { internetGatewayHandlers } from './internet-gateways.ts';
import { natGatewayHandlers } from './nat-gateways.ts';
import { endpointPermissionHandlers } from './endpoint-permissions.ts';
import { networkAclHandlers } from './network-acls.ts';
import { networkInsightsHandlers } from './network-insights.ts';
import { networkInterfaceHandlers } from './network-interfaces.ts';
import { peeringHandlers } from './peering.ts';
import { prefixListHandlers } from './prefix-lists.ts';
import { privateDnsVerificationHandlers } from './private-dns-verification.ts';
import { regionHandlers } from './regions.ts';
import { routeTableHandlers } from './route-tables.ts';
import { routeHandlers } from './routes.ts';
import { securityGroupRuleHandlers } from './security-group-rules.ts';
import { securityGroupHandlers } from './security-groups.ts';
import { subnetHandlers } from './subnets.ts';
import { tagHandlers } from './tags.ts';
import { vpcEndpointServiceHandlers } from './vpc-endpoint-services.ts';
import { vpcEndpointHandlers } from './vpc-endpoints.ts';
import { vpcHandlers } from './vpcs.ts';

export function ec2Service(): ServiceDefinition {
  return {
    name: 'ec2',
    signingNames: ['ec2'],
    model: loadModel('ec2'),
    protocol: ec2Protocol,
    handlers: mergeHandlers(
      // The account, its regions and zones, its default DHCP options.
      accountHandlers,
      regionHandlers,
      dhcpOptionsHandlers,
      // VPCs, subnets, tags on everything.
      vpcHandlers,
      subnetHandlers,
      tagHandlers,
      // Route tables and routes, internet and NAT gateways, Elastic IPs.
      routeTableHandlers,
      routeHandlers,
      internetGatewayHandlers,
      natGatewayHandlers,
      addressHandlers,
      // Security groups, their rules, network ACLs.
      securityGroupHandlers,
      securityGroupRuleHandlers,
      networkAclHandlers,
      // Peering, network interfaces, instances.
      peeringHandlers,
      networkInterfaceHandlers,
      instanceHandlers,
      // PrivateLink: endpoint services (provider), their permissions and connections,
      // private DNS verification; endpoints (consumer) and the prefix lists gateway endpoints route to.
      vpcEndpointServiceHandlers,
      endpointPermissionHandlers,
      privateDnsVerificationHandlers,
      vpcEndpointHandlers,
      prefixListHandlers,
      // Reachability Analyzer (Network Insights) on src/net/reachability/.
      networkInsightsHandlers,
    ),
    prepare: ensureDefaults,
  };
}
