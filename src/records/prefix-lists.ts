// The AWS-managed prefix lists of the gateway endpoint services (S3 and
// DynamoDB), one of each per region (com.amazonaws.<region>.s3 / .dynamodb):
// the list a gateway endpoint's route names (DestinationPrefixListId) and the
// public ranges it stands for. EC2 answers DescribePrefixLists from here and
// the reachability engine matches destinations against the same ranges.
//
// Ids: us-east-1's (pl-63a5400a for S3, pl-02cd2c6b for DynamoDB) and a few
// other regions' are the ones AWS users report [unverified]; every other
// region gets a stable made-up id of the same form. The ranges are a sample of
// AWS's published us-east-1 ranges, used for every region (they grow over
// time; an address outside them is treated as the internet). localnet never
// sends traffic to them.

export type ManagedService = 's3' | 'dynamodb';

export interface ManagedPrefixList {
  id: string;
  /** com.amazonaws.<region>.<service> */
  name: string;
  service: ManagedService;
  cidrs: string[];
}

const KNOWN_IDS: Record<string, Record<ManagedService, string>> = {
  'us-east-1': { s3: 'pl-63a5400a', dynamodb: 'pl-02cd2c6b' },
  'us-east-2': { s3: 'pl-7ba54012', dynamodb: 'pl-4ca54025' },
  'us-west-1': { s3: 'pl-6ba54002', dynamodb: 'pl-6ea54007' },
  'us-west-2': { s3: 'pl-68a54001', dynamodb: 'pl-00a54069' },
  'eu-west-1': { s3: 'pl-6da54004', dynamodb: 'pl-6fa54006' },
  'eu-central-1': { s3: 'pl-6ea54007', dynamodb: 'pl-66a5400f' },
};

const CIDRS: Record<ManagedService, string[]> = {
  s3: ['3.5.0.0/19', '16.182.0.0/16', '18.34.0.0/19', '18.34.232.0/21', '44.192.134.240/28', '44.192.140.64/28', '52.216.0.0/15', '54.231.0.0/16'],
  dynamodb: ['3.218.180.0/22', '3.218.184.0/22', '52.94.0.0/22', '52.119.224.0/20'],
};

/** FNV-1a, 32 bits: a stable 8-hex id for regions AWS users have not reported. */
function stableHex(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

export function prefixListId(region: string, service: ManagedService): string {
  return KNOWN_IDS[region]?.[service] ?? `pl-${stableHex(`prefix-list:${region}:${service}`)}`;
}

/** The region's AWS-managed prefix lists. */
export function awsPrefixLists(region: string): ManagedPrefixList[] {
  return (['dynamodb', 's3'] as const).map((service) => ({ id: prefixListId(region, service), name: `com.amazonaws.${region}.${service}`, service, cidrs: CIDRS[service] }));
}

/** The managed prefix list of a gateway endpoint service (com.amazonaws.<region>.s3 | dynamodb). */
export function managedPrefixList(serviceName: string): ManagedPrefixList | undefined {
  const m = /^com\.amazonaws\.([a-z0-9-]+)\.(s3|dynamodb)$/.exec(serviceName);
  return m ? awsPrefixLists(m[1]).find((l) => l.service === m[2]) : undefined;
}
