// Launch planning for RunInstances: everything a launch asks of the network,
// checked before any instance or interface is made — instance counts and
// type, the subnet (the default VPC's when none is named), the interfaces to
// create or attach with their addresses and security groups, whether the
// primary interface gets a public address, and the tags per resource. The
// instances' lifecycle (run, start, stop, terminate, describe) is in
// instances.ts.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv } from '../../aws/service.ts';
import type { SecurityGroup } from '../../records/ec2.ts';
import type { Tag } from './describe.ts';
import { defaultGroupOf, resolveGroups } from './interface-library.ts';
import { K, must } from './resources.ts';
import { tagsFromSpecs, type TagSpecification } from './tags.ts';
import type { NetworkInterface, Subnet, Vpc } from './types.ts';

interface NetworkInterfaceSpec {
  DeviceIndex?: number;
  NetworkInterfaceId?: string;
  SubnetId?: string;
  Groups?: string[];
  PrivateIpAddress?: string;
  PrivateIpAddresses?: { Primary?: boolean; PrivateIpAddress?: string }[];
  SecondaryPrivateIpAddressCount?: number;
  AssociatePublicIpAddress?: boolean;
  DeleteOnTermination?: boolean;
  Description?: string;
  NetworkCardIndex?: number;
}

export interface RunInstancesInput {
  ImageId?: string;
  InstanceType?: string;
  MinCount: number;
  MaxCount: number;
  KeyName?: string;
  SubnetId?: string;
  PrivateIpAddress?: string;
  SecurityGroupIds?: string[];
  SecurityGroups?: string[];
  NetworkInterfaces?: NetworkInterfaceSpec[];
  Placement?: { AvailabilityZone?: string; Tenancy?: string };
  TagSpecifications?: TagSpecification[];
  ClientToken?: string;
  DisableApiTermination?: boolean;
  Monitoring?: { Enabled?: boolean };
}

function combination(message: string): AwsError {
  return new AwsError('InvalidParameterCombination', message, 400);
}

/** The default subnet for a launch without one: the default VPC's subnet in the asked zone, else in its first zone. */
function defaultSubnet(env: HandlerEnv, zone?: string): Subnet {
  const vpc = env.store.list<Vpc>(K.vpc.kind, env.scope).find((v) => v.IsDefault);
  if (!vpc) throw new AwsError('VPCIdNotSpecified', 'No default VPC for this user', 400);
  const subnets = env.store.list<Subnet>(K.subnet.kind, env.scope).filter((s) => s.VpcId === vpc.VpcId && s.DefaultForAz);
  if (zone !== undefined) {
    const s = subnets.find((x) => x.AvailabilityZone === zone);
    if (!s) throw new AwsError('InvalidParameterValue', `Invalid availability zone: [${zone}]`, 400);
    return s;
  }
  const s = [...subnets].sort((a, b) => a.AvailabilityZone.localeCompare(b.AvailabilityZone))[0];
  if (!s) throw new AwsError('MissingInput', `No subnets found for the default VPC '${vpc.VpcId}'. Please specify a subnet.`, 400);
  return s;
}

/** Security groups named by name: only the default VPC takes names. */
function groupsByName(env: HandlerEnv, subnet: Subnet, names: string[]): NetworkInterface['Groups'] {
  const vpc = must<Vpc>(env, K.vpc, subnet.VpcId);
  if (!vpc.IsDefault) throw combination('The parameter groupName cannot be used with the parameter subnet');
  const stored = env.store.list<SecurityGroup>(K.securityGroup.kind, env.scope).filter((g) => g.VpcId === vpc.VpcId);
  return names.map((n) => {
    const g = stored.find((s) => s.GroupName === n);
    if (!g) throw new AwsError('InvalidGroup.NotFound', `The security group '${n}' does not exist in default VPC '${vpc.VpcId}'`, 400);
    return { GroupId: g.GroupId, GroupName: g.GroupName };
  });
}

/** An interface a launch creates (or attaches, when `existing`) for each instance. */
export interface PlannedInterface {
  deviceIndex: number;
  existing?: NetworkInterface;
  subnet: Subnet;
  groups: NetworkInterface['Groups'];
  privateIp?: string;
  secondaryIps: string[];
  secondaryCount?: number;
  description?: string;
  deleteOnTermination: boolean;
}

