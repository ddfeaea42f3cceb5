// Names PrivateLink gives: endpoint service names and base DNS names, the
// DNS entries of an interface endpoint, the private DNS name verification
// record, the Route 53 hosted zone ids of the per-region vpce.amazonaws.com
// zones, and the AWS services localnet offers endpoints to.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { DnsEntry } from '../../records/ec2.ts';

/**
 * Region -> the hosted zone id of `<region>.vpce.amazonaws.com`, the zone
 * AWS answers every DnsEntry's HostedZoneId with (alias records to an
 * endpoint name it). us-east-1's Z7HUB22UULQXV appears in the AWS CLI's own
 * examples [3p]; the others are as Terraform/CloudFormation users report
 * them [3p, unverified]. An unlisted region gets a stable made-up id (same
 * form), see vpceHostedZoneId.
 */
const VPCE_HOSTED_ZONES: Record<string, string> = {
  'us-east-1': 'Z7HUB22UULQXV',
  'us-east-2': 'ZC8PG0KIFKBRI',
  'us-west-1': 'Z12I86A8N7VCZO',
  'us-west-2': 'Z1YSA3EXCYUU9Z',
  'ca-central-1': 'ZRCXCF510Y6P9',
  'eu-central-1': 'Z273ZU8SZ5RJPC',
  'eu-west-1': 'Z38GZ743OKFT7T',
  'eu-west-2': 'Z3KRDOG5SVF9BW',
  'eu-west-3': 'Z1DWHTMFP0WECP',
  'eu-north-1': 'Z3OWWK6JFDEDGC',
  'ap-northeast-1': 'Z2E726K9Y6RL4W',
  'ap-northeast-2': 'Z27UANNT0PRK1T',
  'ap-southeast-1': 'Z18LLCSTV4NVNL',
  'ap-southeast-2': 'ZDK2GCRPAFKGO',
  'ap-south-1': 'Z2KVTB3ZLFM7JR',
  'sa-east-1': 'Z2LXUWEVLCVSB7',
};

