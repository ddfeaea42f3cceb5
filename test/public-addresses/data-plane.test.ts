// The public address data plane over real TCP on loopback, driven through the
// SDK v3: an Elastic IP or an auto-assigned public address of an instance
// answers on each port the instance maps (`localnet:port:<port>`), relayed to
// the local process; association, disassociation, re-association, stop and
// start take effect at once; each network rule that cuts the internet off
// (security group, route to the internet gateway, the gateway itself, NACL
// in or out) leaves connections accepted and unanswered, and `localnet why`
// names the component. A NAT gateway's address accepts nothing.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  AllocateAddressCommand, AssociateAddressCommand, AttachInternetGatewayCommand, AuthorizeSecurityGroupIngressCommand, CreateInternetGatewayCommand,
  CreateNatGatewayCommand, CreateNetworkAclCommand, CreateNetworkAclEntryCommand, CreateRouteCommand, CreateSecurityGroupCommand, CreateSubnetCommand,
  CreateVpcCommand, DeleteNetworkAclEntryCommand, DeleteRouteCommand, DescribeAddressesCommand, DescribeInstancesCommand, DescribeNatGatewaysCommand, DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand, DetachInternetGatewayCommand, DisassociateAddressCommand, ModifySubnetAttributeCommand, ModifyVpcAttributeCommand,
  ReleaseAddressCommand, ReplaceNetworkAclAssociationCommand, RevokeSecurityGroupIngressCommand, RunInstancesCommand, StartInstancesCommand,
  StopInstancesCommand, type EC2Client,
} from '@aws-sdk/client-ec2';
import dnsPacket from 'dns-packet';
import { KIND } from '../../src/records/kinds.ts';
import { rejects } from '../helpers/errors.ts';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';
import { PUBLIC_IP } from '../helpers/slot.ts';

const EAST = { account: '000000000000', region: 'us-east-1' };

/** A local process standing in for an instance's web server: echoes `${tag} ${data}`, answers a half-close with `${tag} bye` and its own FIN. */
async function workload(tag: string): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    s.on('data', (d) => s.write(`${tag} ${d.toString()}`));
    s.on('end', () => s.end(`${tag} bye`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

/** Connects, sends `msg`, and waits up to `ms` for a reply holding it: the reply, or the error ('held' when the connection opened and nothing came back). */
function exchange(ip: string, port: number, msg: string, ms = 1500): Promise<{ reply: string; error?: string }> {
  return new Promise((resolve) => {
    const s = net.connect({ host: ip, port });
    let reply = '';
    let connected = false;
    const done = (error?: string) => { clearTimeout(t); s.destroy(); resolve({ reply, ...(error ? { error } : {}) }); };
    const t = setTimeout(() => done(connected ? 'held' : 'connect timeout'), ms);
    s.on('connect', () => { connected = true; s.write(msg); });
    s.on('data', (d) => { reply += d.toString(); if (reply.includes(msg)) done(); });
    s.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  });
}

/** The A answers of one UDP query to a DNS view. */
async function queryA(address: string, port: number, name: string): Promise<string[]> {
  const sock = dgram.createSocket('udp4');
  try {
    const reply = new Promise<Buffer>((resolve, reject) => {
      sock.once('message', resolve);
      setTimeout(() => reject(new Error(`no DNS answer for ${name}`)), 2000).unref();
    });
    sock.send(dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name }] }), port, address);
    return dnsPacket.decode(await reply).answers!.flatMap((a) => (a.type === 'A' ? [a.data] : []));
  } finally {
    sock.close();
  }
}

