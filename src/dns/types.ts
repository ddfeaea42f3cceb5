// What the DNS server answers from: a snapshot of the hosted zones, the VPCs
// and their hosts, and which public zone each domain is delegated to. The
// Route 53 service builds it from the store (src/services/route53/); the DNS
// server (src/dns/) indexes it and never reads the store itself.

export interface DnsRecordSet {
  /** Lower-case absolute name without the trailing dot; a wildcard is '*.example.com'. */
  name: string;
  /** 'A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SOA', 'SRV', 'CAA', 'PTR', 'SPF', 'NAPTR', 'DS'. */
  type: string;
  ttl: number;
  /** Values in presentation format, as Route 53 stores them (ResourceRecords[].Value). */
  values: string[];
  /** An alias record answers as its target's records of the same type. */
  alias?: { dnsName: string; hostedZoneId: string; evaluateTargetHealth: boolean };
  setIdentifier?: string;
  weight?: number;
  multiValueAnswer?: boolean;
}

export interface DnsZone {
  /** Hosted zone id without the /hostedzone/ prefix (Z...). */
  id: string;
  /** Lower-case apex without the trailing dot. */
  name: string;
  private: boolean;
  /** The VPCs a private zone is associated with. */
  vpcs: { vpcId: string; region: string }[];
  records: DnsRecordSet[];
  /**
   * Set on the private zone AWS manages for an interface endpoint's private
   * DNS name (hidden from Route 53's API, associated with the endpoint's VPC
   * alone): which endpoint and service it belongs to.
   */
  managedBy?: { endpointId: string; serviceId: string };
}

export interface DnsHost {
  privateIp: string;
  /** ip-10-0-1-5.ec2.internal or ip-10-0-1-5.eu-west-1.compute.internal */
  privateDnsName: string;
  publicIp?: string;
  /** ec2-203-0-113-5.compute-1.amazonaws.com and friends. */
  publicDnsName?: string;
}

export interface DnsVpc {
  vpcId: string;
  account: string;
  region: string;
  cidrBlocks: string[];
  enableDnsSupport: boolean;
  enableDnsHostnames: boolean;
  hosts: DnsHost[];
}

/** Targets that alias records and load balancer names resolve to (filled in when load balancers exist). */
export interface DnsLoadBalancer {
  dnsName: string;
  /** The loopback address its listeners bind. */
  address: string;
  internal: boolean;
  vpcId: string;
}

/** An interface endpoint's DNS names (public: every view resolves them) and its private DNS name. */
export interface DnsEndpoint {
  id: string;
  vpcId: string;
  region: string;
  serviceId?: string;
  /** The regional name (every interface's loopback address), then the zonal names (the interface in that AZ). */
  names: { name: string; addresses: string[]; az?: string }[];
  /** The service's private DNS name and whether it is in force in vpcId (served: a managed zone is in `zones`). */
  privateDns?: { name: string; served: boolean; reason?: string };
}

export interface DnsSnapshot {
  zones: DnsZone[];
  vpcs: DnsVpc[];
  /** Domain (lower-case, no trailing dot) -> id of the public zone the world is delegated to for it. */
  delegations: Map<string, string>;
  loadBalancers: DnsLoadBalancer[];
  /** Interface endpoints (PrivateLink); optional so hand-built snapshots may leave them out. */
  endpoints?: DnsEndpoint[];
}
