// The engine, table-driven: each case changes the base estate (estate.ts),
// analyses one path and checks whether a path was found, which explanation
// code blocks it on which path, and what the fix says. Every explanation code
// the engine emits appears here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, type Query } from '../../../src/net/reachability/analyze.ts';
import { buildNetworkModel } from '../../../src/net/model/model.ts';
import type { NetworkData } from '../../../src/net/model/types.ts';
import { allOut, baseEstate, group, makeEni, table, tcpIn } from './estate.ts';

interface Case {
  name: string;
  change?: (d: NetworkData) => void;
  query: Query;
  found: boolean;
  code?: string;
  path?: 'forward' | 'return';
  direction?: 'ingress' | 'egress';
  fix?: RegExp;
  message?: RegExp;
  /** Kinds that must appear, in order, on the forward path. */
  forwardKinds?: string[];
  returnKinds?: string[];
}

const app = { kind: 'instance', id: 'i-app' } as const;
const web = { kind: 'instance', id: 'i-web' } as const;
const db = { kind: 'eni', id: 'eni-db' } as const;
const internet = { kind: 'internet' } as const;
const tcp = (port: number) => ({ protocol: 'tcp' as const, port });

const customAcl = (d: NetworkData, subnet: string, entries: NetworkData['acls'][number]['entries']) => {
  for (const a of d.acls) a.subnetIds = a.subnetIds.filter((s) => s !== subnet);
  d.acls.push({ id: 'acl-custom', vpcId: d.subnets.find((s) => s.id === subnet)!.vpcId, isDefault: false, subnetIds: [subnet], entries });
};
const deny = (egress: boolean) => ({ RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: egress, CidrBlock: '0.0.0.0/0' });
const allowTcp = (n: number, egress: boolean, from: number, to: number, cidr = '0.0.0.0/0') => ({ RuleNumber: n, Protocol: '6', RuleAction: 'allow', Egress: egress, CidrBlock: cidr, PortRange: { From: from, To: to } });

