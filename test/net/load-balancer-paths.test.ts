import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkInternetToListener, checkLoadBalancerToTarget, type VpcData, type LoadBalancerView, type TargetView } from '../../src/net/load-balancer-paths.ts';
import type { AclEntryView } from '../../src/net/network-acls.ts';
import type { SgRuleView } from '../../src/net/security-groups.ts';

const allowAll = (egress: boolean): AclEntryView[] => [
  { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: egress, CidrBlock: '0.0.0.0/0' },
  { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: egress, CidrBlock: '0.0.0.0/0' },
];
const star = (egress: boolean): AclEntryView => ({ RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: egress, CidrBlock: '0.0.0.0/0' });

function base(): VpcData {
  return {
    subnets: [
      { SubnetId: 'subnet-a', VpcId: 'vpc-1', CidrBlock: '10.0.1.0/24' },
      { SubnetId: 'subnet-b', VpcId: 'vpc-1', CidrBlock: '10.0.2.0/24' },
      { SubnetId: 'subnet-app', VpcId: 'vpc-1', CidrBlock: '10.0.10.0/24' },
    ],
    routeTables: [
      { RouteTableId: 'rtb-main', VpcId: 'vpc-1', Associations: [{ Main: true }], Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' }] },
      { RouteTableId: 'rtb-pub', VpcId: 'vpc-1', Associations: [{ SubnetId: 'subnet-a' }, { SubnetId: 'subnet-b' }], Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' }, { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', State: 'active' }] },
    ],
    networkAcls: [{ NetworkAclId: 'acl-default', VpcId: 'vpc-1', IsDefault: true, Associations: [], Entries: [...allowAll(false), ...allowAll(true)] }],
    sgRules: [
      { SecurityGroupRuleId: 'sgr-lb-in', GroupId: 'sg-lb', IsEgress: false, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: '0.0.0.0/0' },
      { SecurityGroupRuleId: 'sgr-lb-out', GroupId: 'sg-lb', IsEgress: true, IpProtocol: '-1', CidrIpv4: '0.0.0.0/0' },
      { SecurityGroupRuleId: 'sgr-app-in', GroupId: 'sg-app', IsEgress: false, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, ReferencedGroupInfo: { GroupId: 'sg-lb' } },
      { SecurityGroupRuleId: 'sgr-app-out', GroupId: 'sg-app', IsEgress: true, IpProtocol: '-1', CidrIpv4: '0.0.0.0/0' },
    ],
    internetGateways: [{ InternetGatewayId: 'igw-1', Attachments: [{ VpcId: 'vpc-1', State: 'available' }] }],
  };
}
const lb: LoadBalancerView = { VpcId: 'vpc-1', Scheme: 'internet-facing', SubnetIds: ['subnet-a', 'subnet-b'], SecurityGroups: ['sg-lb'] };
const target: TargetView = { ip: '10.0.10.5', subnetId: 'subnet-app', groupIds: ['sg-app'] };

type Mutate = (d: VpcData) => void;
const customAcl = (subnet: string, entries: AclEntryView[]): Mutate => (d) => d.networkAcls.push({ NetworkAclId: 'acl-custom', VpcId: 'vpc-1', Associations: [{ SubnetId: subnet }], Entries: entries });
const withoutRule = (id: string): Mutate => (d) => { d.sgRules = d.sgRules.filter((r) => r.SecurityGroupRuleId !== id); };
const addRule = (r: SgRuleView): Mutate => (d) => { d.sgRules.push(r); };