/** Where the launch's instances sit on the network. */
interface NetworkPlan {
  /** Per interface to create or attach, device 0 first. */
  interfaces: PlannedInterface[];
  publicIp: boolean;
}

/** What one launch asks for, checked once before any instance is made. */
export interface LaunchPlan extends NetworkPlan {
  instanceType: string;
  tags: { instance?: Tag[]; eni?: Tag[] };
}

/** Checks a RunInstances request (after its ImageId and ClientToken) and plans the launch; nothing is written. */
export function planLaunch(env: HandlerEnv, input: RunInstancesInput): LaunchPlan {
  if (input.MinCount < 1) throw new AwsError('InvalidParameterValue', `Value (${input.MinCount}) for parameter minCount is invalid. Expected a positive integer.`, 400);
  if (input.MaxCount < input.MinCount) throw new AwsError('InvalidParameterValue', `Value (${input.MaxCount}) for parameter maxCount is invalid. Expected a value greater than or equal to minCount (${input.MinCount}).`, 400);
  const instanceType = input.InstanceType ?? 'm1.small';
  if (!/^[a-z0-9-]+\.[a-z0-9-]+$/.test(instanceType)) throw new AwsError('InvalidParameterValue', `Invalid value '${instanceType}' for InstanceType.`, 400);
  const network = planNetwork(env, input);
  const fixedAddress = network.interfaces.some((i) => i.privateIp !== undefined || i.secondaryIps.length > 0 || i.existing);
  if (fixedAddress && input.MaxCount > 1) throw combination('Cannot launch more than one instance with a specific private IP address or network interface ID.');
  const tags = launchTags(input.TagSpecifications);
  return { ...network, instanceType, tags };
}