function stableHex(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

export function vpceHostedZoneId(region: string): string {
  return VPCE_HOSTED_ZONES[region] ?? `Z${stableHex(`vpce:${region}`, 12).toUpperCase()}`;
}

/** The id of the hidden private hosted zone AWS makes per endpoint for the private DNS name (never listed; unverified form). */
export function privateDnsZoneId(endpointId: string): string {
  return `Z${stableHex(`private-dns:${endpointId}`, 20).toUpperCase()}`;
}

export function endpointServiceName(region: string, serviceId: string): string {
  return `com.amazonaws.vpce.${region}.${serviceId}`;
}

export function baseEndpointDnsName(region: string, serviceId: string): string {
  return `${serviceId}.${region}.vpce.amazonaws.com`;
}

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MIXED_ALNUM = `ABCDEFGHIJKLMNOPQRSTUVWXYZ${LOWER_ALNUM}`;

function randomText(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/**
 * The DNS entries of an interface endpoint: the regional name, then one
 * zonal name per zone, under `base` (the service's base DNS name, such as
 * `vpce-svc-….us-east-1.vpce.amazonaws.com` or `ssm.us-east-1.vpce.amazonaws.com`).
 * `wildcard` puts `*.` in front (S3 interface endpoints, as AWS shows them).
 */
export function endpointDnsEntries(region: string, endpointId: string, base: string, zones: string[], wildcard = false): DnsEntry[] {
  const label = `${endpointId}-${randomText(LOWER_ALNUM, 8)}`;
  const prefix = wildcard ? '*.' : '';
  const HostedZoneId = vpceHostedZoneId(region);
  return [{ DnsName: `${prefix}${label}.${base}`, HostedZoneId }, ...zones.map((z) => ({ DnsName: `${prefix}${label}-${z}.${base}`, HostedZoneId }))];
}

/**
 * A new domain ownership check for a private DNS name: the TXT record goes
 * at `<Name>.<private DNS name>` with the value `vpce:<token>`. The form
 * (an underscore and 20 lower-case letters and digits; 20 mixed-case
 * characters after `vpce:`) follows examples users post [3p, unverified].
 */
export function newVerificationRecord(): { Name: string; Value: string } {
  return { Name: `_${randomText(LOWER_ALNUM, 20)}`, Value: `vpce:${randomText(MIXED_ALNUM, 20)}` };
}

export function newPermissionId(): string {
  return `vpce-svc-perm-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

export function newConnectionId(): string {
  return `vpce-con-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

/** A DNS name a private DNS name may be: labels of letters, digits and hyphens (a leading `*.` allowed), at most 255 characters. */
export function validDomainName(name: string): boolean {
  if (name.length === 0 || name.length > 255) return false;
  const labels = name.replace(/\.$/, '').split('.');
  if (labels.length < 2) return false;
  return labels.every((l, i) => (i === 0 && l === '*') || /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l));
}

/** An AWS service localnet offers endpoints to (control plane only: no data plane answers behind it). */
export interface AwsEndpointService {
  /** The part after `com.amazonaws.<region>.` (s3, ecr.api ...). */
  short: string;
  types: ('Interface' | 'Gateway')[];
}

/**
 * The AWS services DescribeVpcEndpointServices lists in every region: S3
 * (gateway and interface) and DynamoDB (gateway; its interface endpoints
 * came later and are left out), and a handful of interface services
 * workloads in private subnets commonly need.
 */
export const AWS_ENDPOINT_SERVICES: AwsEndpointService[] = [
  { short: 'dynamodb', types: ['Gateway'] },
  { short: 'ec2', types: ['Interface'] },
  { short: 'ec2messages', types: ['Interface'] },
  { short: 'ecr.api', types: ['Interface'] },
  { short: 'ecr.dkr', types: ['Interface'] },
  { short: 'elasticloadbalancing', types: ['Interface'] },
  { short: 'kms', types: ['Interface'] },
  { short: 'logs', types: ['Interface'] },
  { short: 'monitoring', types: ['Interface'] },
  { short: 's3', types: ['Gateway', 'Interface'] },
  { short: 'secretsmanager', types: ['Interface'] },
  { short: 'sns', types: ['Interface'] },
  { short: 'sqs', types: ['Interface'] },
  { short: 'ssm', types: ['Interface'] },
  { short: 'ssmmessages', types: ['Interface'] },
  { short: 'sts', types: ['Interface'] },
];

/** The AWS service a name such as com.amazonaws.us-east-1.s3 names in this region, if localnet offers it. */
export function awsEndpointService(region: string, serviceName: string): AwsEndpointService | undefined {
  const prefix = `com.amazonaws.${region}.`;
  if (!serviceName.startsWith(prefix)) return undefined;
  return AWS_ENDPOINT_SERVICES.find((s) => s.short === serviceName.slice(prefix.length));
}

/** A stable vpce-svc- id for an AWS service in a region (AWS shows one per service and region). */
export function awsServiceId(region: string, short: string): string {
  return `vpce-svc-${stableHex(`aws:${region}:${short}`, 17)}`;
}

/** The public name an AWS service answers at, and so the private DNS name its interface endpoints take over. */
export function awsServicePrivateDnsName(region: string, short: string): string {
  if (short === 's3') return `*.s3.${region}.amazonaws.com`;
  return `${short}.${region}.amazonaws.com`;
}

/** The full-access policy an endpoint gets when none is given (as AWS shows it [3p]). */
export const DEFAULT_ENDPOINT_POLICY = JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] });

/** Whether a Route 53 hosted zone id is the one AWS gives interface endpoints' DNS names in some region (alias targets). */
export function isVpceZoneId(id: string): boolean {
  return Object.values(VPCE_HOSTED_ZONES).includes(id);
}
