// VPC peering: one connection seen from two sides. The requester's account
// and region and the accepter's account and region each hold a copy of the
// record, because AWS shows the connection in both places and tags it per
// side ("tags only apply in the account or Region in which you create them").
// Everything but the tags and how long a side keeps seeing the connection is
// shared: every change writes both copies in the same transaction.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { cidrsOverlap } from '../../net/cidr.ts';
import type { Scope } from '../../store/store.ts';
import { applyFilters, paginate, type Filter } from './describe.ts';
import { describeRegions } from './regions.ts';
import { isIdOf, K, malformed, must, newId, notFound } from './resources.ts';
import { tagsFromSpecs, type TagSpecification } from './tags.ts';
import { currentPeerings, peeringAt, peeringVisibleAt } from '../../records/peering.ts';
import { activeCidrBlocks, activeIpv6Blocks, dnsAttributes } from '../../records/vpcs.ts';
import type { Vpc } from './types.ts';
import type { PeeringOptions, PeeringVpcInfo, PeeringState, VpcPeeringConnection } from '../../records/ec2.ts';
export type { PeeringOptions, PeeringVpcInfo, PeeringState, VpcPeeringConnection } from '../../records/ec2.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const EXPIRY = 7 * DAY;
/** States in which a connection holds its VPC pair. */
const LIVE: PeeringState[] = ['initiating-request', 'pending-acceptance', 'provisioning', 'active'];

function sameScope(a: Scope, b: Scope): boolean {
  return a.account === b.account && a.region === b.region;
}

const current = peeringAt;
const visible = peeringVisibleAt;

/** This scope's copy of the connection, or the AWS not-found / malformed error. */
function mustPeering(env: HandlerEnv, id: string | undefined): VpcPeeringConnection {
  if (!id) throw new AwsError('MissingParameter', 'The request must contain the parameter vpcPeeringConnectionId', 400);
  const p = env.store.get<VpcPeeringConnection>(K.peering.kind, env.scope, id);
  if (p && visible(current(p))) return current(p);
  if (!isIdOf(K.peering, id)) throw malformed(K.peering, id);
  throw notFound(K.peering, id);
}

/**
 * Writes the shared state of the connection to every side that sees it,
 * keeping each side's own tags. `hide` gives each side's visibility deadline
 * when the state ends the connection.
 */
function persist(env: HandlerEnv, p: VpcPeeringConnection, hide?: { requester?: number; accepter?: number }): void {
  const sides: { scope: Scope; hideAt?: number }[] = [{ scope: p._requester, hideAt: hide?.requester }];
  if (!sameScope(p._requester, p._accepter)) sides.push({ scope: p._accepter, hideAt: hide?.accepter });
  for (const [i, side] of sides.entries()) {
    const existing = env.store.get<VpcPeeringConnection>(K.peering.kind, side.scope, p.VpcPeeringConnectionId);
    // An accepter side that never saw the connection (a failed request) does not start seeing it now.
    if (!existing && i > 0) continue;
    const copy: VpcPeeringConnection = { ...p, Tags: existing?.Tags, _hideAt: side.hideAt };
    if (copy.Tags === undefined) delete copy.Tags;
    if (copy._hideAt === undefined) delete copy._hideAt;
    env.store.put(K.peering.kind, side.scope, p.VpcPeeringConnectionId, copy);
  }
}

function vpcCidrs(vpc: Vpc): Pick<PeeringVpcInfo, 'CidrBlock' | 'CidrBlockSet' | 'Ipv6CidrBlockSet'> {
  const v4 = activeCidrBlocks(vpc).map((b) => ({ CidrBlock: b }));
  const v6 = activeIpv6Blocks(vpc).map((b) => ({ Ipv6CidrBlock: b }));
  return { CidrBlock: vpc.CidrBlock, CidrBlockSet: v4, ...(v6.length ? { Ipv6CidrBlockSet: v6 } : {}) };
}

function allCidrs(vpc: Vpc): string[] {
  const c = vpcCidrs(vpc);
  return [...(c.CidrBlockSet ?? []).map((b) => b.CidrBlock), ...(c.Ipv6CidrBlockSet ?? []).map((b) => b.Ipv6CidrBlock)];
}

