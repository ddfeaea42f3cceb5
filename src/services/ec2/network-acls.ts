// Network ACLs: stateless, numbered rules per direction; the default ACL of a
// VPC allows everything, a new ACL denies everything.
import type { HandlerEnv } from '../../aws/service.ts';
import { all, K, newId, save } from './resources.ts';
import type { NetworkAcl, NetworkAclEntry, Vpc } from './types.ts';

/** The final '*' rules that deny what no numbered rule matched (API numbers 32767 IPv4, 32768 IPv6). */
function catchAll(egress: boolean, ipv6: boolean): NetworkAclEntry[] {
  const deny: NetworkAclEntry[] = [{ RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: egress, CidrBlock: '0.0.0.0/0' }];
  if (ipv6) deny.push({ RuleNumber: 32768, Protocol: '-1', RuleAction: 'deny', Egress: egress, Ipv6CidrBlock: '::/0' });
  return deny;
}

export function createDefaultNetworkAcl(env: HandlerEnv, vpc: Vpc): NetworkAcl {
  const ipv6 = (vpc.Ipv6CidrBlockAssociationSet ?? []).length > 0;
  const entries: NetworkAclEntry[] = [];
  for (const egress of [true, false]) {
    entries.push({ RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: egress, CidrBlock: '0.0.0.0/0' });
    if (ipv6) entries.push({ RuleNumber: 101, Protocol: '-1', RuleAction: 'allow', Egress: egress, Ipv6CidrBlock: '::/0' });
    entries.push(...catchAll(egress, ipv6));
  }
  return save(env, K.networkAcl, { NetworkAclId: newId('acl'), VpcId: vpc.VpcId, OwnerId: env.scope.account, IsDefault: true, Entries: entries, Associations: [] } satisfies NetworkAcl);
}

export function defaultNetworkAclOf(env: HandlerEnv, vpcId: string): NetworkAcl | undefined {
  return all<NetworkAcl>(env, K.networkAcl).find((a) => a.VpcId === vpcId && a.IsDefault);
}

/** A new subnet starts associated with its VPC's default ACL. */
export function associateDefaultNetworkAcl(env: HandlerEnv, vpcId: string, subnetId: string): void {
  const acl = defaultNetworkAclOf(env, vpcId);
  if (!acl) return;
  acl.Associations.push({ NetworkAclAssociationId: newId('aclassoc'), NetworkAclId: acl.NetworkAclId, SubnetId: subnetId });
  save(env, K.networkAcl, acl);
}
