import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteNetworkAclCommand,
  DeleteNetworkAclEntryCommand,
  DeleteSubnetCommand,
  DescribeNetworkAclsCommand,
  ReplaceNetworkAclAssociationCommand,
  ReplaceNetworkAclEntryCommand,
  type CreateNetworkAclEntryCommandInput,
  type EC2Client,
  type NetworkAcl,
  type RuleAction,
} from '@aws-sdk/client-ec2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { rejects } from '../../helpers/errors.ts';

const summary = (acl: NetworkAcl) => acl.Entries!.map((e) => `${e.Egress ? 'out' : 'in'} ${e.RuleNumber} ${e.Protocol} ${e.RuleAction} ${e.CidrBlock ?? e.Ipv6CidrBlock}`);

describe('EC2 network ACLs', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  let vpcId: string;

  const acl = async (id: string): Promise<NetworkAcl> => (await ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [id] }))).NetworkAcls![0];
  const newAcl = async (vpc = vpcId): Promise<string> => (await ec2.send(new CreateNetworkAclCommand({ VpcId: vpc }))).NetworkAcl!.NetworkAclId!;
  const entry = (NetworkAclId: string, e: Partial<CreateNetworkAclEntryCommandInput>) =>
    ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId, RuleNumber: 100, Egress: false, Protocol: '-1', RuleAction: 'allow', CidrBlock: '0.0.0.0/0', ...e }));

  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln);
    vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }))).Vpc!.VpcId!;
  });
  after(() => ln.stop());

  it('gives a VPC a default ACL that allows everything, associated with every new subnet', async () => {
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.20.1.0/24' }));
    const { NetworkAcls } = await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'default', Values: ['true'] }] }));
    assert.equal(NetworkAcls!.length, 1);
    const def = NetworkAcls![0];
    assert.match(def.NetworkAclId!, /^acl-[0-9a-f]{17}$/);
    assert.deepEqual(summary(def), ['out 100 -1 allow 0.0.0.0/0', 'out 32767 -1 deny 0.0.0.0/0', 'in 100 -1 allow 0.0.0.0/0', 'in 32767 -1 deny 0.0.0.0/0']);
    assert.deepEqual(def.Associations!.map((a) => a.SubnetId), [Subnet!.SubnetId]);
    assert.match(def.Associations![0].NetworkAclAssociationId!, /^aclassoc-[0-9a-f]{17}$/);
  });

  it('creates an ACL that denies everything, with IPv6 * rules only in an IPv6 VPC', async () => {
    const out = await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId, TagSpecifications: [{ ResourceType: 'network-acl', Tags: [{ Key: 'Name', Value: 'private' }] }] }));
    assert.equal(out.NetworkAcl!.IsDefault, false);
    assert.deepEqual(out.NetworkAcl!.Tags, [{ Key: 'Name', Value: 'private' }]);
    assert.deepEqual(summary(out.NetworkAcl!), ['out 32767 -1 deny 0.0.0.0/0', 'in 32767 -1 deny 0.0.0.0/0']);
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.21.0.0/16', AmazonProvidedIpv6CidrBlock: true }));
    const v6 = await acl(await newAcl(Vpc!.VpcId!));
    assert.deepEqual(summary(v6), ['out 32767 -1 deny 0.0.0.0/0', 'out 32768 -1 deny ::/0', 'in 32767 -1 deny 0.0.0.0/0', 'in 32768 -1 deny ::/0']);
    const def = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [Vpc!.VpcId!] }, { Name: 'default', Values: ['true'] }] }))).NetworkAcls![0];
    assert.ok(summary(def).includes('in 101 -1 allow ::/0'));
    await rejects(ec2.send(new CreateNetworkAclCommand({ VpcId: 'vpc-0123456789abcdef0' })), 'InvalidVpcID.NotFound');
  });

  it('is idempotent on ClientToken', async () => {
    const a = await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId, ClientToken: 'token-1' }));
    const b = await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId, ClientToken: 'token-1' }));
    assert.equal(a.NetworkAcl!.NetworkAclId, b.NetworkAcl!.NetworkAclId);
    assert.equal(b.ClientToken, 'token-1');
  });

  it('adds entries, storing the protocol number, ports for TCP/UDP and type/code for ICMP', async () => {
    const id = await newAcl();
    await entry(id, { RuleNumber: 100, Protocol: 'tcp', PortRange: { From: 443, To: 443 } });
    await entry(id, { RuleNumber: 110, Protocol: '17', PortRange: { From: 53, To: 53 }, RuleAction: 'deny', CidrBlock: '10.0.0.9/8' });
    await entry(id, { RuleNumber: 120, Protocol: 'icmp', IcmpTypeCode: { Type: 8, Code: -1 } });
    await entry(id, { RuleNumber: 100, Egress: true, Protocol: '-1', PortRange: { From: 1, To: 2 } });
    await entry(id, { RuleNumber: 130, Protocol: '50', Ipv6CidrBlock: '2001:db8::/32', CidrBlock: undefined });
    const a = await acl(id);
    assert.deepEqual(a.Entries, [
      { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0' },
      { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: true, CidrBlock: '0.0.0.0/0' },
      { RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: 443, To: 443 } },
      { RuleNumber: 110, Protocol: '17', RuleAction: 'deny', Egress: false, CidrBlock: '10.0.0.0/8', PortRange: { From: 53, To: 53 } },
      { RuleNumber: 120, Protocol: '1', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0', IcmpTypeCode: { Code: -1, Type: 8 } },
      { RuleNumber: 130, Protocol: '50', RuleAction: 'allow', Egress: false, Ipv6CidrBlock: '2001:db8::/32' },
      { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0' },
    ]);
  });

  it('validates entries and refuses duplicates with the AWS errors', async () => {
    const id = await newAcl();
    await entry(id, { RuleNumber: 100 });
    await rejects(entry(id, { RuleNumber: 100 }), 'NetworkAclEntryAlreadyExists', 'The network acl entry identified by 100 already exists.');
    await entry(id, { RuleNumber: 100, Egress: true }); // the same number in the other direction is another entry
    await rejects(entry(id, { RuleNumber: 32767 }), 'InvalidParameterValue', 'Value (32767) for parameter ruleNumber is invalid. Rulenumber must be in range 1..32766');
    await rejects(entry(id, { RuleNumber: 0 }), 'InvalidParameterValue');
    await rejects(entry(id, { RuleNumber: 101, Protocol: 'tcp' }), 'MissingParameter');
    await rejects(entry(id, { RuleNumber: 101, Protocol: 'tcp', PortRange: { From: 90, To: 80 } }), 'InvalidParameterValue');
    await rejects(entry(id, { RuleNumber: 101, Protocol: 'icmp' }), 'MissingParameter');
    await rejects(entry(id, { RuleNumber: 101, Protocol: 'bogus' }), 'InvalidParameterValue');
    await rejects(entry(id, { RuleNumber: 101, RuleAction: 'maybe' as RuleAction }), 'InvalidParameterValue');
    await rejects(entry(id, { RuleNumber: 101, CidrBlock: 'nope' }), 'InvalidParameterValue');
    await rejects(entry(id, { RuleNumber: 101, CidrBlock: undefined }), 'MissingParameter');
    await rejects(entry(id, { RuleNumber: 101, Ipv6CidrBlock: '::/0' }), 'InvalidParameterCombination');
    await rejects(entry('acl-0123456789abcdef0', {}), 'InvalidNetworkAclID.NotFound', "The network ACL ID 'acl-0123456789abcdef0' does not exist");
    assert.equal((await acl(id)).Entries!.length, 4);
  });

  it('allows 20 entries per direction and family, the * rule included', async () => {
    const id = await newAcl();
    for (let n = 1; n <= 19; n++) await entry(id, { RuleNumber: n });
    await rejects(entry(id, { RuleNumber: 20 }), 'NetworkAclEntryLimitExceeded');
    await entry(id, { RuleNumber: 20, Egress: true });
    await entry(id, { RuleNumber: 20, CidrBlock: undefined, Ipv6CidrBlock: '::/0' });
  });

  it('replaces and deletes entries; a missing entry is InvalidNetworkAclEntry.NotFound', async () => {
    const id = await newAcl();
    await entry(id, { RuleNumber: 100 });
    await ec2.send(new ReplaceNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 100, Egress: false, Protocol: 'tcp', PortRange: { From: 22, To: 22 }, RuleAction: 'deny', CidrBlock: '192.168.0.0/16' }));
    assert.ok(summary(await acl(id)).includes('in 100 6 deny 192.168.0.0/16'));
    await rejects(ec2.send(new ReplaceNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 200, Egress: false, Protocol: '-1', RuleAction: 'deny', CidrBlock: '0.0.0.0/0' })), 'InvalidNetworkAclEntry.NotFound');
    await rejects(ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 100, Egress: true })), 'InvalidNetworkAclEntry.NotFound');
    await rejects(ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 32767, Egress: false })), 'InvalidParameterValue');
    await ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 100, Egress: false }));
    assert.deepEqual(summary(await acl(id)), ['out 32767 -1 deny 0.0.0.0/0', 'in 32767 -1 deny 0.0.0.0/0']);
  });

  it('moves a subnet between ACLs of its VPC; an associated ACL cannot be deleted, the default never', async () => {
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.20.2.0/24' }));
    const def = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [Subnet!.SubnetId!] }] }))).NetworkAcls![0];
    assert.equal(def.IsDefault, true);
    const assoc = def.Associations!.find((a) => a.SubnetId === Subnet!.SubnetId)!.NetworkAclAssociationId!;
    const custom = await newAcl();
    const { NewAssociationId } = await ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc, NetworkAclId: custom }));
    assert.match(NewAssociationId!, /^aclassoc-/);
    assert.notEqual(NewAssociationId, assoc);
    assert.deepEqual((await acl(custom)).Associations, [{ NetworkAclAssociationId: NewAssociationId, NetworkAclId: custom, SubnetId: Subnet!.SubnetId }]);
    assert.ok(!(await acl(def.NetworkAclId!)).Associations!.some((a) => a.SubnetId === Subnet!.SubnetId));
    const filtered = await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.association-id', Values: [NewAssociationId!] }] }));
    assert.deepEqual(filtered.NetworkAcls!.map((a) => a.NetworkAclId), [custom]);

    await rejects(ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc, NetworkAclId: custom })), 'InvalidAssociationID.NotFound');
    const { Vpc: other } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.22.0.0/16' }));
    await rejects(ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: NewAssociationId, NetworkAclId: await newAcl(other!.VpcId!) })), 'InvalidParameterValue');

    await rejects(ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: custom })), 'DependencyViolation', `The networkAcl '${custom}' has dependencies and cannot be deleted.`);
    await rejects(ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: def.NetworkAclId })), 'InvalidParameterValue', `cannot delete default network ACL ${def.NetworkAclId}`);
    // Deleting the subnet releases its association.
    await ec2.send(new DeleteSubnetCommand({ SubnetId: Subnet!.SubnetId }));
    await ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: custom }));
    await rejects(ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [custom] })), 'InvalidNetworkAclID.NotFound');
  });

  it('filters on entries and pages', async () => {
    const id = await newAcl();
    await entry(id, { RuleNumber: 77, Protocol: 'udp', PortRange: { From: 123, To: 124 }, RuleAction: 'deny', CidrBlock: '198.51.100.0/24' });
    await entry(id, { RuleNumber: 78, Protocol: 'icmp', IcmpTypeCode: { Type: 3, Code: 4 }, Egress: true });
    const only = async (Name: string, Values: string[]) => (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name, Values }] }))).NetworkAcls!.map((a) => a.NetworkAclId);
    assert.deepEqual(await only('entry.rule-number', ['77']), [id]);
    assert.deepEqual(await only('entry.cidr', ['198.51.100.0/24']), [id]);
    assert.deepEqual(await only('entry.port-range.from', ['123']), [id]);
    assert.deepEqual(await only('entry.port-range.to', ['124']), [id]);
    // Protocols match by name or number; an earlier test also holds a UDP entry.
    const udp = await only('entry.protocol', ['udp']);
    assert.ok(udp.includes(id) && udp.length === 2);
    assert.deepEqual(await only('entry.protocol', ['17']), udp);
    assert.deepEqual(await only('entry.icmp.type', ['3']), [id]);
    assert.deepEqual(await only('entry.icmp.code', ['4']), [id]);
    assert.ok((await only('entry.rule-action', ['deny'])).includes(id));
    assert.ok((await only('entry.egress', ['true'])).includes(id));
    assert.ok((await only('network-acl-id', [id])).includes(id));
    assert.ok((await only('owner-id', ['000000000000'])).includes(id));
    assert.ok((await only('entry.ipv6-cidr', ['::/0'])).length >= 1);

    const all = (await ec2.send(new DescribeNetworkAclsCommand({}))).NetworkAcls!.map((a) => a.NetworkAclId);
    assert.ok(all.length > 5);
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await ec2.send(new DescribeNetworkAclsCommand({ MaxResults: 5, NextToken }));
      seen.push(...page.NetworkAcls!.map((a) => a.NetworkAclId!));
      NextToken = page.NextToken;
    } while (NextToken);
    assert.deepEqual(seen, all);
    await rejects(ec2.send(new DescribeNetworkAclsCommand({ MaxResults: 1001 })), 'InvalidParameterValue');
  });
});
