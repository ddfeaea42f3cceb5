// The endpoint data plane over real TCP on loopback: an interface endpoint's
// interfaces accept on the service NLB's listener ports and relay each
// connection to the NLB listener from the interface's own address; network
// rules (the endpoint's security groups against the consumer VPC's CIDR)
// hold connections unanswered; acceptance, deletion and restarts are
// reconciled; `localnet status` lists every socket. A plain TCP server plays
// the NLB listener, so the test sees exactly what the endpoint relays and from
// which address (sdk-e2e.test.ts runs the real NLB behind it).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { statusCommand } from '../../src/cli/status.ts';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';
import {
  buildPrivateLinkNet, exchange, putEndpointService, putInterfaceEndpoint, putNlb, settle, standInNlb, standInUdpNlb, udpExchange, updateEndpoint,
  type Nlb, type PrivateLinkNet, type StandIn,
} from './fixtures.ts';

describe('the endpoint data plane', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  let net: PrivateLinkNet;
  let nlb: Nlb;
  let nlbListener: StandIn;
  const closers: (() => Promise<void>)[] = [];

  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln);
    net = await buildPrivateLinkNet(ln);
    nlb = putNlb(ln, net.provider, [443]);
    nlbListener = await standInNlb(nlb.address, 443, 'nlb');
    closers.push(nlbListener.close);
  });
  after(async () => {
    for (const c of closers) await c();
    await ln?.stop();
  });

  it('relays a connection on each interface to the NLB listener, from the interface\'s address', async () => {
    const service = putEndpointService(ln, nlb);
    const ep = putInterfaceEndpoint(ln, net.consumer, service, { groups: [net.consumer.endpointSg] });
    await settle(ln);
    for (const az of ['us-east-1a', 'us-east-1b']) {
      const r = await exchange(ep.addresses[az], 443, `hello ${az}`);
      assert.equal(r.reply, `nlb hello ${az}`, JSON.stringify(r));
    }
    assert.deepEqual(nlbListener.peers.slice(-2), [ep.addresses['us-east-1a'], ep.addresses['us-east-1b']], 'the NLB sees the endpoint interface as the client');
    const listed = ln.endpoints.bindings().filter((b) => b.endpoint === ep.id);
    assert.deepEqual(listed.map((b) => `${b.address}:${b.boundPort}`), Object.values(ep.addresses).map((a) => `${a}:443`));
    assert.ok(listed.every((b) => b.forwardsTo === `${nlb.name} ${nlb.address}:443` && !b.blocked));
  });

  it('holds connections unanswered while the endpoint\'s groups do not admit the consumer VPC, until a rule does', async () => {
    const sg = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: net.consumer.vpcId, GroupName: 'closed', Description: 'closed' }))).GroupId!;
    const service = putEndpointService(ln, nlb);
    const ep = putInterfaceEndpoint(ln, net.consumer, service, { groups: [sg] });
    await settle(ln);
    const address = ep.addresses['us-east-1a'];
    const held = await exchange(address, 443, 'anyone?', 600);
    assert.deepEqual(held, { reply: '' }, 'accepted, never answered');
    const status = ln.endpoints.bindings().find((b) => b.endpoint === ep.id)!;
    assert.match(status.blocked ?? '', new RegExp(`do not allow TCP 443 from ${net.consumer.cidr}.*authorize-security-group-ingress --group-id ${sg}`));

    // Through the EC2 API: the change event reconciles the socket without re-binding it.
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: net.consumer.cidr }] }] }));
    await settle(ln);
    assert.equal((await exchange(address, 443, 'now?')).reply, 'nlb now?');
  });

  it('a rule for a narrower range than the VPC does not admit the loopback client (it stands for any workload of the VPC)', async () => {
    const sg = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: net.consumer.vpcId, GroupName: 'narrow', Description: 'narrow' }))).GroupId!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.30.1.0/24' }] }] }));
    const ep = putInterfaceEndpoint(ln, net.consumer, putEndpointService(ln, nlb), { groups: [sg] });
    await settle(ln);
    assert.ok(ln.endpoints.bindings().find((b) => b.endpoint === ep.id)?.blocked);
  });

  it('passes no traffic before acceptance; closes the sockets when the endpoint is deleted', async () => {
    const service = putEndpointService(ln, nlb);
    const ep = putInterfaceEndpoint(ln, net.consumer, service, { groups: [net.consumer.endpointSg], state: 'pendingAcceptance' });
    await settle(ln);
    const address = ep.addresses['us-east-1b'];
    assert.deepEqual(await exchange(address, 443, 'pending?', 600), { reply: '' });
    assert.match(ln.endpoints.bindings().find((b) => b.endpoint === ep.id)!.blocked ?? '', /pendingAcceptance.*accept-vpc-endpoint-connections/);
    updateEndpoint(ln, ep.id, (e) => { e.State = 'available'; });
    await settle(ln);
    assert.equal((await exchange(address, 443, 'accepted')).reply, 'nlb accepted');
    updateEndpoint(ln, ep.id, (e) => { e.State = 'deleted'; });
    await settle(ln);
    assert.equal((await exchange(address, 443, 'gone?')).error, 'ECONNREFUSED');
    assert.ok(!ln.endpoints.bindings().some((b) => b.endpoint === ep.id));
  });

  it('resets the client when nothing listens on the NLB listener', async () => {
    const quiet = putNlb(ln, net.provider, [8443]);
    const ep = putInterfaceEndpoint(ln, net.consumer, putEndpointService(ln, quiet), { groups: [net.consumer.endpointSg] });
    await settle(ln);
    const r = await exchange(ep.addresses['us-east-1a'], 8443, 'hello?');
    assert.equal(r.reply, '');
    assert.match(r.error ?? '', /ECONNRESET|EPIPE/);
  });

  it('relays UDP datagrams to an NLB UDP listener from the interface\'s address, and drops what the rules block', async () => {
    const udpNlb = putNlb(ln, net.provider, [5300, 5301], 'UDP');
    const udpListener = await standInUdpNlb(udpNlb.address, 5300, 'udp-nlb');
    closers.push(udpListener.close);
    const ep = putInterfaceEndpoint(ln, net.consumer, putEndpointService(ln, udpNlb), { groups: [net.consumer.endpointSg] });
    await settle(ln);
    const address = ep.addresses['us-east-1a'];
    assert.equal(await udpExchange(address, 5300, 'ping'), 'udp-nlb ping');
    assert.equal(await udpExchange(address, 5300, 'again'), 'udp-nlb again', 'the same flow carries a second datagram');
    assert.deepEqual([...new Set(udpListener.peers)], [address]);
    const blocked = ln.endpoints.bindings().find((b) => b.endpoint === ep.id && b.protocol === 'UDP' && b.port === 5301)!;
    assert.match(blocked.blocked ?? '', /do not allow UDP 5301/);
    assert.equal(await udpExchange(address, 5301, 'dropped', 400), '');
  });

  it('status lists each endpoint interface socket, and a restart binds them again', async () => {
    const service = putEndpointService(ln, nlb);
    const ep = putInterfaceEndpoint(ln, net.consumer, service, { groups: [net.consumer.endpointSg] });
    await settle(ln);
    const lines: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void lines.push(args.join(' '));
    try {
      assert.equal(await statusCommand({ ...ln.config, port: Number(new URL(ln.endpoint).port) }), 0);
    } finally {
      console.log = log;
    }
    assert.ok(lines.some((l) => l.includes(`vpce ${ep.id} TCP 443 → ${ep.addresses['us-east-1a']}:443`) && l.includes(`to ${nlb.name} ${nlb.address}:443`)), lines.join('\n'));

    ln = await ln.restart();
    await settle(ln);
    assert.equal((await exchange(ep.addresses['us-east-1b'], 443, 'after restart')).reply, 'nlb after restart');
  });
});
