// EC2 operations of this group, registered by src/services/ec2/index.ts:
// route tables and routes, internet and NAT gateways, Elastic IPs.
import type { Handler } from '../../../aws/service.ts';
import { allocateAddress, associateAddress, describeAddresses, disassociateAddress, releaseAddress } from '../addresses.ts';
import { attachInternetGateway, createInternetGateway, deleteInternetGateway, describeInternetGateways, detachInternetGateway } from '../internet-gateways.ts';
import { createNatGateway, deleteNatGateway, describeNatGateways } from '../nat-gateways.ts';
import { associateRouteTable, createRouteTable, deleteRouteTable, describeRouteTables, disassociateRouteTable, replaceRouteTableAssociation } from '../route-tables.ts';
import { createRoute, deleteRoute, replaceRoute } from '../routes.ts';

export const routingHandlers: Record<string, Handler> = {
  CreateRouteTable: createRouteTable,
  DeleteRouteTable: deleteRouteTable,
  DescribeRouteTables: describeRouteTables,
  AssociateRouteTable: associateRouteTable,
  DisassociateRouteTable: disassociateRouteTable,
  ReplaceRouteTableAssociation: replaceRouteTableAssociation,
  CreateRoute: createRoute,
  ReplaceRoute: replaceRoute,
  DeleteRoute: deleteRoute,
  CreateInternetGateway: createInternetGateway,
  AttachInternetGateway: attachInternetGateway,
  DetachInternetGateway: detachInternetGateway,
  DeleteInternetGateway: deleteInternetGateway,
  DescribeInternetGateways: describeInternetGateways,
  AllocateAddress: allocateAddress,
  AssociateAddress: associateAddress,
  DisassociateAddress: disassociateAddress,
  ReleaseAddress: releaseAddress,
  DescribeAddresses: describeAddresses,
  CreateNatGateway: createNatGateway,
  DeleteNatGateway: deleteNatGateway,
  DescribeNatGateways: describeNatGateways,
};
