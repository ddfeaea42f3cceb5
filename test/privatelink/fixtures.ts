// PrivateLink test fixtures. EC2 networking (VPCs, subnets, security groups,
// a cross-region peering) goes through the EC2 SDK; the endpoint service, the
// interface endpoint with its interfaces, and the provider's Network Load
// Balancer with its listeners are put straight into the store in the shapes
// src/records/ declares, so a test can set any state (an endpoint pending,
// rejected, a name not yet verified) without walking the API's flow there
// (sdk-e2e.test.ts and test/services/ec2/privatelink-*.test.ts drive the API).
// A write emits the change event the API would, so server.ts's wiring (model,
// DNS views, endpoint data plane) runs.
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import net, { type AddressInfo, type Socket } from 'node:net';
import {
  AcceptVpcPeeringConnectionCommand, AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand,
  CreateVpcPeeringConnectionCommand, ModifyVpcAttributeCommand, type EC2Client,
} from '@aws-sdk/client-ec2';
import { endpointInterfaceDescription } from '../../src/records/interfaces.ts';
import { KIND } from '../../src/records/kinds.ts';
import type { NetworkInterface, VpcEndpoint, VpcEndpointServiceConfiguration } from '../../src/records/ec2.ts';
import type { Localnet } from '../../src/server.ts';
import type { Scope } from '../../src/store/store.ts';
import { ec2Client } from '../helpers/localnet.ts';
import { LB_PREFIX } from '../helpers/slot.ts';

export const EAST: Scope = { account: '000000000000', region: 'us-east-1' };
export const WEST: Scope = { account: '000000000000', region: 'us-west-2' };

const hex = (n: number) => randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n);

/** Writes a record as the control plane would, and announces the change as the gateway does after a committed request. */
function put(ln: Localnet, kind: string, scope: Scope, id: string, value: object): void {
  ln.store.put(kind, scope, id, value);
  ln.events.emit('change', { service: 'test', operation: `put ${kind}` }, new Set([kind]));
}

/** Waits until the DNS views and the endpoint sockets match the state. */
export async function settle(ln: Localnet): Promise<void> {
  await ln.dns.ready();
  await ln.endpoints.reconcile();
}

/** Loopback addresses for NLBs and endpoint interfaces: the test pool's upper part, random so parallel test files do not collide. */
let nextAddress = Math.floor(Math.random() * 40) * 250;
export function loopbackAddress(): string {
  const n = nextAddress++;
  return `${LB_PREFIX}.${200 + Math.floor(n / 250) % 56}.${(n % 250) + 1}`;
}

export interface Side {
  vpcId: string;
  cidr: string;
  subnets: { id: string; az: string; cidr: string }[];
}

export interface PrivateLinkNet {
  provider: Side;
  /** The consumer VPC (two subnets in us-east-1a/b) and its endpoint security group (TCP 443 and 8443, UDP 5300 from the VPC's CIDR). */
  consumer: Side & { endpointSg: string };
  /** A VPC in us-west-2 peered with the consumer VPC. */
  peer: Side;
  pcx: string;
}

async function vpc(ec2: EC2Client, cidr: string, subnets: [string, string][]): Promise<Side> {
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  const out: Side['subnets'] = [];
  for (const [c, az] of subnets) out.push({ id: (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: c, AvailabilityZone: az }))).Subnet!.SubnetId!, az, cidr: c });
  return { vpcId, cidr, subnets: out };
}

