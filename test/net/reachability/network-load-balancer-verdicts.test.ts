// The NLB's network verdicts, table-driven over one small VPC: a node
// without security groups filters nothing; client IP preservation makes the
// target judge the client (a reference to the NLB's group still admits it);
// a UDP listener is judged as UDP; PrivateLink traffic meets only the NLB's
// inbound rules, and only while enforcement is on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildNetworkModel } from '../../../src/net/model/model.ts';
import type { NetworkData, REni } from '../../../src/net/model/types.ts';
import type { AclEntryView } from '../../../src/net/network-acls.ts';
import type { SgRuleView } from '../../../src/net/security-groups.ts';
import { nlbListenerVerdict, nlbTargetVerdict, privateLinkVerdict } from '../../../src/net/reachability/network-load-balancer-verdicts.ts';
import { INTERNET } from '../../../src/net/reachability/walk.ts';

const NLB = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/db/0123456789abcdef';
const allowAll = (egress: boolean): AclEntryView[] => [
  { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: egress, CidrBlock: '0.0.0.0/0' },
  { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: egress, CidrBlock: '0.0.0.0/0' },
];
const rule = (id: string, groupId: string, egress: boolean, r: Partial<SgRuleView>): SgRuleView => ({ SecurityGroupRuleId: id, GroupId: groupId, IsEgress: egress, ...r });
const eni = (id: string, subnetId: string, ip: string, groupIds: string[], more: Partial<REni> = {}): REni & { account: string; region: string } => ({
  id, vpcId: 'vpc-1', subnetId, type: 'interface', description: '', privateIps: [ip], publicIps: [], groupIds, sourceDestCheck: true, client: 'linux', account: '000000000000', region: 'us-east-1', ...more,
});

/** An internet-facing NLB in subnet-a (groups `nlbGroups`) in front of i-db (sg-db admits 5432 per `dbRule`). */
function estate(nlbGroups: string[], dbRule: Partial<SgRuleView>): NetworkData {
  return {
    vpcs: [{ id: 'vpc-1', account: '000000000000', region: 'us-east-1', cidrs: ['10.0.0.0/16'], dnsSupport: true, dnsHostnames: true }],
    subnets: [{ id: 'subnet-a', vpcId: 'vpc-1', cidr: '10.0.1.0/24', az: 'us-east-1a' }, { id: 'subnet-app', vpcId: 'vpc-1', cidr: '10.0.10.0/24', az: 'us-east-1a' }],
    routeTables: [
      { id: 'rtb-main', vpcId: 'vpc-1', main: true, subnetIds: [], routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' }] },
      { id: 'rtb-pub', vpcId: 'vpc-1', main: false, subnetIds: ['subnet-a'], routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' }, { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', State: 'active' }] },
    ],
    acls: [{ id: 'acl-default', vpcId: 'vpc-1', isDefault: true, subnetIds: [], entries: [...allowAll(false), ...allowAll(true)] }],
    securityGroups: [
      { id: 'sg-nlb', vpcId: 'vpc-1', name: 'nlb', rules: [
        rule('sgr-nlb-in', 'sg-nlb', false, { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIpv4: '198.51.100.0/24' }),
        rule('sgr-nlb-udp', 'sg-nlb', false, { IpProtocol: 'udp', FromPort: 53, ToPort: 53, CidrIpv4: '0.0.0.0/0' }),
        rule('sgr-nlb-out', 'sg-nlb', true, { IpProtocol: '-1', CidrIpv4: '0.0.0.0/0' }),
      ] },
      { id: 'sg-db', vpcId: 'vpc-1', name: 'db', rules: [rule('sgr-db-in', 'sg-db', false, { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, ...dbRule }), rule('sgr-db-out', 'sg-db', true, { IpProtocol: '-1', CidrIpv4: '0.0.0.0/0' })] },
    ],
    enis: [
      eni('eni-nlb', 'subnet-a', '10.0.1.50', nlbGroups, { client: 'elb', description: 'ELB net/db/0123456789abcdef' }),
      eni('eni-db', 'subnet-app', '10.0.10.5', ['sg-db'], { instanceId: 'i-db' }),
    ],
    instances: [{ id: 'i-db', state: 'running', eniIds: ['eni-db'] }],
    igws: [{ id: 'igw-1', vpcId: 'vpc-1' }],
    nats: [],
    peerings: [],
    loadBalancers: [{ arn: NLB, name: 'db', type: 'network', scheme: 'internet-facing', state: 'active', vpcId: 'vpc-1', subnetIds: ['subnet-a'], zones: ['us-east-1a'], groupIds: nlbGroups, eniIds: ['eni-nlb'], listeners: [], listenerPorts: [5432, 53], account: '000000000000', region: 'us-east-1' }],
    targetGroups: [],
  };
}