const cases: Case[] = [
  {
    name: 'private instance reaches the internet through the NAT gateway and back',
    query: { source: app, destination: internet, ...tcp(443) }, found: true,
    forwardKinds: ['network-interface', 'security-group', 'network-acl', 'route-table', 'network-acl', 'nat-gateway', 'network-acl', 'route-table', 'internet-gateway', 'internet'],
    returnKinds: ['internet', 'internet-gateway', 'network-acl', 'nat-gateway', 'network-acl', 'route-table', 'network-acl', 'network-interface'],
  },
  {
    name: 'private subnet without a NAT route: NO_ROUTE_TO_DESTINATION, fix names the NAT gateway',
    change: (d) => { table(d, 'rtb-priv').routes = table(d, 'rtb-priv').routes.filter((r) => r.DestinationCidrBlock !== '0.0.0.0/0'); },
    query: { source: app, destination: internet, ...tcp(443) }, found: false, code: 'NO_ROUTE_TO_DESTINATION', path: 'forward', fix: /add a route 0\.0\.0\.0\/0 → nat-a to rtb-priv/,
  },
  {
    name: 'private subnet in a VPC without any NAT gateway: fix says to create one in a public subnet',
    change: (d) => { d.nats = []; table(d, 'rtb-priv').routes = table(d, 'rtb-priv').routes.filter((r) => r.DestinationCidrBlock !== '0.0.0.0/0'); },
    query: { source: app, destination: internet, ...tcp(443) }, found: false, code: 'NO_ROUTE_TO_DESTINATION', fix: /create a NAT gateway in a public subnet of vpc-a .*igw-a.*rtb-priv/,
  },
  { name: 'public instance reaches the internet through the internet gateway', query: { source: web, destination: internet, ...tcp(443) }, found: true, forwardKinds: ['network-interface', 'security-group', 'network-acl', 'route-table', 'internet-gateway', 'internet'] },
  {
    name: 'an interface without a public IP behind an IGW route: IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS',
    change: (d) => { d.enis.find((e) => e.id === 'eni-web')!.publicIps = []; },
    query: { source: web, destination: internet, ...tcp(443) }, found: false, code: 'IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS', fix: /associate an Elastic IP with eni-web/,
  },
  { name: 'the internet reaches the web server on 443', query: { source: internet, destination: web, ...tcp(443) }, found: true, forwardKinds: ['internet', 'internet-gateway', 'network-acl', 'security-group', 'network-interface'], returnKinds: ['network-interface', 'network-acl', 'route-table', 'internet-gateway', 'internet'] },
  {
    name: 'a security group that allows the wrong port: ENI_SG_RULES_MISMATCH inbound, with the port it does allow',
    query: { source: internet, destination: web, ...tcp(22) }, found: false, code: 'ENI_SG_RULES_MISMATCH', direction: 'ingress',
    message: /they allow tcp 443/, fix: /add an inbound rule to sg-web allowing tcp 22 from 0\.0\.0\.0\/0/,
  },
  {
    name: 'outbound rules that do not cover the port: ENI_SG_RULES_MISMATCH outbound',
    change: (d) => { group(d, 'sg-app').rules = [{ SecurityGroupRuleId: 'sgr-x', GroupId: 'sg-app', IsEgress: true, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIpv4: '0.0.0.0/0' }]; },
    query: { source: app, destination: internet, ...tcp(443) }, found: false, code: 'ENI_SG_RULES_MISMATCH', direction: 'egress', fix: /add an outbound rule to sg-app allowing tcp 443 to 0\.0\.0\.0\/0/,
  },
  {
    name: 'a group with no inbound rules at all: SG_HAS_NO_RULES',
    change: (d) => { d.enis.find((e) => e.id === 'eni-web')!.groupIds = ['sg-empty']; },
    query: { source: internet, destination: web, ...tcp(443) }, found: false, code: 'SG_HAS_NO_RULES', direction: 'ingress',
  },
  {
    name: 'the internet cannot reach an interface without a public address: IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS',
    query: { source: internet, destination: app, ...tcp(8080) }, found: false, code: 'IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS',
  },
  {
    name: 'a VPC without an internet gateway: NO_PATH from the internet',
    change: (d) => { d.igws = []; },
    query: { source: internet, destination: web, ...tcp(443) }, found: false, code: 'NO_PATH',
  },
  {
    name: 'an internet gateway of another VPC as the source: DISCONNECTED_VPCS',
    change: (d) => { d.igws.push({ id: 'igw-b', vpcId: 'vpc-b' }); },
    query: { source: { kind: 'internet', igwId: 'igw-b' }, destination: web, ...tcp(443) }, found: false, code: 'DISCONNECTED_VPCS',
  },
  {
    name: 'a detached internet gateway as the source: UNASSOCIATED_COMPONENT',
    change: (d) => { d.igws.push({ id: 'igw-loose' }); },
    query: { source: { kind: 'internet', igwId: 'igw-loose' }, destination: web, ...tcp(443) }, found: false, code: 'UNASSOCIATED_COMPONENT',
  },
  {
    name: 'a NACL without the ephemeral return range: the reply to the internet client is dropped',
    change: (d) => customAcl(d, 'subnet-pub', [allowTcp(100, false, 443, 443), deny(false), allowTcp(100, true, 443, 443), deny(true)]),
    query: { source: internet, destination: web, ...tcp(443) }, found: false, code: 'SUBNET_ACL_RESTRICTION', path: 'return', direction: 'egress',
    message: /the reply to 203\.0\.113\.10/, fix: /add an outbound NACL rule allowing tcp 1024-65535 to 0\.0\.0\.0\/0 on acl-custom/,
  },
  {
    name: 'a NACL open to 1024-32767 only misses the Linux client range 32768-60999 on the return',
    change: (d) => customAcl(d, 'subnet-pub', [allowTcp(100, false, 0, 65535), deny(false), allowTcp(100, true, 1024, 32767), deny(true)]),
    query: { source: app, destination: web, ...tcp(443) }, found: false, code: 'SUBNET_ACL_RESTRICTION', path: 'return',
    message: /tcp 32768 \(the Linux client's ephemeral range 32768-60999\)/, fix: /allowing tcp 32768-60999 to 10\.0\.1\.0\/24 on acl-custom/,
  },
  {
    name: 'a Windows client needs 49152-65535 back',
    change: (d) => { d.enis.find((e) => e.id === 'eni-app')!.client = 'windows'; customAcl(d, 'subnet-pub', [allowTcp(100, false, 0, 65535), deny(false), allowTcp(100, true, 32768, 60999), deny(true)]); },
    query: { source: app, destination: web, ...tcp(443) }, found: false, code: 'SUBNET_ACL_RESTRICTION', path: 'return', fix: /tcp 49152-65535/,
  },
  {
    name: 'a NACL deny numbered before the allow drops the request: SUBNET_ACL_RESTRICTION inbound, fix numbered below it',
    change: (d) => customAcl(d, 'subnet-pub', [{ RuleNumber: 50, Protocol: '6', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: 443, To: 443 } }, allowTcp(100, false, 0, 65535), deny(false), allowTcp(100, true, 0, 65535), deny(true)]),
    query: { source: internet, destination: web, ...tcp(443) }, found: false, code: 'SUBNET_ACL_RESTRICTION', path: 'forward', direction: 'ingress', fix: /numbered below rule 50/,
  },
  {
    name: 'the NAT subnet must let replies in on the NAT gateway range 1024-65535',
    change: (d) => customAcl(d, 'subnet-pub', [allowTcp(100, false, 0, 65535, '10.0.0.0/16'), deny(false), allowTcp(100, true, 0, 65535), deny(true)]),
    query: { source: app, destination: internet, ...tcp(443) }, found: false, code: 'SUBNET_ACL_RESTRICTION', path: 'return', direction: 'ingress', fix: /inbound NACL rule allowing tcp 1024-65535 from 0\.0\.0\.0\/0 on acl-custom/,
  },
  { name: 'across the peering with routes on both sides', query: { source: app, destination: db, ...tcp(5432) }, found: true, forwardKinds: ['network-interface', 'security-group', 'network-acl', 'route-table', 'vpc-peering-connection', 'network-acl', 'security-group', 'network-interface'] },
  {
    name: 'a peering without the return route: NO_ROUTE_TO_DESTINATION on the return, fix on the peer side',
    change: (d) => { table(d, 'rtb-b').routes = table(d, 'rtb-b').routes.filter((r) => !r.VpcPeeringConnectionId); },
    query: { source: app, destination: db, ...tcp(5432) }, found: false, code: 'NO_ROUTE_TO_DESTINATION', path: 'return', fix: /add a route 10\.0\.0\.0\/16 → pcx-ab to rtb-b \(the peer's side\)/,
  },
  {
    name: 'a peering without the forward route: the NAT default route takes the packet, fix names the peering',
    change: (d) => { table(d, 'rtb-priv').routes = table(d, 'rtb-priv').routes.filter((r) => !r.VpcPeeringConnectionId); },
    query: { source: app, destination: db, ...tcp(5432) }, found: false, code: 'NO_ROUTE_TO_DESTINATION', path: 'forward', fix: /add a route 10\.1\.0\.0\/16 → pcx-ab to rtb-priv/,
  },
  {
    name: 'a more specific route shadows the return route over the peering: MORE_SPECIFIC_ROUTE',
    change: (d) => { d.igws.push({ id: 'igw-b', vpcId: 'vpc-b' }); table(d, 'rtb-b').routes.push({ DestinationCidrBlock: '10.0.1.0/24', GatewayId: 'igw-b', Origin: 'CreateRoute', State: 'active' }); },
    query: { source: app, destination: db, ...tcp(5432) }, found: false, code: 'MORE_SPECIFIC_ROUTE', path: 'return',
  },
  {
    name: 'peering is not transitive (no edge-to-edge): the peer VPC cannot use vpc-a\'s NAT: PCX_REQUIRES_ADDRESS_IN_VPC_CIDR',
    change: (d) => { table(d, 'rtb-b').routes.push({ DestinationCidrBlock: '0.0.0.0/0', VpcPeeringConnectionId: 'pcx-ab', Origin: 'CreateRoute', State: 'active' }); },
    query: { source: db, destination: internet, ...tcp(443) }, found: false, code: 'PCX_REQUIRES_ADDRESS_IN_VPC_CIDR',
  },
  {
    name: 'VPCs without a peering and a destination without a public address: DISCONNECTED_VPCS',
    change: (d) => { d.peerings = []; },
    query: { source: app, destination: db, ...tcp(5432) }, found: false, code: 'DISCONNECTED_VPCS',
  },
  {
    name: 'a peering that is not active: BAD_STATE on the peering',
    change: (d) => { d.peerings[0].state = 'deleted'; },
    query: { source: app, destination: { kind: 'address', ip: '10.1.0.5' }, ...tcp(5432) }, found: false, code: 'BAD_STATE',
  },
  {
    name: 'a blackhole route: BAD_STATE_ROUTE',
    change: (d) => { table(d, 'rtb-priv').routes.find((r) => r.NatGatewayId)!.State = 'blackhole'; },
    query: { source: app, destination: internet, ...tcp(443) }, found: false, code: 'BAD_STATE_ROUTE', fix: /replace the route 0\.0\.0\.0\/0 in rtb-priv/,
  },
  {
    name: 'a NAT gateway that is not available: BAD_STATE',
    change: (d) => { d.nats[0].state = 'pending'; },
    query: { source: app, destination: internet, ...tcp(443) }, found: false, code: 'BAD_STATE',
  },
  {
    name: 'a stopped instance as the source: BAD_STATE',
    change: (d) => { d.instances[1].state = 'stopped'; },
    query: { source: app, destination: internet, ...tcp(443) }, found: false, code: 'BAD_STATE', fix: /start i-app/,
  },
  {
    name: 'an appliance with the source/destination check on: ENI_SOURCE_DEST_CHECK_RESTRICTION',
    change: (d) => {
      d.enis.push(makeEni('eni-fw', 'vpc-a', 'subnet-pub', '10.0.0.20', ['sg-fw'], { publicIps: [{ publicIp: '54.0.0.20', privateIp: '10.0.0.20', elastic: true }] }));
      d.securityGroups.push({ id: 'sg-fw', vpcId: 'vpc-a', name: 'fw', rules: [tcpIn('sg-fw', 443, { CidrIpv4: '10.0.0.0/16' }), allOut('sg-fw')] });
      table(d, 'rtb-priv').routes.find((r) => r.NatGatewayId)!.NatGatewayId = undefined;
      table(d, 'rtb-priv').routes.find((r) => r.DestinationCidrBlock === '0.0.0.0/0')!.NetworkInterfaceId = 'eni-fw';
    },
    query: { source: app, destination: internet, ...tcp(443) }, found: false, code: 'ENI_SOURCE_DEST_CHECK_RESTRICTION', fix: /no-source-dest-check/,
  },
  {
    name: 'an appliance with the check off forwards the traffic (a subnet route through it)',
    change: (d) => {
      d.enis.push(makeEni('eni-fw', 'vpc-a', 'subnet-pub', '10.0.0.20', ['sg-fw'], { sourceDestCheck: false }));
      d.securityGroups.push({ id: 'sg-fw', vpcId: 'vpc-a', name: 'fw', rules: [tcpIn('sg-fw', 443, { CidrIpv4: '10.0.0.0/16' }), allOut('sg-fw')] });
      table(d, 'rtb-priv').routes.push({ DestinationCidrBlock: '10.0.0.0/24', NetworkInterfaceId: 'eni-fw', Origin: 'CreateRoute', State: 'active' });
    },
    query: { source: app, destination: web, ...tcp(443) }, found: true,
    forwardKinds: ['network-interface', 'security-group', 'network-acl', 'route-table', 'network-acl', 'security-group', 'network-interface', 'security-group', 'route-table', 'security-group', 'network-interface'],
  },
  {
    name: 'forwarding is not NAT: an appliance without a public address cannot send the private source to the internet',
    change: (d) => {
      d.enis.push(makeEni('eni-fw', 'vpc-a', 'subnet-pub', '10.0.0.20', ['sg-fw'], { sourceDestCheck: false }));
      d.securityGroups.push({ id: 'sg-fw', vpcId: 'vpc-a', name: 'fw', rules: [tcpIn('sg-fw', 443, { CidrIpv4: '10.0.0.0/16' }), allOut('sg-fw')] });
      const r = table(d, 'rtb-priv').routes.find((x) => x.DestinationCidrBlock === '0.0.0.0/0')!;
      delete r.NatGatewayId;
      r.NetworkInterfaceId = 'eni-fw';
    },
    query: { source: app, destination: internet, ...tcp(443) }, found: false, code: 'IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS',
  },
  { name: 'an address nobody holds: NO_POSSIBLE_DESTINATION', query: { source: app, destination: { kind: 'address', ip: '10.0.1.99' }, ...tcp(443) }, found: false, code: 'NO_POSSIBLE_DESTINATION' },
  {
    name: 'a route to a transit gateway: UNSUPPORTED_COMPONENT',
    change: (d) => { table(d, 'rtb-priv').routes.push({ DestinationCidrBlock: '172.16.0.0/12', TransitGatewayId: 'tgw-1', Origin: 'CreateRoute', State: 'active' }); },
    query: { source: app, destination: { kind: 'address', ip: '172.16.0.1' }, ...tcp(443) }, found: false, code: 'UNSUPPORTED_COMPONENT',
  },
  { name: 'a referenced group admits its members (web -> app:8080)', query: { source: web, destination: app, ...tcp(8080) }, found: true },
  {
    name: 'a referenced group does not admit non-members',
    change: (d) => { d.enis.find((e) => e.id === 'eni-web')!.groupIds = ['sg-other']; d.securityGroups.push({ id: 'sg-other', vpcId: 'vpc-a', name: 'o', rules: [allOut('sg-other')] }); },
    query: { source: web, destination: app, ...tcp(8080) }, found: false, code: 'ENI_SG_RULES_MISMATCH', direction: 'ingress', fix: /sg-app allowing tcp 8080 from 10\.0\.0\.0\/24/,
  },
  { name: 'an unknown source: NO_SOURCE_OR_DESTINATION', query: { source: { kind: 'eni', id: 'eni-nope' }, destination: internet, ...tcp(443) }, found: false, code: 'NO_SOURCE_OR_DESTINATION' },
  { name: 'an unknown destination resource: NO_SOURCE_OR_DESTINATION (the issue: not UNKNOWN_DESTINATION)', query: { source: app, destination: { kind: 'instance', id: 'i-nope' }, ...tcp(443) }, found: false, code: 'NO_SOURCE_OR_DESTINATION' },
  // Codes used for what they mean in AWS's explanation codes page.
  { name: 'a private address sent to the internet gateway: IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS', query: { source: web, destination: { kind: 'address', ip: '192.168.7.7' }, ...tcp(443) }, found: false, code: 'IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS' },
  { name: 'a shared (100.64/10) address sent to the internet gateway: IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS', query: { source: web, destination: { kind: 'address', ip: '100.64.1.1' }, ...tcp(443) }, found: false, code: 'IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS' },
  {
    name: 'a group reference lost through an inter-region peering: SG_REFERENCES_NOT_PRESERVED',
    change: (d) => { d.peerings[0].accepter.region = 'eu-west-1'; d.enis.find((e) => e.id === 'eni-db')!.region = 'eu-west-1'; group(d, 'sg-db').rules = [tcpIn('sg-db', 5432, { ReferencedGroupInfo: { GroupId: 'sg-app' } }), allOut('sg-db')]; },
    query: { source: app, destination: db, ...tcp(5432) }, found: false, code: 'SG_REFERENCES_NOT_PRESERVED', message: /inter-region peering/,
  },
  {
    name: 'a group reference lost through a NAT gateway: SG_REFERENCES_NOT_PRESERVED',
    change: (d) => {
      // app -> NAT -> internet gateway -> web's public address (hairpin): web admits only app's group.
      group(d, 'sg-web').rules = [tcpIn('sg-web', 443, { ReferencedGroupInfo: { GroupId: 'sg-app' } }), allOut('sg-web')];
    },
    query: { source: app, destination: { kind: 'address', ip: '54.0.0.5' }, ...tcp(443) }, found: false, code: 'SG_REFERENCES_NOT_PRESERVED', message: /NAT gateway/,
  },
  {
    name: 'a routing loop between appliances is NO_PATH, not CANNOT_ROUTE',
    change: (d) => {
      d.enis.push(makeEni('eni-fw1', 'vpc-a', 'subnet-pub', '10.0.0.21', ['sg-fw'], { sourceDestCheck: false }), makeEni('eni-fw2', 'vpc-a', 'subnet-priv', '10.0.1.21', ['sg-fw'], { sourceDestCheck: false }));
      d.securityGroups.push({ id: 'sg-fw', vpcId: 'vpc-a', name: 'fw', rules: [tcpIn('sg-fw', 443, { CidrIpv4: '0.0.0.0/0' }), allOut('sg-fw')] });
      table(d, 'rtb-priv').routes.push({ DestinationCidrBlock: '172.20.0.0/16', NetworkInterfaceId: 'eni-fw1', Origin: 'CreateRoute', State: 'active' });
      table(d, 'rtb-pub').routes.push({ DestinationCidrBlock: '172.20.0.0/16', NetworkInterfaceId: 'eni-fw2', Origin: 'CreateRoute', State: 'active' });
    },
    query: { source: app, destination: { kind: 'address', ip: '172.20.0.1' }, ...tcp(443) }, found: false, code: 'NO_PATH', message: /routing loop/,
  },
  { name: 'the internet to an interface\'s private address: IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS', query: { source: internet, destination: { kind: 'address', ip: '10.0.0.77' }, ...tcp(443) }, found: false, code: 'IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS' },
  { name: 'the internet to a private instance without a load balancer: IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS', query: { source: internet, destination: app, ...tcp(8080) }, found: false, code: 'IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS' },
  {
    name: 'a local route for a block the VPC no longer has: VPC_LOCAL_ROUTE_CIDR_RESTRICTION',
    change: (d) => { table(d, 'rtb-priv').routes.push({ DestinationCidrBlock: '10.50.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' }); },
    query: { source: app, destination: { kind: 'address', ip: '10.50.0.9' }, ...tcp(443) }, found: false, code: 'VPC_LOCAL_ROUTE_CIDR_RESTRICTION',
  },
  {
    name: 'a route with the same destination and a higher priority wins: HIGHER_PRIORITY_ROUTE',
    change: (d) => { table(d, 'rtb-priv').routes.splice(1, 0, { DestinationCidrBlock: '10.1.0.0/16', GatewayId: 'igw-a', Origin: 'CreateRoute', State: 'active' }); },
    query: { source: app, destination: db, ...tcp(5432) }, found: false, code: 'HIGHER_PRIORITY_ROUTE',
  },
  { name: 'an internet gateway source with a private address: IGW_EXPECTS_PUBLIC_ADDRESS', query: { source: { kind: 'internet', igwId: 'igw-a', ip: '10.9.9.9' }, destination: web, ...tcp(443) }, found: false, code: 'IGW_EXPECTS_PUBLIC_ADDRESS' },
  { name: 'no port given: the ports the destination opens are tried', query: { source: internet, destination: web, protocol: 'tcp' }, found: true },
  {
    name: 'a public instance reaches another public instance over the internet (hairpin through both gateways)',
    change: (d) => { d.peerings = []; table(d, 'rtb-priv').routes.pop(); d.igws.push({ id: 'igw-b', vpcId: 'vpc-b' }); table(d, 'rtb-b').routes = [{ DestinationCidrBlock: '10.1.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' }, { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-b', Origin: 'CreateRoute', State: 'active' }]; d.enis.find((e) => e.id === 'eni-db')!.publicIps = [{ publicIp: '54.1.0.5', privateIp: '10.1.0.5', elastic: false }]; group(d, 'sg-db').rules.push(tcpIn('sg-db', 5432, { CidrIpv4: '54.0.0.5/32' }, 'sgr-pub')); },
    query: { source: web, destination: db, ...tcp(5432) }, found: true, forwardKinds: ['network-interface', 'security-group', 'network-acl', 'route-table', 'internet-gateway', 'internet-gateway', 'network-acl', 'security-group', 'network-interface'],
  },
];

describe('reachability engine', () => {
  for (const c of cases) {
    it(c.name, () => {
      const data = baseEstate();
      c.change?.(data);
      const a = analyze(buildNetworkModel(data), c.query);
      const detail = JSON.stringify({ blocks: a.blocks, forward: a.forward.map((h) => `${h.kind} ${h.note}`), ret: a.return.map((h) => `${h.kind} ${h.note}`) }, null, 1);
      assert.equal(a.pathFound, c.found, detail);
      if (c.found) assert.equal(a.blocks.length, 0);
      if (c.code) {
        const b = a.blocks[0];
        assert.equal(b.explanation.ExplanationCode, c.code, detail);
        if (c.path) assert.equal(b.path, c.path, detail);
        if (c.direction) assert.equal(b.explanation.Direction, c.direction, detail);
        if (c.fix) assert.match(b.fix, c.fix, detail);
        if (c.message) assert.match(b.message, c.message, detail);
      }
      if (c.forwardKinds) assert.deepEqual(a.forward.map((h) => h.kind), c.forwardKinds, detail);
      if (c.returnKinds) assert.deepEqual(a.return.map((h) => h.kind), c.returnKinds, detail);
      a.forward.forEach((h, i) => assert.equal(h.SequenceNumber, i + 1));
    });
  }

  it('never emits the fake codes', () => {
    const fake = ['ROUTE_NOT_FOUND', 'SECURITY_GROUP_RULE_RESTRICTION', 'NETWORK_ACL_RULES_MISMATCH'];
    for (const c of cases) {
      const data = baseEstate();
      c.change?.(data);
      for (const b of analyze(buildNetworkModel(data), c.query).blocks) assert.ok(!fake.includes(b.explanation.ExplanationCode));
    }
  });

  it('the blocking rule is reported: the ACL entry that denied and the route that matched', () => {
    const d = baseEstate();
    customAcl(d, 'subnet-pub', [allowTcp(100, false, 443, 443), deny(false), allowTcp(100, true, 443, 443), deny(true)]);
    const b = analyze(buildNetworkModel(d), { source: internet, destination: web, ...tcp(443) }).blocks[0];
    assert.deepEqual(b.explanation.AclRule, { Cidr: '0.0.0.0/0', Egress: true, PortRange: undefined, Protocol: '-1', RuleAction: 'deny', RuleNumber: 32767 });
    assert.deepEqual(b.explanation.PortRanges, [{ From: 1024, To: 65535 }]);
    const found = analyze(buildNetworkModel(baseEstate()), { source: app, destination: internet, ...tcp(443) });
    assert.equal(found.forward.find((h) => h.kind === 'route-table')!.RouteTableRoute!.NatGatewayId, 'nat-a');
    assert.equal(found.forward.find((h) => h.kind === 'security-group')!.SecurityGroupRule!.SecurityGroupId, 'sg-app');
  });
});
