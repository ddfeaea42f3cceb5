// Network interfaces: the holders of every private address in a subnet.
import { randomBytes } from 'node:crypto';
import type { HandlerEnv } from '../../aws/service.ts';
import { K, newId, save } from './resources.ts';
import { allocatePrivateIp } from './subnets.ts';
import type { NetworkInterface, Subnet } from './types.ts';

/** The private DNS name EC2 gives an address: ip-10-0-1-5.ec2.internal in us-east-1, ip-....REGION.compute.internal elsewhere. */
export function privateDnsName(region: string, ip: string): string {
  const host = `ip-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

function macAddress(): string {
  const b = randomBytes(5);
  return ['02', ...[...b].map((x) => x.toString(16).padStart(2, '0'))].join(':');
}

export interface InterfaceOptions {
  description?: string;
  interfaceType?: string;
  privateIp?: string;
  groups?: NetworkInterface['Groups'];
  requesterManaged?: boolean;
  requesterId?: string;
  tags?: NetworkInterface['TagSet'];
}

/** Creates an interface in the subnet holding a new (or the requested) private address. */
export function createInterfaceRecord(env: HandlerEnv, subnet: Subnet, opts: InterfaceOptions = {}): NetworkInterface {
  const ip = allocatePrivateIp(env, subnet, opts.privateIp);
  const dns = privateDnsName(env.scope.region, ip);
  return save(env, K.networkInterface, {
    NetworkInterfaceId: newId('eni'),
    SubnetId: subnet.SubnetId,
    VpcId: subnet.VpcId,
    AvailabilityZone: subnet.AvailabilityZone,
    OwnerId: env.scope.account,
    Description: opts.description ?? '',
    InterfaceType: opts.interfaceType ?? 'interface',
    MacAddress: macAddress(),
    PrivateIpAddress: ip,
    PrivateDnsName: dns,
    PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: ip, PrivateDnsName: dns }],
    Groups: opts.groups ?? [],
    SourceDestCheck: true,
    Status: 'available',
    RequesterManaged: opts.requesterManaged ?? false,
    RequesterId: opts.requesterId,
    Ipv6Addresses: [],
    TagSet: opts.tags,
  } satisfies NetworkInterface);
}
