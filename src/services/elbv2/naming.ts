// Names ELBv2 gives and accepts: load balancer and target group name rules,
// load balancer DNS names, the per-region Route 53 hosted zone ids that alias
// records name (docs: "Elastic Load Balancing endpoints and quotas"), and the
// loopback address localnet binds each load balancer's listeners to.
import { randomInt } from 'node:crypto';
import { AwsError } from '../../aws/errors.ts';
import type { LoadBalancerType } from './types.ts';

/** Region -> [ALB (and Classic) zone id, NLB zone id]. */
const HOSTED_ZONES: Record<string, [string, string]> = {
  'us-east-1': ['Z35SXDOTRQ7X7K', 'Z26RNL4JYFTOTI'],
  'us-east-2': ['Z3AADJGX6KTTL2', 'ZLMOA37VPKANP'],
  'us-west-1': ['Z368ELLRRE2KJ0', 'Z24FKFUX50B4VW'],
  'us-west-2': ['Z1H1FL5HABSF5', 'Z18D5FSROUN65G'],
  'af-south-1': ['Z268VQBMOI5EKX', 'Z203XCE67M25HM'],
  'ap-east-1': ['Z3DQVH9N71FHZ0', 'Z12Y7K3UBGUAD1'],
  'ap-south-1': ['ZP97RAFLXTNZK', 'ZVDDRBQ08TROA'],
  'ap-northeast-1': ['Z14GRHDCWA56QT', 'Z31USIVHYNEOWT'],
  'ap-northeast-2': ['ZWKZPGTI48KDX', 'ZIBE1TIR4HY56'],
  'ap-northeast-3': ['Z5LXEXXYW11ES', 'Z1GWIQ4HH19I5X'],
  'ap-southeast-1': ['Z1LMS91P8CMLE5', 'ZKVM4W9LS7TM'],
  'ap-southeast-2': ['Z1GM3OXH4ZPM65', 'ZCT6FZBF4DROD'],
  'ap-south-2': ['Z0173938T07WNTVAEPZN', 'Z0711778386UTO08407HT'],
  'ap-southeast-3': ['Z08888821HLRG5A9ZRTER', 'Z01971771FYVNCOVWJU1G'],
  'ap-southeast-4': ['Z09517862IB2WZLPXG76F', 'Z01156963G8MIIL7X90IV'],
  'ca-central-1': ['ZQSVJUPU6J1EY', 'Z2EPGBW3API2WT'],
  'eu-central-1': ['Z215JYRZR1TBD5', 'Z3F0SRJ5LGBH90'],
  'eu-west-1': ['Z32O12XQLNTSW2', 'Z2IFOLAFXWLO4F'],
  'eu-west-2': ['ZHURV8PSTC4K8', 'ZD4D7Y8KGAS4G'],
  'eu-west-3': ['Z3Q77PNBQS71R4', 'Z1CMS0P5QUZ6D5'],
  'eu-north-1': ['Z23TAZ6LKFMNIO', 'Z1UDT6IFJ4EJM'],
  'eu-south-1': ['Z3ULH7SSC9OV64', 'Z23146JA1KNAFP'],
  'me-south-1': ['ZS929ML54UICD', 'Z3QSRYVP46NYYV'],
  'sa-east-1': ['Z2P70J7HTTTPLU', 'ZTK26PT1VY4CU'],
};

export function canonicalHostedZoneId(region: string, type: LoadBalancerType): string {
  const zones = HOSTED_ZONES[region];
  if (!zones) throw new AwsError('InvalidConfigurationRequest', `localnet does not know the Elastic Load Balancing hosted zone id of region '${region}'`);
  return type === 'application' ? zones[0] : zones[1];
}

/** ALB: name-1234567890.<region>.elb.amazonaws.com (internal- first when internal); NLB: name-<16hex>.elb.<region>.amazonaws.com. */
export function loadBalancerDnsName(region: string, type: LoadBalancerType, scheme: string, name: string, id: string): string {
  if (type === 'network') return `${name}-${id}.elb.${region}.amazonaws.com`;
  const number = String(randomInt(100_000_000, 2_000_000_000));
  return `${scheme === 'internal' ? 'internal-' : ''}${name}-${number}.${region}.elb.amazonaws.com`;
}

export function validateLoadBalancerName(name: string | undefined): string {
  if (!name) throw new AwsError('ValidationError', 'A load balancer name must be specified');
  if (name.length > 32) throw new AwsError('ValidationError', `Load balancer name '${name}' cannot be longer than '32' characters`);
  if (!/^[A-Za-z0-9-]+$/.test(name)) throw new AwsError('ValidationError', `Load balancer name '${name}' can only contain characters that are alphanumeric characters and hyphens(-)`);
  if (name.startsWith('-') || name.endsWith('-')) throw new AwsError('ValidationError', `Load balancer name '${name}' cannot begin or end with a hyphen(-)`);
  if (name.toLowerCase().startsWith('internal-')) throw new AwsError('ValidationError', `Load balancer name '${name}' cannot begin with 'internal-'`);
  return name;
}

export function validateTargetGroupName(name: string | undefined): string {
  if (!name) throw new AwsError('ValidationError', 'A target group name must be specified');
  if (name.length > 32) throw new AwsError('ValidationError', `Target group name '${name}' cannot be longer than '32' characters`);
  if (!/^[A-Za-z0-9-]+$/.test(name)) throw new AwsError('ValidationError', `Target group name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`);
  // Unverified: the wording is what moto recorded from AWS in 2017 (getmoto/moto#1065, "undocumented
  // validation"); aws/aws-sdk-js#3300 (2020) reports the API accepting 'new--targetgroup'.
  if (name.includes('--')) {
    throw new AwsError('ValidationError', `1 validation error detected: Value '${name}' at 'targetGroup.targetGroupArn.targetGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!.*--)(?!^-)(?!.*-$)^[A-Za-z0-9-]+$`);
  }
  if (name.startsWith('-') || name.endsWith('-')) throw new AwsError('ValidationError', `Target group name '${name}' cannot begin or end with '-'`);
  return name;
}

// Each load balancer gets its own loopback address from the pool it shares
// with interface endpoints' network interfaces (src/services/loopback-addresses.ts).
export { allocateLoopbackAddress, loopbackPool } from '../loopback-addresses.ts';

/** Whether a Route 53 hosted zone id is one of Elastic Load Balancing's (alias targets). */
export function isLoadBalancerZoneId(id: string): boolean {
  return Object.values(HOSTED_ZONES).some((zones) => zones.includes(id));
}
