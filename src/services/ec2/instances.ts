// Instances, as far as networking needs them: where they sit (subnet,
// addresses, security groups, public address) and whether they run. Nothing
// boots; an instance's workload is a local process the user names with a
// `localnet:port:<port>` tag (see workloads.ts). Addresses, groups and public
// IPs live on the instance's network interfaces, so what Describe shows is
// derived from them (an Elastic IP on the primary interface shows up as the
// instance's public address). This file is the lifecycle (run, describe,
// start, stop, terminate, attributes); what a RunInstances request asks of
// the network is checked and planned in launch-plan.ts.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import { applyFilters, paginate, type Filter } from './describe.ts';
import {
  assignAutoPublicIp,
  attachInterface,
  createInterfaceRecord,
  deleteInterfaceRecord,
  detachInterface,
  interfacesOf,
  presentInterface,
  releaseAutoPublicIp,
  resolveGroups,
} from './interface-library.ts';
import { planLaunch, type LaunchPlan, type RunInstancesInput } from './launch-plan.ts';
import { isIdOf, K, malformed, newId, notFound, save } from './resources.ts';
import type { NetworkInterface } from './types.ts';
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

export function runInstances(input: RunInstancesInput, env: HandlerEnv) {
  if (!input.ImageId) throw new AwsError('MissingParameter', 'The request must contain the parameter ImageId', 400);
  // A retried launch with the same client token answers with the launch it already made.
  if (input.ClientToken) {
    const earlier = env.store.list<Instance>(K.instance.kind, env.scope).filter((i) => i.ClientToken === input.ClientToken);
    if (earlier.length) {
      return { ReservationId: earlier[0]._reservationId, OwnerId: env.scope.account, Groups: [], Instances: earlier.map((i) => presentInstance(env, i)) };
    }
  }
  const plan = planLaunch(env, input);

  const reservationId = newId('r');
  const launched: Instance[] = [];
  for (let n = 0; n < input.MaxCount; n++) {
    try {
      launched.push(launchOne(env, input, plan, reservationId, n));
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

/** Makes one instance of the launch: its interfaces as planned (attached, the primary with a public address when asked), then the instance. */
function launchOne(env: HandlerEnv, input: RunInstancesInput, plan: LaunchPlan, reservationId: string, index: number): Instance {
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
          tags: plan.tags.eni,
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
    InstanceType: plan.instanceType,
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
    Tags: plan.tags.instance,
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
  if (given.length > 1) throw new AwsError('InvalidParameterCombination', 'Only one attribute can be modified at a time', 400);
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

export const instanceHandlers = {
  RunInstances: runInstances,
  DescribeInstances: describeInstances,
  DescribeInstanceStatus: describeInstanceStatus,
  StopInstances: stopInstances,
  StartInstances: startInstances,
  TerminateInstances: terminateInstances,
  ModifyInstanceAttribute: modifyInstanceAttribute,
  DescribeInstanceAttribute: describeInstanceAttribute,
} satisfies Handlers;
