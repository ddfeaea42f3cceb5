// The stored ELBv2 records. Each is the API's own shape (model member names),
// so Describe* return them as stored; members starting with '_' are
// localnet's bookkeeping and never reach the wire (the serializer writes only
// what the model names). The control plane (src/services/elbv2/) writes them;
// the data plane (src/lb/) and src/net/ read them; target health is the one
// record the data plane writes.

export interface Tag {
  Key: string;
  Value?: string;
}

export type LoadBalancerType = 'application' | 'network';

export interface LoadBalancerAddress {
  IpAddress?: string;
  AllocationId?: string;
  PrivateIPv4Address?: string;
}

export interface AvailabilityZone {
  ZoneName: string;
  SubnetId: string;
  LoadBalancerAddresses: LoadBalancerAddress[];
}

export interface LoadBalancer {
  LoadBalancerArn: string;
  DNSName: string;
  CanonicalHostedZoneId: string;
  CreatedTime: string;
  LoadBalancerName: string;
  Scheme: 'internet-facing' | 'internal';
  VpcId: string;
  State: { Code: 'provisioning' | 'active' | 'active_impaired' | 'failed'; Reason?: string };
  Type: LoadBalancerType;
  AvailabilityZones: AvailabilityZone[];
  SecurityGroups?: string[];
  IpAddressType: 'ipv4' | 'dualstack' | 'dualstack-without-public-ipv4';
  /** NLBs with security groups: whether their inbound rules apply to PrivateLink traffic ('on' by default, SetSecurityGroups changes it). */
  EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic?: 'on' | 'off';
  /** The loopback address its listeners bind (127.77.0.0/16), unique while the load balancer exists. */
  _address: string;
  /** Attribute key -> value, every key AWS lists for the type, with AWS's defaults. */
  _attributes: Record<string, string>;
  /** The network interfaces it holds, one per subnet (subnet id -> eni id). */
  _interfaces: Record<string, string>;
  _tags: Tag[];
}

export interface Matcher {
  HttpCode?: string;
  GrpcCode?: string;
}

export type TargetType = 'instance' | 'ip' | 'lambda' | 'alb';

export interface TargetGroup {
  TargetGroupArn: string;
  TargetGroupName: string;
  Protocol?: string;
  Port?: number;
  VpcId?: string;
  HealthCheckProtocol?: string;
  HealthCheckPort?: string;
  HealthCheckEnabled: boolean;
  HealthCheckIntervalSeconds: number;
  HealthCheckTimeoutSeconds: number;
  HealthyThresholdCount: number;
  UnhealthyThresholdCount: number;
  HealthCheckPath?: string;
  Matcher?: Matcher;
  /** Derived: the load balancers whose listeners or rules forward to it (kept in sync by usage.ts). */
  LoadBalancerArns: string[];
  TargetType: TargetType;
  ProtocolVersion?: string;
  IpAddressType?: 'ipv4' | 'ipv6';
  _attributes: Record<string, string>;
  _tags: Tag[];
}

export interface Target {
  TargetGroupArn: string;
  Id: string;
  Port: number;
  AvailabilityZone?: string;
  _registeredAt: string;
  /** Set by DeregisterTargets: the target drains for deregistration_delay, then its record goes (lazily). */
  _deregisteredAt?: string;
}

export interface TargetHealthRecord {
  State: 'initial' | 'healthy' | 'unhealthy' | 'unhealthy.draining' | 'unused' | 'draining' | 'unavailable';
  Reason?: string;
  Description?: string;
  _updatedAt: string;
}

export interface Certificate {
  CertificateArn: string;
  IsDefault?: boolean;
}

export interface Action {
  Type: 'forward' | 'redirect' | 'fixed-response' | 'authenticate-oidc' | 'authenticate-cognito';
  TargetGroupArn?: string;
  Order?: number;
  RedirectConfig?: { Protocol?: string; Port?: string; Host?: string; Path?: string; Query?: string; StatusCode: string };
  FixedResponseConfig?: { MessageBody?: string; StatusCode: string; ContentType?: string };
  ForwardConfig?: {
    TargetGroups?: { TargetGroupArn: string; Weight?: number }[];
    TargetGroupStickinessConfig?: { Enabled?: boolean; DurationSeconds?: number };
  };
}

export interface Listener {
  ListenerArn: string;
  LoadBalancerArn: string;
  Port: number;
  Protocol: 'HTTP' | 'HTTPS' | 'TCP' | 'TLS' | 'UDP' | 'TCP_UDP';
  /** The default certificate only (IsDefault is not echoed here, as AWS does). */
  Certificates?: Certificate[];
  SslPolicy?: string;
  DefaultActions: Action[];
  AlpnPolicy?: string[];
  /** SNI certificates added with AddListenerCertificates (ARNs). */
  _sniCertificates: string[];
  /** Listener attributes (NLB `tcp.idle_timeout.seconds`), when some were set; the data plane falls back to AWS's defaults. */
  _attributes?: Record<string, string>;
  _tags: Tag[];
}

export interface Condition {
  Field: string;
  Values?: string[];
  HostHeaderConfig?: { Values: string[] };
  PathPatternConfig?: { Values: string[] };
  HttpHeaderConfig?: { HttpHeaderName: string; Values: string[] };
  QueryStringConfig?: { Values: { Key?: string; Value: string }[] };
  HttpRequestMethodConfig?: { Values: string[] };
  SourceIpConfig?: { Values: string[] };
}

export interface Rule {
  RuleArn: string;
  /** '1'..'50000', or 'default' for the listener's default rule. */
  Priority: string;
  Conditions: Condition[];
  Actions: Action[];
  IsDefault: boolean;
  _listenerArn: string;
  _tags: Tag[];
}
