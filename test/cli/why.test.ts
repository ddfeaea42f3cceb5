// `localnet why` as a user runs it (a child process against a test localnet)
// on the seed estate: a path that works through NAT, a DNS name resolved in
// the source's view, and the seed mistakes: a security group on the wrong
// port, a private zone not associated with the peered VPC (--dns), a peering
// without the return route, a private subnet without its NAT route and a NACL
// without the ephemeral return range. Each change goes through the EC2 API,
// so these also prove the snapshot is rebuilt after a change.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { CreateSubnetCommand, DeleteRouteCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, ElasticLoadBalancingV2Client, RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { clientConfig, ec2Client, startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';
import { buildEstate, onlyHttpsNacl, type Estate } from '../net/reachability/sdk-estate.ts';

describe('localnet why', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  let e: Estate;
  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln);
    e = await buildEstate(ec2, new Route53Client(clientConfig(ln)));
  });
  after(async () => ln?.stop());

  function why(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'why', ...args], { env: { ...process.env, LOCALNET_ENDPOINT: ln.endpoint } }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout, err: stderr });
      });
    });
  }

  it('a private instance reaches the internet through the NAT gateway: both paths printed, exit 0', async () => {
    const r = await why(e.app, 'internet:443');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^REACHABLE \(tcp 443, 10\.0\.1\.\d+ → 203\.0\.113\.10\)/m);
    assert.match(r.out, /forward path:[\s\S]*nat-gateway\s+nat-[0-9a-f]+: .*translates/);
    assert.match(r.out, /return path:[\s\S]*network-acl/);
  });

  it('a load balancer as DESTINATION:PORT by ARN or name; notes read as sentences and hops count up by one', async () => {
    const sub2 = (await ec2.send(new CreateSubnetCommand({ VpcId: e.vpcA, CidrBlock: '10.0.9.0/24', AvailabilityZone: 'us-east-1b' }))).Subnet!.SubnetId!;
    const elb = new ElasticLoadBalancingV2Client(clientConfig(ln));
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'why-web', Scheme: 'internal', Subnets: [e.pub, sub2], SecurityGroups: [e.sgWeb] }))).LoadBalancers![0];
    const tg = (await elb.send(new CreateTargetGroupCommand({ Name: 'why-web', Protocol: 'HTTP', Port: 443, VpcId: e.vpcA }))).TargetGroups![0];
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: e.web }] }));
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 443, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] }));
    for (const dest of [`${lb.LoadBalancerArn}:443`, 'why-web:443']) {
      const r = await why(e.app, dest);
      assert.equal(r.code, 0, r.out + r.err);
      assert.match(r.out, /^REACHABLE \(tcp 443/m);
      assert.match(r.out, /\(load balancer why-web\)/);
      assert.doesNotMatch(r.out + r.err, /does not exist/);
      assert.doesNotMatch(r.out, / of \d+$/m);
      for (const path of ['forward path:', 'return path:']) {
        const block = r.out.split(path)[1].split(/\n(?!\s+\d+\.)/)[0];
        const numbers = [...block.matchAll(/^\s+(\d+)\. /gm)].map((m) => Number(m[1]));
        assert.ok(numbers.length > 1, `${path} has hops:\n${r.out}`);
        assert.deepEqual(numbers, numbers.map((_, i) => i + 1), `${path} hops count up by one:\n${r.out}`);
      }
    }
    const missing = await why(e.app, `${lb.LoadBalancerArn}:8080`);
    assert.equal(missing.code, 1);
    assert.match(missing.out, /has no listener on port 8080 \(its listeners: 443\)/);
  });

  it('a DNS name is resolved in the source\'s view and the answer shown', async () => {
    const r = await why(e.app, 'db.internal.example:5432');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, new RegExp(`db.internal.example resolved in view ${e.vpcA}:`));
    assert.match(r.out, new RegExp(`db\\.internal\\.example\\. 60 A ${e.dbIp.replace(/\./g, '\\.')}`));
    assert.match(r.out, new RegExp(`vpc-peering-connection\\s+${e.pcx}`));
  });

  it('a security group that allows the wrong port: names the group, the port it does allow, and the fix', async () => {
    const r = await why('internet', `${e.web}:22`);
    assert.equal(r.code, 1);
    assert.match(r.out, new RegExp(`BLOCKED on the forward path at ${e.sgWeb}: ENI_SG_RULES_MISMATCH \\(ingress\\)`));
    assert.match(r.out, /they allow tcp 443/);
    assert.match(r.out, new RegExp(`fix: add an inbound rule to ${e.sgWeb} allowing tcp 22 from 0\\.0\\.0\\.0/0`));
  });

  it('--dns: a private zone not associated with the peered VPC, and the peering does not bring it', async () => {
    const r = await why('--dns', 'db.internal.example', '--from', e.vpcB);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`private zone ${e.zoneId} \\(internal\\.example\\) would serve db\\.internal\\.example but is not associated with ${e.vpcB} \\(only with ${e.vpcA}\\)`));
    assert.match(r.out, new RegExp(`${e.vpcB} is peered with ${e.vpcA} \\(${e.pcx}\\), but a peering, even with AllowDnsResolutionFromRemoteVpc, does not share private hosted zones`));
    assert.match(r.out, new RegExp(`fix: associate ${e.zoneId} with ${e.vpcB}`));
    const ok = await why('--dns', 'db.internal.example', '--from', e.app);
    assert.match(ok.out, new RegExp(`private zone ${e.zoneId} \\(internal\\.example\\) is associated with ${e.vpcA}`));
  });

  it('a peering without the return route: blocked on the return path, fix on the peer\'s side', async () => {
    await ec2.send(new DeleteRouteCommand({ RouteTableId: e.rtbB, DestinationCidrBlock: '10.0.0.0/16' }));
    const r = await why(e.app, `${e.db}:5432`);
    assert.equal(r.code, 1);
    assert.match(r.out, new RegExp(`BLOCKED on the return path at ${e.rtbB}: NO_ROUTE_TO_DESTINATION`));
    assert.match(r.out, new RegExp(`fix: add a route 10\\.0\\.0\\.0/16 → ${e.pcx} to ${e.rtbB} \\(the peer's side\\)`));
  });

  it('a private subnet without its NAT route: NO_ROUTE_TO_DESTINATION, fix names the NAT gateway', async () => {
    await ec2.send(new DeleteRouteCommand({ RouteTableId: e.rtbPriv, DestinationCidrBlock: '0.0.0.0/0' }));
    const r = await why(e.app, 'internet:443');
    assert.equal(r.code, 1);
    assert.match(r.out, new RegExp(`BLOCKED on the forward path at ${e.rtbPriv}: NO_ROUTE_TO_DESTINATION`));
    assert.match(r.out, new RegExp(`fix: add a route 0\\.0\\.0\\.0/0 → ${e.nat} to ${e.rtbPriv}`));
  });

  it('a NACL without the ephemeral return range: the reply is reported dropped, with the NACL rule to add', async () => {
    const acl = await onlyHttpsNacl(ec2, e);
    const r = await why('internet', `${e.web}:443`);
    assert.equal(r.code, 1);
    assert.match(r.out, new RegExp(`BLOCKED on the return path at ${acl}: SUBNET_ACL_RESTRICTION \\(egress\\)`));
    assert.match(r.out, /the reply to 203\.0\.113\.10 on tcp 1024 \(the internet client's ephemeral range 1024-65535\)/);
    assert.match(r.out, new RegExp(`fix: add an outbound NACL rule allowing tcp 1024-65535 to 0\\.0\\.0\\.0/0 on ${acl}`));
  });

  it('usage errors and unknown endpoints', async () => {
    assert.equal((await why(e.app)).code, 2);
    const r = await why('10.9.9.9', 'internet:443');
    assert.equal(r.code, 1);
    assert.match(r.err, /no interface in .* holds 10\.9\.9\.9/);
  });
});