describe('NLB verdicts', () => {
  const cases: { name: string; groups: string[]; db: Partial<SgRuleView>; client?: string; allowed: boolean; match?: RegExp }[] = [
    { name: 'node address, target admits the NLB group', groups: ['sg-nlb'], db: { ReferencedGroupInfo: { GroupId: 'sg-nlb' } }, allowed: true },
    { name: 'client preserved, target admits the NLB group (AWS: the reference still works)', groups: ['sg-nlb'], db: { ReferencedGroupInfo: { GroupId: 'sg-nlb' } }, client: INTERNET, allowed: true },
    { name: 'client preserved, target admits only the VPC', groups: ['sg-nlb'], db: { CidrIpv4: '10.0.0.0/16' }, client: INTERNET, allowed: false, match: /preserves client IP addresses.*--cidr 0\.0\.0\.0\/0/ },
    { name: 'node address, target admits the VPC', groups: ['sg-nlb'], db: { CidrIpv4: '10.0.0.0/16' }, allowed: true },
    { name: 'NLB without groups, client preserved, target admits everyone', groups: [], db: { CidrIpv4: '0.0.0.0/0' }, client: INTERNET, allowed: true },
    { name: 'NLB without groups, node address, target admits the NLB subnet', groups: [], db: { CidrIpv4: '10.0.1.0/24' }, allowed: true },
  ];
  for (const c of cases) {
    it(`target: ${c.name}`, () => {
      const v = nlbTargetVerdict(buildNetworkModel(estate(c.groups, c.db)), NLB, 'eni-db', 'tcp', 5432, c.client);
      assert.equal(v.allowed, c.allowed, JSON.stringify(v));
      if (!v.allowed && c.match) assert.match(v.explanation, c.match);
    });
  }

  it('listener: the NLB group admits only 198.51.100.0/24 on TCP 5432, so the internet gets no answer; UDP 53 is open', () => {
    const m = buildNetworkModel(estate(['sg-nlb'], { CidrIpv4: '0.0.0.0/0' }));
    const tcp = nlbListenerVerdict(m, NLB, 'tcp', 5432);
    assert.equal(tcp.allowed, false);
    assert.ok(!tcp.allowed && tcp.component === 'sg-nlb');
    assert.equal(nlbListenerVerdict(m, NLB, 'udp', 53).allowed, true);
    assert.equal(nlbListenerVerdict(m, NLB, 'tcp', 53).allowed, false);
  });

  it('listener: an NLB without security groups admits every client', () => {
    assert.equal(nlbListenerVerdict(buildNetworkModel(estate([], { CidrIpv4: '0.0.0.0/0' })), NLB, 'tcp', 5432).allowed, true);
  });

  it('PrivateLink: the NLB inbound rules judge the endpoint address only while enforcement is on', () => {
    const m = buildNetworkModel(estate(['sg-nlb'], { CidrIpv4: '0.0.0.0/0' }));
    const on = privateLinkVerdict(m, NLB, true, '172.16.0.9', 5432);
    assert.equal(on.allowed, false);
    assert.match(!on.allowed ? on.explanation : '', /PrivateLink traffic.*--enforce-security-group-inbound-rules-on-private-link-traffic off/);
    assert.equal(privateLinkVerdict(m, NLB, false, '172.16.0.9', 5432).allowed, true);
    assert.equal(privateLinkVerdict(m, NLB, true, '198.51.100.4', 5432).allowed, true);
    assert.equal(privateLinkVerdict(buildNetworkModel(estate([], { CidrIpv4: '0.0.0.0/0' })), NLB, true, '172.16.0.9', 5432).allowed, true);
  });
});
