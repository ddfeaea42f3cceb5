// Account-level EC2 answers: account attributes (SDKs and Terraform ask for
// the default VPC and supported platforms).
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { all, K } from './resources.ts';
import type { Vpc } from './types.ts';

export function describeAccountAttributes(input: { AttributeNames?: string[] }, env: HandlerEnv) {
  const defaultVpc = all<Vpc>(env, K.vpc).find((v) => v.IsDefault);
  const attributes: Record<string, string[]> = {
    'supported-platforms': ['VPC'],
    'default-vpc': [defaultVpc?.VpcId ?? 'none'],
    'max-instances': ['20'],
    'vpc-max-security-groups-per-interface': ['5'],
    'max-elastic-ips': ['5'],
    'vpc-max-elastic-ips': ['5'],
  };
  const names = input.AttributeNames?.length ? input.AttributeNames : Object.keys(attributes);
  for (const n of names) if (!attributes[n]) throw new AwsError('InvalidParameterValue', `Value (${n}) for parameter attributeName is invalid. Unknown attribute.`, 400);
  return { AccountAttributes: names.map((n) => ({ AttributeName: n, AttributeValues: attributes[n].map((v) => ({ AttributeValue: v })) })) };
}

export const accountHandlers = {
  DescribeAccountAttributes: describeAccountAttributes,
} satisfies Handlers;