describe('the public address data plane', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  let vpcId: string;
  let subnetId: string;
  let publicSubnetId: string;
  let igw: string;
  let rtb: string;
  let sg: string;
  let a: { port: number; close(): Promise<void> };
  let b: { port: number; close(): Promise<void> };
  let instA: string;
  let instB: string;
  let eip: { AllocationId: string; PublicIp: string };

  const settle = () => ln.publicAddresses.reconcile();
  const why = async (destination: string) => {
    const r = await fetch(`${ln.endpoint}/_localnet/why?source=internet&destination=${encodeURIComponent(destination)}`);
    return (await r.json()) as { analysis: { pathFound: boolean; blocks: { explanation: { ExplanationCode: string } }[] }; text: string[] };
  };
  const run = async (subnet: string, port: number, extra: object = {}) => {
    const r = await ec2.send(new RunInstancesCommand({
      ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SubnetId: subnet, SecurityGroupIds: [sg],
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'localnet:port:80', Value: `127.0.0.1:${port}` }] }], ...extra,
    }));
    return r.Instances![0].InstanceId!;
  };
  const describeInstance = async (id: string) => (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0].Instances![0];

  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln);
    vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
    publicSubnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.2.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
    await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: publicSubnetId, MapPublicIpOnLaunch: { Value: true } }));
    igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    rtb = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).RouteTables![0].RouteTableId!;
    await ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
    sg = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: 'web', Description: 'web' }))).GroupId!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' }));
    a = await workload('A');
    b = await workload('B');
    instA = await run(subnetId, a.port);
    instB = await run(subnetId, b.port);
    const alloc = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    eip = { AllocationId: alloc.AllocationId!, PublicIp: alloc.PublicIp! };
  });
  after(async () => {
    await ln?.stop();
    await a?.close();
    await b?.close();
  });

  it('an Elastic IP is a loopback address of the block, the same in every answer', async () => {
    assert.match(eip.PublicIp, PUBLIC_IP);
    assert.notEqual(Number(eip.PublicIp.split('.')[3]), 0);
    await ec2.send(new AssociateAddressCommand({ AllocationId: eip.AllocationId, InstanceId: instA }));
    const i = await describeInstance(instA);
    assert.equal(i.PublicIpAddress, eip.PublicIp);
    assert.equal(i.PublicDnsName, `ec2-${eip.PublicIp.replace(/\./g, '-')}.compute-1.amazonaws.com`);
    const [described] = (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [eip.AllocationId] }))).Addresses!;
    assert.equal(described.PublicIp, eip.PublicIp);
    assert.equal(described.InstanceId, instA);
    // The public DNS name: the public address on the internet (a real DNS query to the public view), the private one inside the VPC.
    await ln.dns.ready();
    const pub = ln.dns.views().find((v) => v.view === 'public')!;
    assert.deepEqual(await queryA(pub.address, pub.port, i.PublicDnsName!), [eip.PublicIp]);
    const inVpc = (await (await fetch(`${ln.endpoint}/_localnet/dns/query?name=${i.PublicDnsName}&type=A&vpc=${vpcId}`)).json()) as { answers: string[] };
    assert.match(inVpc.answers[0], new RegExp(`\\tA\\t${i.PrivateIpAddress!.replace(/\./g, '\\.')}$`));
  });

  it('relays a connection to the Elastic IP\'s port 80 to the instance\'s workload, half-close included', async () => {
    await settle();
    assert.equal(ln.publicAddresses.boundPort(eip.PublicIp, 80), 80, 'port 80 binds as is when localnet may bind it');
    assert.equal(ln.publicAddresses.boundPort(eip.PublicIp, 81), undefined);
    assert.equal((await exchange(eip.PublicIp, 80, 'hello')).reply, 'A hello');
    // Half-close: the client's FIN reaches the workload, whose answer and FIN come back.
    const got = await new Promise<string>((resolve, reject) => {
      const s = net.connect({ host: eip.PublicIp, port: 80, allowHalfOpen: true });
      let data = '';
      s.on('connect', () => s.end('last'));
      s.on('data', (d) => (data += d.toString()));
      s.on('end', () => { s.destroy(); resolve(data); });
      s.on('error', reject);
      setTimeout(() => reject(new Error(`no FIN back: ${data}`)), 2000).unref();
    });
    assert.equal(got, 'A lastA bye');
    const listed = ln.publicAddresses.bindings().find((x) => x.address === eip.PublicIp)!;
    assert.deepEqual({ ...listed }, { kind: 'eip', address: eip.PublicIp, protocol: 'TCP', port: 80, boundPort: 80, instanceId: instA, forwardsTo: `127.0.0.1:${a.port}` });
    const health = (await (await fetch(`${ln.endpoint}/_localnet/health`)).json()) as { publicAddresses: { address: string }[] };
    assert.ok(health.publicAddresses.some((x) => x.address === eip.PublicIp));
    const w = await why(`${eip.PublicIp}:80`);
    assert.equal(w.analysis.pathFound, true, w.text.join('\n'));
  });

  it('disassociated, the address answers nothing; associated with another instance, it reaches that one\'s workload', async () => {
    await ec2.send(new DisassociateAddressCommand({ PublicIp: eip.PublicIp }));
    await settle();
    assert.equal(ln.publicAddresses.boundPort(eip.PublicIp, 80), undefined);
    assert.equal((await exchange(eip.PublicIp, 80, 'anyone?')).error, 'ECONNREFUSED');
    await ec2.send(new AssociateAddressCommand({ AllocationId: eip.AllocationId, InstanceId: instB }));
    await settle();
    assert.equal((await exchange(eip.PublicIp, 80, 'hello')).reply, 'B hello');
    assert.equal(ln.publicAddresses.bindings().find((x) => x.address === eip.PublicIp)?.instanceId, instB);
    const w = await why(`${eip.PublicIp}:80`);
    assert.equal(w.analysis.pathFound, true, w.text.join('\n'));
    assert.ok(w.text.join('\n').includes(eip.PublicIp));
  });

  it('an auto-assigned address changes on stop and start: the old one goes silent, the new one answers', async () => {
    const c = await run(publicSubnetId, a.port);
    const first = (await describeInstance(c)).PublicIpAddress!;
    assert.match(first, PUBLIC_IP);
    await settle();
    assert.equal((await exchange(first, 80, 'one')).reply, 'A one');
    assert.equal(ln.publicAddresses.bindings().find((x) => x.address === first)?.kind, 'public');
    await ec2.send(new StopInstancesCommand({ InstanceIds: [c] }));
    await settle();
    assert.equal((await describeInstance(c)).PublicIpAddress, undefined);
    assert.equal((await exchange(first, 80, 'gone?')).error, 'ECONNREFUSED');
    await ec2.send(new StartInstancesCommand({ InstanceIds: [c] }));
    await settle();
    const second = (await describeInstance(c)).PublicIpAddress!;
    assert.notEqual(second, first);
    assert.equal((await exchange(second, 80, 'two')).reply, 'A two');
    assert.equal((await exchange(first, 80, 'gone?')).error, 'ECONNREFUSED');
    const w = await why(`${c}:80`);
    assert.equal(w.analysis.pathFound, true, w.text.join('\n'));
  });

  // Each rule that cuts the internet off: connections open and get no answer, and `why` names the component.
  const held = async (code: string | RegExp, component: string) => {
    await settle();
    const r = await exchange(eip.PublicIp, 80, 'hello', 500);
    assert.equal(r.error, 'held', JSON.stringify(r));
    const listed = ln.publicAddresses.bindings().find((x) => x.address === eip.PublicIp)!;
    assert.ok(listed.blocked?.includes(component), listed.blocked);
    const w = await why(`${eip.PublicIp}:80`);
    assert.equal(w.analysis.pathFound, false);
    assert.match(w.analysis.blocks[0].explanation.ExplanationCode, typeof code === 'string' ? new RegExp(`^${code}$`) : code, w.text.join('\n'));
    assert.ok(w.text.join('\n').includes(component), w.text.join('\n'));
  };
  const answers = async () => {
    await settle();
    assert.equal((await exchange(eip.PublicIp, 80, 'back')).reply, 'B back');
  };

  it('a security group without port 80 from the internet: held, and why names the group', async () => {
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: sg, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' }));
    // Its only rule gone, the group has none (SG_HAS_NO_RULES); with others left, ENI_SG_RULES_MISMATCH.
    await held(/^(SG_HAS_NO_RULES|ENI_SG_RULES_MISMATCH)$/, sg);
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' }));
    await answers();
  });

  it('no route to the internet gateway: held, and why names the route table', async () => {
    await ec2.send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0' }));
    await held('NO_ROUTE_TO_DESTINATION', rtb);
    await ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
    await answers();
  });

  it('the internet gateway detached: EC2 refuses while addresses are mapped; a state without it holds, and why names the VPC', async () => {
    await rejects(ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId })), 'DependencyViolation', /mapped public address/);
    // The state AWS never lets the API reach, written directly: the gateway without its attachment.
    const rec = ln.store.get<{ Attachments: object[] }>(KIND.internetGateway, EAST, igw)!;
    ln.store.put(KIND.internetGateway, EAST, igw, { ...rec, Attachments: [] });
    ln.events.emit('change', { service: 'test', operation: 'detach' }, new Set([KIND.internetGateway]));
    await held('NO_PATH', vpcId);
    ln.store.put(KIND.internetGateway, EAST, igw, rec);
    ln.events.emit('change', { service: 'test', operation: 'attach' }, new Set([KIND.internetGateway]));
    await answers();
  });

  it('a NACL that denies port 80, or the replies on ephemeral ports: held, and why names the ACL', async () => {
    const acls = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }))).NetworkAcls!;
    const defaultAcl = acls[0].NetworkAclId!;
    const assoc = acls[0].Associations!.find((x) => x.SubnetId === subnetId)!.NetworkAclAssociationId!;
    const acl = (await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }))).NetworkAcl!.NetworkAclId!;
    await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: 80, To: 80 } }));
    const moved = (await ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc, NetworkAclId: acl }))).NewAssociationId!;
    // In, but no way out for the replies.
    await held('SUBNET_ACL_RESTRICTION', acl);
    await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0', PortRange: { From: 1024, To: 65535 } }));
    await answers();
    // Out, but port 80 not in.
    await ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 100, Egress: false }));
    await held('SUBNET_ACL_RESTRICTION', acl);
    await ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: moved, NetworkAclId: defaultAcl }));
    await answers();
  });

  it('a blocked connection is reset after the hold (60 s × LOCALNET_LB_TIME_SCALE)', async () => {
    await ln.stop(true);
    ln = await startTestLocalnetScaled(ln.config.dataDir);
    ec2 = ec2Client(ln);
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: sg, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' }));
    await settle();
    const r = await exchange(eip.PublicIp, 80, 'hello', 3000);
    assert.equal(r.error, 'ECONNRESET', JSON.stringify(r));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' }));
  });

  it('a NAT gateway\'s address accepts no connection, and why says so', async () => {
    const nat = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    const gw = (await ec2.send(new CreateNatGatewayCommand({ SubnetId: publicSubnetId, AllocationId: nat.AllocationId }))).NatGateway!;
    const [described] = (await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [gw.NatGatewayId!] }))).NatGateways!;
    assert.equal(described.NatGatewayAddresses![0].PublicIp, nat.PublicIp);
    assert.match(nat.PublicIp!, PUBLIC_IP);
    await settle();
    assert.equal(ln.publicAddresses.bindings().some((x) => x.address === nat.PublicIp), false);
    assert.equal((await exchange(nat.PublicIp!, 80, 'in?')).error, 'ECONNREFUSED');
    const w = await why(`${nat.PublicIp}:80`);
    assert.equal(w.analysis.pathFound, false);
    assert.ok(w.text.join('\n').includes(gw.NatGatewayId!), w.text.join('\n'));
    assert.match(w.text.join('\n'), /accepts none/);
  });

  it('released, an Elastic IP answers nothing', async () => {
    await ec2.send(new DisassociateAddressCommand({ PublicIp: eip.PublicIp }));
    await ec2.send(new ReleaseAddressCommand({ AllocationId: eip.AllocationId }));
    await settle();
    assert.equal(ln.publicAddresses.boundPort(eip.PublicIp, 80), undefined);
    assert.equal((await exchange(eip.PublicIp, 80, 'anyone?')).error, 'ECONNREFUSED');
  });
});

/** The same data directory with LOCALNET_LB_TIME_SCALE=0.01 (a 60 s hold becomes 600 ms). */
async function startTestLocalnetScaled(dataDir: string): Promise<TestLocalnet> {
  const before = process.env.LOCALNET_LB_TIME_SCALE;
  process.env.LOCALNET_LB_TIME_SCALE = '0.01';
  try {
    return await startTestLocalnet(dataDir);
  } finally {
    if (before === undefined) delete process.env.LOCALNET_LB_TIME_SCALE;
    else process.env.LOCALNET_LB_TIME_SCALE = before;
  }
}