describe('internet -> internet-facing listener', () => {
  const cases: [string, Mutate, number, string | undefined][] = [
    ['open', () => {}, 443, undefined],
    ['port not allowed by the LB security group', () => {}, 80, 'sg-lb'],
    ['rule only for one office range does not admit the internet', (d) => { withoutRule('sgr-lb-in')(d); addRule({ GroupId: 'sg-lb', IsEgress: false, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: '203.0.113.0/24' })(d); }, 443, 'sg-lb'],
    ['private subnet (no route to an IGW)', (d) => { d.routeTables[1].Associations = [{ SubnetId: 'subnet-a' }]; }, 443, 'rtb-main'],
    ['IGW detached', (d) => { d.internetGateways[0].Attachments = []; }, 443, 'rtb-pub'],
    ['NACL denies the port in', customAcl('subnet-b', [{ RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: 80, To: 80 } }, star(false), ...allowAll(true)]), 443, 'acl-custom'],
    ['NACL without ephemeral ports out', customAcl('subnet-a', [...allowAll(false), { RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0', PortRange: { From: 443, To: 443 } }, star(true)]), 443, 'acl-custom'],
    ['NACL with ephemeral ports out', customAcl('subnet-a', [...allowAll(false), { RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0', PortRange: { From: 1024, To: 65535 } }, star(true)]), 443, undefined],
  ];
  for (const [name, mutate, port, blockedBy] of cases) {
    it(name, () => {
      const d = base();
      mutate(d);
      const v = checkInternetToListener(d, lb, port);
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
  it('internal load balancers are not checked from the internet', () => assert.equal(checkInternetToListener(base(), { ...lb, Scheme: 'internal' }, 80).allowed, true));
  it('names the fix', () => {
    const v = checkInternetToListener(base(), lb, 80);
    assert.ok(!v.allowed && /authorize-security-group-ingress --group-id sg-lb --protocol tcp --port 80 --cidr 0.0.0.0\/0/.test(v.explanation));
  });
});

describe('load balancer -> target', () => {
  const cases: [string, Mutate, number, string | undefined, RegExp?][] = [
    ['allowed by security group reference', () => {}, 80, undefined],
    ['wrong port', () => {}, 8080, 'sg-app', /no inbound rule allowing TCP port 8080 from the load balancer/],
    ['reference removed', withoutRule('sgr-app-in'), 80, 'sg-app'],
    ['allowed by the VPC CIDR instead', (d) => { withoutRule('sgr-app-in')(d); addRule({ GroupId: 'sg-app', IsEgress: false, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIpv4: '10.0.0.0/16' })(d); }, 80, undefined],
    ['CIDR covering only one LB subnet', (d) => { withoutRule('sgr-app-in')(d); addRule({ GroupId: 'sg-app', IsEgress: false, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIpv4: '10.0.1.0/24' })(d); }, 80, 'sg-app'],
    ['LB egress removed', withoutRule('sgr-lb-out'), 80, 'sg-lb'],
    ['target NACL without ephemeral out', customAcl('subnet-app', [...allowAll(false), { RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0', PortRange: { From: 32768, To: 65535 } }, star(true)]), 80, 'acl-custom', /1024-65535/],
    ['target NACL denies the port in', customAcl('subnet-app', [{ RuleNumber: 50, Protocol: '6', RuleAction: 'deny', Egress: false, CidrBlock: '10.0.0.0/16', PortRange: { From: 80, To: 80 } }, ...allowAll(false), ...allowAll(true)]), 80, 'acl-custom', /inbound rule 50 \(deny\)/],
    ['same subnet: NACLs do not apply', (d) => { customAcl('subnet-a', [star(false), star(true)])(d); }, 80, undefined],
    ['no route back (blackhole)', (d) => { d.routeTables.push({ RouteTableId: 'rtb-app', VpcId: 'vpc-1', Associations: [{ SubnetId: 'subnet-app' }], Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' }, { DestinationCidrBlock: '10.0.2.0/24', State: 'blackhole' }] }); }, 80, 'rtb-app'],
  ];
  for (const [name, mutate, port, blockedBy, explain] of cases) {
    it(name, () => {
      const d = base();
      mutate(d);
      const t = name.startsWith('same subnet') ? { ...target, ip: '10.0.1.9', subnetId: 'subnet-a' } : target;
      const l = name.startsWith('same subnet') ? { ...lb, SubnetIds: ['subnet-a'] } : lb;
      const v = checkLoadBalancerToTarget(d, l, t, port);
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
  it('uses the load balancer interface address when known', () => {
    const d = base();
    withoutRule('sgr-app-in')(d);
    addRule({ GroupId: 'sg-app', IsEgress: false, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIpv4: '10.0.1.77/32' })(d);
    addRule({ GroupId: 'sg-app', IsEgress: false, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIpv4: '10.0.2.77/32' })(d);
    assert.equal(checkLoadBalancerToTarget(d, lb, target, 80).allowed, false);
    assert.equal(checkLoadBalancerToTarget(d, { ...lb, addressBySubnet: { 'subnet-a': '10.0.1.77', 'subnet-b': '10.0.2.77' } }, target, 80).allowed, true);
  });
});
