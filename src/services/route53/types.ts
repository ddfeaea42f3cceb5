// How Route 53 state is stored. Route 53 is global: everything lives in the
// scope { account, region: 'global' }. A zone holds its record sets, VPC
// associations, authorizations and tags, so one put() changes a zone
// atomically. Names are stored decoded and lower-case without the final dot.

export interface Tag {
  Key: string;
  Value?: string;
}

export interface VpcRef {
  VPCRegion: string;
  VPCId: string;
}

export interface RecordSet {
  Name: string;
  Type: string;
  SetIdentifier?: string;
  Weight?: number;
  Region?: string;
  GeoLocation?: { ContinentCode?: string; CountryCode?: string; SubdivisionCode?: string };
  Failover?: string;
  MultiValueAnswer?: boolean;
  TTL?: number;
  ResourceRecords?: { Value: string }[];
  AliasTarget?: { HostedZoneId: string; DNSName: string; EvaluateTargetHealth: boolean };
  HealthCheckId?: string;
  TrafficPolicyInstanceId?: string;
  CidrRoutingConfig?: { CollectionId: string; LocationName: string };
  GeoProximityLocation?: Record<string, unknown>;
}

export interface HostedZone {
  /** Z... without the /hostedzone/ prefix. */
  Id: string;
  /** Decoded, lower-case, no final dot. */
  Name: string;
  CallerReference: string;
  Comment?: string;
  PrivateZone: boolean;
  CreatedAt: string;
  /** N... of the reusable delegation set the zone uses, if any. */
  DelegationSetId?: string;
  /** The zone's four name servers, without the final dot (ns-1234.awsdns-26.org). */
  NameServers: string[];
  /** Associated VPCs (private zones); Account is the VPC's owner. */
  VPCs: (VpcRef & { Account: string })[];
  /** VPCs of other accounts authorized to associate (CreateVPCAssociationAuthorization). */
  Authorizations: VpcRef[];
  Tags: Tag[];
  RecordSets: RecordSet[];
}

export interface DelegationSet {
  /** N... without the /delegationset/ prefix. */
  Id: string;
  CallerReference: string;
  NameServers: string[];
}

export interface Change {
  /** C... without the /change/ prefix. */
  Id: string;
  SubmittedAt: string;
  Comment?: string;
}

export const KIND = {
  zone: 'route53:hosted-zone',
  delegationSet: 'route53:delegation-set',
  change: 'route53:change',
} as const;

/** Route 53 is a global service: one scope per account. */
export function globalScope(account: string) {
  return { account, region: 'global' };
}
