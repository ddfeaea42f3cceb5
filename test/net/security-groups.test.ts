import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateConnection, evaluateSecurityGroups, protocolNumber, type SgFlow, type SgRuleView } from '../../src/net/security-groups.ts';

// Two groups on one interface: web (HTTPS from anywhere, SSH from the office,
// ping from the VPC, all from the lb group) and a default-style group.
const rules: SgRuleView[] = [
  { SecurityGroupRuleId: 'sgr-https', GroupId: 'sg-web', IsEgress: false, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: '0.0.0.0/0' },
  { SecurityGroupRuleId: 'sgr-https6', GroupId: 'sg-web', IsEgress: false, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv6: '::/0' },
  { SecurityGroupRuleId: 'sgr-ssh', GroupId: 'sg-web', IsEgress: false, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '203.0.113.0/24' },
  { SecurityGroupRuleId: 'sgr-ping', GroupId: 'sg-web', IsEgress: false, IpProtocol: 'icmp', FromPort: 8, ToPort: -1, CidrIpv4: '10.0.0.0/16' },
  { SecurityGroupRuleId: 'sgr-lb', GroupId: 'sg-web', IsEgress: false, IpProtocol: 'tcp', FromPort: 8000, ToPort: 8999, ReferencedGroupInfo: { GroupId: 'sg-lb' } },
  { SecurityGroupRuleId: 'sgr-dns', GroupId: 'sg-web', IsEgress: true, IpProtocol: 'udp', FromPort: 53, ToPort: 53, CidrIpv4: '10.0.0.2/32' },
  { SecurityGroupRuleId: 'sgr-s3', GroupId: 'sg-web', IsEgress: true, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, PrefixListId: 'pl-0123456789abcdef0' },
  { SecurityGroupRuleId: 'sgr-self', GroupId: 'sg-default', IsEgress: false, IpProtocol: '-1', FromPort: -1, ToPort: -1, ReferencedGroupInfo: { GroupId: 'sg-default' } },
  { SecurityGroupRuleId: 'sgr-esp', GroupId: 'sg-default', IsEgress: false, IpProtocol: '50', FromPort: -1, ToPort: -1, CidrIpv4: '198.51.100.7/32' },
];

const prefixLists = { 'pl-0123456789abcdef0': ['52.216.0.0/15'] };

