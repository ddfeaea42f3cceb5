// Security groups: stateful, allow-only rules; every VPC has a 'default'
// group that admits its own members and allows all egress.
import type { HandlerEnv } from '../../aws/service.ts';
import { K, newId, save } from './resources.ts';
import type { Vpc } from './types.ts';
import type { Tag } from './describe.ts';

export interface IpPermission {
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges: { CidrIp: string; Description?: string }[];
  Ipv6Ranges: { CidrIpv6: string; Description?: string }[];
  PrefixListIds: { PrefixListId: string; Description?: string }[];
  UserIdGroupPairs: { GroupId: string; UserId: string; Description?: string; VpcId?: string; VpcPeeringConnectionId?: string; PeeringStatus?: string }[];
}

export interface SecurityGroup {
  GroupId: string;
  GroupName: string;
  Description: string;
  VpcId: string;
  OwnerId: string;
  SecurityGroupArn: string;
  IpPermissions: IpPermission[];
  IpPermissionsEgress: IpPermission[];
  Tags?: Tag[];
}

export function allowAllEgress(): IpPermission {
  return { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] };
}

export function createDefaultSecurityGroup(env: HandlerEnv, vpc: Vpc): SecurityGroup {
  const id = newId('sg');
  return save(env, K.securityGroup, {
    GroupId: id,
    GroupName: 'default',
    Description: 'default VPC security group',
    VpcId: vpc.VpcId,
    OwnerId: env.scope.account,
    SecurityGroupArn: `arn:aws:ec2:${env.scope.region}:${env.scope.account}:security-group/${id}`,
    IpPermissions: [{ IpProtocol: '-1', IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [{ GroupId: id, UserId: env.scope.account }] }],
    IpPermissionsEgress: [allowAllEgress()],
  } satisfies SecurityGroup);
}