/** Any IPv4 or IPv6 block of one VPC overlapping any block of the other makes peering impossible. */
export function vpcsOverlap(a: Vpc, b: Vpc): boolean {
  return allCidrs(a).some((x) => allCidrs(b).some((y) => cidrsOverlap(x, y)));
}

function defaultOptions(): PeeringOptions {
  return { AllowDnsResolutionFromRemoteVpc: false, AllowEgressFromLocalClassicLinkToRemoteVpc: false, AllowEgressFromLocalVpcToRemoteClassicLink: false };
}

/** Every live connection across all accounts and regions, once each (the requester's copy). */
export function allPeerings(env: Pick<HandlerEnv, 'store'>): VpcPeeringConnection[] {
  return currentPeerings(env.store.listAll<VpcPeeringConnection>(K.peering.kind));
}

/** The active connections a VPC takes part in (for routing and DNS views). */
export function activePeeringsOf(env: Pick<HandlerEnv, 'store'>, vpcId: string): VpcPeeringConnection[] {
  return allPeerings(env).filter((p) => p.Status.Code === 'active' && (p.RequesterVpcInfo.VpcId === vpcId || p.AccepterVpcInfo.VpcId === vpcId));
}

function findVpc(env: HandlerEnv, scope: Scope, vpcId: string): Vpc | undefined {
  return env.store.get<Vpc>(K.vpc.kind, scope, vpcId);
}

export function createVpcPeeringConnection(
  input: { VpcId: string; PeerVpcId?: string; PeerOwnerId?: string; PeerRegion?: string; TagSpecifications?: TagSpecification[] },
  env: HandlerEnv,
) {
  const vpc = must<Vpc>(env, K.vpc, input.VpcId);
  if (!input.PeerVpcId) throw new AwsError('MissingParameter', 'The request must contain the parameter peerVpcId', 400);
  if (input.PeerRegion !== undefined) describeRegions({ RegionNames: [input.PeerRegion] }, env);
  const tags = tagsFromSpecs(input.TagSpecifications, 'vpc-peering-connection');
  const requester: Scope = { ...env.scope };
  const accepter: Scope = { account: input.PeerOwnerId ?? env.scope.account, region: input.PeerRegion ?? env.scope.region };

  // Asking again for a connection that already links the same two VPCs answers with that connection.
  const same = allPeerings(env).find(
    (p) => LIVE.includes(p.Status.Code) && p.RequesterVpcInfo.VpcId === vpc.VpcId && p.AccepterVpcInfo.VpcId === input.PeerVpcId && sameScope(p._accepter, accepter) && sameScope(p._requester, requester),
  );
  if (same) return { VpcPeeringConnection: present(env, same) };

  const peer = /^\d{12}$/.test(accepter.account) ? findVpc(env, accepter, input.PeerVpcId) : undefined;
  const id = newId('pcx');
  const p: VpcPeeringConnection = {
    VpcPeeringConnectionId: id,
    RequesterVpcInfo: { VpcId: vpc.VpcId, OwnerId: requester.account, Region: requester.region, ...vpcCidrs(vpc) },
    // The accepter's blocks are disclosed only once it accepts.
    AccepterVpcInfo: { VpcId: input.PeerVpcId, OwnerId: accepter.account, Region: accepter.region },
    Status: { Code: 'pending-acceptance', Message: `Pending Acceptance by ${accepter.account}` },
    ExpirationTime: new Date(Date.now() + EXPIRY).toISOString(),
    _requester: requester,
    _accepter: accepter,
  };
  // The API takes the request; a peer that does not exist or overlaps fails it afterwards, as AWS does.
  const failed = !peer || vpcsOverlap(vpc, peer);
  if (failed) {
    p.Status = { Code: 'failed', Message: 'Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range' };
    delete p.ExpirationTime;
  }
  // Only the requester sees a failed request, for two hours.
  env.store.put(K.peering.kind, requester, id, { ...p, ...(tags ? { Tags: tags } : {}), ...(failed ? { _hideAt: Date.now() + 2 * HOUR } : {}) });
  if (!failed && !sameScope(requester, accepter)) env.store.put(K.peering.kind, accepter, id, p);
  const answer: VpcPeeringConnection = { ...p, Tags: tags, Status: { Code: 'initiating-request', Message: `Initiating Request to ${accepter.account}` } };
  return { VpcPeeringConnection: strip(answer) };
}

