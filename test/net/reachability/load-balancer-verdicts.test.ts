// The load balancer data plane's network verdicts, asked of the engine: the
// cases the retired load-balancer-paths checks covered, now walked by the
// same engine `localnet why` uses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildNetworkModel } from '../../../src/net/model/model.ts';
import type { NetworkData, RAcl, REni } from '../../../src/net/model/types.ts';
import type { AclEntryView } from '../../../src/net/network-acls.ts';
import type { SgRuleView } from '../../../src/net/security-groups.ts';
import { listenerVerdict, targetVerdict } from '../../../src/net/reachability/load-balancer-verdicts.ts';

const allowAll = (egress: boolean): AclEntryView[] => [
  { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: egress, CidrBlock: '0.0.0.0/0' },
  { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: egress, CidrBlock: '0.0.0.0/0' },
];
const star = (egress: boolean): AclEntryView => ({ RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: egress, CidrBlock: '0.0.0.0/0' });
const LB = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/0123456789abcdef';

const eni = (id: string, subnetId: string, ip: string, groupIds: string[], more: Partial<REni> = {}): REni & { account: string; region: string } => ({
  id, vpcId: 'vpc-1', subnetId, type: 'interface', description: '', privateIps: [ip], publicIps: [], groupIds, sourceDestCheck: true, client: 'linux', account: '000000000000', region: 'us-east-1', ...more,
});

function base(): NetworkData {
  const rule = (id: string, groupId: string, egress: boolean, r: Partial<SgRuleView>): SgRuleView => ({ SecurityGroupRuleId: id, GroupId: groupId, IsEgress: egress, ...r });
  return {
    vpcs: [{ id: 'vpc-1', account: '000000000000', region: 'us-east-1', cidrs: ['10.0.0.0/16'], dnsSupport: true, dnsHostnames: true }],
    subnets: [
      { id: 'subnet-a', vpcId: 'vpc-1', cidr: '10.0.1.0/24', az: 'us-east-1a' },
      { id: 'subnet-b', vpcId: 'vpc-1', cidr: '10.0.2.0/24', az: 'us-east-1b' },
      { id: 'subnet-app', vpcId: 'vpc-1', cidr: '10.0.10.0/24', az: 'us-east-1a' },
    ],
    routeTables: [
      { id: 'rtb-main', vpcId: 'vpc-1', main: true, subnetIds: [], routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' }] },
      { id: 'rtb-pub', vpcId: 'vpc-1', main: false, subnetIds: ['subnet-a', 'subnet-b'], routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' }, { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', State: 'active' }] },
    ],
    acls: [{ id: 'acl-default', vpcId: 'vpc-1', isDefault: true, subnetIds: [], entries: [...allowAll(false), ...allowAll(true)] }],
    securityGroups: [
      { id: 'sg-lb', vpcId: 'vpc-1', name: 'lb', rules: [rule('sgr-lb-in', 'sg-lb', false, { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: '0.0.0.0/0' }), rule('sgr-lb-out', 'sg-lb', true, { IpProtocol: '-1', CidrIpv4: '0.0.0.0/0' })] },
      { id: 'sg-app', vpcId: 'vpc-1', name: 'app', rules: [rule('sgr-app-in', 'sg-app', false, { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, ReferencedGroupInfo: { GroupId: 'sg-lb' } }), rule('sgr-app-out', 'sg-app', true, { IpProtocol: '-1', CidrIpv4: '0.0.0.0/0' })] },
    ],
    enis: [
      eni('eni-lba', 'subnet-a', '10.0.1.77', ['sg-lb'], { client: 'elb', description: 'ELB app/web/0123456789abcdef' }),
      eni('eni-lbb', 'subnet-b', '10.0.2.77', ['sg-lb'], { client: 'elb', description: 'ELB app/web/0123456789abcdef' }),
      eni('eni-app', 'subnet-app', '10.0.10.5', ['sg-app'], { instanceId: 'i-app' }),
      eni('eni-same', 'subnet-a', '10.0.1.9', ['sg-app'], { instanceId: 'i-same' }),
    ],
    instances: [{ id: 'i-app', state: 'running', eniIds: ['eni-app'] }, { id: 'i-same', state: 'running', eniIds: ['eni-same'] }],
    igws: [{ id: 'igw-1', vpcId: 'vpc-1' }],
    nats: [],
    peerings: [],
    loadBalancers: [{ arn: LB, name: 'web', type: 'application', scheme: 'internet-facing', state: 'active', vpcId: 'vpc-1', subnetIds: ['subnet-a', 'subnet-b'], zones: ['us-east-1a', 'us-east-1b'], groupIds: ['sg-lb'], eniIds: ['eni-lba', 'eni-lbb'], listeners: [], listenerPorts: [443], account: '000000000000', region: 'us-east-1' }],
    targetGroups: [],
  };
}

type Mutate = (d: NetworkData) => void;
const customAcl = (subnet: string, entries: AclEntryView[]): Mutate => (d) => { d.acls.push({ id: 'acl-custom', vpcId: 'vpc-1', isDefault: false, subnetIds: [subnet], entries } satisfies RAcl); };
const withoutRule = (id: string): Mutate => (d) => { for (const g of d.securityGroups) g.rules = g.rules.filter((r) => r.SecurityGroupRuleId !== id); };
const addRule = (r: SgRuleView): Mutate => (d) => { d.securityGroups.find((g) => g.id === r.GroupId)!.rules.push(r); };

