// The seed estate built through the real EC2 and Route 53 APIs (SDK against a
// test localnet), shared by the Network Insights and `localnet why` end-to-end
// tests: vpc-a (10.0.0.0/16) with a public subnet (IGW route, web server with
// an Elastic IP, a NAT gateway) and a private subnet (app server, route to the
// NAT), vpc-b (10.1.0.0/16) peered with vpc-a (db server), and a private zone
// internal.example associated with vpc-a only. Each seed breaks one thing.
import {
  AcceptVpcPeeringConnectionCommand, AllocateAddressCommand, AssociateAddressCommand, AssociateRouteTableCommand, AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand, CreateInternetGatewayCommand, CreateNatGatewayCommand, CreateRouteCommand, CreateRouteTableCommand,
  CreateNetworkAclCommand, CreateNetworkAclEntryCommand, CreateSecurityGroupCommand, CreateSubnetCommand, DescribeNetworkAclsCommand, ReplaceNetworkAclAssociationCommand, CreateVpcCommand, CreateVpcPeeringConnectionCommand, EC2Client, ModifyVpcAttributeCommand, RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';

export interface Estate {
  vpcA: string; vpcB: string; pub: string; priv: string; subnetB: string;
  rtbPub: string; rtbPriv: string; rtbB: string; igw: string; nat: string; pcx: string;
  sgWeb: string; sgApp: string; sgDb: string;
  web: string; app: string; db: string; dbIp: string; appIp: string; webIp: string;
  zoneId: string;
}

const AMI = 'ami-0abcdef1234567890';

export async function buildEstate(ec2: EC2Client, r53: Route53Client): Promise<Estate> {
  const vpc = async (cidr: string) => {
    const id = (await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: id, EnableDnsHostnames: { Value: true } }));
    return id;
  };
  const subnet = async (vpcId: string, cidr: string) => (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
  const table = async (vpcId: string, subnetId: string) => {
    const id = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    await ec2.send(new AssociateRouteTableCommand({ RouteTableId: id, SubnetId: subnetId }));
    return id;
  };
  const group = async (vpcId: string, name: string, port: number, from: { CidrIp?: string; GroupId?: string }) => {
    const id = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: name, Description: name }))).GroupId!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({
      GroupId: id,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: port, ToPort: port, ...(from.CidrIp ? { IpRanges: [{ CidrIp: from.CidrIp }] } : { UserIdGroupPairs: [{ GroupId: from.GroupId }] }) }],
    }));
    return id;
  };
  const instance = async (subnetId: string, groupId: string) => {
    const i = (await ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, SubnetId: subnetId, SecurityGroupIds: [groupId] }))).Instances![0];
    return { id: i.InstanceId!, ip: i.PrivateIpAddress! };
  };

  const vpcA = await vpc('10.0.0.0/16');
  const vpcB = await vpc('10.1.0.0/16');
  const pub = await subnet(vpcA, '10.0.0.0/24');
  const priv = await subnet(vpcA, '10.0.1.0/24');
  const subnetB = await subnet(vpcB, '10.1.0.0/24');
  const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcA }));
  const rtbPub = await table(vpcA, pub);
  await ec2.send(new CreateRouteCommand({ RouteTableId: rtbPub, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
  const natEip = (await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }))).AllocationId!;
  const nat = (await ec2.send(new CreateNatGatewayCommand({ SubnetId: pub, AllocationId: natEip }))).NatGateway!.NatGatewayId!;
  const rtbPriv = await table(vpcA, priv);
  await ec2.send(new CreateRouteCommand({ RouteTableId: rtbPriv, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat }));
  const pcx = (await ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: vpcA, PeerVpcId: vpcB }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
  await ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx }));
  await ec2.send(new CreateRouteCommand({ RouteTableId: rtbPriv, DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: pcx }));
  const rtbB = await table(vpcB, subnetB);
  await ec2.send(new CreateRouteCommand({ RouteTableId: rtbB, DestinationCidrBlock: '10.0.0.0/16', VpcPeeringConnectionId: pcx }));

  const sgWeb = await group(vpcA, 'web', 443, { CidrIp: '0.0.0.0/0' });
  const sgApp = await group(vpcA, 'app', 8080, { GroupId: sgWeb });
  const sgDb = await group(vpcB, 'db', 5432, { CidrIp: '10.0.0.0/16' });
  const web = await instance(pub, sgWeb);
  const webEip = (await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }))).AllocationId!;
  await ec2.send(new AssociateAddressCommand({ AllocationId: webEip, InstanceId: web.id }));
  const app = await instance(priv, sgApp);
  const db = await instance(subnetB, sgDb);

  const zone = await r53.send(new CreateHostedZoneCommand({ Name: 'internal.example', CallerReference: `ref-${Date.now()}-${Math.random()}`, VPC: { VPCId: vpcA, VPCRegion: 'us-east-1' }, HostedZoneConfig: { PrivateZone: true } }));
  const zoneId = zone.HostedZone!.Id!.replace('/hostedzone/', '');
  await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'db.internal.example', Type: 'A', TTL: 60, ResourceRecords: [{ Value: db.ip }] } }] } }));

  return { vpcA, vpcB, pub, priv, subnetB, rtbPub, rtbPriv, rtbB, igw, nat, pcx, sgWeb, sgApp, sgDb, web: web.id, app: app.id, db: db.id, dbIp: db.ip, appIp: app.ip, webIp: web.ip, zoneId };
}

/**
 * The NACL seed: a new ACL allowing only tcp 443 in and out, put on the public
 * subnet, so requests to the web server pass and its replies on the client's
 * ephemeral ports are dropped. Returns the ACL id.
 */
export async function onlyHttpsNacl(ec2: EC2Client, e: Estate): Promise<string> {
  const acl = (await ec2.send(new CreateNetworkAclCommand({ VpcId: e.vpcA }))).NetworkAcl!.NetworkAclId!;
  for (const Egress of [false, true]) {
    await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress, CidrBlock: '0.0.0.0/0', PortRange: { From: 443, To: 443 } }));
  }
  const { NetworkAcls } = await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [e.pub] }] }));
  const assoc = NetworkAcls![0].Associations!.find((x) => x.SubnetId === e.pub)!.NetworkAclAssociationId!;
  await ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc, NetworkAclId: acl }));
  return acl;
}
