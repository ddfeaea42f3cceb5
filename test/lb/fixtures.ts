// Test fixtures for the load balancer data plane: EC2 resources through the
// EC2 SDK (a VPC with two public subnets and an app subnet, security groups,
// instances mapped to local backends), and the ELBv2 records put straight
// into the store in the control plane's shape (the binding contract).
import { LB_PREFIX } from '../helpers/slot.ts';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import {
  AssociateRouteTableCommand, AttachInternetGatewayCommand, AuthorizeSecurityGroupIngressCommand, CreateInternetGatewayCommand, CreateRouteCommand,
  CreateRouteTableCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, RunInstancesCommand, type EC2Client,
} from '@aws-sdk/client-ec2';
import type { Localnet } from '../../src/server.ts';
import { KINDS, type ActionRecord, type TargetHealthRecord } from '../../src/lb/records.ts';
import type { RuleCondition } from '../../src/lb/rules.ts';
import { CERTIFICATE_KIND } from '../../src/services/acm/types.ts';
import { DescribeTargetHealthCommand, type ElasticLoadBalancingV2Client, type TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';

export const SCOPE = { account: '000000000000', region: 'us-east-1' };

/** Writes a record as the control plane would; the network model is dropped as after any committed change. */
function put(ln: Localnet, kind: string, id: string, value: object): void {
  ln.store.put(kind, SCOPE, id, value);
  ln.network.invalidate();
}

export interface Net {
  vpcId: string;
  publicSubnets: string[];
  appSubnet: string;
  lbSg: string;
  appSg: string;
}

export async function buildNetwork(ec2: EC2Client): Promise<Net> {
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  const subnet = async (cidr: string, az: string) => (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: az }))).Subnet!.SubnetId!;
  const publicSubnets = [await subnet('10.0.1.0/24', 'us-east-1a'), await subnet('10.0.2.0/24', 'us-east-1b')];
  const appSubnet = await subnet('10.0.10.0/24', 'us-east-1a');
  const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
  const rtb = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
  await ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
  for (const s of publicSubnets) await ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId: s }));
  const sg = async (name: string) => (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpcId }))).GroupId!;
  const lbSg = await sg('lb');
  const appSg = await sg('app');
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: lbSg, IpPermissions: [[80, 80], [443, 443], [8080, 8099]].map(([from, to]) => ({ IpProtocol: 'tcp', FromPort: from, ToPort: to, IpRanges: [{ CidrIp: '0.0.0.0/0' }] })) }));
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: appSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: lbSg }] }] }));
  return { vpcId, publicSubnets, appSubnet, lbSg, appSg };
}

/** An instance in the app subnet whose ports map to local processes (port -> local port). */
export async function runInstance(ec2: EC2Client, net: Net, ports: Record<number, number>, groups = [net.appSg]): Promise<string> {
  const Tags = Object.entries(ports).map(([p, local]) => ({ Key: `localnet:port:${p}`, Value: `127.0.0.1:${local}` }));
  const r = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0abcdef1234567890', MinCount: 1, MaxCount: 1, SubnetId: net.appSubnet, SecurityGroupIds: groups, ...(Tags.length ? { TagSpecifications: [{ ResourceType: 'instance', Tags }] } : {}) }));
  return r.Instances![0].InstanceId!;
}

let nextAddress = 1 + Math.floor(Math.random() * 200);
let nextNode = 0;
const hex = () => randomUUID().replace(/-/g, '').slice(0, 16);
const arnBase = `arn:aws:elasticloadbalancing:${SCOPE.region}:${SCOPE.account}`;

