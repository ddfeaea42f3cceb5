// The EC2 service: its model, protocol and the operations localnet emulates.
// Operations not listed here answer 501 NotImplemented (see docs/coverage.md).
import { loadModel } from '../../aws/model.ts';
import { ec2Protocol } from '../../aws/protocols/ec2.ts';
import type { Handler, ServiceDefinition } from '../../aws/service.ts';
import { describeAccountAttributes } from './account.ts';
import { ensureDefaults } from './defaults.ts';
import { describeDhcpOptions } from './dhcp-options.ts';
import { attachmentsHandlers } from './handlers/attachments.ts';
import { firewallHandlers } from './handlers/firewall.ts';
import { routingHandlers } from './handlers/routing.ts';
import { networkInsightsHandlers } from './network-insights.ts';
import { describeAvailabilityZones, describeRegions } from './regions.ts';
import { createSubnet, deleteSubnet, describeSubnets, modifySubnetAttribute } from './subnets.ts';
import { createTags, deleteTags, describeTags } from './tags.ts';
import { associateVpcCidrBlock, createVpc, deleteVpc, describeVpcAttribute, describeVpcs, disassociateVpcCidrBlock, modifyVpcAttribute } from './vpcs.ts';

const handlers: Record<string, Handler> = {
  DescribeAccountAttributes: describeAccountAttributes,
  DescribeDhcpOptions: describeDhcpOptions,
  DescribeRegions: describeRegions,
  DescribeAvailabilityZones: describeAvailabilityZones,
  CreateVpc: createVpc,
  DeleteVpc: deleteVpc,
  DescribeVpcs: describeVpcs,
  DescribeVpcAttribute: describeVpcAttribute,
  ModifyVpcAttribute: modifyVpcAttribute,
  AssociateVpcCidrBlock: associateVpcCidrBlock,
  DisassociateVpcCidrBlock: disassociateVpcCidrBlock,
  CreateSubnet: createSubnet,
  DeleteSubnet: deleteSubnet,
  DescribeSubnets: describeSubnets,
  ModifySubnetAttribute: modifySubnetAttribute,
  CreateTags: createTags,
  DeleteTags: deleteTags,
  DescribeTags: describeTags,
  // Route tables, internet and NAT gateways, Elastic IPs.
  ...routingHandlers,
  // Security groups and network ACLs.
  ...firewallHandlers,
  // Peering, network interfaces, instances.
  ...attachmentsHandlers,
  // Reachability Analyzer (Network Insights) on src/net/reachability/.
  ...networkInsightsHandlers,
};

export function ec2Service(): ServiceDefinition {
  return {
    name: 'ec2',
    signingNames: ['ec2'],
    model: loadModel('ec2'),
    protocol: ec2Protocol,
    handlers,
    prepare: ensureDefaults,
  };
}
