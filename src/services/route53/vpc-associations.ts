// Private zones and VPCs: association (own VPCs, or another account's VPC
// after the zone owner authorized it), disassociation, authorizations, and
// the zones a VPC sees.
//
// Cross-account flow (AWS's): account A owns the zone and calls
// CreateVPCAssociationAuthorization for B's VPC; account B, owner of the VPC,
// calls AssociateVPCWithHostedZone; A may then delete the authorization and
// the association stays.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { findZoneAnywhere, invalidInput, maxItems, mustZone, newChange, noSuchHostedZone, saveZone } from './common.ts';
import { formatName } from './names.ts';
import { KIND, type HostedZone, type VpcRef } from './types.ts';

const EC2_VPC_KIND = 'ec2:vpc';

function invalidVpc(vpc: Partial<VpcRef>, account: string): AwsError {
  return new AwsError('InvalidVPCId', `The VPC ID '${vpc.VPCId ?? ''}' in region '${vpc.VPCRegion ?? ''}' is not valid or is not a VPC of account ${account}.`, 400);
}

/** The VPC must exist in the caller's account in VPCRegion (InvalidVPCId otherwise). */
export function mustOwnVpc(env: HandlerEnv, vpc: Partial<VpcRef>): VpcRef {
  if (!vpc.VPCId || !vpc.VPCRegion) throw invalidVpc(vpc, env.ctx.account);
  const found = env.store.get(EC2_VPC_KIND, { account: env.ctx.account, region: vpc.VPCRegion }, vpc.VPCId);
  if (!found) throw invalidVpc(vpc, env.ctx.account);
  return { VPCRegion: vpc.VPCRegion, VPCId: vpc.VPCId };
}

const sameVpc = (a: VpcRef) => (b: VpcRef) => a.VPCId === b.VPCId && a.VPCRegion === b.VPCRegion;

/** ConflictingDomainExists when a zone of the same name (in any account) is already associated with the VPC. */
export function checkVpcFree(env: HandlerEnv, name: string, vpc: VpcRef): void {
  for (const { value: z } of env.store.listAll<HostedZone>(KIND.zone)) {
    if (z.Name === name && z.VPCs.some(sameVpc(vpc))) {
      throw new AwsError('ConflictingDomainExists', `The VPC ${vpc.VPCId} in ${vpc.VPCRegion} region has already been associated with the hosted zone ${z.Id} with the same domain name.`, 400);
    }
  }
}

export function associateVPCWithHostedZone(input: { HostedZoneId: string; VPC: Partial<VpcRef>; Comment?: string }, env: HandlerEnv) {
  const found = findZoneAnywhere(env, input.HostedZoneId);
  if (!found) throw noSuchHostedZone(input.HostedZoneId);
  const { zone, owner } = found;
  if (!zone.PrivateZone) {
    throw new AwsError('PublicZoneVPCAssociation', `Public hosted zone ${zone.Id} cannot be associated with a VPC: Route 53 does not associate VPCs with public hosted zones.`, 400);
  }
  const vpc = mustOwnVpc(env, input.VPC);
  if (owner !== env.ctx.account && !zone.Authorizations.some(sameVpc(vpc))) {
    throw new AwsError('NotAuthorizedException', `User arn:aws:iam::${env.ctx.account}:root is not authorized to associate ${vpc.VPCId} with hosted zone ${zone.Id}: its owner must call CreateVPCAssociationAuthorization first.`, 401);
  }
  checkVpcFree(env, zone.Name, vpc);
  zone.VPCs.push({ ...vpc, Account: env.ctx.account });
  saveZone(env, zone, owner);
  return { ChangeInfo: newChange(env, input.Comment) };
}

export function disassociateVPCFromHostedZone(input: { HostedZoneId: string; VPC: Partial<VpcRef>; Comment?: string }, env: HandlerEnv) {
  const found = findZoneAnywhere(env, input.HostedZoneId);
  const vpc = { VPCId: input.VPC.VPCId ?? '', VPCRegion: input.VPC.VPCRegion ?? '' };
  const assoc = found?.zone.VPCs.find(sameVpc(vpc));
  // The zone owner and the VPC owner may both disassociate; anyone else does not see the zone.
  if (!found || (found.owner !== env.ctx.account && assoc?.Account !== env.ctx.account)) throw noSuchHostedZone(input.HostedZoneId);
  const { zone, owner } = found;
  if (!assoc) throw new AwsError('VPCAssociationNotFound', `The specified VPC ${vpc.VPCId} and hosted zone ${zone.Id} are not currently associated.`, 404);
  if (zone.VPCs.length === 1) {
    throw new AwsError('LastVPCAssociation', `The VPC ${vpc.VPCId} is the last VPC associated with the private hosted zone ${zone.Id}; Route 53 does not disassociate the last VPC from a private hosted zone.`, 400);
  }
  zone.VPCs = zone.VPCs.filter((v) => !sameVpc(vpc)(v));
  saveZone(env, zone, owner);
  return { ChangeInfo: newChange(env, input.Comment) };
}