export function putLoadBalancer(ln: Localnet, net: Net, opts: { name?: string; attributes?: Record<string, string>; scheme?: string } = {}): { arn: string; address: string } {
  const name = opts.name ?? `lb-${hex().slice(0, 6)}`;
  const arn = `${arnBase}:loadbalancer/app/${name}/${hex()}`;
  const address = `${LB_PREFIX}.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 1}`;
  put(ln, KINDS.loadBalancer, arn, {
    LoadBalancerArn: arn, LoadBalancerName: name, DNSName: `${name}-123.${SCOPE.region}.elb.amazonaws.com`, Scheme: opts.scheme ?? 'internet-facing', VpcId: net.vpcId,
    State: { Code: 'active' }, Type: 'application', AvailabilityZones: net.publicSubnets.map((s, i) => ({ ZoneName: `us-east-1${'ab'[i]}`, SubnetId: s })),
    SecurityGroups: [net.lbSg], _address: address, _attributes: { 'idle_timeout.timeout_seconds': '60', ...opts.attributes },
  });
  // Its nodes: one interface per subnet, described as ELBv2 describes its own.
  net.publicSubnets.forEach((subnetId, i) => {
    const id = `eni-${hex().slice(0, 17)}`;
    const ip = `10.0.${i + 1}.${200 + (nextNode++ % 50)}`;
    put(ln, 'ec2:network-interface', id, {
      NetworkInterfaceId: id, SubnetId: subnetId, VpcId: net.vpcId, AvailabilityZone: `us-east-1${'ab'[i]}`, OwnerId: SCOPE.account, Description: `ELB app/${name}/${arn.split('/').at(-1)}`,
      InterfaceType: 'interface', PrivateIpAddress: ip, PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: ip }], Groups: [{ GroupId: net.lbSg, GroupName: 'lb' }], SourceDestCheck: true, Status: 'in-use', RequesterManaged: true, Ipv6Addresses: [],
    });
  });
  return { arn, address };
}

/** A target group; `arn` reuses one (the same group in two localnets). */
export function putTargetGroup(ln: Localnet, net: Net, opts: { name?: string; arn?: string; port?: number; health?: Record<string, unknown>; attributes?: Record<string, string> } = {}): string {
  const name = opts.name ?? opts.arn?.split('/')[1] ?? `tg-${hex().slice(0, 6)}`;
  const arn = opts.arn ?? `${arnBase}:targetgroup/${name}/${hex()}`;
  put(ln, KINDS.targetGroup, arn, {
    TargetGroupArn: arn, TargetGroupName: name, Protocol: 'HTTP', Port: opts.port ?? 80, VpcId: net.vpcId, TargetType: 'instance',
    HealthCheckEnabled: true, HealthCheckProtocol: 'HTTP', HealthCheckPort: 'traffic-port', HealthCheckPath: '/', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2,
    HealthyThresholdCount: 2, UnhealthyThresholdCount: 2, Matcher: { HttpCode: '200' }, ...opts.health,
    _attributes: { 'deregistration_delay.timeout_seconds': '300', 'stickiness.enabled': 'false', ...opts.attributes },
  });
  return arn;
}

export function putTarget(ln: Localnet, tgArn: string, id: string, port = 80): string {
  const key = `${tgArn}|${id}|${port}`;
  put(ln, KINDS.target, key, { TargetGroupArn: tgArn, Id: id, Port: port, _registeredAt: new Date().toISOString() });
  return key;
}

export const forward = (tgArn: string): ActionRecord[] => [{ Type: 'forward', Order: 1, TargetGroupArn: tgArn }];

export function putListener(ln: Localnet, lbArn: string, port: number, protocol: 'HTTP' | 'HTTPS', actions: ActionRecord[], certs: { default?: string; sni?: string[]; policy?: string } = {}): string {
  const arn = `${lbArn.replace(':loadbalancer/', ':listener/')}/${hex()}`;
  put(ln, KINDS.listener, arn, {
    ListenerArn: arn, LoadBalancerArn: lbArn, Port: port, Protocol: protocol, DefaultActions: actions,
    ...(protocol === 'HTTPS' ? { Certificates: [{ CertificateArn: certs.default }], _sniCertificates: certs.sni ?? [], SslPolicy: certs.policy ?? 'ELBSecurityPolicy-TLS13-1-2-2021-06' } : {}),
  });
  return arn;
}