export async function buildPrivateLinkNet(ln: Localnet): Promise<PrivateLinkNet> {
  const east = ec2Client(ln);
  const west = ec2Client(ln, { region: 'us-west-2' });
  const provider = await vpc(east, '10.20.0.0/16', [['10.20.1.0/24', 'us-east-1a']]);
  const consumer = await vpc(east, '10.30.0.0/16', [['10.30.1.0/24', 'us-east-1a'], ['10.30.2.0/24', 'us-east-1b']]);
  const peer = await vpc(west, '10.40.0.0/16', [['10.40.1.0/24', 'us-west-2a']]);
  const endpointSg = (await east.send(new CreateSecurityGroupCommand({ VpcId: consumer.vpcId, GroupName: 'endpoint', Description: 'endpoint' }))).GroupId!;
  await east.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: endpointSg, IpPermissions: [443, 8443].map((p) => ({ IpProtocol: 'tcp', FromPort: p, ToPort: p, IpRanges: [{ CidrIp: consumer.cidr }] })) }));
  await east.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: endpointSg, IpPermissions: [{ IpProtocol: 'udp', FromPort: 5300, ToPort: 5300, IpRanges: [{ CidrIp: consumer.cidr }] }] }));
  const pcx = (await east.send(new CreateVpcPeeringConnectionCommand({ VpcId: consumer.vpcId, PeerVpcId: peer.vpcId, PeerRegion: 'us-west-2' }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
  await west.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx }));
  return { provider, consumer: { ...consumer, endpointSg }, peer, pcx };
}

export interface Nlb { arn: string; name: string; address: string; dnsName: string }

/** A provider's internal Network Load Balancer with `protocol` listeners on `ports` (the NLB control plane's shapes). */
export function putNlb(ln: Localnet, side: Side, ports: number[], protocol: 'TCP' | 'UDP' | 'TCP_UDP' | 'TLS' = 'TCP'): Nlb {
  const name = `nlb-${hex(6)}`;
  const id = hex(16);
  const arn = `arn:aws:elasticloadbalancing:${EAST.region}:${EAST.account}:loadbalancer/net/${name}/${id}`;
  const address = loopbackAddress();
  const dnsName = `${name}-${id}.elb.${EAST.region}.amazonaws.com`;
  put(ln, KIND.loadBalancer, EAST, arn, {
    LoadBalancerArn: arn, LoadBalancerName: name, DNSName: dnsName, Scheme: 'internal', VpcId: side.vpcId, State: { Code: 'active' }, Type: 'network',
    AvailabilityZones: side.subnets.map((s) => ({ ZoneName: s.az, SubnetId: s.id })), SecurityGroups: [], _address: address, _attributes: {},
  });
  for (const port of ports) {
    const listenerArn = `${arn.replace(':loadbalancer/', ':listener/')}/${hex(16)}`;
    put(ln, KIND.listener, EAST, listenerArn, { ListenerArn: listenerArn, LoadBalancerArn: arn, Port: port, Protocol: protocol, DefaultActions: [{ Type: 'forward', TargetGroupArn: `${arn.replace(':loadbalancer/net/', ':targetgroup/')}-tg` }] });
  }
  return { arn, name, address, dnsName };
}

export interface Service { id: string; name: string; baseDnsName: string }

export function putEndpointService(ln: Localnet, nlb: Nlb, opts: { privateDnsName?: string; state?: 'pendingVerification' | 'verified' | 'failed' } = {}): Service {
  const id = `vpce-svc-${hex(17)}`;
  const name = `com.amazonaws.vpce.${EAST.region}.${id}`;
  const baseDnsName = `${id}.${EAST.region}.vpce.amazonaws.com`;
  const value: VpcEndpointServiceConfiguration = {
    ServiceType: [{ ServiceType: 'Interface' }], ServiceId: id, ServiceName: name, ServiceState: 'Available', AvailabilityZones: ['us-east-1a', 'us-east-1b'],
    AcceptanceRequired: false, ManagesVpcEndpoints: false, NetworkLoadBalancerArns: [nlb.arn], SupportedIpAddressTypes: ['ipv4'], BaseEndpointDnsNames: [baseDnsName],
    ...(opts.privateDnsName ? { PrivateDnsName: opts.privateDnsName, PrivateDnsNameConfiguration: { State: opts.state ?? 'verified', Type: 'TXT', Value: `vpce:${hex(20)}`, Name: `_${hex(12)}` } } : {}),
    _allowedPrincipals: [{ Principal: '*', PrincipalType: 'All', ServicePermissionId: `vpce-svc-perm-${hex(17)}` }],
  };
  put(ln, KIND.vpcEndpointService, EAST, id, value);
  return { id, name, baseDnsName };
}

