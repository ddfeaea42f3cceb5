// Interop: the real AWS CLI v2 (/usr/bin/aws) builds the classic two-tier VPC
// against a real localnet, step by step, and every JSON answer is checked as
// AWS would give it. Each step records the ids it creates; a step whose
// prerequisite failed is skipped and says which one, so a failure report
// points at the first operation that broke.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AWS_CLI, awsCli, awsCliMissing, dummyAwsEnv, type AwsCli } from '../helpers/aws-cli.ts';
import { steps, until } from '../helpers/steps.ts';
import { startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';
import { localnetCli } from '../helpers/localnet-process.ts';

/** A 12-digit access key id acts as that account. */
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const AMI = 'ami-0123456789abcdef0';

const id = (prefix: string) => new RegExp(`^${prefix}-[0-9a-f]{17}$`);

const { s, need } = steps();


function ipIn24(ip: string, prefix: string): number {
  assert.ok(ip.startsWith(prefix), `${ip} is not in ${prefix}0/24`);
  const last = Number(ip.slice(prefix.length));
  assert.ok(last >= 4 && last <= 254, `${ip} is one of the addresses AWS reserves`);
  return last;
}

describe('AWS CLI v2 builds a two-tier VPC', { skip: awsCliMissing() }, () => {
  let ln: TestLocalnet;
  let aws: AwsCli;
  before(async () => {
    ln = await startTestLocalnet();
    aws = awsCli(ln.endpoint, dummyAwsEnv(ACCOUNT, REGION));
  });
  after(() => ln?.stop());

  it('creates the VPC with a Name tag and enables DNS hostnames', async () => {
    const { Vpc } = await aws.ok(['ec2', 'create-vpc', '--cidr-block', '10.0.0.0/16', '--tag-specifications', 'ResourceType=vpc,Tags=[{Key=Name,Value=interop-main}]']);
    assert.match(Vpc.VpcId, id('vpc'));
    assert.equal(Vpc.CidrBlock, '10.0.0.0/16');
    assert.equal(Vpc.OwnerId, ACCOUNT);
    assert.equal(Vpc.IsDefault, false);
    assert.equal(Vpc.InstanceTenancy, 'default');
    assert.ok(['pending', 'available'].includes(Vpc.State), Vpc.State);
    assert.deepEqual(Vpc.Tags, [{ Key: 'Name', Value: 'interop-main' }]);
    s.vpc = Vpc.VpcId;

    assert.equal(await aws.ok(['ec2', 'modify-vpc-attribute', '--vpc-id', s.vpc!, '--enable-dns-hostnames', '{"Value":true}']), undefined);
    assert.equal(await aws.ok(['ec2', 'describe-vpc-attribute', '--vpc-id', s.vpc!, '--attribute', 'enableDnsHostnames', '--query', 'EnableDnsHostnames.Value']), true);
    const byTag = await aws.ok(['ec2', 'describe-vpcs', '--filters', 'Name=tag:Name,Values=interop-main', '--query', 'Vpcs[].[VpcId,State]']);
    assert.deepEqual(byTag, [[s.vpc, 'available']]);
  });

  it('sees the default VPC and the real zone names of the region', async () => {
    const defaults = await aws.ok(['ec2', 'describe-vpcs', '--filters', 'Name=is-default,Values=true', '--query', 'Vpcs[].CidrBlock']);
    assert.deepEqual(defaults, ['172.31.0.0/16']);
    const zones: string[] = await aws.ok(['ec2', 'describe-availability-zones', '--query', 'AvailabilityZones[].ZoneName']);
    assert.deepEqual(zones, ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f']);
  });

  it('creates two public and two private subnets in two zones', async (t) => {
    if (!need(t, 'vpc')) return;
    const layout = [
      ['pub1', '10.0.0.0/24', 'us-east-1a'],
      ['pub2', '10.0.1.0/24', 'us-east-1b'],
      ['priv1', '10.0.10.0/24', 'us-east-1a'],
      ['priv2', '10.0.11.0/24', 'us-east-1b'],
    ];
    for (const [name, cidr, zone] of layout) {
      const { Subnet } = await aws.ok(['ec2', 'create-subnet', '--vpc-id', s.vpc!, '--cidr-block', cidr, '--availability-zone', zone, '--tag-specifications', `ResourceType=subnet,Tags=[{Key=Name,Value=${name}}]`]);
      assert.match(Subnet.SubnetId, id('subnet'));
      assert.equal(Subnet.VpcId, s.vpc);
      assert.equal(Subnet.CidrBlock, cidr);
      assert.equal(Subnet.AvailabilityZone, zone);
      assert.equal(Subnet.AvailableIpAddressCount, 251, 'a /24 minus the 5 addresses AWS reserves');
      assert.equal(Subnet.MapPublicIpOnLaunch, false);
      s[name] = Subnet.SubnetId;
    }
    for (const name of ['pub1', 'pub2']) {
      assert.equal(await aws.ok(['ec2', 'modify-subnet-attribute', '--subnet-id', s[name]!, '--map-public-ip-on-launch']), undefined);
    }
    const inVpc = ['ec2', 'describe-subnets', '--filters', `Name=vpc-id,Values=${s.vpc}`];
    assert.equal(await aws.ok([...inVpc, '--query', 'length(Subnets)']), 4);
    assert.deepEqual(await aws.ok([...inVpc, '--query', 'sort(Subnets[?MapPublicIpOnLaunch].CidrBlock)']), ['10.0.0.0/24', '10.0.1.0/24']);
    assert.deepEqual(await aws.ok([...inVpc, 'Name=availability-zone,Values=us-east-1a', '--query', 'sort(Subnets[].CidrBlock)']), ['10.0.0.0/24', '10.0.10.0/24']);
    // The CLI follows NextToken by itself: pages of 5 (the smallest MaxResults) still list
    // all ten subnets of the account (six default ones, one per zone, and these four).
    assert.equal(await aws.ok(['ec2', 'describe-subnets', '--page-size', '5', '--query', 'length(Subnets)']), 10);
    const page = await aws.ok([...inVpc, '--max-items', '2']);
    assert.equal(page.Subnets.length, 2);
    assert.equal(typeof page.NextToken, 'string');
  });

  it('refuses overlapping and out-of-range subnets', async (t) => {
    if (!need(t, 'vpc')) return;
    const err = await aws.fails(['ec2', 'create-subnet', '--vpc-id', s.vpc!, '--cidr-block', '10.0.0.128/25'], 'InvalidSubnet.Conflict');
    assert.match(err, /when calling the CreateSubnet operation/);
    await aws.fails(['ec2', 'create-subnet', '--vpc-id', s.vpc!, '--cidr-block', '10.1.0.0/24'], 'InvalidSubnet.Range');
    await aws.fails(['ec2', 'describe-vpcs', '--vpc-ids', 'vpc-0123456789abcdef0'], 'InvalidVpcID.NotFound');
    await aws.fails(['ec2', 'create-vpc', '--cidr-block', '10.9.0.0/16', '--dry-run'], 'DryRunOperation');
    assert.equal(await aws.ok(['ec2', 'describe-vpcs', '--filters', 'Name=cidr,Values=10.9.0.0/16', '--query', 'length(Vpcs)']), 0, 'a dry run creates nothing');
  });

  it('attaches an internet gateway', async (t) => {
    if (!need(t, 'vpc')) return;
    const { InternetGateway } = await aws.ok(['ec2', 'create-internet-gateway']);
    assert.match(InternetGateway.InternetGatewayId, id('igw'));
    assert.deepEqual(InternetGateway.Attachments, []);
    assert.equal(await aws.ok(['ec2', 'attach-internet-gateway', '--internet-gateway-id', InternetGateway.InternetGatewayId, '--vpc-id', s.vpc!]), undefined);
    const attached = await aws.ok(['ec2', 'describe-internet-gateways', '--filters', `Name=attachment.vpc-id,Values=${s.vpc}`, '--query', 'InternetGateways[].Attachments[]']);
    assert.deepEqual(attached, [{ State: 'available', VpcId: s.vpc }]);
    s.igw = InternetGateway.InternetGatewayId;
  });

  it('routes the public subnets to the internet gateway', async (t) => {
    if (!need(t, 'vpc', 'igw', 'pub1', 'pub2')) return;
    const { RouteTable } = await aws.ok(['ec2', 'create-route-table', '--vpc-id', s.vpc!]);
    assert.match(RouteTable.RouteTableId, id('rtb'));
    assert.deepEqual(RouteTable.Associations, []);
    assert.deepEqual(RouteTable.Routes, [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' }]);
    const rtb = RouteTable.RouteTableId;
    assert.deepEqual(await aws.ok(['ec2', 'create-route', '--route-table-id', rtb, '--destination-cidr-block', '0.0.0.0/0', '--gateway-id', s.igw!]), { Return: true });
    for (const subnet of [s.pub1!, s.pub2!]) {
      const assoc = await aws.ok(['ec2', 'associate-route-table', '--route-table-id', rtb, '--subnet-id', subnet]);
      assert.match(assoc.AssociationId, id('rtbassoc'));
      assert.deepEqual(assoc.AssociationState, { State: 'associated' });
    }
    await aws.fails(['ec2', 'create-route', '--route-table-id', rtb, '--destination-cidr-block', '0.0.0.0/0', '--gateway-id', s.igw!], 'RouteAlreadyExists');
    await aws.fails(['ec2', 'delete-route', '--route-table-id', rtb, '--destination-cidr-block', '10.0.0.0/16'], 'InvalidParameterValue');
    const viaIgw = await aws.ok(['ec2', 'describe-route-tables', '--filters', `Name=association.subnet-id,Values=${s.pub2}`, '--query', "RouteTables[].Routes[?DestinationCidrBlock=='0.0.0.0/0'][].[GatewayId,State]"]);
    assert.deepEqual(viaIgw, [[s.igw, 'active']]);
    s.publicRtb = rtb;
  });

  it('allocates an Elastic IP and brings up a NAT gateway in a public subnet', async (t) => {
    if (!need(t, 'vpc', 'pub1')) return;
    const eip = await aws.ok(['ec2', 'allocate-address', '--domain', 'vpc']);
    assert.match(eip.AllocationId, id('eipalloc'));
    assert.equal(eip.Domain, 'vpc');
    assert.match(eip.PublicIp, /^\d+\.\d+\.\d+\.\d+$/);
    s.eip = eip.AllocationId;

    const { NatGateway } = await aws.ok(['ec2', 'create-nat-gateway', '--subnet-id', s.pub1!, '--allocation-id', eip.AllocationId]);
    assert.match(NatGateway.NatGatewayId, id('nat'));
    assert.equal(NatGateway.State, 'pending');
    assert.equal(NatGateway.SubnetId, s.pub1);
    assert.equal(NatGateway.VpcId, s.vpc);
    const nat = NatGateway.NatGatewayId;
    s.nat = nat;
    // DescribeNatGateways takes --filter (singular), unlike most Describe* operations.
    const up = await until(aws, ['ec2', 'describe-nat-gateways', '--filter', `Name=vpc-id,Values=${s.vpc}`, '--query', 'NatGateways[0]'], (g) => g?.State === 'available', 'NAT gateway state');
    assert.equal(up.NatGatewayId, nat);
    assert.equal(up.ConnectivityType, 'public');
    assert.equal(up.NatGatewayAddresses[0].AllocationId, eip.AllocationId);
    assert.equal(up.NatGatewayAddresses[0].PublicIp, eip.PublicIp);
    ipIn24(up.NatGatewayAddresses[0].PrivateIp, '10.0.0.');
    const [held] = await aws.ok(['ec2', 'describe-addresses', '--allocation-ids', eip.AllocationId, '--query', 'Addresses']);
    assert.match(held.AssociationId, id('eipassoc'));
    assert.equal(held.NetworkInterfaceId, up.NatGatewayAddresses[0].NetworkInterfaceId);
    assert.equal(await aws.ok(['ec2', 'describe-subnets', '--subnet-ids', s.pub1!, '--query', 'Subnets[0].AvailableIpAddressCount']), 250, 'the NAT gateway holds an address');
    await aws.fails(['ec2', 'release-address', '--allocation-id', eip.AllocationId], 'InvalidIPAddress.InUse');
  });

  it('routes the private subnets through the NAT gateway', async (t) => {
    if (!need(t, 'vpc', 'nat', 'priv1', 'priv2')) return;
    const { RouteTable } = await aws.ok(['ec2', 'create-route-table', '--vpc-id', s.vpc!, '--tag-specifications', 'ResourceType=route-table,Tags=[{Key=Name,Value=private}]']);
    const rtb = RouteTable.RouteTableId;
    assert.deepEqual(await aws.ok(['ec2', 'create-route', '--route-table-id', rtb, '--destination-cidr-block', '0.0.0.0/0', '--nat-gateway-id', s.nat!]), { Return: true });
    for (const subnet of [s.priv1!, s.priv2!]) await aws.ok(['ec2', 'associate-route-table', '--route-table-id', rtb, '--subnet-id', subnet]);
    const inVpc = ['ec2', 'describe-route-tables', '--filters', `Name=vpc-id,Values=${s.vpc}`];
    assert.deepEqual(await aws.ok([...inVpc, `Name=route.nat-gateway-id,Values=${s.nat}`, '--query', 'RouteTables[].RouteTableId']), [rtb]);
    assert.deepEqual(await aws.ok([...inVpc, `Name=association.subnet-id,Values=${s.priv2}`, '--query', "RouteTables[].Tags[?Key=='Name'].Value[]"]), ['private']);
    assert.equal(await aws.ok([...inVpc, '--query', 'length(RouteTables)']), 3, 'main, public and private');
    const main = await aws.ok([...inVpc, 'Name=association.main,Values=true', '--query', 'RouteTables[].Routes[].GatewayId']);
    assert.deepEqual(main, ['local'], 'the main route table keeps only the local route');
    s.privateRtb = rtb;
  });

  it('creates a web group open on 443 and an app group open on 8080 to the web group', async (t) => {
    if (!need(t, 'vpc')) return;
    const web = (await aws.ok(['ec2', 'create-security-group', '--group-name', 'web', '--description', 'web tier', '--vpc-id', s.vpc!])).GroupId;
    const app = (await aws.ok(['ec2', 'create-security-group', '--group-name', 'app', '--description', 'app tier', '--vpc-id', s.vpc!])).GroupId;
    assert.match(web, id('sg'));
    assert.match(app, id('sg'));

    const open = await aws.ok(['ec2', 'authorize-security-group-ingress', '--group-id', web, '--protocol', 'tcp', '--port', '443', '--cidr', '0.0.0.0/0']);
    assert.equal(open.Return, true);
    assert.equal(open.SecurityGroupRules.length, 1);
    assert.match(open.SecurityGroupRules[0].SecurityGroupRuleId, id('sgr'));
    const { GroupId, GroupOwnerId, IsEgress, IpProtocol, FromPort, ToPort, CidrIpv4 } = open.SecurityGroupRules[0];
    assert.deepEqual({ GroupId, GroupOwnerId, IsEgress, IpProtocol, FromPort, ToPort, CidrIpv4 }, { GroupId: web, GroupOwnerId: ACCOUNT, IsEgress: false, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: '0.0.0.0/0' });
    const fromWeb = await aws.ok(['ec2', 'authorize-security-group-ingress', '--group-id', app, '--protocol', 'tcp', '--port', '8080', '--source-group', web]);
    assert.equal(fromWeb.SecurityGroupRules[0].ReferencedGroupInfo.GroupId, web);
    s.web = web;
    s.app = app;

    const [appGroup] = await aws.ok(['ec2', 'describe-security-groups', '--group-ids', app, '--query', 'SecurityGroups']);
    assert.equal(appGroup.VpcId, s.vpc);
    assert.equal(appGroup.OwnerId, ACCOUNT);
    assert.deepEqual(appGroup.IpPermissions, [{ FromPort: 8080, IpProtocol: 'tcp', IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], ToPort: 8080, UserIdGroupPairs: [{ GroupId: web, UserId: ACCOUNT }] }]);
    assert.deepEqual(appGroup.IpPermissionsEgress, [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }], 'a new group allows all egress');
    assert.deepEqual(await aws.ok(['ec2', 'describe-security-groups', '--filters', `Name=vpc-id,Values=${s.vpc}`, '--query', 'sort(SecurityGroups[].GroupName)']), ['app', 'default', 'web']);
    const rules = await aws.ok(['ec2', 'describe-security-group-rules', '--filters', `Name=group-id,Values=${app}`, '--query', 'SecurityGroupRules[].[IsEgress,IpProtocol,FromPort,ToPort]']);
    assert.deepEqual(rules.sort(), [[false, 'tcp', 8080, 8080], [true, '-1', -1, -1]]);
  });

  it('refuses duplicate groups and rules, and deleting a referenced group', async (t) => {
    if (!need(t, 'vpc', 'web', 'app')) return;
    await aws.fails(['ec2', 'create-security-group', '--group-name', 'web', '--description', 'again', '--vpc-id', s.vpc!], 'InvalidGroup.Duplicate');
    await aws.fails(['ec2', 'authorize-security-group-ingress', '--group-id', s.web!, '--protocol', 'tcp', '--port', '443', '--cidr', '0.0.0.0/0'], 'InvalidPermission.Duplicate');
    await aws.fails(['ec2', 'delete-security-group', '--group-id', s.web!], 'DependencyViolation');
  });

  it('guards the public subnets with a custom network ACL that allows ephemeral return ports', async (t) => {
    if (!need(t, 'vpc', 'pub1', 'pub2')) return;
    const { NetworkAcl } = await aws.ok(['ec2', 'create-network-acl', '--vpc-id', s.vpc!]);
    const acl = NetworkAcl.NetworkAclId;
    assert.match(acl, id('acl'));
    assert.equal(NetworkAcl.IsDefault, false);
    assert.deepEqual(NetworkAcl.Associations, []);
    assert.deepEqual(
      NetworkAcl.Entries.map((e: any) => [e.RuleNumber, e.Egress, e.Protocol, e.RuleAction, e.CidrBlock]).sort(),
      [[32767, false, '-1', 'deny', '0.0.0.0/0'], [32767, true, '-1', 'deny', '0.0.0.0/0']],
      'a new network ACL denies everything',
    );
    const entry = (dir: '--ingress' | '--egress', rule: number, from: number, to: number) =>
      aws.ok(['ec2', 'create-network-acl-entry', '--network-acl-id', acl, dir, '--rule-number', String(rule), '--protocol', 'tcp', '--port-range', `From=${from},To=${to}`, '--cidr-block', '0.0.0.0/0', '--rule-action', 'allow']);
    assert.equal(await entry('--ingress', 100, 443, 443), undefined);
    await entry('--ingress', 110, 1024, 65535); // replies to connections the subnet opened (NACLs are stateless)
    await entry('--egress', 100, 1024, 65535); // replies to HTTPS clients
    await entry('--egress', 110, 443, 443);
    await aws.fails(['ec2', 'create-network-acl-entry', '--network-acl-id', acl, '--ingress', '--rule-number', '100', '--protocol', 'tcp', '--port-range', 'From=80,To=80', '--cidr-block', '0.0.0.0/0', '--rule-action', 'allow'], 'NetworkAclEntryAlreadyExists');
    assert.equal(await aws.ok(['ec2', 'replace-network-acl-entry', '--network-acl-id', acl, '--egress', '--rule-number', '110', '--protocol', 'tcp', '--port-range', 'From=443,To=443', '--cidr-block', '10.0.0.0/8', '--rule-action', 'deny']), undefined);

    const entries = await aws.ok(['ec2', 'describe-network-acls', '--network-acl-ids', acl, '--query', 'NetworkAcls[0].Entries']);
    const byRule = (egress: boolean, n: number) => entries.find((e: any) => e.Egress === egress && e.RuleNumber === n);
    assert.deepEqual(entries.filter((e: any) => !e.Egress).map((e: any) => e.RuleNumber).sort((a: number, b: number) => a - b), [100, 110, 32767]);
    assert.equal(byRule(false, 110).Protocol, '6', 'AWS reports tcp as protocol number 6');
    assert.deepEqual(byRule(false, 110).PortRange, { From: 1024, To: 65535 });
    assert.equal(byRule(true, 110).RuleAction, 'deny');
    assert.equal(byRule(true, 110).CidrBlock, '10.0.0.0/8');

    for (const subnet of [s.pub1!, s.pub2!]) {
      const current = await aws.ok(['ec2', 'describe-network-acls', '--filters', `Name=association.subnet-id,Values=${subnet}`, '--query', `NetworkAcls[].Associations[?SubnetId=='${subnet}'].NetworkAclAssociationId[]`]);
      assert.equal(current.length, 1, 'every subnet is associated with exactly one network ACL');
      assert.match(current[0], id('aclassoc'));
      const replaced = await aws.ok(['ec2', 'replace-network-acl-association', '--association-id', current[0], '--network-acl-id', acl]);
      assert.match(replaced.NewAssociationId, id('aclassoc'));
    }
    assert.deepEqual(await aws.ok(['ec2', 'describe-network-acls', '--filters', `Name=association.subnet-id,Values=${s.pub1}`, '--query', 'NetworkAcls[].NetworkAclId']), [acl]);
    const defaultAcl = await aws.ok(['ec2', 'describe-network-acls', '--filters', `Name=vpc-id,Values=${s.vpc}`, 'Name=default,Values=true', '--query', 'NetworkAcls[0]']);
    assert.deepEqual(defaultAcl.Associations.map((a: any) => a.SubnetId).sort(), [s.priv1, s.priv2].sort(), 'the private subnets stay on the default ACL');
    const defaultIngress = defaultAcl.Entries.filter((e: any) => !e.Egress).map((e: any) => [e.RuleNumber, e.RuleAction]);
    assert.deepEqual(defaultIngress.sort((a: number[], b: number[]) => a[0] - b[0]), [[100, 'allow'], [32767, 'deny']]);
    s.acl = acl;
  });

  it('peers with a second VPC and routes both sides', async (t) => {
    if (!need(t, 'vpc')) return;
    const { Vpc } = await aws.ok(['ec2', 'create-vpc', '--cidr-block', '10.1.0.0/16']);
    s.peerVpc = Vpc.VpcId;
    const { VpcPeeringConnection: req } = await aws.ok(['ec2', 'create-vpc-peering-connection', '--vpc-id', s.vpc!, '--peer-vpc-id', Vpc.VpcId]);
    const pcx = req.VpcPeeringConnectionId;
    assert.match(pcx, id('pcx'));
    assert.equal(req.RequesterVpcInfo.VpcId, s.vpc);
    assert.equal(req.RequesterVpcInfo.OwnerId, ACCOUNT);
    assert.equal(req.AccepterVpcInfo.VpcId, Vpc.VpcId);
    assert.ok(['initiating-request', 'pending-acceptance'].includes(req.Status.Code), req.Status.Code);
    const describe = ['ec2', 'describe-vpc-peering-connections', '--vpc-peering-connection-ids', pcx, '--query', 'VpcPeeringConnections[0]'];
    await until(aws, describe, (p) => p.Status.Code === 'pending-acceptance', 'peering before acceptance');

    const { VpcPeeringConnection: accepted } = await aws.ok(['ec2', 'accept-vpc-peering-connection', '--vpc-peering-connection-id', pcx]);
    assert.ok(['provisioning', 'active'].includes(accepted.Status.Code), accepted.Status.Code);
    const active = await until(aws, describe, (p) => p.Status.Code === 'active', 'peering after acceptance');
    assert.equal(active.AccepterVpcInfo.CidrBlock, '10.1.0.0/16');
    assert.equal(active.RequesterVpcInfo.CidrBlock, '10.0.0.0/16');
    const filtered = await aws.ok(['ec2', 'describe-vpc-peering-connections', '--filters', 'Name=status-code,Values=active', `Name=requester-vpc-info.vpc-id,Values=${s.vpc}`, '--query', 'VpcPeeringConnections[].VpcPeeringConnectionId']);
    assert.deepEqual(filtered, [pcx]);
    s.pcx = pcx;

    if (s.privateRtb) {
      await aws.ok(['ec2', 'create-route', '--route-table-id', s.privateRtb, '--destination-cidr-block', '10.1.0.0/16', '--vpc-peering-connection-id', pcx]);
      assert.deepEqual(await aws.ok(['ec2', 'describe-route-tables', '--route-table-ids', s.privateRtb, '--query', `RouteTables[0].Routes[?VpcPeeringConnectionId=='${pcx}'].DestinationCidrBlock`]), ['10.1.0.0/16']);
    }
    const peerMain = await aws.ok(['ec2', 'describe-route-tables', '--filters', `Name=vpc-id,Values=${Vpc.VpcId}`, 'Name=association.main,Values=true', '--query', 'RouteTables[0].RouteTableId']);
    assert.match(peerMain, id('rtb'));
    await aws.ok(['ec2', 'create-route', '--route-table-id', peerMain, '--destination-cidr-block', '10.0.0.0/16', '--vpc-peering-connection-id', pcx]);
    const back = await aws.ok(['ec2', 'describe-route-tables', '--filters', `Name=route.vpc-peering-connection-id,Values=${pcx}`, `Name=vpc-id,Values=${Vpc.VpcId}`, '--query', "RouteTables[].Routes[?DestinationCidrBlock=='10.0.0.0/16'][].State"]);
    assert.deepEqual(back, ['active']);
  });

  it('lets a peering between overlapping CIDRs fail, as AWS does', async (t) => {
    if (!need(t, 'vpc')) return;
    const { Vpc } = await aws.ok(['ec2', 'create-vpc', '--cidr-block', '10.0.0.0/16']);
    const { VpcPeeringConnection } = await aws.ok(['ec2', 'create-vpc-peering-connection', '--vpc-id', s.vpc!, '--peer-vpc-id', Vpc.VpcId]);
    const failed = await until(aws, ['ec2', 'describe-vpc-peering-connections', '--vpc-peering-connection-ids', VpcPeeringConnection.VpcPeeringConnectionId, '--query', 'VpcPeeringConnections[0].Status'], (st) => st.Code === 'failed', 'overlapping peering');
    assert.match(failed.Message, /overlap/i);
  });

  it('launches an instance in a private subnet with the app group', async (t) => {
    if (!need(t, 'priv1', 'app')) return;
    const run = await aws.ok(['ec2', 'run-instances', '--image-id', AMI, '--instance-type', 't3.micro', '--count', '1', '--subnet-id', s.priv1!, '--security-group-ids', s.app!, '--tag-specifications', 'ResourceType=instance,Tags=[{Key=Name,Value=app-1}]']);
    assert.match(run.ReservationId, id('r'));
    assert.equal(run.OwnerId, ACCOUNT);
    const [i] = run.Instances;
    assert.match(i.InstanceId, id('i'));
    assert.deepEqual(i.State, { Code: 0, Name: 'pending' });
    assert.equal(i.SubnetId, s.priv1);
    assert.equal(i.VpcId, s.vpc);
    assert.equal(i.PublicIpAddress, undefined, 'a private subnet gives no public IP');
    const last = ipIn24(i.PrivateIpAddress, '10.0.10.');
    assert.equal(i.PrivateDnsName, `ip-10-0-10-${last}.ec2.internal`);
    assert.deepEqual(i.SecurityGroups, [{ GroupId: s.app, GroupName: 'app' }]);
    assert.match(i.NetworkInterfaces[0].NetworkInterfaceId, id('eni'));
    assert.equal(i.NetworkInterfaces[0].PrivateIpAddress, i.PrivateIpAddress);
    s.instance = i.InstanceId;

    await until(aws, ['ec2', 'describe-instances', '--instance-ids', i.InstanceId, '--query', 'Reservations[0].Instances[0].State.Name'], (st) => st === 'running', 'instance state');
    assert.deepEqual(await aws.ok(['ec2', 'describe-instances', '--filters', `Name=subnet-id,Values=${s.priv1}`, 'Name=tag:Name,Values=app-1', '--query', 'Reservations[].Instances[].InstanceId']), [i.InstanceId]);
    const enis = await aws.ok(['ec2', 'describe-network-interfaces', '--filters', `Name=attachment.instance-id,Values=${i.InstanceId}`, '--query', 'NetworkInterfaces[].[NetworkInterfaceId,PrivateIpAddress,Attachment.DeviceIndex]']);
    assert.deepEqual(enis, [[i.NetworkInterfaces[0].NetworkInterfaceId, i.PrivateIpAddress, 0]]);
    assert.equal(await aws.ok(['ec2', 'describe-subnets', '--subnet-ids', s.priv1!, '--query', 'Subnets[0].AvailableIpAddressCount']), 250);
  });

  it('gives an instance in a public subnet a public IP (MapPublicIpOnLaunch)', async (t) => {
    if (!need(t, 'pub2', 'web')) return;
    const run = await aws.ok(['ec2', 'run-instances', '--image-id', AMI, '--instance-type', 't3.micro', '--subnet-id', s.pub2!, '--security-group-ids', s.web!]);
    const [i] = run.Instances;
    ipIn24(i.PrivateIpAddress, '10.0.1.');
    const described = await until(aws, ['ec2', 'describe-instances', '--instance-ids', i.InstanceId, '--query', 'Reservations[0].Instances[0]'], (x) => x.State.Name === 'running', 'instance state');
    assert.match(described.PublicIpAddress, /^\d+\.\d+\.\d+\.\d+$/);
    const terminated = await aws.ok(['ec2', 'terminate-instances', '--instance-ids', i.InstanceId, '--query', 'TerminatingInstances[0]']);
    assert.deepEqual(terminated.PreviousState, { Code: 16, Name: 'running' });
    assert.ok(['shutting-down', 'terminated'].includes(terminated.CurrentState.Name), terminated.CurrentState.Name);
  });

  it('refuses to delete a VPC that still has dependencies', async (t) => {
    if (!need(t, 'vpc', 'pub1')) return;
    await aws.fails(['ec2', 'delete-vpc', '--vpc-id', s.vpc!], 'DependencyViolation');
  });

  it('answers NotImplemented, naming the operation, for EC2 operations localnet does not emulate', async () => {
    const err = await aws.fails(['ec2', 'describe-vpn-gateways'], 'NotImplemented');
    assert.match(err, /DescribeVpnGateways/);
  });

  it('runs through `localnet aws` with the endpoint and dummy credentials filled in', async (t) => {
    if (!need(t, 'vpc')) return;
    const env: NodeJS.ProcessEnv = { ...dummyAwsEnv(ACCOUNT, REGION), LOCALNET_ENDPOINT: ln.endpoint, LOCALNET_AWS_CLI: AWS_CLI };
    const mine = await localnetCli(['aws', 'ec2', 'describe-vpcs', '--filters', `Name=vpc-id,Values=${s.vpc}`, '--output', 'json'], env);
    assert.equal(mine.code, 0, mine.stderr);
    assert.deepEqual(JSON.parse(mine.stdout).Vpcs.map((v: any) => [v.VpcId, v.OwnerId]), [[s.vpc, ACCOUNT]]);

    // No credentials at all: localnet fills in dummies, which act as the default account, where this VPC does not exist.
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_DEFAULT_REGION']) delete env[k];
    const anon = await localnetCli(['aws', 'ec2', 'describe-vpcs', '--output', 'json', '--query', 'Vpcs[].[CidrBlock,OwnerId]'], env);
    assert.equal(anon.code, 0, anon.stderr);
    assert.deepEqual(JSON.parse(anon.stdout), [['172.31.0.0/16', '000000000000']]);
  });

  it('tears down the peering and the instance', async (t) => {
    if (!need(t, 'pcx', 'instance')) return;
    assert.deepEqual(await aws.ok(['ec2', 'delete-vpc-peering-connection', '--vpc-peering-connection-id', s.pcx!]), { Return: true });
    const st = await aws.ok(['ec2', 'describe-vpc-peering-connections', '--vpc-peering-connection-ids', s.pcx!, '--query', 'VpcPeeringConnections[0].Status.Code']);
    assert.ok(['deleting', 'deleted'].includes(st), st);
    await aws.ok(['ec2', 'terminate-instances', '--instance-ids', s.instance!]);
    await until(aws, ['ec2', 'describe-instances', '--instance-ids', s.instance!, '--query', 'Reservations[0].Instances[0].State.Name'], (x) => x === 'terminated', 'instance state');
  });
});
