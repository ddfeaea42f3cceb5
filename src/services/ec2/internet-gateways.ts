// Internet gateways: at most one per VPC and one VPC per gateway. Attached
// gateways report their attachment as 'available', as AWS does. A gateway
// cannot be detached while the VPC still maps public addresses, nor deleted
// while attached.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { applyFilters, paginate, type Filter, type Tag } from './describe.ts';
import { all, byIds, K, must, newId, remove, save } from './resources.ts';
import { tagsFromSpecs, type TagSpecification } from './tags.ts';
import type { NetworkInterface, Vpc } from './types.ts';
import type { InternetGateway } from '../../records/ec2.ts';
export type { InternetGateway } from '../../records/ec2.ts';

/** Internet gateways per region (AWS default quota). */
const MAX_INTERNET_GATEWAYS = 5;

export function createInternetGatewayRecord(env: HandlerEnv, attachTo?: string, tags?: Tag[]): InternetGateway {
  return save(env, K.internetGateway, {
    InternetGatewayId: newId('igw'),
    OwnerId: env.scope.account,
    Attachments: attachTo ? [{ VpcId: attachTo, State: 'available' }] : [],
    Tags: tags,
  } satisfies InternetGateway);
}

/** The gateway attached to the VPC, if any. */
export function internetGatewayOf(env: HandlerEnv, vpcId: string): InternetGateway | undefined {
  return all<InternetGateway>(env, K.internetGateway).find((g) => g.Attachments.some((a) => a.VpcId === vpcId));
}

export function createInternetGateway(input: { TagSpecifications?: TagSpecification[] }, env: HandlerEnv) {
  const tags = tagsFromSpecs(input.TagSpecifications, 'internet-gateway');
  if (all(env, K.internetGateway).length >= MAX_INTERNET_GATEWAYS) {
    throw new AwsError('InternetGatewayLimitExceeded', 'The maximum number of internet gateways has been reached.', 400);
  }
  return { InternetGateway: createInternetGatewayRecord(env, undefined, tags) };
}

export function attachInternetGateway(input: { InternetGatewayId: string; VpcId: string }, env: HandlerEnv) {
  const igw = must<InternetGateway>(env, K.internetGateway, input.InternetGatewayId);
  const vpc = must<Vpc>(env, K.vpc, input.VpcId);
  const current = igw.Attachments[0];
  if (current) throw new AwsError('Resource.AlreadyAssociated', `resource ${igw.InternetGatewayId} is already attached to network ${current.VpcId}`, 400);
  if (internetGatewayOf(env, vpc.VpcId)) throw new AwsError('InvalidParameterValue', `Network ${vpc.VpcId} already has an internet gateway attached`, 400);
  igw.Attachments = [{ VpcId: vpc.VpcId, State: 'available' }];
  save(env, K.internetGateway, igw);
  return {};
}

/** True when some interface in the VPC holds a public address (Elastic IP or auto-assigned). */
function vpcMapsPublicAddresses(env: HandlerEnv, vpcId: string): boolean {
  return all<NetworkInterface>(env, K.networkInterface).some((eni) =>
    eni.VpcId === vpcId && (eni.Association?.PublicIp !== undefined || (eni.PrivateIpAddresses ?? []).some((p) => p.Association?.PublicIp !== undefined)));
}

export function detachInternetGateway(input: { InternetGatewayId: string; VpcId: string }, env: HandlerEnv) {
  const igw = must<InternetGateway>(env, K.internetGateway, input.InternetGatewayId);
  const vpc = must<Vpc>(env, K.vpc, input.VpcId);
  if (!igw.Attachments.some((a) => a.VpcId === vpc.VpcId)) {
    throw new AwsError('Gateway.NotAttached', `resource ${igw.InternetGatewayId} is not attached to network ${vpc.VpcId}`, 400);
  }
  if (vpcMapsPublicAddresses(env, vpc.VpcId)) {
    throw new AwsError('DependencyViolation', `Network ${vpc.VpcId} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`, 400);
  }
  // Routes to the gateway stay in their tables; DescribeRouteTables reports them as blackhole.
  igw.Attachments = [];
  save(env, K.internetGateway, igw);
  return {};
}

export function deleteInternetGateway(input: { InternetGatewayId: string }, env: HandlerEnv) {
  const igw = must<InternetGateway>(env, K.internetGateway, input.InternetGatewayId);
  if (igw.Attachments.length > 0) throw new AwsError('DependencyViolation', `The internetGateway '${igw.InternetGatewayId}' has dependencies and cannot be deleted.`, 400);
  remove(env, K.internetGateway, igw.InternetGatewayId);
  return {};
}

export const INTERNET_GATEWAY_FILTERS = {
  'attachment.state': (g: InternetGateway) => g.Attachments.map((a) => a.State),
  'attachment.vpc-id': (g: InternetGateway) => g.Attachments.map((a) => a.VpcId),
  'internet-gateway-id': (g: InternetGateway) => g.InternetGatewayId,
  'owner-id': (g: InternetGateway) => g.OwnerId,
};

export function describeInternetGateways(input: { InternetGatewayIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const items = byIds<InternetGateway>(env, K.internetGateway, input.InternetGatewayIds) ?? all<InternetGateway>(env, K.internetGateway);
  const { page, NextToken } = paginate(applyFilters(items, input.Filters, INTERNET_GATEWAY_FILTERS), input, { min: 5, max: 1000 }, !!input.InternetGatewayIds?.length);
  return { InternetGateways: page, NextToken };
}

export const internetGatewayHandlers = {
  CreateInternetGateway: createInternetGateway,
  AttachInternetGateway: attachInternetGateway,
  DetachInternetGateway: detachInternetGateway,
  DeleteInternetGateway: deleteInternetGateway,
  DescribeInternetGateways: describeInternetGateways,
} satisfies Handlers;
