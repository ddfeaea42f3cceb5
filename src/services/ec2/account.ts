// Account-level EC2 answers: account attributes (SDKs and Terraform ask for
// the default VPC and supported platforms) and the DHCP options sets.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv } from '../../aws/service.ts';
import { applyFilters, paginate, type Filter } from './describe.ts';
import { all, byIds, K } from './resources.ts';
import type { DhcpOptions, Vpc } from './types.ts';

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