describe('security group evaluation', () => {
  const cases: { name: string; flow: SgFlow; rule?: string }[] = [
    { name: 'HTTPS from the internet', flow: { direction: 'ingress', protocol: 'tcp', port: 443, peer: { ip: '198.51.100.1' } }, rule: 'sgr-https' },
    { name: 'HTTPS over IPv6 (protocol by number)', flow: { direction: 'ingress', protocol: 6, port: 443, peer: { ip: '2001:db8::1' } }, rule: 'sgr-https6' },
    { name: 'SSH from the office', flow: { direction: 'ingress', protocol: 'tcp', port: 22, peer: { ip: '203.0.113.77' } }, rule: 'sgr-ssh' },
    { name: 'SSH from elsewhere', flow: { direction: 'ingress', protocol: 'tcp', port: 22, peer: { ip: '198.51.100.1' } } },
    { name: 'UDP on an allowed TCP port', flow: { direction: 'ingress', protocol: 'udp', port: 443, peer: { ip: '198.51.100.1' } } },
    { name: 'port just outside a range', flow: { direction: 'ingress', protocol: 'tcp', port: 9000, peer: { ip: '10.0.5.5', groupIds: ['sg-lb'] } } },
    { name: 'echo request from the VPC', flow: { direction: 'ingress', protocol: 'icmp', icmp: { type: 8, code: 0 }, peer: { ip: '10.0.3.3' } }, rule: 'sgr-ping' },
    { name: 'other ICMP type from the VPC', flow: { direction: 'ingress', protocol: 'icmp', icmp: { type: 13, code: 0 }, peer: { ip: '10.0.3.3' } } },
    { name: 'load balancer by group membership (private IP)', flow: { direction: 'ingress', protocol: 'tcp', port: 8080, peer: { ip: '10.0.9.9', groupIds: ['sg-lb'] } }, rule: 'sgr-lb' },
    { name: 'same group member via its public IP: group rules do not apply', flow: { direction: 'ingress', protocol: 'tcp', port: 8080, peer: { ip: '54.1.2.3', groupIds: ['sg-lb'], viaPrivateIp: false } } },
    { name: 'a peer without the referenced group', flow: { direction: 'ingress', protocol: 'tcp', port: 8080, peer: { ip: '10.0.9.9', groupIds: ['sg-other'] } } },
    { name: 'self reference admits any protocol from members', flow: { direction: 'ingress', protocol: 'udp', port: 5000, peer: { ip: '10.0.1.1', groupIds: ['sg-default'] } }, rule: 'sgr-self' },
    { name: 'protocol 50 from its peer', flow: { direction: 'ingress', protocol: 50, peer: { ip: '198.51.100.7' } }, rule: 'sgr-esp' },
    { name: 'DNS out to the resolver', flow: { direction: 'egress', protocol: 'udp', port: 53, peer: { ip: '10.0.0.2' } }, rule: 'sgr-dns' },
    { name: 'DNS out elsewhere', flow: { direction: 'egress', protocol: 'udp', port: 53, peer: { ip: '8.8.8.8' } } },
    { name: 'HTTPS to a prefix list address', flow: { direction: 'egress', protocol: 'tcp', port: 443, peer: { ip: '52.217.1.1' }, prefixLists }, rule: 'sgr-s3' },
    { name: 'ingress rules never judge egress', flow: { direction: 'egress', protocol: 'tcp', port: 443, peer: { ip: '198.51.100.1' } } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = evaluateSecurityGroups(rules, c.flow);
      if (c.rule) {
        assert.equal(d.allowed, true, JSON.stringify(d));
        assert.equal(d.allowed && d.rule.SecurityGroupRuleId, c.rule);
      } else {
        assert.equal(d.allowed, false);
        assert.match(!d.allowed ? d.reason : '', /^no (inbound|outbound) rule/);
      }
    });
  }

  it('is stateful: a connection needs the client egress and the server ingress, nothing for replies', () => {
    const client = { ip: '10.0.1.10', groupIds: ['sg-app'], rules: [{ GroupId: 'sg-app', IsEgress: true, IpProtocol: '-1', CidrIpv4: '0.0.0.0/0' }] };
    const server = { ip: '10.0.2.20', groupIds: ['sg-db'], rules: [{ GroupId: 'sg-db', IsEgress: false, IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, ReferencedGroupInfo: { GroupId: 'sg-app' } }] };
    const ok = evaluateConnection(client, server, { protocol: 'tcp', port: 5432 });
    assert.equal(ok.allowed, true);
    // The server has no egress rule at all; its replies still flow.
    assert.equal(server.rules.some((r) => r.IsEgress), false);
    const wrongPort = evaluateConnection(client, server, { protocol: 'tcp', port: 5433 });
    assert.equal(wrongPort.allowed, false);
    assert.equal(wrongPort.egress.allowed, true);
    assert.equal(wrongPort.ingress.allowed, false);
    const noEgress = evaluateConnection({ ...client, rules: [] }, server, { protocol: 'tcp', port: 5432 });
    assert.deepEqual([noEgress.allowed, noEgress.egress.allowed, noEgress.ingress.allowed], [false, false, true]);
    const publicPath = evaluateConnection(client, server, { protocol: 'tcp', port: 5432, viaPrivateIp: false });
    assert.equal(publicPath.ingress.allowed, false);
  });

  it('names protocols as the APIs do', () => {
    const table: [string | number, number | undefined][] = [['tcp', 6], ['TCP', 6], ['udp', 17], ['icmp', 1], ['icmpv6', 58], ['-1', -1], ['6', 6], [50, 50], ['255', 255], ['256', undefined], ['all', undefined], ['', undefined]];
    for (const [input, want] of table) assert.equal(protocolNumber(input), want, String(input));
  });
});
