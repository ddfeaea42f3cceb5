import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AcceptVpcPeeringConnectionCommand,
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  CreateVpcPeeringConnectionCommand,
  DeleteNetworkInterfaceCommand,
  DeleteSecurityGroupCommand,
  DeleteVpcCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  ModifySecurityGroupRulesCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  UpdateSecurityGroupRuleDescriptionsIngressCommand,
  type EC2Client,
  type IpPermission,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { rejects } from '../../helpers/errors.ts';

const tcp = (port: number, cidr: string, extra: Partial<IpPermission> = {}): IpPermission => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [{ CidrIp: cidr }], ...extra });

describe('EC2 security groups', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  let vpcId: string;
  let defaultVpcId: string;

  const group = async (id: string): Promise<SecurityGroup> => (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] }))).SecurityGroups![0];
  const create = async (name: string, vpc = vpcId): Promise<string> => (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: `${name} group`, VpcId: vpc }))).GroupId!;
  const rulesOf = async (id: string) => (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [id] }] }))).SecurityGroupRules!;

  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln);
    vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.10.0.0/16' }))).Vpc!.VpcId!;
    defaultVpcId = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0].VpcId!;
  });
  after(() => ln.stop());

  it("gives every VPC a 'default' group that admits its own members and allows all egress", async () => {
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: ['default'] }] }));
    assert.equal(SecurityGroups?.length, 1);
    const g = SecurityGroups![0];
    assert.match(g.GroupId!, /^sg-[0-9a-f]{17}$/);
    assert.equal(g.Description, 'default VPC security group');
    assert.deepEqual(g.IpPermissions, [{ IpProtocol: '-1', IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [{ GroupId: g.GroupId, UserId: g.OwnerId }] }]);
    assert.deepEqual(g.IpPermissionsEgress, [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }]);
    const rules = await rulesOf(g.GroupId!);
    assert.equal(rules.length, 2);
    const self = rules.find((r) => !r.IsEgress)!;
    assert.match(self.SecurityGroupRuleId!, /^sgr-[0-9a-f]{17}$/);
    assert.deepEqual(self.ReferencedGroupInfo, { GroupId: g.GroupId, UserId: g.OwnerId });
    assert.equal(self.FromPort, -1);
    assert.equal(rules.find((r) => r.IsEgress)!.CidrIpv4, '0.0.0.0/0');
  });

  it('adds IPv6 egress to the default group of an IPv6 VPC, but not to groups you create', async () => {
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.11.0.0/16', AmazonProvidedIpv6CidrBlock: true }));
    const def = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [Vpc!.VpcId!] }] }))).SecurityGroups![0];
    assert.deepEqual(def.IpPermissionsEgress!.flatMap((p) => p.Ipv6Ranges!.map((r) => r.CidrIpv6)), ['::/0']);
    const mine = await group(await create('v6-app', Vpc!.VpcId!));
    assert.deepEqual(mine.IpPermissions, []);
    assert.deepEqual(mine.IpPermissionsEgress, [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }]);
  });

  it('creates a group in the default VPC when no VpcId is given, with tags', async () => {
    const out = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web tier', TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'Name', Value: 'web' }] }] }));
    assert.deepEqual(out.Tags, [{ Key: 'Name', Value: 'web' }]);
    const g = await group(out.GroupId!);
    assert.equal(g.VpcId, defaultVpcId);
    assert.equal(g.GroupName, 'web');
    const byTag = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag:Name', Values: ['we?'] }] }));
    assert.deepEqual(byTag.SecurityGroups!.map((x) => x.GroupId), [out.GroupId]);
  });

  it('refuses duplicate, reserved and malformed names with the AWS errors', async () => {
    await create('dup');
    await rejects(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'dup', Description: 'x', VpcId: vpcId })), 'InvalidGroup.Duplicate', `The security group 'dup' already exists for VPC '${vpcId}'`);
    await create('dup', defaultVpcId); // names are unique per VPC only
    await rejects(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'default', Description: 'x', VpcId: vpcId })), 'InvalidGroup.Reserved');
    await rejects(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'sg-123', Description: 'x', VpcId: vpcId })), 'InvalidParameterValue', 'Group names may not be in the format sg-*.');
    await rejects(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'café', Description: 'x', VpcId: vpcId })), 'InvalidParameterValue', /beyond ASCII/);
    await rejects(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'a%b', Description: 'x', VpcId: vpcId })), 'InvalidParameterValue', /Valid names/);
    await rejects(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'x'.repeat(256), Description: 'x', VpcId: vpcId })), 'InvalidParameterValue');
    await rejects(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'ok', Description: '', VpcId: vpcId })), 'MissingParameter');
    await rejects(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'ok', Description: 'x', VpcId: 'vpc-0123456789abcdef0' })), 'InvalidVpcID.NotFound');
  });

  it('authorizes ingress, returning sgr- rules, and reports it in both Describe calls', async () => {
    const id = await create('ingress');
    const out = await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [tcp(22, '203.0.113.9/32', { IpRanges: [{ CidrIp: '203.0.113.9/32', Description: 'office' }] }), { IpProtocol: '6', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.5/8' }], Ipv6Ranges: [{ CidrIpv6: '2001:db8::/32' }] }] }));
    assert.equal(out.Return, true);
    assert.equal(out.SecurityGroupRules?.length, 3);
    assert.ok(out.SecurityGroupRules!.every((r) => /^sgr-/.test(r.SecurityGroupRuleId!) && r.GroupId === id && r.IsEgress === false));
    const g = await group(id);
    assert.deepEqual(g.IpPermissions, [
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.9/32', Description: 'office' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] },
      // Protocol 6 is reported as tcp, and host bits are cleared.
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }], Ipv6Ranges: [{ CidrIpv6: '2001:db8::/32' }], PrefixListIds: [], UserIdGroupPairs: [] },
    ]);
    const rules = await rulesOf(id);
    assert.equal(rules.filter((r) => !r.IsEgress).length, 3);
    assert.equal(rules.find((r) => r.FromPort === 22)!.Description, 'office');
  });

  it('refuses duplicate rules with the AWS message, also within one request', async () => {
    const id = await create('dups');
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [tcp(22, '0.0.0.0/0')] }));
    await rejects(
      ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [tcp(22, '0.0.0.0/0')] })),
      'InvalidPermission.Duplicate',
      'the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists',
    );
    await rejects(
      ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: id, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] })),
      'InvalidPermission.Duplicate',
      'the specified rule "peer: 0.0.0.0/0, ALL, ALLOW" already exists',
    );
    // A failed request stores nothing, not even its valid first half.
    await rejects(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [tcp(80, '0.0.0.0/0'), tcp(22, '0.0.0.0/0')] })), 'InvalidPermission.Duplicate');
    assert.equal((await rulesOf(id)).filter((r) => !r.IsEgress).length, 1);
  });

  it('validates protocols, ports, ICMP and CIDRs as AWS does', async () => {
    const id = await create('validation');
    const auth = (p: IpPermission) => ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [p] }));
    await rejects(auth({ IpProtocol: 'all', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }), 'InvalidParameterValue', "Invalid value 'all' for IP protocol. Unknown protocol.");
    await rejects(auth({ IpProtocol: '256', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }), 'InvalidParameterValue', /Unknown protocol/);
    await rejects(auth({ IpProtocol: 'tcp', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }), 'InvalidParameterValue', 'Invalid value for portRange. Must specify both from and to ports with TCP/UDP.');
    await rejects(auth({ IpProtocol: 'udp', FromPort: 0, ToPort: 70000, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }), 'InvalidParameterValue', 'TCP/UDP (to) port (70000) out of range');
    await rejects(auth({ IpProtocol: 'tcp', FromPort: 90, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }), 'InvalidParameterValue');
    await rejects(auth({ IpProtocol: 'icmp', FromPort: 8, ToPort: 256, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }), 'InvalidParameterValue', 'ICMP code (256) out of range');
    await rejects(auth(tcp(22, '::/0')), 'InvalidParameterValue', 'CIDR block ::/0 is malformed');
    await rejects(auth(tcp(22, '10.0.0.0/33')), 'InvalidParameterValue', 'CIDR block 10.0.0.0/33 is malformed');
    await rejects(auth({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22 }), 'MissingParameter');
    await rejects(auth(tcp(22, '10.0.0.0/8', { IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'naïve' }] })), 'InvalidParameterValue', /^Invalid rule description/);
    // Accepted edges: ICMP echo, all ICMP, protocol 50 (ports ignored), all traffic.
    await auth({ IpProtocol: 'icmp', FromPort: 8, ToPort: -1, IpRanges: [{ CidrIp: '10.0.0.0/8' }] });
    await auth({ IpProtocol: 'icmpv6', FromPort: -1, ToPort: -1, Ipv6Ranges: [{ CidrIpv6: '::/0' }] });
    await auth({ IpProtocol: '50', FromPort: 1, ToPort: 2, IpRanges: [{ CidrIp: '10.0.0.0/8' }] });
    await auth({ IpProtocol: '-1', IpRanges: [{ CidrIp: '192.168.0.0/16' }] });
    const g = await group(id);
    assert.deepEqual(
      g.IpPermissions!.map((p) => [p.IpProtocol, p.FromPort, p.ToPort]),
      [['icmp', 8, -1], ['icmpv6', -1, -1], ['50', undefined, undefined], ['-1', undefined, undefined]],
    );
  });

  it('references groups of the same VPC, refuses unpeered VPCs and accepts peered ones', async () => {
    const app = await create('app');
    const db = await create('db');
    const out = await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: db, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: app, Description: 'from app' }] }] }));
    assert.deepEqual(out.SecurityGroupRules![0].ReferencedGroupInfo, { GroupId: app, UserId: '000000000000' });
    assert.deepEqual((await group(db)).IpPermissions![0].UserIdGroupPairs, [{ GroupId: app, UserId: '000000000000', Description: 'from app' }]);
    const byRef = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'ip-permission.group-id', Values: [app] }] }));
    assert.deepEqual(byRef.SecurityGroups!.map((g) => g.GroupId), [db]);
    const byRefName = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'ip-permission.group-name', Values: ['app'] }] }));
    assert.deepEqual(byRefName.SecurityGroups!.map((g) => g.GroupId), [db]);

    await rejects(
      ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: db, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: 'sg-0123456789abcdef0' }] }] })),
      'InvalidGroup.NotFound',
      "The security group 'sg-0123456789abcdef0' does not exist",
    );
    const { Vpc: other } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.12.0.0/16' }));
    const remote = await create('remote', other!.VpcId!);
    const refRemote = () => ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: db, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: remote }] }] }));
    await rejects(refRemote(), 'InvalidGroup.NotFound', 'You have specified two resources that belong to different networks.');

    const { VpcPeeringConnection } = await ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: vpcId, PeerVpcId: other!.VpcId }));
    await ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: VpcPeeringConnection!.VpcPeeringConnectionId }));
    const peered = await refRemote();
    assert.deepEqual(peered.SecurityGroupRules![0].ReferencedGroupInfo, {
      GroupId: remote,
      UserId: '000000000000',
      VpcId: other!.VpcId,
      VpcPeeringConnectionId: VpcPeeringConnection!.VpcPeeringConnectionId,
      PeeringStatus: 'active',
    });
  });

  it('enforces 60 rules per direction, counting IPv4 and IPv6 separately', async () => {
    const id = await create('quota');
    const cidrs = (n: number, third: number) => Array.from({ length: n }, (_, i) => ({ CidrIp: `10.${third}.${i}.0/24` }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: cidrs(60, 1) }] }));
    await rejects(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [tcp(81, '10.2.0.0/16')] })), 'RulesPerSecurityGroupLimitExceeded');
    // IPv6 rules have their own 60; egress has its own (one used by the default rule).
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Ipv6Ranges: [{ CidrIpv6: '2001:db8::/64' }] }] }));
    await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: id, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: cidrs(59, 3) }] }));
    await rejects(ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: id, IpPermissions: [tcp(81, '10.4.0.0/16')] })), 'RulesPerSecurityGroupLimitExceeded');
  });

  it('revokes by permission and by rule id; an unknown rule fails the whole call outside the default VPC', async () => {
    const id = await create('revoke');
    const { SecurityGroupRules } = await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [tcp(22, '10.0.0.0/8'), tcp(80, '0.0.0.0/0'), tcp(443, '0.0.0.0/0')] }));
    await rejects(
      ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [tcp(22, '10.0.0.0/8'), tcp(23, '10.0.0.0/8')] })),
      'InvalidPermission.NotFound',
      'The specified rule does not exist in this security group.',
    );
    assert.equal((await rulesOf(id)).filter((r) => !r.IsEgress).length, 3);
    const out = await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [tcp(22, '10.0.0.0/8')] }));
    assert.equal(out.Return, true);
    assert.equal(out.UnknownIpPermissions, undefined);
    const port80 = SecurityGroupRules!.find((r) => r.FromPort === 80)!.SecurityGroupRuleId!;
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: id, SecurityGroupRuleIds: [port80] }));
    await rejects(ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: id, SecurityGroupRuleIds: [port80] })), 'InvalidSecurityGroupRuleId.NotFound');
    assert.deepEqual((await group(id)).IpPermissions!.map((p) => p.FromPort), [443]);
    // Egress: the default allow-all rule can be revoked like any other.
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: id, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    assert.deepEqual((await group(id)).IpPermissionsEgress, []);
  });

  it('in the default VPC, revokes what matches and returns the rest as UnknownIpPermissions', async () => {
    const out = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'legacy', Description: 'default vpc group' }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupName: 'legacy', IpPermissions: [tcp(22, '10.0.0.0/8')] }));
    const res = await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupName: 'legacy', IpPermissions: [tcp(22, '10.0.0.0/8'), tcp(25, '10.0.0.0/8')] }));
    assert.equal(res.Return, true);
    assert.deepEqual(res.UnknownIpPermissions, [{ IpProtocol: 'tcp', FromPort: 25, ToPort: 25, IpRanges: [{ CidrIp: '10.0.0.0/8' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }]);
    assert.deepEqual((await group(out.GroupId!)).IpPermissions, []);
  });

  it('modifies rules in place and updates their descriptions', async () => {
    const id = await create('modify');
    const { SecurityGroupRules } = await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [tcp(22, '10.0.0.0/8'), tcp(80, '10.0.0.0/8')] }));
    const [r22, r80] = SecurityGroupRules!;
    await ec2.send(new ModifySecurityGroupRulesCommand({ GroupId: id, SecurityGroupRules: [{ SecurityGroupRuleId: r22.SecurityGroupRuleId, SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 2222, ToPort: 2222, CidrIpv4: '192.168.0.0/16', Description: 'ssh alt' } }] }));
    const after22 = (await ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [r22.SecurityGroupRuleId!] }))).SecurityGroupRules![0];
    assert.equal(after22.FromPort, 2222);
    assert.equal(after22.CidrIpv4, '192.168.0.0/16');
    assert.equal(after22.Description, 'ssh alt');
    await rejects(
      ec2.send(new ModifySecurityGroupRulesCommand({ GroupId: id, SecurityGroupRules: [{ SecurityGroupRuleId: r80.SecurityGroupRuleId, SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 2222, ToPort: 2222, CidrIpv4: '192.168.0.0/16' } }] })),
      'InvalidPermission.Duplicate',
    );
    await ec2.send(new UpdateSecurityGroupRuleDescriptionsIngressCommand({ GroupId: id, IpPermissions: [tcp(80, '10.0.0.0/8', { IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'web' }] })] }));
    const perm80 = (await group(id)).IpPermissions!.find((p) => p.FromPort === 80)!;
    assert.deepEqual(perm80.IpRanges, [{ CidrIp: '10.0.0.0/8', Description: 'web' }]);
    await rejects(ec2.send(new UpdateSecurityGroupRuleDescriptionsIngressCommand({ GroupId: id, IpPermissions: [tcp(81, '10.0.0.0/8')] })), 'InvalidPermission.NotFound');
  });

  it('filters groups by permission fields and pages them', async () => {
    const id = await create('filtered');
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [{ IpProtocol: 'udp', FromPort: 5353, ToPort: 5354, IpRanges: [{ CidrIp: '172.16.0.0/12' }] }] }));
    await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: id, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 9000, ToPort: 9000, Ipv6Ranges: [{ CidrIpv6: '2001:db8::/48' }] }] }));
    const only = async (Name: string, Values: string[]) => (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name, Values }] }))).SecurityGroups!.map((g) => g.GroupId);
    assert.deepEqual(await only('ip-permission.from-port', ['5353']), [id]);
    assert.deepEqual(await only('ip-permission.to-port', ['5354']), [id]);
    assert.deepEqual(await only('ip-permission.cidr', ['172.16.*']), [id]);
    assert.deepEqual(await only('ip-permission.protocol', ['udp']), [id]);
    assert.deepEqual(await only('egress.ip-permission.ipv6-cidr', ['2001:db8::/48']), [id]);
    assert.deepEqual(await only('egress.ip-permission.to-port', ['9000']), [id]);
    assert.deepEqual(await only('description', ['filtered group']), [id]);
    assert.ok((await only('owner-id', ['000000000000'])).includes(id));
    await rejects(ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'no-such-filter', Values: ['x'] }] })), 'InvalidParameterValue');

    const all = (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups!.map((g) => g.GroupId);
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: 5, NextToken }));
      assert.ok(page.SecurityGroups!.length <= 5);
      seen.push(...page.SecurityGroups!.map((g) => g.GroupId!));
      NextToken = page.NextToken;
    } while (NextToken);
    assert.deepEqual(seen, all);
    await rejects(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id], MaxResults: 5 })), 'InvalidParameterCombination');
  });

  it('describes rules by id, filter and page, with tags from the request and CreateTags', async () => {
    const id = await create('rules');
    const { SecurityGroupRules } = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [tcp(1, '10.0.0.0/8'), tcp(2, '10.0.0.0/8'), tcp(3, '10.0.0.0/8')], TagSpecifications: [{ ResourceType: 'security-group-rule', Tags: [{ Key: 'team', Value: 'net' }] }] }),
    );
    assert.deepEqual(SecurityGroupRules![0].Tags, [{ Key: 'team', Value: 'net' }]);
    const ruleId = SecurityGroupRules![0].SecurityGroupRuleId!;
    await ec2.send(new CreateTagsCommand({ Resources: [ruleId], Tags: [{ Key: 'Name', Value: 'one' }] }));
    const byTag = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'tag:Name', Values: ['one'] }] }));
    assert.deepEqual(byTag.SecurityGroupRules!.map((r) => r.SecurityGroupRuleId), [ruleId]);
    const byId = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'security-group-rule-id', Values: [ruleId] }] }));
    assert.equal(byId.SecurityGroupRules!.length, 1);
    const first = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [id] }], MaxResults: 5 }));
    assert.equal(first.SecurityGroupRules!.length, 4);
    assert.equal(first.NextToken, undefined);
    const page = await ec2.send(new DescribeSecurityGroupRulesCommand({ MaxResults: 5 }));
    assert.equal(page.SecurityGroupRules!.length, 5);
    assert.ok(page.NextToken);
    await rejects(ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: ['sgr-0123456789abcdef0'] })), 'InvalidSecurityGroupRuleId.NotFound');
    await rejects(ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: ['sgr-nope'] })), 'InvalidSecurityGroupRuleId.Malformed');
  });

  it('refuses to delete the default group, a referenced group or one in use; deletes by name in the default VPC', async () => {
    const def = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: ['default'] }] }))).SecurityGroups![0].GroupId!;
    await rejects(ec2.send(new DeleteSecurityGroupCommand({ GroupId: def })), 'CannotDelete', `the specified group: "${def}" name: "default" cannot be deleted by a user`);

    const src = await create('src');
    const dst = await create('dst');
    // Its own self-reference does not hold a group back.
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: src, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: src }] }] }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: dst, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: src }] }] }));
    await rejects(ec2.send(new DeleteSecurityGroupCommand({ GroupId: src })), 'DependencyViolation', `resource ${src} has a dependent object`);
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: dst, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: src }] }] }));

    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.10.1.0/24' }));
    const { NetworkInterface } = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: Subnet!.SubnetId, Groups: [src] }));
    await rejects(ec2.send(new DeleteSecurityGroupCommand({ GroupId: src })), 'DependencyViolation');
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: NetworkInterface!.NetworkInterfaceId }));
    const srcRules = (await rulesOf(src)).map((r) => r.SecurityGroupRuleId!);
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: src }));
    await rejects(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [src] })), 'InvalidGroup.NotFound', `The security group '${src}' does not exist`);
    await rejects(ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [srcRules[0]] })), 'InvalidSecurityGroupRuleId.NotFound');
    await rejects(ec2.send(new DeleteSecurityGroupCommand({ GroupId: 'sg-zz' })), 'InvalidGroupId.Malformed');

    await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'byname', Description: 'x' }));
    await rejects(ec2.send(new DeleteSecurityGroupCommand({ GroupName: 'nosuch' })), 'InvalidGroup.NotFound', `The security group 'nosuch' does not exist in default VPC '${defaultVpcId}'`);
    await ec2.send(new DeleteSecurityGroupCommand({ GroupName: 'byname' }));
    await rejects(ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['byname'] })), 'InvalidGroup.NotFound');
  });

  it("drops a deleted VPC's default group together with its rules", async () => {
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.13.0.0/16' }));
    const def = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [Vpc!.VpcId!] }] }))).SecurityGroups![0].GroupId!;
    const ids = (await rulesOf(def)).map((r) => r.SecurityGroupRuleId!);
    assert.equal(ids.length, 2);
    await ec2.send(new DeleteVpcCommand({ VpcId: Vpc!.VpcId }));
    assert.deepEqual(await rulesOf(def), []);
  });
});