function planNetwork(env: HandlerEnv, input: RunInstancesInput): NetworkPlan {
  const zone = input.Placement?.AvailabilityZone;
  const specs = input.NetworkInterfaces ?? [];
  if (specs.length === 0) {
    const subnet = input.SubnetId !== undefined ? must<Subnet>(env, K.subnet, input.SubnetId) : defaultSubnet(env, zone);
    if (zone !== undefined && subnet.AvailabilityZone !== zone) throw combination(`The specified Availability Zone (${zone}) and subnet (${subnet.SubnetId}) do not match.`);
    const byId = input.SecurityGroupIds?.length ? resolveGroups(env, subnet.VpcId, subnet.SubnetId, input.SecurityGroupIds) : [];
    const byName = input.SecurityGroups?.length ? groupsByName(env, subnet, input.SecurityGroups) : [];
    const groups = byId.length || byName.length ? [...byId, ...byName.filter((g) => !byId.some((b) => b.GroupId === g.GroupId))] : defaultGroupOf(env, subnet.VpcId);
    return {
      interfaces: [{ deviceIndex: 0, subnet, groups, privateIp: input.PrivateIpAddress, secondaryIps: [], deleteOnTermination: true }],
      publicIp: subnet.MapPublicIpOnLaunch,
    };
  }
  if (input.SubnetId !== undefined) throw combination('Network interfaces and an instance-level subnet ID may not be specified on the same request');
  if (input.SecurityGroupIds?.length || input.SecurityGroups?.length) throw combination('Network interfaces and an instance-level security groups may not be specified on the same request');
  if (input.PrivateIpAddress !== undefined) throw combination('Network interfaces and an instance-level private IP address may not be specified on the same request');
  const seen = new Set<number>();
  const interfaces: PlannedInterface[] = [];
  let publicIp: boolean | undefined;
  for (const [n, spec] of specs.entries()) {
    const idx = spec.DeviceIndex;
    if (idx === undefined) throw new AwsError('MissingParameter', `The request must contain the parameter NetworkInterface.${n + 1}.DeviceIndex`, 400);
    if (seen.has(idx)) throw new AwsError('InvalidParameterValue', `Each network interface requires a unique device index; device index ${idx} is used more than once.`, 400);
    seen.add(idx);
    if (spec.AssociatePublicIpAddress !== undefined) {
      if (idx !== 0) throw new AwsError('InvalidParameterValue', 'The associatePublicIPAddress parameter can only be specified for the network interface with DeviceIndex 0.', 400);
      if (specs.length > 1) throw new AwsError('InvalidParameterCombination', 'The associatePublicIPAddress parameter cannot be specified when launching with multiple network interfaces.', 400);
      if (spec.NetworkInterfaceId) throw new AwsError('InvalidParameterCombination', 'The associatePublicIPAddress parameter cannot be specified for a network interface with an ID.', 400);
    }
    if (spec.NetworkInterfaceId) {
      const existing = must<NetworkInterface>(env, K.networkInterface, spec.NetworkInterfaceId);
      if (existing.Attachment || existing.Status !== 'available') throw new AwsError('InvalidNetworkInterface.InUse', `Interface: [${existing.NetworkInterfaceId}] in use.`, 400);
      if (spec.SubnetId !== undefined || spec.Groups?.length || spec.PrivateIpAddress !== undefined) {
        throw combination(`A network interface ID (${existing.NetworkInterfaceId}) cannot be combined with a subnet, security groups or private addresses for the same interface.`);
      }
      const subnet = must<Subnet>(env, K.subnet, existing.SubnetId);
      interfaces.push({ deviceIndex: idx, existing, subnet, groups: existing.Groups, secondaryIps: [], deleteOnTermination: spec.DeleteOnTermination ?? false });
      continue;
    }
    const subnet = spec.SubnetId !== undefined ? must<Subnet>(env, K.subnet, spec.SubnetId) : idx === 0 ? defaultSubnet(env, zone) : undefined;
    if (!subnet) throw new AwsError('MissingParameter', `The request must contain the parameter NetworkInterface.${n + 1}.SubnetId`, 400);
    const listed = spec.PrivateIpAddresses ?? [];
    const groups = spec.Groups?.length ? resolveGroups(env, subnet.VpcId, subnet.SubnetId, spec.Groups) : defaultGroupOf(env, subnet.VpcId);
    interfaces.push({
      deviceIndex: idx,
      subnet,
      groups,
      privateIp: spec.PrivateIpAddress ?? listed.find((a) => a.Primary)?.PrivateIpAddress,
      secondaryIps: listed.filter((a) => !a.Primary && a.PrivateIpAddress).map((a) => a.PrivateIpAddress!),
      secondaryCount: spec.SecondaryPrivateIpAddressCount,
      description: spec.Description,
      deleteOnTermination: spec.DeleteOnTermination ?? true,
    });
    if (idx === 0) publicIp = spec.AssociatePublicIpAddress ?? subnet.MapPublicIpOnLaunch;
  }
  interfaces.sort((a, b) => a.deviceIndex - b.deviceIndex);
  if (interfaces[0].deviceIndex !== 0) throw new AwsError('InvalidParameterValue', 'A network interface with DeviceIndex 0 is required.', 400);
  const zones = new Set(interfaces.map((i) => i.subnet.AvailabilityZone));
  if (zones.size > 1) throw combination('All network interfaces of an instance must be in the same Availability Zone.');
  if (zone !== undefined && !zones.has(zone)) throw combination(`The specified Availability Zone (${zone}) and subnet (${interfaces[0].subnet.SubnetId}) do not match.`);
  // An existing interface at device 0 never gets an auto-assigned public address.
  return { interfaces, publicIp: interfaces[0].existing ? false : (publicIp ?? false) };
}

/** Splits RunInstances tag specifications by the resource they tag (volumes are not emulated; their tags are accepted and dropped). */
function launchTags(specs: TagSpecification[] | undefined): { instance?: Tag[]; eni?: Tag[] } {
  const of = (type: string) => tagsFromSpecs((specs ?? []).filter((s) => s.ResourceType === type), type);
  const other = (specs ?? []).find((s) => !['instance', 'network-interface', 'volume'].includes(s.ResourceType ?? ''));
  if (other) throw new AwsError('InvalidParameterValue', `'${other.ResourceType ?? ''}' is not a valid taggable resource type for this operation.`, 400);
  of('volume');
  return { instance: of('instance'), eni: of('network-interface') };
}
