// How Route 53 and Route 53 Domains state is stored. Route 53 is global:
// everything lives in the scope { account, region: 'global' }. A zone holds
// its record sets, VPC associations, authorizations and tags, so one put()
// changes a zone atomically. Names are stored decoded and lower-case without
// the final dot. The DNS server (src/dns/) reads these through its snapshot.

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


export interface Domain {
  DomainName: string;
  /** Set by UpdateDomainNameservers (absent: the domain follows its first public zone). */
  Nameservers?: { Name: string; GlueIps?: string[] }[];
  /** The zone the name servers matched when they were set. */
  DelegatedZoneId?: string;
  AutoRenew: boolean;
  CreationDate: string;
  UpdatedDate: string;
  ExpirationDate: string;
  AdminContact?: Record<string, unknown>;
  RegistrantContact?: Record<string, unknown>;
  TechContact?: Record<string, unknown>;
  AdminPrivacy: boolean;
  RegistrantPrivacy: boolean;
  TechPrivacy: boolean;
}
