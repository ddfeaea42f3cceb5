// The NLB data plane through the real ELBv2 and EC2 APIs (SDK v3): TCP, TLS
// (local CA, ALPN, re-encryption to a TLS target group), UDP and TCP_UDP
// listeners carrying real bytes to loopback backends; PROXY protocol v2
// (PrivateLink's VPC endpoint TLV included); health checks with AWS's reasons;
// the network rules (the NLB's security group, PrivateLink enforcement,
// client IP preservation, NACLs) leaving clients unanswered; `why` through
// an NLB; `localnet status` ports.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import tls from 'node:tls';
import { after, before, describe, it } from 'node:test';
import {
  AuthorizeSecurityGroupIngressCommand, CreateNetworkAclCommand, CreateSecurityGroupCommand, DescribeNetworkAclsCommand, ReplaceNetworkAclAssociationCommand, type EC2Client,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client,
  DescribeListenerAttributesCommand, ModifyListenerAttributesCommand, ModifyTargetGroupAttributesCommand, RegisterTargetsCommand, SetSecurityGroupsCommand, type TargetHealthDescription, type CreateTargetGroupCommandInput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { clientConfig, ec2Client, startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';
import { buildNetwork, closedPort, putCertificate, runInstance, SCOPE, startBackend, waitForTargetHealth, type Backend, type Net } from './fixtures.ts';
import { exchange, startTcpEcho, startUdpEcho, udpExchange, type EchoServer, type UdpEcho } from './nlb-fixtures.ts';
import { PP2_SUBTYPE_AWS_VPCE_ID, PP2_TYPE_AWS } from '../../src/lb/nlb/proxy-protocol.ts';
import { LB_PREFIX } from '../helpers/slot.ts';

process.env.LOCALNET_LB_TIME_SCALE = '0.05';

describe('NLB data plane', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  let elb: ElasticLoadBalancingV2Client;
  let net: Net;
  let nlbSg: string;
  let lbArn: string;
  let instance: string;
  let tcpListener: string;
  let echo: EchoServer;
  let proxyEcho: EchoServer;
  let tlsEcho: EchoServer;
  let tcpUdpEcho: EchoServer;
  let udpEcho: UdpEcho;
  let tcpUdpUdp: UdpEcho;
  let web: Backend;
  const groups: Record<string, string> = {};

  const bound = (port: number, protocol?: string, name = 'nlb1') => {
    const b = ln.lb.bindings().find((x) => x.loadBalancer === name && x.port === port && (!protocol || x.protocol === protocol));
    assert.ok(b, `listener ${port} of ${name} is bound (${JSON.stringify(ln.lb.bindings())})`);
    return b;
  };
  const group = async (name: string, input: Partial<CreateTargetGroupCommandInput>) => {
    const arn = (await elb.send(new CreateTargetGroupCommand({ Name: name, VpcId: net.vpcId, TargetType: 'instance', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2, UnhealthyThresholdCount: 2, ...input } as CreateTargetGroupCommandInput))).TargetGroups![0].TargetGroupArn!;
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: instance }] }));
    groups[name] = arn;
    return arn;
  };
  const listen = (lb: string, Protocol: string, Port: number, tg: string, extra: Record<string, unknown> = {}) =>
    elb.send(new CreateListenerCommand({ LoadBalancerArn: lb, Protocol: Protocol as 'TCP', Port, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }], ...extra }));
  const waitHealth = (tg: string, want: (d: TargetHealthDescription) => boolean) => waitForTargetHealth(elb, tg, want);

  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln);
    elb = new ElasticLoadBalancingV2Client(clientConfig(ln));
    net = await buildNetwork(ec2);
    nlbSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'nlb', Description: 'nlb', VpcId: net.vpcId }))).GroupId!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: nlbSg, IpPermissions: [
      { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8099, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
      { IpProtocol: 'udp', FromPort: 8090, ToPort: 8099, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
    ] }));
    // The targets admit the NLB's security group (which works with client IP preservation on, as AWS documents).
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: net.appSg, IpPermissions: [
      { IpProtocol: 'tcp', FromPort: 7000, ToPort: 7010, UserIdGroupPairs: [{ GroupId: nlbSg }] },
      { IpProtocol: 'udp', FromPort: 7000, ToPort: 7010, UserIdGroupPairs: [{ GroupId: nlbSg }] },
    ] }));
    echo = await startTcpEcho();
    proxyEcho = await startTcpEcho({ proxy: true });
    const backendCert = await ln.ca.issue({ names: ['backend.internal'], keyAlgorithm: 'EC_prime256v1', validityDays: 2 });
    tlsEcho = await startTcpEcho({ tlsOptions: { key: backendCert.privateKeyPem, cert: backendCert.certificatePem }, prefix: 'tls:' });
    udpEcho = await startUdpEcho();
    tcpUdpEcho = await startTcpEcho();
    tcpUdpUdp = await startUdpEcho(tcpUdpEcho.port);
    const closed = await closedPort();
    // An HTTP health endpoint answering 302 on /ok (inside NLB's default matcher 200-399) and 500 elsewhere.
    web = await startBackend('web', (req, res) => { res.statusCode = req.url === '/ok' ? 302 : 500; res.end(); });
    instance = await runInstance(ec2, net, { 7000: echo.port, 7001: udpEcho.port, 7002: tcpUdpEcho.port, 7003: proxyEcho.port, 7004: tlsEcho.port, 7005: closed, 7006: echo.port, 7007: web.port, 7200: echo.port });
    lbArn = (await elb.send(new CreateLoadBalancerCommand({ Name: 'nlb1', Type: 'network', Scheme: 'internet-facing', Subnets: net.publicSubnets, SecurityGroups: [nlbSg] }))).LoadBalancers![0].LoadBalancerArn!;
    const cert = await putCertificate(ln, ['nlb.example.com']);
    tcpListener = (await listen(lbArn, 'TCP', 8080, await group('tcp', { Protocol: 'TCP', Port: 7000 }))).Listeners![0].ListenerArn!;
    await listen(lbArn, 'TLS', 8081, await group('tls-front', { Protocol: 'TCP', Port: 7000 }), { Certificates: [{ CertificateArn: cert }], SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', AlpnPolicy: ['HTTP2Preferred'] });
    await listen(lbArn, 'TCP', 8082, await group('proxy', { Protocol: 'TCP', Port: 7003 }));
    await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: groups.proxy, Attributes: [{ Key: 'proxy_protocol_v2.enabled', Value: 'true' }] }));
    await listen(lbArn, 'TLS', 8084, await group('tls-back', { Protocol: 'TLS', Port: 7004 }), { Certificates: [{ CertificateArn: cert }] });
    await listen(lbArn, 'TCP', 8085, await group('closed', { Protocol: 'TCP', Port: 7005 }));
    await listen(lbArn, 'TCP', 8086, await group('wrong-sg', { Protocol: 'TCP', Port: 7200 }));
    await listen(lbArn, 'TCP', 8088, await group('http-bad', { Protocol: 'TCP', Port: 7007, HealthCheckProtocol: 'HTTP', HealthCheckPath: '/fail' }));
    await listen(lbArn, 'TCP', 8089, await group('http-ok', { Protocol: 'TCP', Port: 7007, HealthCheckProtocol: 'HTTP', HealthCheckPath: '/ok' }));
    await listen(lbArn, 'UDP', 8090, await group('udp', { Protocol: 'UDP', Port: 7001, HealthCheckProtocol: 'TCP', HealthCheckPort: '7000' }));
    await listen(lbArn, 'TCP_UDP', 8091, await group('tcp-udp', { Protocol: 'TCP_UDP', Port: 7002 }));
    await ln.lb.reconcile();
  });
  after(async () => {
    await ln?.stop();
    await Promise.all([echo, proxyEcho, tlsEcho, tcpUdpEcho, web].map((e) => e?.close()));
    udpEcho?.close();
    tcpUdpUdp?.close();
  });

  it('TCP: bytes reach the target and back; a half-close is passed on both ways', async () => {
    const b = bound(8080, 'TCP');
    assert.match(b.address, new RegExp(`^${LB_PREFIX.replace('.', '\\.')}\\.`));
    const r = await exchange(b.address, b.boundPort, 'hello nlb', { end: true });
    assert.deepEqual(r, { kind: 'data', data: 'hello nlb', ended: true });
    const healthy = await waitHealth(groups.tcp, (d) => d.TargetHealth?.State === 'healthy');
    assert.equal(healthy.Target?.Id, instance);
    assert.equal(ln.lb.ports()['lb nlb1 TCP 8080'], `${b.address}:${b.boundPort}`);
  });

  it('TCP: 32 MiB both ways arrive intact (back-pressure, reused read buffers)', async () => {
    const b = bound(8080, 'TCP');
    const sent = randomBytes(32 * 1024 * 1024);
    const got = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const s = connect({ host: b.address, port: b.boundPort }, () => {
        // Written in pieces so the client side sees back-pressure too.
        for (let at = 0; at < sent.length; at += 100_000) s.write(sent.subarray(at, at + 100_000));
        s.end();
      });
      s.on('data', (d) => chunks.push(d));
      // A slow reader at first: the NLB's writes to it queue while the target keeps sending.
      s.pause();
      setTimeout(() => s.resume(), 500);
      s.on('end', () => resolve(Buffer.concat(chunks)));
      s.on('error', reject);
      setTimeout(() => reject(new Error('timeout')), 10_000).unref();
    });
    assert.equal(got.length, sent.length);
    assert.equal(createHash('sha256').update(got).digest('hex'), createHash('sha256').update(sent).digest('hex'));
  });

  it('TCP: a reset from the target reaches the client as a reset; the idle timeout resets both sides', async () => {
    const b = bound(8080, 'TCP');
    assert.deepEqual(await exchange(b.address, b.boundPort, 'RST'), { kind: 'reset' });
    const listener = (await elb.send(new DescribeListenerAttributesCommand({ ListenerArn: tcpListener }))).Attributes;
    assert.deepEqual(listener, [{ Key: 'tcp.idle_timeout.seconds', Value: '350' }]);
    const set = await elb.send(new ModifyListenerAttributesCommand({ ListenerArn: tcpListener, Attributes: [{ Key: 'tcp.idle_timeout.seconds', Value: '60' }] }));
    assert.deepEqual(set.Attributes, [{ Key: 'tcp.idle_timeout.seconds', Value: '60' }]);
    await assert.rejects(elb.send(new ModifyListenerAttributesCommand({ ListenerArn: tcpListener, Attributes: [{ Key: 'tcp.idle_timeout.seconds', Value: '59' }] })), /between 60 and 6000/);
    // The API's minimum is 60 s; the data plane reads the stored record, so a test can stand in a shorter one.
    const rec = ln.store.get<Record<string, unknown>>('elbv2:listener', SCOPE, tcpListener)!;
    ln.store.put('elbv2:listener', SCOPE, tcpListener, { ...rec, _attributes: { 'tcp.idle_timeout.seconds': '1' } });
    await ln.lb.reconcile();
    const started = Date.now();
    const idle = await exchange(b.address, b.boundPort, 'quiet', { ms: 3000, until: 'never' });
    assert.equal(idle.kind, 'reset');
    assert.ok(Date.now() - started >= 900, 'reset after the idle timeout, not before');
    ln.store.put('elbv2:listener', SCOPE, tcpListener, rec);
    await ln.lb.reconcile();
  });

  it('TLS: terminated with the ACM certificate (trusted through the local CA root), ALPN per policy, plaintext to the target', async () => {
    const b = bound(8081, 'TLS');
    const ca = readFileSync(ln.ca.files.root, 'utf8');
    const talk = (alpn: string[] | undefined, servername: string) => new Promise<{ alpn: string | false; authorized: boolean; echo: string; version: string | null }>((resolve, reject) => {
      const s = tls.connect({ host: b.address, port: b.boundPort, servername, ca, ...(alpn ? { ALPNProtocols: alpn } : {}) }, () => {
        s.write('over tls');
        s.once('data', (d) => { resolve({ alpn: s.alpnProtocol ?? false, authorized: s.authorized, echo: d.toString(), version: s.getProtocol() }); s.destroy(); });
      });
      s.on('error', reject);
      setTimeout(() => reject(new Error('tls timeout')), 3000).unref();
    });
    const h2 = await talk(['http/1.1', 'h2'], 'nlb.example.com');
    assert.deepEqual(h2, { alpn: 'h2', authorized: true, echo: 'over tls', version: 'TLSv1.3' });
    const h1 = await talk(['http/1.1'], 'nlb.example.com');
    assert.equal(h1.alpn, 'http/1.1');
  });

  it('TLS target group: the NLB re-encrypts to the target', async () => {
    const b = bound(8084, 'TLS');
    const got = await new Promise<string>((resolve, reject) => {
      const s = tls.connect({ host: b.address, port: b.boundPort, servername: 'nlb.example.com', ca: readFileSync(ln.ca.files.root, 'utf8') }, () => s.write('secret'));
      s.once('data', (d) => { resolve(d.toString()); s.destroy(); });
      s.on('error', reject);
      setTimeout(() => reject(new Error('timeout')), 3000).unref();
    });
    assert.equal(got, 'tls:secret');
  });

  it('UDP: each datagram answered through the flow; TCP_UDP carries both', async () => {
    const u = bound(8090, 'UDP');
    assert.equal(await udpExchange(u.address, u.boundPort, 'ping'), 'udp:ping');
    assert.equal(await udpExchange(u.address, u.boundPort, 'again'), 'udp:again');
    const both = bound(8091, 'TCP_UDP');
    assert.equal(await udpExchange(both.address, both.boundPort, 'dgram'), 'udp:dgram');
    assert.deepEqual(await exchange(both.address, both.boundPort, 'stream', { end: true }), { kind: 'data', data: 'stream', ended: true });
    // The UDP group is health-checked over TCP on its health check port.
    await waitHealth(groups.udp, (d) => d.TargetHealth?.State === 'healthy');
  });

  it('PROXY v2: the client and listener addresses before the stream; through a VPC endpoint, the AWS TLV with its id', async () => {
    const b = bound(8082, 'TCP');
    const r = await exchange(b.address, b.boundPort, 'after header', { end: true });
    assert.deepEqual(r, { kind: 'data', data: 'after header', ended: true });
    const h = proxyEcho.headers.at(-1)!;
    assert.equal(h.command, 0x21);
    assert.equal(h.family, 0x11);
    assert.equal(h.source?.address, '127.0.0.1');
    assert.deepEqual(h.destination, { address: b.address, port: 8082 });
    assert.equal(h.tlvs.length, 0);

    // An interface endpoint's interface, as the VPC endpoint control plane records it, connecting from its own address.
    const endpointAddress = `${LB_PREFIX}.250.7`;
    ln.store.put('ec2:network-interface', SCOPE, 'eni-0e0e0e0e0e0e0e0e0', {
      NetworkInterfaceId: 'eni-0e0e0e0e0e0e0e0e0', SubnetId: net.publicSubnets[0], VpcId: net.vpcId, AvailabilityZone: 'us-east-1a', OwnerId: SCOPE.account,
      Description: 'VPC Endpoint Interface vpce-0123456789abcdef0', InterfaceType: 'vpc_endpoint', PrivateIpAddress: '10.0.1.77',
      PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: '10.0.1.77' }], Groups: [], SourceDestCheck: true, Status: 'in-use', RequesterManaged: true, Ipv6Addresses: [], _address: endpointAddress,
    });
    ln.network.invalidate();
    await ln.lb.reconcile();
    const viaEndpoint = await exchange(b.address, b.boundPort, 'private', { end: true, localAddress: endpointAddress });
    assert.deepEqual(viaEndpoint, { kind: 'data', data: 'private', ended: true });
    const p = proxyEcho.headers.at(-1)!;
    assert.equal(p.source?.address, endpointAddress);
    const aws = p.tlvs.find((t) => t.type === PP2_TYPE_AWS);
    assert.ok(aws, 'AWS TLV present');
    assert.equal(aws.value[0], PP2_SUBTYPE_AWS_VPCE_ID);
    assert.equal(aws.value.subarray(1).toString('ascii'), 'vpce-0123456789abcdef0');
  });

  it('health: a port where nothing listens fails with Target.FailedHealthChecks, a security group that drops the NLB with Target.Timeout', async () => {
    const closed = await waitHealth(groups.closed, (d) => d.TargetHealth?.State === 'unhealthy');
    assert.equal(closed.TargetHealth?.Reason, 'Target.FailedHealthChecks');
    assert.match(closed.TargetHealth?.Description ?? '', /nothing listens on 127\.0\.0\.1:\d+, where instance i-\w+ port 7005 is mapped/);
    const sg = await waitHealth(groups['wrong-sg'], (d) => d.TargetHealth?.State === 'unhealthy');
    assert.equal(sg.TargetHealth?.Reason, 'Target.Timeout');
    assert.match(sg.TargetHealth?.Description ?? '', new RegExp(`Request timed out \\(localnet: .*${net.appSg}.*7200`));
    // HTTP checks: NLB's default matcher 200-399 passes a 302 and fails a 500.
    const bad = await waitHealth(groups['http-bad'], (d) => d.TargetHealth?.State === 'unhealthy');
    assert.deepEqual([bad.TargetHealth?.Reason, bad.TargetHealth?.Description], ['Target.ResponseCodeMismatch', 'Health checks failed with these codes: [500]']);
    await waitHealth(groups['http-ok'], (d) => d.TargetHealth?.State === 'healthy');
    // Traffic to that target gets no answer either (the SYN is dropped), while the refused port resets.
    assert.equal((await exchange(bound(8086).address, bound(8086).boundPort, 'x', { ms: 400 })).kind, 'silent');
    assert.equal((await exchange(bound(8085).address, bound(8085).boundPort, 'x', { ms: 1000 })).kind, 'reset');
  });

  it('`why` walks internet → NLB → instance, and names client IP preservation when the target only admits the NLB group', async () => {
    const why = async (dest: string, protocol = 'tcp') => (await (await fetch(`${ln.endpoint}/_localnet/why?source=internet&destination=${dest}&protocol=${protocol}`)).json()) as { analysis: { pathFound: boolean; blocks: { message: string }[]; forward: { kind: string; note?: string }[] } };
    const ok = await why(`${instance}:7000`);
    assert.equal(ok.analysis.pathFound, true);
    assert.ok(ok.analysis.forward.some((h) => h.kind === 'load-balancer' && /nlb1/.test(h.note ?? '')));
    // UDP goes through the UDP listener (8090 → 7001), judged as UDP all the way.
    const udp = await why(`${instance}:7001`, 'udp');
    assert.equal(udp.analysis.pathFound, true, JSON.stringify(udp.analysis.blocks));
    assert.ok(udp.analysis.forward.some((h) => h.kind === 'load-balancer' && /listener UDP 8090/.test(h.note ?? '')));
    // An NLB without security groups: the target sees the client (preserved), and the rule naming the other NLB's group does not admit it.
    const bare = (await elb.send(new CreateLoadBalancerCommand({ Name: 'nlb-bare', Type: 'network', Scheme: 'internet-facing', Subnets: net.publicSubnets }))).LoadBalancers![0];
    assert.equal(bare.SecurityGroups, undefined);
    await listen(bare.LoadBalancerArn!, 'TCP', 8087, await group('bare', { Protocol: 'TCP', Port: 7006 }));
    await ln.lb.reconcile();
    const blocked = await why(`${instance}:7006`);
    assert.equal(blocked.analysis.pathFound, false);
    assert.match(blocked.analysis.blocks[0].message, /preserves client IP addresses/);
    const b = bound(8087, 'TCP', 'nlb-bare');
    assert.equal((await exchange(b.address, b.boundPort, 'x', { ms: 400 })).kind, 'silent');
  });

  it('PrivateLink: the NLB security group applies only while enforcement is on; internet clients it drops get no answer', async () => {
    const narrow = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'nlb-narrow', Description: 'narrow', VpcId: net.vpcId }))).GroupId!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: narrow, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8082, ToPort: 8082, IpRanges: [{ CidrIp: '192.0.2.0/24' }] }] }));
    // The target admits the new group too, so only the NLB's inbound rules decide.
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: net.appSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 7003, ToPort: 7003, UserIdGroupPairs: [{ GroupId: narrow }] }] }));
    const set = await elb.send(new SetSecurityGroupsCommand({ LoadBalancerArn: lbArn, SecurityGroups: [narrow] }));
    assert.equal(set.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic, 'on');
    await ln.lb.reconcile();
    const b = bound(8082);
    const endpointAddress = `${LB_PREFIX}.250.7`;
    assert.equal((await exchange(b.address, b.boundPort, 'x', { ms: 400 })).kind, 'silent');
    assert.equal((await exchange(b.address, b.boundPort, 'x', { ms: 400, localAddress: endpointAddress })).kind, 'silent');
    const off = await elb.send(new SetSecurityGroupsCommand({ LoadBalancerArn: lbArn, SecurityGroups: [narrow], EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: 'off' }));
    assert.equal(off.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic, 'off');
    const described = (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn] }))).LoadBalancers![0];
    assert.equal(described.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic, 'off');
    await ln.lb.reconcile();
    assert.deepEqual(await exchange(b.address, b.boundPort, 'through the endpoint', { end: true, localAddress: endpointAddress }), { kind: 'data', data: 'through the endpoint', ended: true });
    assert.equal((await exchange(b.address, b.boundPort, 'x', { ms: 400 })).kind, 'silent');
    await elb.send(new SetSecurityGroupsCommand({ LoadBalancerArn: lbArn, SecurityGroups: [nlbSg], EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: 'on' }));
    await ln.lb.reconcile();
    assert.equal((await exchange(b.address, b.boundPort, 'back', { end: true })).kind, 'data');
  });

  it('a network ACL without rules on the NLB subnets: TCP and UDP clients get no answer', async () => {
    const acl = (await ec2.send(new CreateNetworkAclCommand({ VpcId: net.vpcId }))).NetworkAcl!.NetworkAclId!;
    const current = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [net.vpcId] }] }))).NetworkAcls!;
    for (const s of net.publicSubnets) {
      const assoc = current.flatMap((a) => a.Associations ?? []).find((a) => a.SubnetId === s)!;
      await ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc.NetworkAclAssociationId, NetworkAclId: acl }));
    }
    await ln.lb.reconcile();
    const b = bound(8080);
    assert.equal((await exchange(b.address, b.boundPort, 'x', { ms: 400 })).kind, 'silent');
    const u = bound(8090);
    assert.equal(await udpExchange(u.address, u.boundPort, 'ping', 400), undefined);
    assert.match(ln.lb.bindings().find((x) => x.port === 8080)!.blocked ?? '', new RegExp(acl));
  });
});