function mustPrivateZone(env: HandlerEnv, id: string): HostedZone {
  const zone = mustZone(env, id);
  if (!zone.PrivateZone) throw invalidInput(`The hosted zone ${zone.Id} is a public hosted zone; only private hosted zones are associated with VPCs.`);
  return zone;
}

function checkVpcShape(vpc: Partial<VpcRef>): VpcRef {
  if (!vpc.VPCId || !vpc.VPCRegion) throw new AwsError('InvalidVPCId', 'The VPC must have both VPCId and VPCRegion.', 400);
  return { VPCId: vpc.VPCId, VPCRegion: vpc.VPCRegion };
}

export function createVPCAssociationAuthorization(input: { HostedZoneId: string; VPC: Partial<VpcRef> }, env: HandlerEnv) {
  const zone = mustPrivateZone(env, input.HostedZoneId);
  const vpc = checkVpcShape(input.VPC);
  if (!zone.Authorizations.some(sameVpc(vpc))) {
    if (zone.Authorizations.length >= 100) throw new AwsError('TooManyVPCAssociationAuthorizations', 'You have reached the maximum number of authorized VPC associations for this hosted zone.', 400);
    zone.Authorizations.push(vpc);
    saveZone(env, zone);
  }
  return { HostedZoneId: zone.Id, VPC: vpc };
}

export function deleteVPCAssociationAuthorization(input: { HostedZoneId: string; VPC: Partial<VpcRef> }, env: HandlerEnv) {
  const zone = mustPrivateZone(env, input.HostedZoneId);
  const vpc = checkVpcShape(input.VPC);
  if (!zone.Authorizations.some(sameVpc(vpc))) {
    throw new AwsError('VPCAssociationAuthorizationNotFound', `The VPC ${vpc.VPCId} in ${vpc.VPCRegion} has not been authorized to associate with hosted zone ${zone.Id}.`, 404);
  }
  zone.Authorizations = zone.Authorizations.filter((v) => !sameVpc(vpc)(v));
  saveZone(env, zone);
  return {};
}

/** NextToken is the index of the next item, as a string (opaque to callers). */
function page<T>(items: T[], token: string | undefined, max: number): { items: T[]; next?: string } {
  const start = token === undefined ? 0 : Number(token);
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw new AwsError('InvalidPaginationToken', 'The value that you specified to get the second or subsequent page of results is invalid.', 400);
  const end = start + max;
  return { items: items.slice(start, end), next: end < items.length ? String(end) : undefined };
}

export function listVPCAssociationAuthorizations(input: { HostedZoneId: string; NextToken?: string; MaxResults?: string }, env: HandlerEnv) {
  const zone = mustZone(env, input.HostedZoneId);
  const { items, next } = page(zone.Authorizations, input.NextToken, maxItems(input.MaxResults, 50));
  return { HostedZoneId: zone.Id, NextToken: next, VPCs: items };
}

export function listHostedZonesByVPC(input: { VPCId: string; VPCRegion: string; MaxItems?: string; NextToken?: string }, env: HandlerEnv) {
  const max = maxItems(input.MaxItems, 100);
  const vpc = { VPCId: input.VPCId, VPCRegion: input.VPCRegion };
  const all = env.store
    .listAll<HostedZone>(KIND.zone)
    .filter(({ value }) => value.VPCs.some(sameVpc(vpc)))
    .map(({ scope, value }) => ({ HostedZoneId: value.Id, Name: formatName(value.Name), Owner: { OwningAccount: scope.account } }));
  const { items, next } = page(all, input.NextToken, max);
  return { HostedZoneSummaries: items, MaxItems: String(max), NextToken: next };
}

export const vpcAssociationHandlers = {
  ListHostedZonesByVPC: listHostedZonesByVPC,
  AssociateVPCWithHostedZone: associateVPCWithHostedZone,
  DisassociateVPCFromHostedZone: disassociateVPCFromHostedZone,
  CreateVPCAssociationAuthorization: createVPCAssociationAuthorization,
  DeleteVPCAssociationAuthorization: deleteVPCAssociationAuthorization,
  ListVPCAssociationAuthorizations: listVPCAssociationAuthorizations,
} satisfies Handlers;
