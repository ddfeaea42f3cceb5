// A VPC peering connection as it stands at a moment: a pending request past
// its expiration time has expired (nothing rewrites the record when that
// happens), and ended connections stay visible for a while. Both copies of a
// connection (requester's and accepter's scope) share everything but tags.
import type { Scope } from '../store/store.ts';
import type { VpcPeeringConnection } from './ec2.ts';
import type { Scoped } from './read.ts';

const DAY = 24 * 3_600_000;

function sameScope(a: Scope, b: Scope): boolean {
  return a.account === b.account && a.region === b.region;
}

/** The connection as it is at `now`: pending past ExpirationTime is expired (and hidden two days later). */
export function peeringAt(p: VpcPeeringConnection, now = Date.now()): VpcPeeringConnection {
  if (p.Status.Code !== 'pending-acceptance' || !p.ExpirationTime || Date.parse(p.ExpirationTime) > now) return p;
  const expiredAt = Date.parse(p.ExpirationTime);
  return { ...p, Status: { Code: 'expired', Message: 'Expired' }, _hideAt: expiredAt + 2 * DAY };
}

/** Whether this side still lists the connection at `now`. */
export function peeringVisibleAt(p: VpcPeeringConnection, now = Date.now()): boolean {
  return p._hideAt === undefined || p._hideAt > now;
}

/** Every connection still listed, once each (the requester's copy), as it stands at `now`. */
export function currentPeerings(stored: Scoped<VpcPeeringConnection>[], now = Date.now()): VpcPeeringConnection[] {
  return stored
    // A record without its sides (written by hand) counts as the requester's copy.
    .filter(({ scope, value }) => !value._requester || sameScope(scope, value._requester))
    .map(({ value }) => peeringAt(value, now))
    .filter((p) => peeringVisibleAt(p, now));
}

/** The active connection between two VPCs, if any (at most one per pair). */
export function activePeeringBetween(peerings: VpcPeeringConnection[], a: string, b: string): VpcPeeringConnection | undefined {
  return peerings.find((p) => p.Status.Code === 'active' && ((p.RequesterVpcInfo.VpcId === a && p.AccepterVpcInfo.VpcId === b) || (p.RequesterVpcInfo.VpcId === b && p.AccepterVpcInfo.VpcId === a)));
}
