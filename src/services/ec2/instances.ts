// Instances, as far as networking needs them: where they sit (subnet,
// addresses, security groups, public address) and whether they run. Nothing
// boots; an instance's workload is a local process the user names with a
// `localnet:port:<port>` tag (see workloads.ts). Addresses, groups and public
// IPs live on the instance's network interfaces, so what Describe shows is
// derived from them (an Elastic IP on the primary interface shows up as the
// instance's public address).
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv } from '../../aws/service.ts';
import { applyFilters, paginate, type Filter, type Tag } from './describe.ts';
import {
  assignAutoPublicIp,
  attachInterface,
  createInterfaceRecord,
  defaultGroupOf,
  deleteInterfaceRecord,
  detachInterface,
  interfacesOf,
  presentInterface,
  releaseAutoPublicIp,
  resolveGroups,
} from './interface-library.ts';
import { isIdOf, K, malformed, must, newId, notFound, save } from './resources.ts';
import { tagsFromSpecs, type TagSpecification } from './tags.ts';
import type { NetworkInterface, Subnet, Vpc } from './types.ts';
import type { InstanceStateName, Instance } from '../../records/ec2.ts';
export type { InstanceStateName, Instance } from '../../records/ec2.ts';

/** AWS's state codes (the low byte of the code). */
const STATE_CODES: Record<InstanceStateName, number> = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 };

function state(name: InstanceStateName): { Code: number; Name: InstanceStateName } {
  return { Code: STATE_CODES[name], Name: name };
}

const TERMINATED_VISIBLE_MS = 3_600_000;

function visible(i: Instance, now = Date.now()): boolean {
  return i._terminatedAt === undefined || now - i._terminatedAt < TERMINATED_VISIBLE_MS;
}

function findInstances(env: HandlerEnv, ids: string[]): Instance[] {
  const missing: string[] = [];
  const out: Instance[] = [];
  for (const id of ids) {
    const i = env.store.get<Instance>(K.instance.kind, env.scope, id);
    if (i && visible(i)) out.push(i);
    else if (!isIdOf(K.instance, id)) throw malformed(K.instance, id);
    else missing.push(id);
  }
  if (missing.length === 1) throw notFound(K.instance, missing[0]);
  if (missing.length > 1) throw new AwsError(K.instance.notFound, `The instance IDs '${missing.join(', ')}' do not exist`, 400);
  return out;
}

function userInitiated(): string {
  return `User initiated (${new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' GMT')})`;
}

/** The instance as Describe shows it: addresses, groups and public address come from its interfaces. */
export function presentInstance(env: HandlerEnv, i: Instance, opts: { launching?: boolean } = {}): Instance {
  const nics = interfacesOf(env, i.InstanceId).map((e) => presentInterface(env, e));
  const primary = nics.find((e) => e.Attachment?.DeviceIndex === 0);
  const groups = new Map<string, { GroupId: string; GroupName: string }>();
  for (const e of nics) for (const g of e.Groups) groups.set(g.GroupId, g);
  // A launching instance has no public address yet; it shows once the instance runs.
  const assoc = opts.launching ? undefined : primary?.Association;
  const {
    _reservationId: _r,
    _autoPublicIp: _a,
    _disableApiTermination: _d,
    _lastPublicIp: _l,
    _terminatedAt: _t,
    ...rest
  } = i;
  return {
    ...rest,
    PrivateIpAddress: primary?.PrivateIpAddress,
    PrivateDnsName: primary?.PrivateDnsName ?? '',
    PublicIpAddress: assoc?.PublicIp,
    PublicDnsName: assoc?.PublicDnsName ?? '',
    SourceDestCheck: primary?.SourceDestCheck,
    SecurityGroups: [...groups.values()],
    NetworkInterfaces: nics.map((e) => ({
      ...e,
      Association: opts.launching ? undefined : e.Association,
      PrivateIpAddresses: e.PrivateIpAddresses.map((a) => ({ ...a, Association: opts.launching ? undefined : a.Association })),
      Attachment: e.Attachment ? { ...e.Attachment, NetworkCardIndex: 0 } : undefined,
    })),
  } as Instance;
}

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

interface RunInstancesInput {
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
  const stored = env.store.list<{ GroupId: string; GroupName: string; VpcId?: string }>(K.securityGroup.kind, env.scope).filter((g) => g.VpcId === vpc.VpcId);
  return names.map((n) => {
    const g = stored.find((s) => s.GroupName === n);
    if (!g) throw new AwsError('InvalidGroup.NotFound', `The security group '${n}' does not exist in default VPC '${vpc.VpcId}'`, 400);
    return { GroupId: g.GroupId, GroupName: g.GroupName };
  });
}

