// The load balancer leg of a path, as a user meets it: an internet-facing ALB
// estate built through the SDK, then `localnet why` (a child process) and
// EC2 Network Insights (StartNetworkInsightsAnalysis) both report the path
// internet -> internet gateway -> load balancer (listener) -> target group ->
// instance, and each mistake on that leg with AWS's explanation code.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import {
  AssociateRouteTableCommand, AuthorizeSecurityGroupIngressCommand, CreateNetworkInsightsPathCommand, CreateRouteCommand, CreateRouteTableCommand,
  CreateSecurityGroupCommand, CreateSubnetCommand, DescribeInternetGatewaysCommand, RevokeSecurityGroupIngressCommand, RunInstancesCommand,
  StartNetworkInsightsAnalysisCommand, type EC2Client, type NetworkInsightsAnalysis,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand, CreateTargetGroupCommand, DeregisterTargetsCommand, ModifyListenerCommand, ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand, type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { alb, elbClient, network, unique, type Network } from '../../services/elbv2/helpers.ts';

describe('the load balancer leg: internet -> IGW -> ALB -> target group -> instance', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  let elb: ElasticLoadBalancingV2Client;
  let net: Network;
  let igw: string;
  let app: string;
  let appSg: string;
  let lbArn: string;
  let lbName: string;
  let listenerArn: string;
  let tg: string;
  let otherTg: string;

  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln);
    elb = elbClient(ln);
    net = await network(ec2);
    igw = (await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [net.vpcId] }] }))).InternetGateways![0].InternetGatewayId!;
    const rtb = (await ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
    await ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
    for (const s of [net.subnetA, net.subnetB]) await ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId: s }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: net.sgId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    // The app: a private subnet (main route table: no internet route), no public address.
    const appSubnet = (await ec2.send(new CreateSubnetCommand({ VpcId: net.vpcId, CidrBlock: '10.0.10.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
    appSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: unique('app'), Description: 'app', VpcId: net.vpcId }))).GroupId!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: appSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: net.sgId }] }] }));
    // Each group keeps another inbound rule, so a missing one is a mismatch (a group with no inbound rules at all is SG_HAS_NO_RULES).
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: appSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }] }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: net.sgId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    app = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0abcdef1234567890', MinCount: 1, MaxCount: 1, SubnetId: appSubnet, SecurityGroupIds: [appSg] }))).Instances![0].InstanceId!;
    tg = (await elb.send(new CreateTargetGroupCommand({ Name: unique('tg'), Protocol: 'HTTP', Port: 80, VpcId: net.vpcId }))).TargetGroups![0].TargetGroupArn!;
    otherTg = (await elb.send(new CreateTargetGroupCommand({ Name: unique('other'), Protocol: 'HTTP', Port: 80, VpcId: net.vpcId }))).TargetGroups![0].TargetGroupArn!;
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: app }] }));
    const created = await alb(elb, net);
    lbArn = created.LoadBalancerArn!;
    lbName = created.LoadBalancerName!;
    listenerArn = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 8080, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }] }))).Listeners![0].ListenerArn!;
  });
  after(async () => ln?.stop());

  function why(...args: string[]): Promise<{ code: number; out: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'why', ...args], { env: { ...process.env, LOCALNET_ENDPOINT: ln.endpoint } }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr });
      });
    });
  }

  async function analysis(port: number, destination = app): Promise<NetworkInsightsAnalysis> {
    const path = (await ec2.send(new CreateNetworkInsightsPathCommand({ Source: igw, Destination: destination, Protocol: 'tcp', DestinationPort: port }))).NetworkInsightsPath!;
    return (await ec2.send(new StartNetworkInsightsAnalysisCommand({ NetworkInsightsPathId: path.NetworkInsightsPathId! }))).NetworkInsightsAnalysis!;
  }

  it('the path goes through the listener and the target group, both ways', async () => {
    const r = await why(igw, `${app}:80`);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /^REACHABLE \(tcp 80, /m);
    assert.match(r.out, /forward path:[\s\S]*internet-gateway[\s\S]*load-balancer\s+arn:aws:elasticloadbalancing:[^\n]*listener HTTP 8080[\s\S]*target-group[\s\S]*security-group[\s\S]*network-interface/);
    assert.match(r.out, /return path:[\s\S]*load-balancer[\s\S]*internet-gateway/);
    const a = await analysis(80);
    assert.equal(a.NetworkPathFound, true, JSON.stringify(a.Explanations));
    const kinds = a.ForwardPathComponents!.map((c) => c.Component?.Id ?? '');
    assert.equal(kinds[0], igw);
    const lbHop = a.ForwardPathComponents!.find((c) => c.Component?.Arn === lbArn)!;
    assert.equal(lbHop.ElasticLoadBalancerListener?.Arn, listenerArn);
    assert.ok(a.ForwardPathComponents!.some((c) => c.Component?.Arn === tg), 'the target group is a hop');
    assert.equal(a.ForwardPathComponents!.at(-1)!.AttachedTo?.Id, app);
  });

  it('the load balancer\'s security group without the listener port: ENI_SG_RULES_MISMATCH at the load balancer', async () => {
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: net.sgId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    try {
      const r = await why(igw, `${app}:80`);
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /ENI_SG_RULES_MISMATCH \(ingress\)/);
      assert.match(r.out, /the load balancer's security groups \(sg-[0-9a-f]+\) have no inbound rule allowing TCP port 8080 from/);
      const a = await analysis(80);
      assert.equal(a.NetworkPathFound, false);
      assert.equal(a.Explanations![0].ExplanationCode, 'ENI_SG_RULES_MISMATCH');
      assert.equal(a.Explanations![0].SecurityGroups![0].Id, net.sgId);
    } finally {
      await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: net.sgId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    }
  });

  it('the target\'s security group without the load balancer: ENI_SG_RULES_MISMATCH at the target', async () => {
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: appSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: net.sgId }] }] }));
    try {
      const r = await why(igw, `${app}:80`);
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /the target's security groups \(sg-[0-9a-f]+\) have no inbound rule allowing TCP port 80 from the load balancer/);
      const a = await analysis(80);
      assert.equal(a.Explanations![0].ExplanationCode, 'ENI_SG_RULES_MISMATCH');
      assert.equal(a.Explanations![0].SecurityGroups![0].Id, appSg);
    } finally {
      await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: appSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: net.sgId }] }] }));
    }
  });

  it('a port the target is not registered on: TARGET_PORT_RESTRICTION', async () => {
    const r = await why(igw, `${app}:8081`);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /TARGET_PORT_RESTRICTION/);
    assert.match(r.out, /only on its registered port 80/);
    const a = await analysis(8081);
    assert.equal(a.Explanations![0].ExplanationCode, 'TARGET_PORT_RESTRICTION');
    assert.equal(a.Explanations![0].LoadBalancerArn, lbArn);
    assert.equal(a.Explanations![0].LoadBalancerTargetPort, 80);
  });

  it('a listener forwarding to another group: ELBV2_LISTENER_REQUIRES_TG_ACCEPT', async () => {
    await elb.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: [{ Type: 'forward', TargetGroupArn: otherTg }] }));
    try {
      const r = await why(igw, `${app}:80`);
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /ELBV2_LISTENER_REQUIRES_TG_ACCEPT/);
      const a = await analysis(80);
      assert.equal(a.Explanations![0].ExplanationCode, 'ELBV2_LISTENER_REQUIRES_TG_ACCEPT');
      assert.equal(a.Explanations![0].LoadBalancerTargetGroups![0].Id, otherTg);
      // The listener itself has nothing behind it.
      const lb = await why('internet', `${lbName}:8080`);
      assert.equal(lb.code, 1, lb.out);
      assert.match(lb.out, /ELBV2_LISTENER_HAS_NO_TG/);
    } finally {
      await elb.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }] }));
    }
  });

  it('a target in a zone the load balancer is not enabled in: ELB_INSTALLED_AZ_RESTRICTION; with cross-zone off, ELBV2_NO_TARGETS_IN_AZ', async () => {
    const subnetC = (await ec2.send(new CreateSubnetCommand({ VpcId: net.vpcId, CidrBlock: '10.0.30.0/24', AvailabilityZone: 'us-east-1c' }))).Subnet!.SubnetId!;
    const far = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0abcdef1234567890', MinCount: 1, MaxCount: 1, SubnetId: subnetC, SecurityGroupIds: [appSg] }))).Instances![0].InstanceId!;
    await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: app }] }));
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: far }] }));
    await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg, Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'false' }] }));
    try {
      const r = await why(igw, `${far}:80`);
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /ELB_INSTALLED_AZ_RESTRICTION/);
      const a = await analysis(80, far);
      assert.equal(a.Explanations![0].ExplanationCode, 'ELB_INSTALLED_AZ_RESTRICTION');
      const lb = await why('internet', `${lbName}:8080`);
      assert.equal(lb.code, 1, lb.out);
      assert.match(lb.out, /ELBV2_NO_TARGETS_IN_AZ/);
    } finally {
      await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg, Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'use_load_balancer_configuration' }] }));
      await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: far }] }));
      await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: app }] }));
    }
  });

  it('a load balancer or NAT gateway as a path\'s end is refused: they are intermediate components', async () => {
    await assert.rejects(ec2.send(new CreateNetworkInsightsPathCommand({ Source: igw, Destination: lbArn, Protocol: 'tcp' })), (e: Error & { name: string }) => e.name === 'InvalidParameterValue' && /intermediate components/.test(e.message));
    await assert.rejects(ec2.send(new CreateNetworkInsightsPathCommand({ Source: lbArn, Destination: app, Protocol: 'tcp' })), (e: Error & { name: string }) => e.name === 'InvalidParameterValue');
  });
});
