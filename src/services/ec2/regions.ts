// Regions and their Availability Zones with the real zone names. Zone ids
// (use1-az1 ...) are mapped per account by AWS; localnet uses one fixed
// mapping for every account.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { applyFilters, type Filter } from './describe.ts';

interface RegionInfo {
  name: string;
  /** Zone letters in this region. */
  zones: string;
  /** Prefix of the zone ids (use1 -> use1-az1). */
  zoneIdPrefix: string;
  /** Regions launched after March 2019 must be enabled by the account. */
  optIn?: boolean;
}

const REGIONS: RegionInfo[] = [
  { name: 'us-east-1', zones: 'abcdef', zoneIdPrefix: 'use1' },
  { name: 'us-east-2', zones: 'abc', zoneIdPrefix: 'use2' },
  { name: 'us-west-1', zones: 'bc', zoneIdPrefix: 'usw1' },
  { name: 'us-west-2', zones: 'abcd', zoneIdPrefix: 'usw2' },
  { name: 'af-south-1', zones: 'abc', zoneIdPrefix: 'afs1', optIn: true },
  { name: 'ap-east-1', zones: 'abc', zoneIdPrefix: 'ape1', optIn: true },
  { name: 'ap-south-1', zones: 'abc', zoneIdPrefix: 'aps1' },
  { name: 'ap-south-2', zones: 'abc', zoneIdPrefix: 'aps2', optIn: true },
  { name: 'ap-northeast-1', zones: 'acd', zoneIdPrefix: 'apne1' },
  { name: 'ap-northeast-2', zones: 'abcd', zoneIdPrefix: 'apne2' },
  { name: 'ap-northeast-3', zones: 'abc', zoneIdPrefix: 'apne3' },
  { name: 'ap-southeast-1', zones: 'abc', zoneIdPrefix: 'apse1' },
  { name: 'ap-southeast-2', zones: 'abc', zoneIdPrefix: 'apse2' },
  { name: 'ap-southeast-3', zones: 'abc', zoneIdPrefix: 'apse3', optIn: true },
  { name: 'ap-southeast-4', zones: 'abc', zoneIdPrefix: 'apse4', optIn: true },
  { name: 'ca-central-1', zones: 'abd', zoneIdPrefix: 'cac1' },
  { name: 'ca-west-1', zones: 'abc', zoneIdPrefix: 'caw1', optIn: true },
  { name: 'eu-central-1', zones: 'abc', zoneIdPrefix: 'euc1' },
  { name: 'eu-central-2', zones: 'abc', zoneIdPrefix: 'euc2', optIn: true },
  { name: 'eu-west-1', zones: 'abc', zoneIdPrefix: 'euw1' },
  { name: 'eu-west-2', zones: 'abc', zoneIdPrefix: 'euw2' },
  { name: 'eu-west-3', zones: 'abc', zoneIdPrefix: 'euw3' },
  { name: 'eu-north-1', zones: 'abc', zoneIdPrefix: 'eun1' },
  { name: 'eu-south-1', zones: 'abc', zoneIdPrefix: 'eus1', optIn: true },
  { name: 'eu-south-2', zones: 'abc', zoneIdPrefix: 'eus2', optIn: true },
  { name: 'il-central-1', zones: 'abc', zoneIdPrefix: 'ilc1', optIn: true },
  { name: 'me-central-1', zones: 'abc', zoneIdPrefix: 'mec1', optIn: true },
  { name: 'me-south-1', zones: 'abc', zoneIdPrefix: 'mes1', optIn: true },
  { name: 'sa-east-1', zones: 'abc', zoneIdPrefix: 'sae1' },
];

export interface Zone {
  ZoneName: string;
  ZoneId: string;
  RegionName: string;
  State: 'available';
  OptInStatus: 'opt-in-not-required';
  ZoneType: 'availability-zone';
  GroupName: string;
  NetworkBorderGroup: string;
  Messages: never[];
}

function regionInfo(region: string): RegionInfo {
  // An unlisted region still gets three zones, so new regions work before this table learns them.
  return REGIONS.find((r) => r.name === region) ?? { name: region, zones: 'abc', zoneIdPrefix: region.replace(/-/g, '').slice(0, 6) };
}

export function zonesOf(region: string): Zone[] {
  const info = regionInfo(region);
  return [...info.zones].map((letter, i) => ({
    ZoneName: `${region}${letter}`,
    ZoneId: `${info.zoneIdPrefix}-az${i + 1}`,
    RegionName: region,
    State: 'available',
    OptInStatus: 'opt-in-not-required',
    ZoneType: 'availability-zone',
    GroupName: region,
    NetworkBorderGroup: region,
    Messages: [],
  }));
}

/** The zone a subnet request names by ZoneName or ZoneId, or undefined. */
export function findZone(region: string, name?: string, id?: string): Zone | undefined {
  return zonesOf(region).find((z) => (name !== undefined && z.ZoneName === name) || (id !== undefined && z.ZoneId === id));
}

export function describeRegions(input: { RegionNames?: string[]; Filters?: Filter[]; AllRegions?: boolean }, _env: HandlerEnv) {
  let regions = REGIONS.map((r) => ({
    RegionName: r.name,
    Endpoint: `ec2.${r.name}.amazonaws.com`,
    OptInStatus: r.optIn ? 'opted-in' : 'opt-in-not-required',
  }));
  if (input.RegionNames?.length) {
    for (const n of input.RegionNames) {
      if (!regions.some((r) => r.RegionName === n)) throw new AwsError('InvalidParameterValue', `Invalid region: ${n}`, 400);
    }
    regions = regions.filter((r) => input.RegionNames!.includes(r.RegionName));
  }
  regions = applyFilters(regions, input.Filters, {
    endpoint: (r) => r.Endpoint,
    'region-name': (r) => r.RegionName,
    'opt-in-status': (r) => r.OptInStatus,
  });
  return { Regions: regions };
}

export function describeAvailabilityZones(input: { ZoneNames?: string[]; ZoneIds?: string[]; Filters?: Filter[]; AllAvailabilityZones?: boolean }, env: HandlerEnv) {
  let zones = zonesOf(env.scope.region);
  if (input.ZoneNames?.length || input.ZoneIds?.length) {
    for (const n of input.ZoneNames ?? []) if (!zones.some((z) => z.ZoneName === n)) throw invalidZone(n);
    for (const n of input.ZoneIds ?? []) if (!zones.some((z) => z.ZoneId === n)) throw invalidZone(n);
    zones = zones.filter((z) => input.ZoneNames?.includes(z.ZoneName) || input.ZoneIds?.includes(z.ZoneId));
  }
  zones = applyFilters(zones, input.Filters, {
    'zone-name': (z) => z.ZoneName,
    'zone-id': (z) => z.ZoneId,
    'region-name': (z) => z.RegionName,
    state: (z) => z.State,
    'opt-in-status': (z) => z.OptInStatus,
    'zone-type': (z) => z.ZoneType,
    'group-name': (z) => z.GroupName,
    'network-border-group': (z) => z.NetworkBorderGroup,
  });
  return { AvailabilityZones: zones };
}

function invalidZone(name: string): AwsError {
  return new AwsError('InvalidParameterValue', `Invalid availability zone: [${name}]`, 400);
}

export const regionHandlers = {
  DescribeRegions: describeRegions,
  DescribeAvailabilityZones: describeAvailabilityZones,
} satisfies Handlers;
