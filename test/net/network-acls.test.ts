import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ephemeralPorts, evaluateNetworkAcl, evaluatePortRange, type AclEntryView, type AclPacket } from '../../src/net/network-acls.ts';

// A public web subnet's ACL: HTTPS in, SSH in from the office only (a deny
// for one bad host first), replies out to Linux ephemeral ports only.
const web: AclEntryView[] = [
  { RuleNumber: 90, Protocol: '6', RuleAction: 'deny', Egress: false, CidrBlock: '203.0.113.66/32', PortRange: { From: 22, To: 22 } },
  { RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: 443, To: 443 } },
  { RuleNumber: 110, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '203.0.113.0/24', PortRange: { From: 22, To: 22 } },
  { RuleNumber: 120, Protocol: '1', RuleAction: 'allow', Egress: false, CidrBlock: '10.0.0.0/16', IcmpTypeCode: { Type: 8, Code: -1 } },
  { RuleNumber: 130, Protocol: '6', RuleAction: 'allow', Egress: false, Ipv6CidrBlock: '::/0', PortRange: { From: 443, To: 443 } },
  { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0' },
  { RuleNumber: 32768, Protocol: '-1', RuleAction: 'deny', Egress: false, Ipv6CidrBlock: '::/0' },
  { RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0', PortRange: { From: 32768, To: 60999 } },
  { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: true, CidrBlock: '0.0.0.0/0' },
];

describe('network ACL evaluation', () => {
  const cases: { name: string; packet: AclPacket; action: 'allow' | 'deny'; rule?: number }[] = [
    { name: 'HTTPS in', packet: { direction: 'ingress', protocol: 'tcp', port: 443, remoteIp: '198.51.100.1' }, action: 'allow', rule: 100 },
    { name: 'HTTP in falls to the * rule', packet: { direction: 'ingress', protocol: 'tcp', port: 80, remoteIp: '198.51.100.1' }, action: 'deny', rule: 32767 },
    { name: 'SSH from the office', packet: { direction: 'ingress', protocol: 6, port: 22, remoteIp: '203.0.113.5' }, action: 'allow', rule: 110 },
    { name: 'a lower-numbered deny wins over a later allow', packet: { direction: 'ingress', protocol: 'tcp', port: 22, remoteIp: '203.0.113.66' }, action: 'deny', rule: 90 },
    { name: 'ping from the VPC', packet: { direction: 'ingress', protocol: 'icmp', icmp: { type: 8, code: 0 }, remoteIp: '10.0.1.1' }, action: 'allow', rule: 120 },
    { name: 'other ICMP from the VPC', packet: { direction: 'ingress', protocol: 'icmp', icmp: { type: 0, code: 0 }, remoteIp: '10.0.1.1' }, action: 'deny', rule: 32767 },
    { name: 'HTTPS over IPv6', packet: { direction: 'ingress', protocol: 'tcp', port: 443, remoteIp: '2001:db8::5' }, action: 'allow', rule: 130 },
    { name: 'IPv6 falls to its own * rule', packet: { direction: 'ingress', protocol: 'udp', port: 53, remoteIp: '2001:db8::5' }, action: 'deny', rule: 32768 },
    { name: 'reply out to a Linux ephemeral port', packet: { direction: 'egress', protocol: 'tcp', port: 40000, remoteIp: '198.51.100.1' }, action: 'allow', rule: 100 },
    { name: 'reply out to a Windows port above 60999', packet: { direction: 'egress', protocol: 'tcp', port: 64000, remoteIp: '198.51.100.1' }, action: 'deny', rule: 32767 },
    { name: 'UDP out is not covered by a TCP rule', packet: { direction: 'egress', protocol: 'udp', port: 40000, remoteIp: '198.51.100.1' }, action: 'deny', rule: 32767 },
    { name: 'egress with no IPv6 entries at all', packet: { direction: 'egress', protocol: 'tcp', port: 40000, remoteIp: '2001:db8::5' }, action: 'deny' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = evaluateNetworkAcl(web, c.packet);
      assert.equal(d.action, c.action);
      assert.equal(d.entry?.RuleNumber, c.rule);
    });
  }

  it('allows everything with a -1 rule, whatever ports it carries', () => {
    const open: AclEntryView[] = [{ RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: 1, To: 1 } }];
    assert.equal(evaluateNetworkAcl(open, { direction: 'ingress', protocol: 'udp', port: 9999, remoteIp: '1.2.3.4' }).action, 'allow');
  });

  it('names the ephemeral ranges of Linux, Windows and ELB/NAT clients', () => {
    assert.deepEqual(ephemeralPorts('linux'), { from: 32768, to: 60999 });
    assert.deepEqual(ephemeralPorts('windows'), { from: 49152, to: 65535 });
    assert.deepEqual(ephemeralPorts('elb'), { from: 1024, to: 65535 });
    assert.deepEqual(ephemeralPorts('natGateway'), { from: 1024, to: 65535 });
  });

  // Stateless: the replies of an allowed request are judged on their own.
  const returnCases: { name: string; client: 'linux' | 'windows' | 'elb'; allowed: boolean; port?: number }[] = [
    { name: 'replies to a Linux client pass', client: 'linux', allowed: true },
    { name: 'replies to a Windows client stop above 60999', client: 'windows', allowed: false, port: 61000 },
    { name: 'replies to a load balancer stop below 32768', client: 'elb', allowed: false, port: 1024 },
  ];
  for (const c of returnCases) {
    it(c.name, () => {
      const request = evaluateNetworkAcl(web, { direction: 'ingress', protocol: 'tcp', port: 443, remoteIp: '198.51.100.1' });
      assert.equal(request.action, 'allow');
      const replies = evaluatePortRange(web, { direction: 'egress', protocol: 'tcp', remoteIp: '198.51.100.1' }, ephemeralPorts(c.client));
      assert.equal(replies.allowed, c.allowed);
      if (!replies.allowed) {
        assert.equal(replies.port, c.port);
        assert.equal(replies.entry?.RuleNumber, 32767);
      }
    });
  }

  it('finds a deny in the middle of a range', () => {
    const holes: AclEntryView[] = [
      { RuleNumber: 10, Protocol: '6', RuleAction: 'deny', Egress: true, CidrBlock: '0.0.0.0/0', PortRange: { From: 50000, To: 50010 } },
      { RuleNumber: 20, Protocol: '6', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0', PortRange: { From: 1024, To: 65535 } },
      { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: true, CidrBlock: '0.0.0.0/0' },
    ];
    const r = evaluatePortRange(holes, { direction: 'egress', protocol: 'tcp', remoteIp: '10.0.0.1' }, ephemeralPorts('linux'));
    assert.deepEqual(r.allowed ? undefined : [r.port, r.entry?.RuleNumber], [50000, 10]);
    const ok = evaluatePortRange(holes, { direction: 'egress', protocol: 'tcp', remoteIp: '10.0.0.1' }, { from: 50011, to: 60999 });
    assert.equal(ok.allowed, true);
  });
});
