import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookupRoute, routeTableForSubnet, type RouteLike } from '../../src/net/routing.ts';

type R = RouteLike & { name: string };

const table: R[] = [
  { name: 'local4', DestinationCidrBlock: '10.0.0.0/16', Origin: 'CreateRouteTable' },
  { name: 'local6', DestinationIpv6CidrBlock: '2600:1f00:1:100::/56', Origin: 'CreateRouteTable' },
  { name: 'default4', DestinationCidrBlock: '0.0.0.0/0', Origin: 'CreateRoute' },
  { name: 'default6', DestinationIpv6CidrBlock: '::/0', Origin: 'CreateRoute' },
  { name: 'subnet-middlebox', DestinationCidrBlock: '10.0.2.0/24', Origin: 'CreateRoute' },
  { name: 'vpn-propagated', DestinationCidrBlock: '192.168.0.0/16', Origin: 'EnableVgwRoutePropagation' },
  { name: 'vpn-static', DestinationCidrBlock: '192.168.0.0/16', Origin: 'CreateRoute' },
  { name: 'propagated-only', DestinationCidrBlock: '172.16.0.0/12', Origin: 'EnableVgwRoutePropagation' },
  { name: 'plist', DestinationPrefixListId: 'pl-63a5400a', Origin: 'CreateRoute' },
  { name: 'plist-tie-static', DestinationCidrBlock: '52.216.0.0/15', Origin: 'CreateRoute' },
  { name: 'peer6', DestinationIpv6CidrBlock: '2600:1f00:2::/48', Origin: 'CreateRoute' },
];

const prefixLists = { 'pl-63a5400a': ['52.216.0.0/15', '3.5.0.0/19'] };

describe('lookupRoute', () => {
  const cases: [string, string, string | undefined][] = [
    ['inside the VPC goes local', '10.0.7.9', 'local4'],
    ['a subnet route more specific than local wins', '10.0.2.10', 'subnet-middlebox'],
    ['the internet takes the default route', '8.8.8.8', 'default4'],
    ['a prefix tie prefers the static route over a propagated one', '192.168.1.1', 'vpn-static'],
    ['a propagated route is used when it is the longest match', '172.20.0.1', 'propagated-only'],
    ['a prefix tie prefers the static CIDR route over the prefix-list route', '52.216.5.5', 'plist-tie-static'],
    ['a prefix-list route matches its own CIDRs', '3.5.1.1', 'plist'],
    ['IPv6 inside the VPC block goes local', '2600:1f00:1:1ab::5', 'local6'],
    ['IPv6 longest prefix', '2600:1f00:2:0:1::1', 'peer6'],
    ['IPv6 falls to ::/0, never to an IPv4 route', '2001:db8::1', 'default6'],
    ['not an address: no route', 'banana', undefined],
  ];
  for (const [what, ip, expected] of cases) {
    it(what, () => assert.equal(lookupRoute(table, ip, prefixLists)?.name, expected));
  }

  it('returns undefined when nothing covers the address (no default route)', () => {
    assert.equal(lookupRoute(table.filter((r) => !r.name.startsWith('default')), '8.8.8.8', prefixLists), undefined);
    assert.equal(lookupRoute(table.filter((r) => !r.name.startsWith('default')), '2001:db8::1'), undefined);
  });

  it('ignores prefix-list routes whose list is unknown', () => {
    assert.equal(lookupRoute(table, '3.5.1.1')?.name, 'default4');
  });
});

describe('routeTableForSubnet', () => {
  const tables = [
    { id: 'main-a', VpcId: 'vpc-a', Associations: [{ Main: true }] },
    { id: 'public-a', VpcId: 'vpc-a', Associations: [{ Main: false, SubnetId: 'subnet-1' }, { Main: false, SubnetId: 'subnet-2' }] },
    { id: 'main-b', VpcId: 'vpc-b', Associations: [{ Main: true }] },
    { id: 'spare-b', VpcId: 'vpc-b', Associations: [] },
  ];
  const cases: [string, string, string, string | undefined][] = [
    ['an explicit association wins', 'subnet-1', 'vpc-a', 'public-a'],
    ['a second subnet of the same table', 'subnet-2', 'vpc-a', 'public-a'],
    ['no explicit association: the main table of the subnet\'s VPC', 'subnet-3', 'vpc-a', 'main-a'],
    ['the main table of another VPC is never used', 'subnet-9', 'vpc-b', 'main-b'],
    ['a VPC without a main table: none', 'subnet-7', 'vpc-c', undefined],
  ];
  for (const [what, subnet, vpc, expected] of cases) {
    it(what, () => assert.equal(routeTableForSubnet(tables, subnet, vpc)?.id, expected));
  }
});
