// Seed 001 through the real ELBv2 API (SDK v3): the control plane writes the
// records, the data plane binds, health-checks and forwards. A client that
// trusts only localnet's root gets the backend's page over HTTPS; port 80
// redirects; the same instance registered on port 443, where nothing
// listens, turns unhealthy with AWS's reason and localnet's explanation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { clientConfig, ec2Client, startTestLocalnet, type TestLocalnet } from '../helpers/localnet.ts';
import { buildNetwork, fetchOnce, putCertificate, runInstance, startBackend, waitForTargetHealth, type Backend } from './fixtures.ts';

process.env.LOCALNET_LB_TIME_SCALE = '0.05';

describe('ELBv2 API to data plane', () => {
  let ln: TestLocalnet;
  let web: Backend;
  before(async () => {
    ln = await startTestLocalnet();
    web = await startBackend('web');
  });
  after(async () => {
    await ln?.stop();
    await web?.close();
  });

  it('seed 001: create the ALB with the API, then HTTPS reaches the backend and HTTP redirects', async () => {
    const ec2 = ec2Client(ln);
    const elb = new ElasticLoadBalancingV2Client(clientConfig(ln));
    const net = await buildNetwork(ec2);
    const instance = await runInstance(ec2, net, { 80: web.port });
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'seed001', Subnets: net.publicSubnets, SecurityGroups: [net.lbSg], Scheme: 'internet-facing', Type: 'application' }))).LoadBalancers![0];
    const tg = (await elb.send(new CreateTargetGroupCommand({ Name: 'web', Protocol: 'HTTP', Port: 80, VpcId: net.vpcId, TargetType: 'instance', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2 }))).TargetGroups![0].TargetGroupArn!;
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: instance }] }));
    const cert = await putCertificate(ln, ['example.com']);
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }] }));
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTPS', Port: 443, Certificates: [{ CertificateArn: cert }], DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }] }));
    await ln.lb.reconcile();
    const healthy = await waitForTargetHealth(elb, tg, (d) => d.TargetHealth?.State === 'healthy');
    assert.equal(healthy.Target?.Id, instance);

    const b = ln.lb.bindings().filter((x) => x.loadBalancer === 'seed001');
    const https = b.find((x) => x.port === 443)!;
    const http = b.find((x) => x.port === 80)!;
    const page = await fetchOnce(`https://${https.address}:${https.boundPort}/index.html`, { host: 'example.com', ca: ln.ca.files.root });
    assert.equal(page.body, 'web /index.html');
    assert.equal(web.requests.at(-1)!.headers['x-forwarded-proto'], 'https');
    const redirect = await fetchOnce(`http://${http.address}:${http.boundPort}/`, { host: 'example.com' });
    assert.deepEqual([redirect.status, redirect.headers.location], [301, 'https://example.com:443/']);

    // Seed 001's failure: the same instance on port 443, where nothing listens.
    const tg443 = (await elb.send(new CreateTargetGroupCommand({ Name: 'web443', Protocol: 'HTTP', Port: 443, VpcId: net.vpcId, TargetType: 'instance', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2 }))).TargetGroups![0].TargetGroupArn!;
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg443, Targets: [{ Id: instance }] }));
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 8080, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg443 }] }));
    const bad = await waitForTargetHealth(elb, tg443, (d) => d.TargetHealth?.State === 'unhealthy');
    assert.equal(bad.TargetHealth?.Reason, 'Target.FailedHealthChecks');
    assert.match(bad.TargetHealth?.Description ?? '', /port 443: the port is not mapped; add the tag localnet:port:443/);
  });
});
