// DHCP options sets. Every account has one per region, created with its
// defaults (see defaults.ts) and named by each VPC's DhcpOptionsId: the
// domain name EC2 gives instances (ec2.internal in us-east-1,
// REGION.compute.internal elsewhere) and AmazonProvidedDNS. Sets of your
// own (CreateDhcpOptions, AssociateDhcpOptions) are not emulated.
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import type { DhcpOptions } from '../../records/ec2.ts';
import { applyFilters, paginate, type Filter } from './describe.ts';
import { all, byIds, K, newId, regionDefaults, save, saveRegionDefaults } from './resources.ts';
export type { DhcpOptions } from '../../records/ec2.ts';

/** The region's default DHCP options set (created once). */
export function ensureDhcpOptions(env: HandlerEnv): string {
  const d = regionDefaults(env);
  if (d) return d.dhcpOptionsId;
  const id = newId('dopt');
  const domain = env.scope.region === 'us-east-1' ? 'ec2.internal' : `${env.scope.region}.compute.internal`;
  save(env, K.dhcpOptions, {
    DhcpOptionsId: id,
    OwnerId: env.scope.account,
    DhcpConfigurations: [
      { Key: 'domain-name', Values: [{ Value: domain }] },
      { Key: 'domain-name-servers', Values: [{ Value: 'AmazonProvidedDNS' }] },
    ],
  } satisfies DhcpOptions);
  saveRegionDefaults(env, { dhcpOptionsId: id });
  return id;
}

export function describeDhcpOptions(input: { DhcpOptionsIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const items = byIds<DhcpOptions>(env, K.dhcpOptions, input.DhcpOptionsIds) ?? all<DhcpOptions>(env, K.dhcpOptions);
  const filtered = applyFilters(items, input.Filters, {
    'dhcp-options-id': (d) => d.DhcpOptionsId,
    key: (d) => d.DhcpConfigurations.map((c) => c.Key),
    value: (d) => d.DhcpConfigurations.flatMap((c) => c.Values.map((v) => v.Value)),
    'owner-id': (d) => d.OwnerId,
  });
  const { page, NextToken } = paginate(filtered, input, { min: 5, max: 1000 }, !!input.DhcpOptionsIds?.length);
  return { DhcpOptions: page, NextToken };
}

export const dhcpOptionsHandlers = {
  DescribeDhcpOptions: describeDhcpOptions,
} satisfies Handlers;
