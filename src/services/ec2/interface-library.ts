// The network interface library: the holders of every private address in a
// subnet, and of the public addresses mapped to them. Instances, NAT gateways
// and load balancers (ELBv2) hold their addresses through interfaces made
// here, so allocation, AvailableIpAddressCount and public addresses all look
// here. The API operations on interfaces are in network-interfaces.ts.
import { randomBytes } from 'node:crypto';
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv } from '../../aws/service.ts';
import type { SecurityGroup } from '../../records/ec2.ts';
import { dnsAttributes } from '../../records/vpcs.ts';
import { find, K, newId, remove, save } from './resources.ts';
import { allocatePrivateIp } from './subnets.ts';
import { nextPublicIp, poolText } from '../public-addresses.ts';
import type { NetworkInterface, PublicIpAssociation, Subnet, Vpc } from './types.ts';

/** The private DNS name EC2 gives an address: ip-10-0-1-5.ec2.internal in us-east-1, ip-....REGION.compute.internal elsewhere. */
export function privateDnsName(region: string, ip: string): string {
  const host = `ip-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/** The public DNS name EC2 gives a public address: ec2-192-0-2-10.compute-1.amazonaws.com in us-east-1, ec2-....REGION.compute.amazonaws.com elsewhere. */
export function publicDnsName(region: string, ip: string): string {
  const host = `ec2-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.compute-1.amazonaws.com` : `${host}.${region}.compute.amazonaws.com`;
}

function macAddress(): string {
  const b = randomBytes(5);
  return ['02', ...[...b].map((x) => x.toString(16).padStart(2, '0'))].join(':');
}

/** Max security groups on one interface (the default quota). */
const MAX_GROUPS = 5;

export interface InterfaceOptions {
  description?: string;
  interfaceType?: string;
  privateIp?: string;
  /** Secondary private addresses asked for by address. */
  secondaryIps?: string[];
  /** How many more secondary addresses to pick. */
  secondaryCount?: number;
  groups?: NetworkInterface['Groups'];
  requesterManaged?: boolean;
  requesterId?: string;
  tags?: NetworkInterface['TagSet'];
}

/**
 * Picks the interface's addresses: those asked for first (so an automatic pick
 * never takes one of them), then the automatic ones.
 */
function allocateAddresses(env: HandlerEnv, subnet: Subnet, opts: InterfaceOptions): { primary: string; secondaries: string[] } {
  const taken: string[] = [];
  const take = (requested?: string) => {
    const ip = allocatePrivateIp(env, subnet, requested, taken);
    taken.push(ip);
    return ip;
  };
  const primaryAsked = opts.privateIp !== undefined ? take(opts.privateIp) : undefined;
  const secondaries = (opts.secondaryIps ?? []).map((ip) => take(ip));
  const primary = primaryAsked ?? take();
  for (let i = 0; i < (opts.secondaryCount ?? 0); i++) secondaries.push(take());
  return { primary, secondaries };
}

/** Creates an interface in the subnet holding a new (or the requested) private address. */
export function createInterfaceRecord(env: HandlerEnv, subnet: Subnet, opts: InterfaceOptions = {}): NetworkInterface {
  const { primary, secondaries } = allocateAddresses(env, subnet, opts);
  const dns = privateDnsName(env.scope.region, primary);
  return save(env, K.networkInterface, {
    NetworkInterfaceId: newId('eni'),
    SubnetId: subnet.SubnetId,
    VpcId: subnet.VpcId,
    AvailabilityZone: subnet.AvailabilityZone,
    OwnerId: env.scope.account,
    Description: opts.description ?? '',
    InterfaceType: opts.interfaceType ?? 'interface',
    MacAddress: macAddress(),
    PrivateIpAddress: primary,
    PrivateDnsName: dns,
    PrivateIpAddresses: [
      { Primary: true, PrivateIpAddress: primary, PrivateDnsName: dns },
      ...secondaries.map((ip) => ({ Primary: false, PrivateIpAddress: ip, PrivateDnsName: privateDnsName(env.scope.region, ip) })),
    ],
    Groups: opts.groups ?? [],
    SourceDestCheck: true,
    Status: 'available',
    RequesterManaged: opts.requesterManaged ?? false,
    RequesterId: opts.requesterId,
    Ipv6Addresses: [],
    TagSet: opts.tags,
  } satisfies NetworkInterface);
}

/** The VPC's default security group, if the store has one. */
export function defaultGroupOf(env: HandlerEnv, vpcId: string): NetworkInterface['Groups'] {
  const g = env.store.list<SecurityGroup>(K.securityGroup.kind, env.scope).find((s) => s.VpcId === vpcId && s.GroupName === 'default');
  return g ? [{ GroupId: g.GroupId, GroupName: g.GroupName }] : [];
}

/** Security groups named by id: they must exist, sit in the interface's VPC, and be at most five. */
export function resolveGroups(env: HandlerEnv, vpcId: string, subnetId: string, ids: string[]): NetworkInterface['Groups'] {
  const unique = [...new Set(ids)];
  if (unique.length > MAX_GROUPS) throw new AwsError('SecurityGroupsPerInterfaceLimitExceeded', 'The maximum number of security groups per interface has been reached.', 400);
  return unique.map((id) => {
    const g = env.store.get<SecurityGroup>(K.securityGroup.kind, env.scope, id);
    if (!g) throw new AwsError('InvalidGroup.NotFound', `The security group '${id}' does not exist`, 400);
    if (g.VpcId !== vpcId) throw new AwsError('InvalidParameter', `Security group ${id} and subnet ${subnetId} belong to different networks.`, 400);
    return { GroupId: g.GroupId, GroupName: g.GroupName };
  });
}

// Public addresses come from src/services/public-addresses.ts: by default a
// loopback block shared with Elastic IPs (the host can connect to them), or
// with LOCALNET_PUBLIC_ADDRESSES=aws TEST-NET-1 (192.0.2.0/24), apart from
// Elastic IPs, so an address says at a glance which kind it is.

/** Every public address in use anywhere (public addresses are global, not per account): Elastic IP allocations and addresses mapped on interfaces. */
export function publicAddressesInUse(env: HandlerEnv): Set<string> {
  const used = new Set<string>();
  for (const { value } of env.store.listAll<{ PublicIp: string }>(K.address.kind)) used.add(value.PublicIp);
  for (const { value: eni } of env.store.listAll<NetworkInterface>(K.networkInterface.kind)) {
    if (eni.Association?.PublicIp) used.add(eni.Association.PublicIp);
    for (const a of eni.PrivateIpAddresses ?? []) if (a.Association?.PublicIp) used.add(a.Association.PublicIp);
  }
  return used;
}

/**
 * Maps a new auto-assigned public address to the interface's primary private
 * address (not saved). `avoid` keeps a restarted instance from getting back the
 * address it just gave up, as on AWS where a start brings a different address.
 */
export function assignAutoPublicIp(env: HandlerEnv, eni: NetworkInterface, avoid: string[] = []): void {
  const used = publicAddressesInUse(env);
  for (const ip of avoid) used.add(ip);
  const ip = nextPublicIp(used, 'auto');
  if (!ip) throw new AwsError('InsufficientAddressCapacity', `localnet has no free auto-assigned public IPv4 address left (${poolText('auto')} is in use); release some or use Elastic IPs.`, 400);
  const assoc: PublicIpAssociation = { PublicIp: ip, PublicDnsName: publicDnsName(env.scope.region, ip), IpOwnerId: 'amazon' };
  eni.Association = assoc;
  eni.PrivateIpAddresses = eni.PrivateIpAddresses.map((a) => (a.Primary ? { ...a, Association: { ...assoc } } : a));
}

/** Drops an auto-assigned public address (an Elastic IP association stays). Not saved. */
export function releaseAutoPublicIp(eni: NetworkInterface): void {
  if (eni.Association && !eni.Association.AllocationId) delete eni.Association;
  eni.PrivateIpAddresses = eni.PrivateIpAddresses.map((a) => {
    if (!a.Association || a.Association.AllocationId) return a;
    const { Association: _dropped, ...rest } = a;
    return rest;
  });
}

/**
 * Deletes an interface. Elastic IP associations live on the interface
 * (addresses.ts), so whatever was mapped to it is disassociated with it.
 */
export function deleteInterfaceRecord(env: HandlerEnv, eni: NetworkInterface): void {
  remove(env, K.networkInterface, eni.NetworkInterfaceId);
}

/** Attaches an interface to an instance (not saved). */
export function attachInterface(eni: NetworkInterface, instanceId: string, ownerId: string, deviceIndex: number, deleteOnTermination: boolean): void {
  eni.Attachment = {
    AttachmentId: newId('eni-attach'),
    InstanceId: instanceId,
    InstanceOwnerId: ownerId,
    DeviceIndex: deviceIndex,
    Status: 'attached',
    AttachTime: new Date().toISOString(),
    DeleteOnTermination: deleteOnTermination,
  };
  eni.Status = 'in-use';
}

/** Detaches an interface from whatever holds it (not saved). */
export function detachInterface(eni: NetworkInterface): void {
  delete eni.Attachment;
  eni.Status = 'available';
}

/** The interfaces attached to an instance, by device index. */
export function interfacesOf(env: HandlerEnv, instanceId: string): NetworkInterface[] {
  return env.store
    .list<NetworkInterface>(K.networkInterface.kind, env.scope)
    .filter((e) => e.Attachment?.InstanceId === instanceId)
    .sort((a, b) => a.Attachment!.DeviceIndex - b.Attachment!.DeviceIndex);
}

/** The interface as the API shows it: public DNS names exist only while the VPC has DNS hostnames on. */
export function presentInterface(env: HandlerEnv, eni: NetworkInterface): NetworkInterface {
  const vpc = find<Vpc>(env, K.vpc, eni.VpcId);
  const hostnames = vpc ? dnsAttributes(vpc).hostnames : false;
  const withDns = (a?: PublicIpAssociation) => (a ? { ...a, PublicDnsName: hostnames ? publicDnsName(env.scope.region, a.PublicIp) : '' } : undefined);
  const out: NetworkInterface = {
    ...eni,
    Association: withDns(eni.Association),
    PrivateIpAddresses: eni.PrivateIpAddresses.map((a) => ({ ...a, Association: withDns(a.Association) })),
  };
  if (!out.Association) delete out.Association;
  return out;
}
