// What a VPC's record means for the network: which address blocks are in
// force. Every reader (routing, DNS views, peering, reachability) asks here,
// so a block being disassociated counts the same everywhere.
import type { Vpc } from './ec2.ts';

/** The IPv4 blocks in force: associated ones, primary first (associating/disassociating/failed ones carry no traffic). */
export function activeCidrBlocks(vpc: Pick<Vpc, 'CidrBlockAssociationSet'>): string[] {
  return (vpc.CidrBlockAssociationSet ?? []).filter((c) => c.CidrBlockState?.State === 'associated').map((c) => c.CidrBlock);
}

/** The IPv6 blocks in force. */
export function activeIpv6Blocks(vpc: Pick<Vpc, 'Ipv6CidrBlockAssociationSet'>): string[] {
  return (vpc.Ipv6CidrBlockAssociationSet ?? []).filter((c) => c.Ipv6CidrBlockState?.State === 'associated').map((c) => c.Ipv6CidrBlock);
}

/** enableDnsSupport and enableDnsHostnames with AWS's defaults for a record that predates them. */
export function dnsAttributes(vpc: Pick<Vpc, '_attributes'>): { support: boolean; hostnames: boolean } {
  return { support: vpc._attributes?.EnableDnsSupport ?? true, hostnames: vpc._attributes?.EnableDnsHostnames ?? false };
}