export function updateEndpointService(ln: Localnet, id: string, patch: (s: VpcEndpointServiceConfiguration) => void): void {
  const s = ln.store.get<VpcEndpointServiceConfiguration>(KIND.vpcEndpointService, EAST, id)!;
  patch(s);
  put(ln, KIND.vpcEndpointService, EAST, id, s);
}

export interface Endpoint {
  id: string;
  regionalName: string;
  zonalNames: Record<string, string>;
  /** The interfaces' loopback addresses, by AZ. */
  addresses: Record<string, string>;
  eniIds: string[];
  privateIps: string[];
}

/** An interface endpoint in `side` (one interface per subnet) to `service`, as CreateVpcEndpoint stores it. */
export function putInterfaceEndpoint(ln: Localnet, side: Side, service: Service, opts: { privateDnsName?: string; privateDnsEnabled?: boolean; state?: string; groups?: string[]; scope?: Scope } = {}): Endpoint {
  const scope = opts.scope ?? EAST;
  const id = `vpce-${hex(17)}`;
  const suffix = hex(8);
  const regionalName = `${id}-${suffix}.${service.baseDnsName}`;
  const zonalNames: Record<string, string> = {};
  const addresses: Record<string, string> = {};
  const eniIds: string[] = [];
  const privateIps: string[] = [];
  const groups = opts.groups ?? [];
  side.subnets.forEach((s, i) => {
    const eniId = `eni-${hex(17)}`;
    const ip = s.cidr.replace(/0\/24$/, String(100 + i));
    const address = loopbackAddress();
    const eni: NetworkInterface = {
      NetworkInterfaceId: eniId, SubnetId: s.id, VpcId: side.vpcId, AvailabilityZone: s.az, OwnerId: scope.account, RequesterId: '727180483921',
      Description: endpointInterfaceDescription(id), InterfaceType: 'vpc_endpoint', PrivateIpAddress: ip, PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: ip }],
      Groups: groups.map((g) => ({ GroupId: g, GroupName: g })), SourceDestCheck: true, Status: 'in-use', RequesterManaged: true, Ipv6Addresses: [], _address: address,
    } as unknown as NetworkInterface;
    put(ln, KIND.networkInterface, scope, eniId, eni);
    zonalNames[s.az] = `${id}-${suffix}-${s.az}.${service.baseDnsName}`;
    addresses[s.az] = address;
    eniIds.push(eniId);
    privateIps.push(ip);
  });
  const enabled = opts.privateDnsEnabled ?? true;
  const value: VpcEndpoint = {
    VpcEndpointId: id, VpcEndpointType: 'Interface', VpcId: side.vpcId, ServiceName: service.name, State: opts.state ?? 'available', RouteTableIds: [],
    SubnetIds: side.subnets.map((s) => s.id), Groups: groups.map((g) => ({ GroupId: g, GroupName: g })), PrivateDnsEnabled: enabled, RequesterManaged: false,
    NetworkInterfaceIds: eniIds,
    DnsEntries: [
      { DnsName: regionalName, HostedZoneId: 'Z7HUB22UULQXV' },
      ...Object.values(zonalNames).map((n) => ({ DnsName: n, HostedZoneId: 'Z7HUB22UULQXV' })),
      ...(enabled && opts.privateDnsName ? [{ DnsName: opts.privateDnsName, HostedZoneId: 'Z0123456789PRIVATEDNS' }] : []),
    ],
    CreationTimestamp: new Date().toISOString(), OwnerId: scope.account, _service: { account: EAST.account, region: EAST.region, serviceId: service.id },
  };
  put(ln, KIND.vpcEndpoint, scope, id, value);
  return { id, regionalName, zonalNames, addresses, eniIds, privateIps };
}