function strip(p: VpcPeeringConnection): VpcPeeringConnection {
  // Bookkeeping members never reach the wire anyway; dropping them keeps answers tidy in tests and logs.
  const { _requester: _r, _accepter: _a, _hideAt: _h, ...rest } = p;
  return rest as VpcPeeringConnection;
}

/** The connection as this scope's Describe shows it. */
function present(env: HandlerEnv, p: VpcPeeringConnection): VpcPeeringConnection {
  const own = env.store.get<VpcPeeringConnection>(K.peering.kind, env.scope, p.VpcPeeringConnectionId);
  return strip({ ...p, Tags: own?.Tags });
}

function role(env: HandlerEnv, p: VpcPeeringConnection): { requester: boolean; accepter: boolean } {
  return { requester: sameScope(env.scope, p._requester), accepter: sameScope(env.scope, p._accepter) };
}

function invalidTransition(p: VpcPeeringConnection, to: string): AwsError {
  return new AwsError('InvalidStateTransition', `Invalid state transition for ${p.VpcPeeringConnectionId}, attempted to transition from ${p.Status.Code} to ${to}`, 400);
}

export function acceptVpcPeeringConnection(input: { VpcPeeringConnectionId: string }, env: HandlerEnv) {
  const p = mustPeering(env, input.VpcPeeringConnectionId);
  if (!role(env, p).accepter) throw new AwsError('OperationNotPermitted', `User ${env.scope.account} cannot accept peering ${p.VpcPeeringConnectionId}`, 400);
  if (p.Status.Code !== 'pending-acceptance') throw invalidTransition(p, 'provisioning');
  const requesterVpc = findVpc(env, p._requester, p.RequesterVpcInfo.VpcId);
  const accepterVpc = findVpc(env, p._accepter, p.AccepterVpcInfo.VpcId);
  if (!requesterVpc || !accepterVpc) throw new AwsError('InvalidVpcID.NotFound', `The vpc ID '${!requesterVpc ? p.RequesterVpcInfo.VpcId : p.AccepterVpcInfo.VpcId}' does not exist`, 400);
  // One connection per VPC pair: another live one between the same two VPCs blocks this one.
  const pair = [requesterVpc.VpcId, accepterVpc.VpcId].sort().join();
  const rival = allPeerings(env).find(
    (o) => o.VpcPeeringConnectionId !== p.VpcPeeringConnectionId && ['provisioning', 'active'].includes(o.Status.Code) && [o.RequesterVpcInfo.VpcId, o.AccepterVpcInfo.VpcId].sort().join() === pair,
  );
  if (rival) throw new AwsError('VpcPeeringConnectionAlreadyExists', `The vpc peering connection identified by ${p.VpcPeeringConnectionId} already exists.`, 400);
  // Blocks added while the request was pending are checked again.
  if (vpcsOverlap(requesterVpc, accepterVpc)) {
    throw new AwsError('InvalidParameterValue', `The CIDR blocks of ${requesterVpc.VpcId} and ${accepterVpc.VpcId} overlap; the VPCs cannot be peered.`, 400);
  }
  const next: VpcPeeringConnection = {
    ...p,
    RequesterVpcInfo: { ...p.RequesterVpcInfo, ...vpcCidrs(requesterVpc), PeeringOptions: defaultOptions() },
    AccepterVpcInfo: { ...p.AccepterVpcInfo, ...vpcCidrs(accepterVpc), PeeringOptions: defaultOptions() },
    Status: { Code: 'active', Message: 'Active' },
  };
  delete next.ExpirationTime;
  persist(env, next);
  return { VpcPeeringConnection: present(env, { ...next, Status: { Code: 'provisioning', Message: 'Provisioning' } }) };
}

