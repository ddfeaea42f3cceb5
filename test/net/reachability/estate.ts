// A small estate builder for engine tests: two peered VPCs with a public and
// a private subnet, a NAT gateway, a web and an app server and a database,
// built as plain snapshot data (no store, no API). Each test changes what it
// needs on a fresh copy.
import type { AclEntryView } from '../../../src/net/network-acls.ts';
import type { SgRuleView } from '../../../src/net/security-groups.ts';
import type { NetworkData, REni, RRoute } from '../../../src/net/model/types.ts';

export const allowAll = (): AclEntryView[] => [
  { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0' },
  { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0' },
  { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0' },
  { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: true, CidrBlock: '0.0.0.0/0' },
];

export const tcpIn = (group: string, port: number, peer: Partial<SgRuleView>, id = `sgr-${group}-${port}`): SgRuleView => ({ SecurityGroupRuleId: id, GroupId: group, IsEgress: false, IpProtocol: 'tcp', FromPort: port, ToPort: port, ...peer });
export const allOut = (group: string): SgRuleView => ({ SecurityGroupRuleId: `sgr-${group}-out`, GroupId: group, IsEgress: true, IpProtocol: '-1', FromPort: -1, ToPort: -1, CidrIpv4: '0.0.0.0/0' });

const local = (cidr: string): RRoute => ({ DestinationCidrBlock: cidr, GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' });

function eni(id: string, vpcId: string, subnetId: string, ip: string, groupIds: string[], extra: Partial<REni> = {}): NetworkData['enis'][number] {
  return { id, vpcId, subnetId, type: 'interface', description: '', privateIps: [ip], publicIps: [], groupIds, sourceDestCheck: true, client: 'linux', account: '000000000000', region: 'us-east-1', ...extra };
}

export function baseEstate(): NetworkData {
  return {
    vpcs: [
      { id: 'vpc-a', account: '000000000000', region: 'us-east-1', cidrs: ['10.0.0.0/16'], dnsSupport: true, dnsHostnames: true },
      { id: 'vpc-b', account: '000000000000', region: 'us-east-1', cidrs: ['10.1.0.0/16'], dnsSupport: true, dnsHostnames: true },
    ],
    subnets: [
      { id: 'subnet-pub', vpcId: 'vpc-a', cidr: '10.0.0.0/24', az: 'us-east-1a' },
      { id: 'subnet-priv', vpcId: 'vpc-a', cidr: '10.0.1.0/24', az: 'us-east-1a' },
      { id: 'subnet-b', vpcId: 'vpc-b', cidr: '10.1.0.0/24', az: 'us-east-1a' },
    ],
    routeTables: [
      { id: 'rtb-a-main', vpcId: 'vpc-a', main: true, subnetIds: [], routes: [local('10.0.0.0/16')] },
      { id: 'rtb-pub', vpcId: 'vpc-a', main: false, subnetIds: ['subnet-pub'], routes: [local('10.0.0.0/16'), { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-a', Origin: 'CreateRoute', State: 'active' }] },
      { id: 'rtb-priv', vpcId: 'vpc-a', main: false, subnetIds: ['subnet-priv'], routes: [
        local('10.0.0.0/16'),
        { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-a', Origin: 'CreateRoute', State: 'active' },
        { DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: 'pcx-ab', Origin: 'CreateRoute', State: 'active' },
      ] },
      { id: 'rtb-b', vpcId: 'vpc-b', main: true, subnetIds: [], routes: [local('10.1.0.0/16'), { DestinationCidrBlock: '10.0.0.0/16', VpcPeeringConnectionId: 'pcx-ab', Origin: 'CreateRoute', State: 'active' }] },
    ],
    acls: [
      { id: 'acl-a', vpcId: 'vpc-a', isDefault: true, subnetIds: ['subnet-pub', 'subnet-priv'], entries: allowAll() },
      { id: 'acl-b', vpcId: 'vpc-b', isDefault: true, subnetIds: ['subnet-b'], entries: allowAll() },
    ],
    securityGroups: [
      { id: 'sg-web', vpcId: 'vpc-a', name: 'web', rules: [tcpIn('sg-web', 443, { CidrIpv4: '0.0.0.0/0' }), allOut('sg-web')] },
      { id: 'sg-app', vpcId: 'vpc-a', name: 'app', rules: [tcpIn('sg-app', 8080, { ReferencedGroupInfo: { GroupId: 'sg-web' } }), allOut('sg-app')] },
      { id: 'sg-db', vpcId: 'vpc-b', name: 'db', rules: [tcpIn('sg-db', 5432, { CidrIpv4: '10.0.0.0/16' }), allOut('sg-db')] },
      { id: 'sg-empty', vpcId: 'vpc-a', name: 'empty', rules: [] },
    ],
    enis: [
      eni('eni-web', 'vpc-a', 'subnet-pub', '10.0.0.5', ['sg-web'], { publicIps: [{ publicIp: '54.0.0.5', privateIp: '10.0.0.5', elastic: true }], instanceId: 'i-web' }),
      eni('eni-nat', 'vpc-a', 'subnet-pub', '10.0.0.10', [], { type: 'nat_gateway', publicIps: [{ publicIp: '54.0.0.10', privateIp: '10.0.0.10', elastic: true }], client: 'natGateway' }),
      eni('eni-app', 'vpc-a', 'subnet-priv', '10.0.1.5', ['sg-app'], { instanceId: 'i-app' }),
      eni('eni-db', 'vpc-b', 'subnet-b', '10.1.0.5', ['sg-db']),
    ],
    instances: [
      { id: 'i-web', state: 'running', eniIds: ['eni-web'] },
      { id: 'i-app', state: 'running', eniIds: ['eni-app'] },
    ],
    igws: [{ id: 'igw-a', vpcId: 'vpc-a' }],
    nats: [{ id: 'nat-a', vpcId: 'vpc-a', subnetId: 'subnet-pub', state: 'available', connectivity: 'public', eniId: 'eni-nat' }],
    peerings: [{ id: 'pcx-ab', state: 'active', requester: { vpcId: 'vpc-a', cidrs: ['10.0.0.0/16'], region: 'us-east-1' }, accepter: { vpcId: 'vpc-b', cidrs: ['10.1.0.0/16'], region: 'us-east-1' } }],
    loadBalancers: [],
    targetGroups: [],
  };
}

export { eni as makeEni };

export function table(d: NetworkData, id: string) {
  return d.routeTables.find((t) => t.id === id)!;
}
export function group(d: NetworkData, id: string) {
  return d.securityGroups.find((g) => g.id === id)!;
}