describe('internet -> internet-facing listener (engine verdict)', () => {
  const cases: [string, Mutate, number, string | undefined][] = [
    ['open', () => {}, 443, undefined],
    ['port not allowed by the LB security group', () => {}, 80, 'sg-lb'],
    ['rule only for one office range does not admit the internet', (d) => { withoutRule('sgr-lb-in')(d); addRule({ GroupId: 'sg-lb', IsEgress: false, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: '203.0.113.0/24' })(d); }, 443, 'sg-lb'],
    ['private subnet (no route to an IGW)', (d) => { d.routeTables[1].subnetIds = ['subnet-a']; }, 443, 'rtb-main'],
    ['IGW detached', (d) => { d.igws[0].vpcId = undefined; }, 443, 'vpc-1'],
    ['NACL denies the port in', customAcl('subnet-b', [{ RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: 80, To: 80 } }, star(false), ...allowAll(true)]), 443, 'acl-custom'],
    ['NACL without ephemeral ports out', customAcl('subnet-a', [...allowAll(false), { RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0', PortRange: { From: 443, To: 443 } }, star(true)]), 443, 'acl-custom'],
    ['NACL with ephemeral ports out', customAcl('subnet-a', [...allowAll(false), { RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0', PortRange: { From: 1024, To: 65535 } }, star(true)]), 443, undefined],
  ];
  for (const [name, mutate, port, blockedBy] of cases) {
    it(name, () => {
      const d = base();
      mutate(d);
      const v = listenerVerdict(buildNetworkModel(d), LB, port);
      if (blockedBy === undefined) assert.deepEqual(v, { allowed: true });
      else {
        assert.equal(v.allowed, false);
        if (!v.allowed) {
          assert.equal(v.component.split(',')[0], blockedBy);
          assert.ok(v.explanation.length > 20);
        }
      }
    });
  }
  it('internal load balancers are not checked from the internet', () => {
    const d = base();
    d.loadBalancers[0].scheme = 'internal';
    assert.equal(listenerVerdict(buildNetworkModel(d), LB, 80).allowed, true);
  });
  it('names the rule and the fix', () => {
    const v = listenerVerdict(buildNetworkModel(base()), LB, 80);
    assert.ok(!v.allowed);
    assert.equal(v.code, 'ENI_SG_RULES_MISMATCH');
    assert.match(v.explanation, /the load balancer's security groups \(sg-lb\) have no inbound rule allowing TCP port 80 from 0\.0\.0\.0\/0/);
    assert.match(v.explanation, /authorize-security-group-ingress --group-id sg-lb --protocol tcp --port 80 --cidr 0.0.0.0\/0/);
  });
});

describe('load balancer -> target (engine verdict)', () => {
  const cases: [string, Mutate, number, string | undefined, RegExp?][] = [
    ['allowed by security group reference', () => {}, 80, undefined],
    ['wrong port', () => {}, 8080, 'sg-app', /no inbound rule allowing TCP port 8080 from the load balancer/],
    ['reference removed', withoutRule('sgr-app-in'), 80, 'sg-app'],
    ['allowed by the VPC CIDR instead', (d) => { withoutRule('sgr-app-in')(d); addRule({ GroupId: 'sg-app', IsEgress: false, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIpv4: '10.0.0.0/16' })(d); }, 80, undefined],
    ['CIDR covering only one LB subnet', (d) => { withoutRule('sgr-app-in')(d); addRule({ GroupId: 'sg-app', IsEgress: false, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIpv4: '10.0.1.0/24' })(d); }, 80, 'sg-app'],
    ['the node addresses decide, not the subnets', (d) => { withoutRule('sgr-app-in')(d); addRule({ GroupId: 'sg-app', IsEgress: false, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIpv4: '10.0.1.77/32' })(d); addRule({ GroupId: 'sg-app', IsEgress: false, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIpv4: '10.0.2.77/32' })(d); }, 80, undefined],
    ['LB egress removed', withoutRule('sgr-lb-out'), 80, 'sg-lb'],
    ['target NACL without ephemeral out', customAcl('subnet-app', [...allowAll(false), { RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0', PortRange: { From: 32768, To: 65535 } }, star(true)]), 80, 'acl-custom', /1024-65535/],
    ['target NACL denies the port in', customAcl('subnet-app', [{ RuleNumber: 50, Protocol: '6', RuleAction: 'deny', Egress: false, CidrBlock: '10.0.0.0/16', PortRange: { From: 80, To: 80 } }, ...allowAll(false), ...allowAll(true)]), 80, 'acl-custom', /rule 50 deny/],
    ['no route back (blackhole)', (d) => { d.routeTables.push({ id: 'rtb-app', vpcId: 'vpc-1', main: false, subnetIds: ['subnet-app'], routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' }, { DestinationCidrBlock: '10.0.2.0/24', State: 'blackhole' }] }); }, 80, 'rtb-app'],
  ];
  for (const [name, mutate, port, blockedBy, explain] of cases) {
    it(name, () => {
      const d = base();
      mutate(d);
      const v = targetVerdict(buildNetworkModel(d), LB, 'eni-app', port);
      if (blockedBy === undefined) assert.deepEqual(v, { allowed: true });
      else {
        assert.equal(v.allowed, false, 'expected a block');
        if (!v.allowed) {
          assert.equal(v.component.split(',')[0], blockedBy);
          if (explain) assert.match(v.explanation, explain);
        }
      }
    });
  }
  it('same subnet: NACLs do not apply', () => {
    const d = base();
    customAcl('subnet-a', [star(false), star(true)])(d);
    d.loadBalancers[0].eniIds = ['eni-lba'];
    assert.deepEqual(targetVerdict(buildNetworkModel(d), LB, 'eni-same', 80), { allowed: true });
  });
});