export function updateEndpoint(ln: Localnet, id: string, patch: (e: VpcEndpoint) => void, scope: Scope = EAST): void {
  const e = ln.store.get<VpcEndpoint>(KIND.vpcEndpoint, scope, id)!;
  patch(e);
  put(ln, KIND.vpcEndpoint, scope, id, e);
}

/** A gateway endpoint (S3) in `side` and its prefix-list route in each table, as CreateVpcEndpoint stores them. */
export function putGatewayEndpoint(ln: Localnet, side: Side, routeTableIds: string[], prefixListId = 'pl-63a5400a'): string {
  const id = `vpce-${hex(17)}`;
  put(ln, KIND.vpcEndpoint, EAST, id, {
    VpcEndpointId: id, VpcEndpointType: 'Gateway', VpcId: side.vpcId, ServiceName: `com.amazonaws.${EAST.region}.s3`, State: 'available', RouteTableIds: routeTableIds,
    SubnetIds: [], Groups: [], PrivateDnsEnabled: false, RequesterManaged: false, NetworkInterfaceIds: [], DnsEntries: [], CreationTimestamp: new Date().toISOString(), OwnerId: EAST.account,
  } satisfies VpcEndpoint);
  for (const t of routeTableIds) {
    const table = ln.store.get<{ Routes: object[] }>(KIND.routeTable, EAST, t)!;
    table.Routes.push({ DestinationPrefixListId: prefixListId, GatewayId: id, Origin: 'CreateRoute', State: 'active' });
    put(ln, KIND.routeTable, EAST, t, table);
  }
  return id;
}

/** A plain TCP server standing in for the NLB listener: echoes `${tag} ${what it read}` and records each client's address. */
export interface StandIn { port: number; peers: string[]; close(): Promise<void> }

export async function standInNlb(address: string, port: number, tag: string): Promise<StandIn> {
  const peers: string[] = [];
  const sockets = new Set<Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
    peers.push(s.remoteAddress ?? '');
    s.on('data', (d) => s.write(`${tag} ${d.toString()}`));
    s.on('error', () => s.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port, exclusive: true }, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    peers,
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

/** Connects, writes `msg`, and resolves with what came back within `ms` ('' when nothing did: a held connection). */
export function exchange(address: string, port: number, msg: string, ms = 1500): Promise<{ reply: string; error?: string }> {
  return new Promise((resolve) => {
    const s = net.connect({ host: address, port });
    let reply = '';
    const done = (error?: string) => { clearTimeout(t); s.destroy(); resolve({ reply, ...(error ? { error } : {}) }); };
    const t = setTimeout(() => done(), ms);
    s.on('connect', () => s.write(msg));
    s.on('data', (d) => { reply += d.toString(); if (reply.includes(msg)) done(); });
    s.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  });
}

/** A UDP server standing in for an NLB UDP listener: answers `${tag} ${datagram}` and records each sender's address. */
export async function standInUdpNlb(address: string, port: number, tag: string): Promise<StandIn> {
  const peers: string[] = [];
  const s = dgram.createSocket('udp4');
  s.on('message', (m, from) => {
    peers.push(from.address);
    s.send(`${tag} ${m.toString()}`, from.port, from.address);
  });
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.bind({ address, port, exclusive: true }, resolve);
  });
  return { port: s.address().port, peers, close: () => new Promise<void>((r) => s.close(() => r())) };
}

/** Sends one datagram and waits (at most ms) for one reply ('' when none came). */
export function udpExchange(address: string, port: number, msg: string, ms = 1000): Promise<string> {
  const s = dgram.createSocket('udp4');
  return new Promise((resolve) => {
    const t = setTimeout(() => { s.close(); resolve(''); }, ms);
    s.on('message', (m) => { clearTimeout(t); s.close(); resolve(m.toString()); });
    s.send(msg, port, address);
  });
}
