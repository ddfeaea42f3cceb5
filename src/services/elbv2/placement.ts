// Where a load balancer sits: its subnets (one per zone, one VPC), its
// security groups, and the network interface it holds in each subnet, as EC2
// shows them (RequesterManaged, "ELB app/<name>/<id>"). The interfaces take
// real addresses in the subnets, so AvailableIpAddressCount and DeleteSubnet
// see the load balancer.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv } from '../../aws/service.ts';
import { internetGatewayOf } from '../ec2/internet-gateways.ts';
import { assignAutoPublicIp, createInterfaceRecord, defaultGroupOf, deleteInterfaceRecord } from '../ec2/interface-library.ts';
import { K, newId } from '../ec2/resources.ts';
import type { SecurityGroup } from '../ec2/security-groups.ts';
import type { NetworkInterface, Subnet } from '../ec2/types.ts';
import { typeSegment } from './arns.ts';
import type { AvailabilityZone, LoadBalancer, LoadBalancerType } from './types.ts';

export interface SubnetMapping {
  SubnetId?: string;
  AllocationId?: string;
  PrivateIPv4Address?: string;
  IPv6Address?: string;
}

export interface Placement {
  vpcId: string;
  subnets: { subnet: Subnet; mapping: SubnetMapping }[];
}

/** Resolves Subnets or SubnetMappings: they must exist, share one VPC, and hold one subnet per zone. */
export function resolveSubnets(env: HandlerEnv, type: LoadBalancerType, input: { Subnets?: string[]; SubnetMappings?: SubnetMapping[] }): Placement {
  if (input.Subnets?.length && input.SubnetMappings?.length) throw new AwsError('ValidationError', 'You can specify subnets or subnet mappings, but not both');
  const mappings: SubnetMapping[] = input.SubnetMappings?.length ? input.SubnetMappings : (input.Subnets ?? []).map((SubnetId) => ({ SubnetId }));
  if (mappings.length === 0) {
    throw new AwsError('ValidationError', type === 'application' ? 'At least two subnets in two different Availability Zones must be specified' : 'At least one subnet must be specified');
  }
  const subnets = mappings.map((mapping) => {
    if (!mapping.SubnetId) throw new AwsError('ValidationError', 'A subnet ID must be specified in each subnet mapping');
    const subnet = env.store.get<Subnet>(K.subnet.kind, env.scope, mapping.SubnetId);
    if (!subnet) throw new AwsError('SubnetNotFound', `The subnet ID '${mapping.SubnetId}' is not valid`);
    if (mapping.AllocationId && type !== 'network') throw new AwsError('InvalidConfigurationRequest', 'Elastic IP addresses can only be specified for Network Load Balancers');
    if (mapping.AllocationId) throw new AwsError('NotImplemented', 'localnet does not emulate Elastic IP addresses in Network Load Balancer subnet mappings yet', 501);
    if (mapping.PrivateIPv4Address && type !== 'network') throw new AwsError('InvalidConfigurationRequest', 'Private IPv4 addresses can only be specified for Network Load Balancers');
    return { subnet, mapping };
  });
  const vpcs = [...new Set(subnets.map((s) => s.subnet.VpcId))];
  if (vpcs.length > 1) throw new AwsError('InvalidConfigurationRequest', `All subnets must belong to the same VPC; the subnets given are in ${vpcs.join(', ')}`);
  const zones = new Map<string, string>();
  for (const { subnet } of subnets) {
    const other = zones.get(subnet.AvailabilityZone);
    if (other && other !== subnet.SubnetId) throw new AwsError('InvalidConfigurationRequest', `A load balancer cannot be attached to multiple subnets in the same Availability Zone ('${other}' and '${subnet.SubnetId}' are both in ${subnet.AvailabilityZone})`);
    zones.set(subnet.AvailabilityZone, subnet.SubnetId);
  }
  const unique = subnets.filter((s, i) => subnets.findIndex((o) => o.subnet.SubnetId === s.subnet.SubnetId) === i);
  if (type === 'application' && zones.size < 2) throw new AwsError('ValidationError', 'At least two subnets in two different Availability Zones must be specified');
  return { vpcId: vpcs[0], subnets: unique };
}

/** An internet-facing load balancer needs an internet gateway on its VPC, as AWS checks at creation. */
export function checkScheme(env: HandlerEnv, scheme: string, vpcId: string): void {
  if (scheme === 'internet-facing' && !internetGatewayOf(env, vpcId)) throw new AwsError('InvalidSubnet', `VPC ${vpcId} has no internet gateway`);
}