export function rejectVpcPeeringConnection(input: { VpcPeeringConnectionId: string }, env: HandlerEnv) {
  const p = mustPeering(env, input.VpcPeeringConnectionId);
  if (!role(env, p).accepter) throw new AwsError('OperationNotPermitted', `User ${env.scope.account} cannot reject peering ${p.VpcPeeringConnectionId}`, 400);
  if (p.Status.Code !== 'pending-acceptance') throw invalidTransition(p, 'rejected');
  const now = Date.now();
  const next: VpcPeeringConnection = { ...p, Status: { Code: 'rejected', Message: `Rejected by ${env.scope.account}` } };
  delete next.ExpirationTime;
  // The requester sees a rejection for two days, the accepter for two hours (both two hours within one account).
  const sameAccount = p._requester.account === p._accepter.account;
  persist(env, next, { requester: now + (sameAccount ? 2 * HOUR : 2 * DAY), accepter: now + 2 * HOUR });
  return { Return: true };
}

export function deleteVpcPeeringConnection(input: { VpcPeeringConnectionId: string }, env: HandlerEnv) {
  const p = mustPeering(env, input.VpcPeeringConnectionId);
  const r = role(env, p);
  if (p.Status.Code === 'pending-acceptance' && !r.requester) {
    // The accepter answers a pending request by accepting or rejecting it.
    throw new AwsError('OperationNotPermitted', `User ${env.scope.account} cannot delete peering ${p.VpcPeeringConnectionId} while it is pending acceptance; reject it instead`, 400);
  }
  if (!['pending-acceptance', 'provisioning', 'active'].includes(p.Status.Code)) throw invalidTransition(p, 'deleting');
  const now = Date.now();
  const next: VpcPeeringConnection = { ...p, Status: { Code: 'deleted', Message: `Deleted by ${env.scope.account}` } };
  delete next.ExpirationTime;
  // The deleting side sees it for two hours, the other side for two days (two hours within one account).
  const sameAccount = p._requester.account === p._accepter.account;
  const other = now + (sameAccount ? 2 * HOUR : 2 * DAY);
  persist(env, next, r.requester ? { requester: now + 2 * HOUR, accepter: other } : { requester: other, accepter: now + 2 * HOUR });
  return { Return: true };
}

const PEERING_FILTERS = {
  'accepter-vpc-info.cidr-block': (p: VpcPeeringConnection) => [p.AccepterVpcInfo.CidrBlock, ...(p.AccepterVpcInfo.CidrBlockSet ?? []).map((c) => c.CidrBlock)],
  'accepter-vpc-info.owner-id': (p: VpcPeeringConnection) => p.AccepterVpcInfo.OwnerId,
  'accepter-vpc-info.vpc-id': (p: VpcPeeringConnection) => p.AccepterVpcInfo.VpcId,
  'expiration-time': (p: VpcPeeringConnection) => p.ExpirationTime,
  'requester-vpc-info.cidr-block': (p: VpcPeeringConnection) => [p.RequesterVpcInfo.CidrBlock, ...(p.RequesterVpcInfo.CidrBlockSet ?? []).map((c) => c.CidrBlock)],
  'requester-vpc-info.owner-id': (p: VpcPeeringConnection) => p.RequesterVpcInfo.OwnerId,
  'requester-vpc-info.vpc-id': (p: VpcPeeringConnection) => p.RequesterVpcInfo.VpcId,
  'status-code': (p: VpcPeeringConnection) => p.Status.Code,
  'status-message': (p: VpcPeeringConnection) => p.Status.Message,
  'vpc-peering-connection-id': (p: VpcPeeringConnection) => p.VpcPeeringConnectionId,
};