/** What one launch asks of the network, checked once before any instance is made. */
interface LaunchPlan {
  /** Per interface to create or attach, device 0 first. */
  interfaces: {
    deviceIndex: number;
    existing?: NetworkInterface;
    subnet: Subnet;
    groups: NetworkInterface['Groups'];
    privateIp?: string;
    secondaryIps: string[];
    secondaryCount?: number;
    description?: string;
    deleteOnTermination: boolean;
  }[];
  publicIp: boolean;
}

function planNetwork(env: HandlerEnv, input: RunInstancesInput): LaunchPlan {
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
  const interfaces: LaunchPlan['interfaces'] = [];
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

export function runInstances(input: RunInstancesInput, env: HandlerEnv) {
  if (!input.ImageId) throw new AwsError('MissingParameter', 'The request must contain the parameter ImageId', 400);
  // A retried launch with the same client token answers with the launch it already made.
  if (input.ClientToken) {
    const earlier = env.store.list<Instance>(K.instance.kind, env.scope).filter((i) => i.ClientToken === input.ClientToken);
    if (earlier.length) {
      return { ReservationId: earlier[0]._reservationId, OwnerId: env.scope.account, Groups: [], Instances: earlier.map((i) => presentInstance(env, i)) };
    }
  }
  if (input.MinCount < 1) throw new AwsError('InvalidParameterValue', `Value (${input.MinCount}) for parameter minCount is invalid. Expected a positive integer.`, 400);
  if (input.MaxCount < input.MinCount) throw new AwsError('InvalidParameterValue', `Value (${input.MaxCount}) for parameter maxCount is invalid. Expected a value greater than or equal to minCount (${input.MinCount}).`, 400);
  const instanceType = input.InstanceType ?? 'm1.small';
  if (!/^[a-z0-9-]+\.[a-z0-9-]+$/.test(instanceType)) throw new AwsError('InvalidParameterValue', `Invalid value '${instanceType}' for InstanceType.`, 400);
  const plan = planNetwork(env, input);
  const fixedAddress = plan.interfaces.some((i) => i.privateIp !== undefined || i.secondaryIps.length > 0 || i.existing);
  if (fixedAddress && input.MaxCount > 1) throw combination('Cannot launch more than one instance with a specific private IP address or network interface ID.');
  const tags = launchTags(input.TagSpecifications);

  const reservationId = newId('r');
  const launched: Instance[] = [];
  for (let n = 0; n < input.MaxCount; n++) {
    try {
      launched.push(launchOne(env, input, plan, instanceType, reservationId, n, tags));
    } catch (err) {
      // Launch as many as fit, as long as that is at least MinCount.
      if (err instanceof AwsError && err.code === 'InsufficientFreeAddressesInSubnet' && n >= input.MinCount) break;
      throw err;
    }
  }
  return {
    ReservationId: reservationId,
    OwnerId: env.scope.account,
    Groups: [],
    Instances: launched.map((i) => ({ ...presentInstance(env, i, { launching: true }), State: state('pending') })),
  };
}

function launchOne(env: HandlerEnv, input: RunInstancesInput, plan: LaunchPlan, instanceType: string, reservationId: string, index: number, tags: { instance?: Tag[]; eni?: Tag[] }): Instance {
  const instanceId = newId('i');
  const primarySubnet = plan.interfaces[0].subnet;
  const made: NetworkInterface[] = [];
  try {
    for (const spec of plan.interfaces) {
      const eni =
        spec.existing ??
        createInterfaceRecord(env, spec.subnet, {
          description: spec.description,
          privateIp: spec.privateIp,
          secondaryIps: spec.secondaryIps,
          secondaryCount: spec.secondaryCount,
          groups: spec.groups,
          tags: tags.eni,
        });
      if (!spec.existing) made.push(eni);
      attachInterface(eni, instanceId, env.scope.account, spec.deviceIndex, spec.deleteOnTermination);
      if (spec.deviceIndex === 0 && plan.publicIp) assignAutoPublicIp(env, eni);
      save(env, K.networkInterface, eni);
    }
  } catch (err) {
    // A launch that stops half-way (the subnet ran out of addresses) leaves no interface behind.
    for (const eni of made) deleteInterfaceRecord(env, eni);
    throw err;
  }
  const instance: Instance = {
    InstanceId: instanceId,
    ImageId: input.ImageId!,
    InstanceType: instanceType,
    KeyName: input.KeyName,
    LaunchTime: new Date().toISOString().replace(/\.\d+Z$/, '.000Z'),
    AmiLaunchIndex: index,
    Placement: { AvailabilityZone: primarySubnet.AvailabilityZone, GroupName: '', Tenancy: input.Placement?.Tenancy ?? 'default' },
    Monitoring: { State: input.Monitoring?.Enabled ? 'enabled' : 'disabled' },
    State: state('running'),
    StateTransitionReason: '',
    SubnetId: primarySubnet.SubnetId,
    VpcId: primarySubnet.VpcId,
    PrivateDnsName: '',
    Architecture: 'x86_64',
    RootDeviceType: 'ebs',
    RootDeviceName: '/dev/xvda',
    VirtualizationType: 'hvm',
    Hypervisor: 'xen',
    EnaSupport: true,
    EbsOptimized: false,
    ClientToken: input.ClientToken,
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
    PrivateDnsNameOptions: { HostnameType: 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    MetadataOptions: { State: 'applied', HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled', HttpProtocolIpv6: 'disabled', InstanceMetadataTags: 'disabled' },
    Tags: tags.instance,
    _reservationId: reservationId,
    _autoPublicIp: plan.publicIp,
    _disableApiTermination: input.DisableApiTermination ?? false,
  };
  if (instance.Tags === undefined) delete instance.Tags;
  return save(env, K.instance, instance);
}

export const INSTANCE_FILTERS = {
  'availability-zone': (i: Instance) => i.Placement.AvailabilityZone,
  'dns-name': (i: Instance) => i.PublicDnsName,
  'image-id': (i: Instance) => i.ImageId,
  'instance-id': (i: Instance) => i.InstanceId,
  'instance-state-code': (i: Instance) => String(i.State.Code),
  'instance-state-name': (i: Instance) => i.State.Name,
  'instance-type': (i: Instance) => i.InstanceType,
  'instance.group-id': (i: Instance) => i.SecurityGroups?.map((g) => g.GroupId),
  'instance.group-name': (i: Instance) => i.SecurityGroups?.map((g) => g.GroupName),
  'ip-address': (i: Instance) => i.PublicIpAddress,
  'key-name': (i: Instance) => i.KeyName,
  'launch-index': (i: Instance) => String(i.AmiLaunchIndex),
  'network-interface.network-interface-id': (i: Instance) => (i.NetworkInterfaces as NetworkInterface[]).map((e) => e.NetworkInterfaceId),
  'network-interface.subnet-id': (i: Instance) => (i.NetworkInterfaces as NetworkInterface[]).map((e) => e.SubnetId),
  'network-interface.vpc-id': (i: Instance) => (i.NetworkInterfaces as NetworkInterface[]).map((e) => e.VpcId),
  'network-interface.addresses.private-ip-address': (i: Instance) => (i.NetworkInterfaces as NetworkInterface[]).flatMap((e) => e.PrivateIpAddresses.map((a) => a.PrivateIpAddress)),
  'network-interface.source-dest-check': (i: Instance) => (i.NetworkInterfaces as NetworkInterface[]).map((e) => String(e.SourceDestCheck)),
  'private-dns-name': (i: Instance) => i.PrivateDnsName,
  'private-ip-address': (i: Instance) => i.PrivateIpAddress,
  'source-dest-check': (i: Instance) => (i.SourceDestCheck === undefined ? undefined : String(i.SourceDestCheck)),
  'subnet-id': (i: Instance) => i.SubnetId,
  'vpc-id': (i: Instance) => i.VpcId,
};

/** Presented instances, oldest first, each with its reservation id alongside (filters see the instance's own Tags). */
function rows(env: HandlerEnv, ids: string[] | undefined): (Instance & { _reservationId: string })[] {
  const now = Date.now();
  const stored = ids?.length ? findInstances(env, ids) : env.store.list<Instance>(K.instance.kind, env.scope).filter((i) => visible(i, now));
  return stored.map((i) => ({ ...presentInstance(env, i), _reservationId: i._reservationId }));
}

export function describeInstances(input: { InstanceIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const all = rows(env, input.InstanceIds);
  const filtered = applyFilters(all, input.Filters, {
    ...INSTANCE_FILTERS,
    'reservation-id': (r) => r._reservationId,
    'owner-id': () => env.scope.account,
  });
  // MaxResults counts instances; each page is then grouped by reservation.
  const { page, NextToken } = paginate(filtered, input, { min: 5, max: 1000 }, !!input.InstanceIds?.length);
  const reservations = new Map<string, { ReservationId: string; OwnerId: string; Groups: never[]; Instances: Instance[] }>();
  for (const { _reservationId: id, ...instance } of page) {
    const res = reservations.get(id) ?? { ReservationId: id, OwnerId: env.scope.account, Groups: [], Instances: [] };
    res.Instances.push(instance as Instance);
    reservations.set(id, res);
  }
  return { Reservations: [...reservations.values()], NextToken };
}

type Change = { InstanceId: string; CurrentState: ReturnType<typeof state>; PreviousState: ReturnType<typeof state> };

export function stopInstances(input: { InstanceIds: string[]; Force?: boolean; Hibernate?: boolean }, env: HandlerEnv) {
  const instances = findInstances(env, input.InstanceIds ?? []);
  for (const i of instances) {
    if (i.State.Name === 'terminated') throw new AwsError('IncorrectInstanceState', `This instance '${i.InstanceId}' is not in a state from which it can be stopped.`, 400);
  }
  const changes: Change[] = instances.map((i) => {
    const previous = state(i.State.Name);
    if (i.State.Name === 'stopped') return { InstanceId: i.InstanceId, CurrentState: state('stopped'), PreviousState: previous };
    // A stopped instance gives its auto-assigned public address back; an Elastic IP stays.
    const primary = interfacesOf(env, i.InstanceId).find((e) => e.Attachment?.DeviceIndex === 0);
    if (primary?.Association && !primary.Association.AllocationId) i._lastPublicIp = primary.Association.PublicIp;
    for (const eni of interfacesOf(env, i.InstanceId)) {
      releaseAutoPublicIp(eni);
      save(env, K.networkInterface, eni);
    }
    i.State = state('stopped');
    i.StateTransitionReason = userInitiated();
    i.StateReason = { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' };
    save(env, K.instance, i);
    return { InstanceId: i.InstanceId, CurrentState: state('stopping'), PreviousState: previous };
  });
  return { StoppingInstances: changes };
}

export function startInstances(input: { InstanceIds: string[] }, env: HandlerEnv) {
  const instances = findInstances(env, input.InstanceIds ?? []);
  for (const i of instances) {
    if (i.State.Name === 'terminated') throw new AwsError('IncorrectInstanceState', `The instance '${i.InstanceId}' is not in a state from which it can be started.`, 400);
  }
  const changes: Change[] = instances.map((i) => {
    const previous = state(i.State.Name);
    if (i.State.Name === 'running') return { InstanceId: i.InstanceId, CurrentState: state('running'), PreviousState: previous };
    // A started instance gets a new auto-assigned public address, unless an Elastic IP is mapped to it.
    const primary = interfacesOf(env, i.InstanceId).find((e) => e.Attachment?.DeviceIndex === 0);
    if (primary && i._autoPublicIp && !primary.Association) {
      assignAutoPublicIp(env, primary, i._lastPublicIp ? [i._lastPublicIp] : []);
      save(env, K.networkInterface, primary);
    }
    i.State = state('running');
    i.StateTransitionReason = '';
    delete i.StateReason;
    save(env, K.instance, i);
    return { InstanceId: i.InstanceId, CurrentState: state('pending'), PreviousState: previous };
  });
  return { StartingInstances: changes };
}

export function terminateInstances(input: { InstanceIds: string[] }, env: HandlerEnv) {
  const instances = findInstances(env, input.InstanceIds ?? []);
  for (const i of instances) {
    if (i._disableApiTermination && i.State.Name !== 'terminated') {
      throw new AwsError('OperationNotPermitted', `The instance '${i.InstanceId}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`, 400);
    }
  }
  const changes: Change[] = instances.map((i) => {
    const previous = state(i.State.Name);
    if (i.State.Name === 'terminated') return { InstanceId: i.InstanceId, CurrentState: state('terminated'), PreviousState: previous };
    // Interfaces made with the instance go with it (and so do their Elastic IP associations); others are detached and stay.
    for (const eni of interfacesOf(env, i.InstanceId)) {
      if (eni.Attachment!.DeleteOnTermination) {
        deleteInterfaceRecord(env, eni);
        continue;
      }
      releaseAutoPublicIp(eni);
      detachInterface(eni);
      save(env, K.networkInterface, eni);
    }
    i.State = state('terminated');
    i.StateTransitionReason = userInitiated();
    i.StateReason = { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' };
    delete i.SubnetId;
    delete i.VpcId;
    i._terminatedAt = Date.now();
    save(env, K.instance, i);
    return { InstanceId: i.InstanceId, CurrentState: state('shutting-down'), PreviousState: previous };
  });
  return { TerminatingInstances: changes };
}

export function describeInstanceStatus(input: { InstanceIds?: string[]; Filters?: Filter[]; IncludeAllInstances?: boolean; MaxResults?: number; NextToken?: string }, env: HandlerEnv) {
  const stored = input.InstanceIds?.length ? findInstances(env, input.InstanceIds) : env.store.list<Instance>(K.instance.kind, env.scope).filter((i) => visible(i));
  const statuses = stored
    .filter((i) => input.IncludeAllInstances || i.State.Name === 'running')
    .map((i) => {
      // Nothing can fail in a machine that does not boot: a running instance passes both checks.
      const check = i.State.Name === 'running' ? { Status: 'ok', Details: [{ Name: 'reachability', Status: 'passed' }] } : { Status: 'not-applicable', Details: [] as { Name: string; Status: string }[] };
      return { InstanceId: i.InstanceId, AvailabilityZone: i.Placement.AvailabilityZone, InstanceState: i.State, InstanceStatus: check, SystemStatus: check, Events: [] };
    });
  const filtered = applyFilters(statuses, input.Filters, {
    'availability-zone': (s) => s.AvailabilityZone,
    'instance-state-name': (s) => s.InstanceState.Name,
    'instance-state-code': (s) => String(s.InstanceState.Code),
    'instance-status.status': (s) => s.InstanceStatus.Status,
    'instance-status.reachability': (s) => s.InstanceStatus.Details.map((d) => d.Status),
    'system-status.status': (s) => s.SystemStatus.Status,
    'system-status.reachability': (s) => s.SystemStatus.Details.map((d) => d.Status),
  });
  const { page, NextToken } = paginate(filtered, input, { min: 5, max: 1000 }, !!input.InstanceIds?.length);
  return { InstanceStatuses: page, NextToken };
}

function primaryOf(env: HandlerEnv, i: Instance): NetworkInterface {
  const primary = interfacesOf(env, i.InstanceId).find((e) => e.Attachment?.DeviceIndex === 0);
  if (!primary) throw new AwsError('IncorrectInstanceState', `The instance '${i.InstanceId}' has no network interface.`, 400);
  return primary;
}

export function modifyInstanceAttribute(
  input: { InstanceId: string; SourceDestCheck?: { Value?: boolean }; Groups?: string[]; DisableApiTermination?: { Value?: boolean }; Attribute?: string; Value?: string },
  env: HandlerEnv,
) {
  const [i] = findInstances(env, [input.InstanceId]);
  // The older form names the attribute and passes its value as a string.
  const sourceDestCheck = input.SourceDestCheck?.Value ?? (input.Attribute === 'sourceDestCheck' ? input.Value === 'true' : undefined);
  const disableApiTermination = input.DisableApiTermination?.Value ?? (input.Attribute === 'disableApiTermination' ? input.Value === 'true' : undefined);
  const given = [sourceDestCheck, disableApiTermination, input.Groups?.length ? input.Groups : undefined].filter((v) => v !== undefined);
  if (given.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter sourceDestCheck, groupId or disableApiTermination (other attributes are not emulated)', 400);
  if (given.length > 1) throw combination('Only one attribute can be modified at a time');
  if (i.State.Name === 'terminated') throw new AwsError('IncorrectInstanceState', `The instance '${i.InstanceId}' is not in a state from which it can be modified.`, 400);
  if (sourceDestCheck !== undefined || input.Groups?.length) {
    // Both live on the primary interface.
    const primary = primaryOf(env, i);
    if (sourceDestCheck !== undefined) primary.SourceDestCheck = sourceDestCheck;
    if (input.Groups?.length) primary.Groups = resolveGroups(env, primary.VpcId, primary.SubnetId, input.Groups);
    save(env, K.networkInterface, primary);
  }
  if (disableApiTermination !== undefined) {
    i._disableApiTermination = disableApiTermination;
    save(env, K.instance, i);
  }
  return {};
}

export function describeInstanceAttribute(input: { InstanceId: string; Attribute: string }, env: HandlerEnv) {
  const [i] = findInstances(env, [input.InstanceId]);
  const shown = presentInstance(env, i);
  const base = { InstanceId: i.InstanceId };
  switch (input.Attribute) {
    case 'sourceDestCheck':
      return { ...base, SourceDestCheck: { Value: shown.SourceDestCheck ?? true } };
    case 'groupSet':
      return { ...base, Groups: shown.SecurityGroups };
    case 'instanceType':
      return { ...base, InstanceType: { Value: i.InstanceType } };
    case 'disableApiTermination':
      return { ...base, DisableApiTermination: { Value: i._disableApiTermination } };
    default:
      throw new AwsError('InvalidParameterValue', `Value (${input.Attribute}) for parameter attribute is invalid. localnet answers sourceDestCheck, groupSet, instanceType and disableApiTermination.`, 400);
  }
}