export function checkIpAddressType(type: LoadBalancerType, scheme: string, ipAddressType: string, subnets: Subnet[]): void {
  if (!['ipv4', 'dualstack', 'dualstack-without-public-ipv4'].includes(ipAddressType)) throw new AwsError('ValidationError', `IP address type '${ipAddressType}' is not valid; use ipv4, dualstack or dualstack-without-public-ipv4`);
  if (ipAddressType === 'dualstack-without-public-ipv4' && (type !== 'application' || scheme !== 'internet-facing')) {
    throw new AwsError('InvalidConfigurationRequest', "IP address type 'dualstack-without-public-ipv4' is only supported for internet-facing Application Load Balancers");
  }
  if (ipAddressType !== 'ipv4') {
    const v4only = subnets.find((s) => !(s.Ipv6CidrBlockAssociationSet ?? []).length);
    if (v4only) throw new AwsError('InvalidSubnet', `Subnet '${v4only.SubnetId}' does not have an IPv6 CIDR block, which IP address type '${ipAddressType}' needs`);
  }
}

/** Security group ids: each must exist (InvalidSecurityGroup) in the VPC (InvalidConfigurationRequest). An ALB without any gets the VPC's default group. */
export function resolveSecurityGroups(env: HandlerEnv, type: LoadBalancerType, vpcId: string, ids: string[] | undefined, onCreate: boolean): string[] | undefined {
  if (ids === undefined || (onCreate && ids.length === 0)) {
    if (type === 'network') return undefined;
    return defaultGroupOf(env, vpcId).map((g) => g.GroupId);
  }
  const unique = [...new Set(ids)];
  if (unique.length > 5) throw new AwsError('ValidationError', 'A load balancer can have at most 5 security groups');
  for (const id of unique) {
    const g = env.store.get<SecurityGroup>(K.securityGroup.kind, env.scope, id);
    if (!g) throw new AwsError('InvalidSecurityGroup', `Security group '${id}' does not exist`);
    // AWS answers a group of another VPC with InvalidConfigurationRequest. The
    // wording is Classic ELB's (seen in users' reports); ELBv2's is unverified.
    if (g.VpcId !== vpcId) throw new AwsError('InvalidConfigurationRequest', `Security group "${id}" does not belong to VPC "${vpcId}"`);
  }
  return unique;
}

function groupsOf(env: HandlerEnv, ids: string[] | undefined): NetworkInterface['Groups'] {
  return (ids ?? []).map((id) => {
    const g = env.store.get<SecurityGroup>(K.securityGroup.kind, env.scope, id)!;
    return { GroupId: g.GroupId, GroupName: g.GroupName };
  });
}

/** Creates the load balancer's interface in one subnet and returns its zone entry. */
export function attachToSubnet(env: HandlerEnv, lb: Pick<LoadBalancer, 'Type' | 'LoadBalancerName' | 'LoadBalancerArn' | 'Scheme' | 'SecurityGroups'>, subnet: Subnet, mapping: SubnetMapping): { zone: AvailabilityZone; eniId: string } {
  const id = lb.LoadBalancerArn.split('/').pop();
  const eni = createInterfaceRecord(env, subnet, {
    description: `ELB ${typeSegment(lb.Type)}/${lb.LoadBalancerName}/${id}`,
    interfaceType: lb.Type === 'application' ? 'interface' : 'network_load_balancer',
    privateIp: mapping.PrivateIPv4Address,
    groups: groupsOf(env, lb.SecurityGroups),
    requesterManaged: true,
    requesterId: 'amazon-elb',
  });
  eni.Status = 'in-use';
  eni.Attachment = { AttachmentId: newId('ela-attach'), InstanceOwnerId: 'amazon-elb', DeviceIndex: 1, Status: 'attached', AttachTime: new Date().toISOString(), DeleteOnTermination: false };
  if (lb.Scheme === 'internet-facing') assignAutoPublicIp(env, eni);
  env.store.put(K.networkInterface.kind, env.scope, eni.NetworkInterfaceId, eni);
  // Network Load Balancers show their per-zone address; Application Load Balancers list none.
  const addresses = lb.Type === 'network' ? [lb.Scheme === 'internet-facing' ? { IpAddress: eni.Association!.PublicIp } : { PrivateIPv4Address: eni.PrivateIpAddress }] : [];
  return { zone: { ZoneName: subnet.AvailabilityZone, SubnetId: subnet.SubnetId, LoadBalancerAddresses: addresses }, eniId: eni.NetworkInterfaceId };
}

export function detachInterface(env: HandlerEnv, eniId: string): void {
  const eni = env.store.get<NetworkInterface>(K.networkInterface.kind, env.scope, eniId);
  if (eni) deleteInterfaceRecord(env, eni);
}

/** Gives every interface of the load balancer its current security groups. */
export function syncInterfaceGroups(env: HandlerEnv, lb: LoadBalancer): void {
  const groups = groupsOf(env, lb.SecurityGroups);
  for (const eniId of Object.values(lb._interfaces)) {
    const eni = env.store.get<NetworkInterface>(K.networkInterface.kind, env.scope, eniId);
    if (eni) env.store.put(K.networkInterface.kind, env.scope, eniId, { ...eni, Groups: groups });
  }
}