export function describeVpcPeeringConnections(input: { VpcPeeringConnectionIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const ids = input.VpcPeeringConnectionIds ?? [];
  const now = Date.now();
  let items: VpcPeeringConnection[];
  if (ids.length) {
    items = ids.map((id) => mustPeering(env, id));
  } else {
    items = env.store
      .list<VpcPeeringConnection>(K.peering.kind, env.scope)
      .map((p) => current(p, now))
      .filter((p) => visible(p, now));
  }
  const { page, NextToken } = paginate(applyFilters(items, input.Filters, PEERING_FILTERS), input, { min: 5, max: 1000 }, ids.length > 0);
  return { VpcPeeringConnections: page.map(strip), NextToken };
}

interface OptionsRequest {
  AllowDnsResolutionFromRemoteVpc?: boolean;
  AllowEgressFromLocalClassicLinkToRemoteVpc?: boolean;
  AllowEgressFromLocalVpcToRemoteClassicLink?: boolean;
}

export function modifyVpcPeeringConnectionOptions(
  input: { VpcPeeringConnectionId: string; RequesterPeeringConnectionOptions?: OptionsRequest; AccepterPeeringConnectionOptions?: OptionsRequest },
  env: HandlerEnv,
) {
  const p = mustPeering(env, input.VpcPeeringConnectionId);
  const asked = { requester: input.RequesterPeeringConnectionOptions, accepter: input.AccepterPeeringConnectionOptions };
  if (!asked.requester && !asked.accepter) {
    throw new AwsError('MissingParameter', 'The request must contain the parameter RequesterPeeringConnectionOptions or AccepterPeeringConnectionOptions', 400);
  }
  if (p.Status.Code !== 'active') {
    throw new AwsError('OperationNotPermitted', `Peering ${p.VpcPeeringConnectionId} is not active. Peering options can be added only to active peerings.`, 400);
  }
  // Each owner sets only its own side, and an inter-Region side only from its own Region.
  for (const side of ['requester', 'accepter'] as const) {
    if (!asked[side]) continue;
    const scope = side === 'requester' ? p._requester : p._accepter;
    if (env.scope.account !== scope.account) throw new AwsError('OperationNotPermitted', `User ${env.scope.account} does not have permission to modify the ${side} side peering options`, 400);
    if (env.scope.region !== scope.region) {
      throw new AwsError('OperationNotPermitted', `${side === 'requester' ? 'Requester' : 'Accepter'}'s VPC Peering connection options cannot be modified for a different region`, 400);
    }
    const o = asked[side]!;
    if (o.AllowEgressFromLocalClassicLinkToRemoteVpc || o.AllowEgressFromLocalVpcToRemoteClassicLink) {
      throw new AwsError('UnsupportedOperation', 'EC2-Classic has been retired; ClassicLink peering options cannot be enabled.', 400);
    }
  }
  const wantsDns = asked.requester?.AllowDnsResolutionFromRemoteVpc || asked.accepter?.AllowDnsResolutionFromRemoteVpc;
  if (wantsDns) {
    for (const [scope, vpcId] of [[p._requester, p.RequesterVpcInfo.VpcId], [p._accepter, p.AccepterVpcInfo.VpcId]] as const) {
      const vpc = findVpc(env, scope, vpcId);
      if (!vpc || !dnsAttributes(vpc).hostnames || !dnsAttributes(vpc).support) {
        throw new AwsError(
          'InvalidVpcPeeringConnectionState.DnsHostnamesDisabled',
          `Unable to modify peering connection options for ${p.VpcPeeringConnectionId}: both VPCs must have DNS hostnames and DNS resolution enabled (${vpcId} does not).`,
          400,
        );
      }
    }
  }
  const merge = (info: PeeringVpcInfo, o: OptionsRequest | undefined): PeeringVpcInfo =>
    o?.AllowDnsResolutionFromRemoteVpc === undefined ? info : { ...info, PeeringOptions: { ...(info.PeeringOptions ?? defaultOptions()), AllowDnsResolutionFromRemoteVpc: o.AllowDnsResolutionFromRemoteVpc } };
  const next: VpcPeeringConnection = { ...p, RequesterVpcInfo: merge(p.RequesterVpcInfo, asked.requester), AccepterVpcInfo: merge(p.AccepterVpcInfo, asked.accepter) };
  persist(env, next);
  return {
    RequesterPeeringConnectionOptions: asked.requester ? next.RequesterVpcInfo.PeeringOptions : undefined,
    AccepterPeeringConnectionOptions: asked.accepter ? next.AccepterVpcInfo.PeeringOptions : undefined,
  };
}

export const peeringHandlers = {
  CreateVpcPeeringConnection: createVpcPeeringConnection,
  AcceptVpcPeeringConnection: acceptVpcPeeringConnection,
  RejectVpcPeeringConnection: rejectVpcPeeringConnection,
  DeleteVpcPeeringConnection: deleteVpcPeeringConnection,
  DescribeVpcPeeringConnections: describeVpcPeeringConnections,
  ModifyVpcPeeringConnectionOptions: modifyVpcPeeringConnectionOptions,
} satisfies Handlers;
