// How security groups and their rules are found and kept in step, below both
// security-groups.ts (the groups' operations) and security-group-rules.ts
// (the rules' operations): finding a group by id or by name, the rules of a
// group, removing them, and rebuilding a group's IpPermissions from its
// sgr- records after any change.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv } from '../../aws/service.ts';
import type { IpPermission, SecurityGroup, SecurityGroupRule } from '../../records/ec2.ts';
import { all, allWhere, K, must, remove, save } from './resources.ts';
import type { Vpc } from './types.ts';

export function defaultVpcOf(env: HandlerEnv): Vpc | undefined {
  return all<Vpc>(env, K.vpc).find((v) => v.IsDefault);
}

export function noDefaultVpc(): AwsError {
  return new AwsError('VPCIdNotSpecified', 'No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.', 400);
}

/** A group named in the default VPC (GroupName parameters only ever mean the default VPC). */
export function groupByNameInDefaultVpc(env: HandlerEnv, name: string): SecurityGroup {
  const vpc = defaultVpcOf(env);
  if (!vpc) throw noDefaultVpc();
  const g = all<SecurityGroup>(env, K.securityGroup).find((x) => x.VpcId === vpc.VpcId && x.GroupName === name);
  if (!g) throw new AwsError('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC '${vpc.VpcId}'`, 400);
  return g;
}

/** The group an operation acts on: by id, else by name in the default VPC. */
export function resolveGroup(env: HandlerEnv, input: { GroupId?: string; GroupName?: string }): SecurityGroup {
  if (input.GroupId) return must<SecurityGroup>(env, K.securityGroup, input.GroupId);
  if (input.GroupName) return groupByNameInDefaultVpc(env, input.GroupName);
  throw new AwsError('MissingParameter', 'The request must contain the parameter groupName or groupId', 400);
}

export function rulesOf(env: HandlerEnv, groupId: string): SecurityGroupRule[] {
  return allWhere<SecurityGroupRule>(env, K.securityGroupRule, 'GroupId', groupId);
}

export function removeRulesOfGroup(env: HandlerEnv, groupId: string): void {
  for (const r of rulesOf(env, groupId)) remove(env, K.securityGroupRule, r.SecurityGroupRuleId);
}

/** Drops the rules of every group in a VPC (the VPC is being deleted with its default group). */
export function removeRulesOfVpc(env: HandlerEnv, vpcId: string): void {
  for (const g of all<SecurityGroup>(env, K.securityGroup)) if (g.VpcId === vpcId) removeRulesOfGroup(env, g.GroupId);
}

/** Rebuilds a group's IpPermissions from its rules: one permission per direction, protocol and port range, in rule order. */
export function syncPermissions(env: HandlerEnv, groupId: string): void {
  const group = must<SecurityGroup>(env, K.securityGroup, groupId);
  const build = (rules: SecurityGroupRule[]): IpPermission[] => {
    const perms = new Map<string, IpPermission>();
    for (const r of rules) {
      const ported = ['tcp', 'udp', 'icmp', 'icmpv6'].includes(r.IpProtocol);
      const key = `${r.IpProtocol}/${r.FromPort}/${r.ToPort}`;
      let p = perms.get(key);
      if (!p) {
        p = { IpProtocol: r.IpProtocol, ...(ported ? { FromPort: r.FromPort, ToPort: r.ToPort } : {}), IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] };
        perms.set(key, p);
      }
      const d = r.Description !== undefined ? { Description: r.Description } : {};
      if (r.CidrIpv4 !== undefined) p.IpRanges.push({ CidrIp: r.CidrIpv4, ...d });
      else if (r.CidrIpv6 !== undefined) p.Ipv6Ranges.push({ CidrIpv6: r.CidrIpv6, ...d });
      else if (r.PrefixListId !== undefined) p.PrefixListIds.push({ PrefixListId: r.PrefixListId, ...d });
      else if (r.ReferencedGroupInfo) p.UserIdGroupPairs.push({ ...r.ReferencedGroupInfo, ...d });
    }
    return [...perms.values()];
  };
  const rules = rulesOf(env, groupId);
  group.IpPermissions = build(rules.filter((r) => !r.IsEgress));
  group.IpPermissionsEgress = build(rules.filter((r) => r.IsEgress));
  save(env, K.securityGroup, group);
}