export function putRule(ln: Localnet, listenerArn: string, priority: number, conditions: RuleCondition[], actions: ActionRecord[]): string {
  const arn = `${listenerArn.replace(':listener/', ':listener-rule/')}/${hex()}`;
  put(ln, KINDS.rule, arn, { RuleArn: arn, Priority: String(priority), IsDefault: false, Conditions: conditions, Actions: actions, _listenerArn: listenerArn });
  return arn;
}

/** An ISSUED ACM certificate signed by localnet's CA, stored as ACM stores it. */
export async function putCertificate(ln: Localnet, names: string[]): Promise<string> {
  const issued = await ln.ca.issue({ names, keyAlgorithm: 'EC_prime256v1', validityDays: 30 });
  const id = randomUUID();
  const arn = `arn:aws:acm:${SCOPE.region}:${SCOPE.account}:certificate/${id}`;
  put(ln, CERTIFICATE_KIND, id, {
    arn, id, domainName: names[0], names, type: 'AMAZON_ISSUED', status: 'ISSUED', validations: [], keyAlgorithm: 'EC_prime256v1',
    options: { CertificateTransparencyLoggingPreference: 'ENABLED', Export: 'DISABLED' }, certificatePem: issued.certificatePem, chainPem: issued.chainPem,
    privateKeyPem: issued.privateKeyPem, notAfter: issued.notAfter.toISOString(), inUseBy: [], tags: [], exported: false,
  });
  return arn;
}

export function health(ln: Localnet, key: string): TargetHealthRecord | undefined {
  return ln.store.get<TargetHealthRecord>(KINDS.targetHealth, SCOPE, key);
}

/** Polls (bounded) until the stored health of key satisfies want. */
export async function waitForHealth(ln: Localnet, key: string, want: (h: TargetHealthRecord) => boolean, ms = 5000): Promise<TargetHealthRecord> {
  const until = Date.now() + ms;
  for (;;) {
    const h = health(ln, key);
    if (h && want(h)) return h;
    if (Date.now() > until) throw new Error(`health of ${key} is ${JSON.stringify(h)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface Backend {
  port: number;
  name: string;
  requests: IncomingMessage[];
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1:<random port> answering `${name} ${path}`, or through handler. */
export async function startBackend(name: string, handler?: (req: IncomingMessage, res: ServerResponse) => void): Promise<Backend> {
  const requests: IncomingMessage[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req);
    if (handler) return handler(req, res);
    req.resume();
    res.end(`${name} ${req.url}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    name,
    requests,
    close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

/** A port where nothing listens (bound, then closed). */
export async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface Reply { status: number; headers: http.IncomingHttpHeaders; body: string }

/** One HTTP(S) request on a fresh connection; the CA option makes the client trust only localnet's root. */
export function fetchOnce(url: string, opts: { host?: string; headers?: Record<string, string>; method?: string; ca?: string; servername?: string; timeoutMs?: number; body?: string } = {}): Promise<Reply> {
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request({
      host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method: opts.method ?? 'GET', agent: false,
      headers: { ...(opts.host ? { host: opts.host } : {}), ...opts.headers },
      ...(u.protocol === 'https:' ? { ca: opts.ca ? readFileSync(opts.ca, 'utf8') : undefined, servername: opts.servername ?? opts.host } : {}),
      timeout: opts.timeoutMs ?? 5000,
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Polls DescribeTargetHealth (bounded, 8 s) until the group's first target satisfies want. */
export async function waitForTargetHealth(elb: ElasticLoadBalancingV2Client, tg: string, want: (d: TargetHealthDescription) => boolean): Promise<TargetHealthDescription> {
  const until = Date.now() + 8000;
  for (;;) {
    const d = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }))).TargetHealthDescriptions?.[0];
    if (d && want(d)) return d;
    if (Date.now() > until) throw new Error(`target health: ${JSON.stringify(d)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
