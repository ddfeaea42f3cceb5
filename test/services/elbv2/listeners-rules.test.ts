// Listeners and rules through the SDK: HTTP and HTTPS listeners (an ACM
// certificate issued through DNS validation, InUseBy), actions and their
// validation, rules and priorities, SNI certificates, tags, SSL policies and
// account limits.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DescribeCertificateCommand, RequestCertificateCommand, type ACMClient } from '@aws-sdk/client-acm';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand } from '@aws-sdk/client-route-53';
import type { EC2Client } from '@aws-sdk/client-ec2';
import {
  AddListenerCertificatesCommand, AddTagsCommand, CreateListenerCommand, CreateRuleCommand, CreateTargetGroupCommand, DeleteListenerCommand, DeleteRuleCommand, DescribeAccountLimitsCommand, DescribeListenerCertificatesCommand,
  DescribeListenersCommand, DescribeRulesCommand, DescribeSSLPoliciesCommand, DescribeTagsCommand, ModifyListenerCommand, ModifyRuleCommand, RemoveListenerCertificatesCommand, RemoveTagsCommand,
  SetRulePrioritiesCommand, type Action, type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { acmClient, route53Client, waitForStatus } from '../acm/clients.ts';
import { alb, elbClient, httpGroup, network, rejects, type Network } from './helpers.ts';

async function issuedCertificate(ln: TestLocalnet, acm: ACMClient, domain: string): Promise<string> {
  const r53 = route53Client(ln);
  const { CertificateArn } = await acm.send(new RequestCertificateCommand({ DomainName: domain, ValidationMethod: 'DNS' }));
  let record;
  for (let i = 0; i < 50 && !record; i++) {
    record = (await acm.send(new DescribeCertificateCommand({ CertificateArn }))).Certificate!.DomainValidationOptions?.[0]?.ResourceRecord;
    if (!record) await new Promise((r) => setTimeout(r, 50));
  }
  const zone = await r53.send(new CreateHostedZoneCommand({ Name: domain, CallerReference: `${domain}-${Math.random()}` }));
  await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zone.HostedZone!.Id, ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: record!.Name, Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: record!.Value }] } }] } }));
  await waitForStatus(acm, CertificateArn!, 'ISSUED', 15_000);
  return CertificateArn!;
}

describe('ELBv2 listeners and rules', () => {
  let ln: TestLocalnet;
  let elb: ElasticLoadBalancingV2Client;
  let ec2: EC2Client;
  let acm: ACMClient;
  let net: Network;
  let lbArn: string;
  let tgArn: string;
  let certArn: string;
  let sniArn: string;
  const forward = (arn = tgArn): Action[] => [{ Type: 'forward', TargetGroupArn: arn }];

  before(async () => {
    ln = await startTestLocalnet();
    elb = elbClient(ln);
    ec2 = ec2Client(ln);
    acm = acmClient(ln);
    net = await network(ec2);
    lbArn = (await alb(elb, net)).LoadBalancerArn!;
    tgArn = (await httpGroup(elb, net)).TargetGroupArn!;
    certArn = await issuedCertificate(ln, acm, 'shop.example.com');
    sniArn = await issuedCertificate(ln, acm, 'api.example.org');
  });
  after(() => ln.stop());

  it('creates an HTTP listener that redirects to HTTPS, with the default rule', async () => {
    const l = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }] }))).Listeners![0];
    assert.match(l.ListenerArn!, /:listener\/app\/[^/]+\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
    assert.deepEqual(l.DefaultActions, [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', Host: '#{host}', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301' } }]);
    const rules = (await elb.send(new DescribeRulesCommand({ ListenerArn: l.ListenerArn }))).Rules!;
    assert.equal(rules.length, 1);
    assert.equal(rules[0].IsDefault, true);
    assert.equal(rules[0].Priority, 'default');
    await rejects(elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 80, DefaultActions: forward() })), 'DuplicateListener');
    await rejects(elb.send(new DeleteRuleCommand({ RuleArn: rules[0].RuleArn })), 'OperationNotPermitted');
  });

  it('creates an HTTPS listener with an ISSUED ACM certificate; ACM shows it in use', async () => {
    const l = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTPS', Port: 443, Certificates: [{ CertificateArn: certArn }], DefaultActions: forward() }))).Listeners![0];
    assert.equal(l.SslPolicy, 'ELBSecurityPolicy-2016-08');
    assert.deepEqual(l.Certificates, [{ CertificateArn: certArn }]);
    assert.deepEqual(l.DefaultActions![0].ForwardConfig!.TargetGroups, [{ TargetGroupArn: tgArn, Weight: 1 }]);
    const inUse = (await acm.send(new DescribeCertificateCommand({ CertificateArn: certArn }))).Certificate!.InUseBy;
    assert.deepEqual(inUse, [lbArn]);

    await elb.send(new AddListenerCertificatesCommand({ ListenerArn: l.ListenerArn, Certificates: [{ CertificateArn: sniArn }] }));
    const certs = (await elb.send(new DescribeListenerCertificatesCommand({ ListenerArn: l.ListenerArn }))).Certificates!;
    assert.deepEqual(certs, [{ CertificateArn: certArn, IsDefault: true }, { CertificateArn: sniArn, IsDefault: false }]);
    assert.deepEqual((await acm.send(new DescribeCertificateCommand({ CertificateArn: sniArn }))).Certificate!.InUseBy, [lbArn]);
    await rejects(elb.send(new RemoveListenerCertificatesCommand({ ListenerArn: l.ListenerArn, Certificates: [{ CertificateArn: certArn }] })), 'OperationNotPermitted');
    await elb.send(new RemoveListenerCertificatesCommand({ ListenerArn: l.ListenerArn, Certificates: [{ CertificateArn: sniArn }] }));
    assert.deepEqual((await acm.send(new DescribeCertificateCommand({ CertificateArn: sniArn }))).Certificate!.InUseBy, []);

    const m = (await elb.send(new ModifyListenerCommand({ ListenerArn: l.ListenerArn, SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }))).Listeners![0];
    assert.equal(m.SslPolicy, 'ELBSecurityPolicy-TLS13-1-2-2021-06');
    await rejects(elb.send(new ModifyListenerCommand({ ListenerArn: l.ListenerArn, SslPolicy: 'NoSuchPolicy' })), 'SSLPolicyNotFound');
    await rejects(elb.send(new ModifyListenerCommand({ ListenerArn: l.ListenerArn, DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTP', StatusCode: 'HTTP_301' } }] })), 'InvalidLoadBalancerAction', /HTTPS to HTTP/);
    await elb.send(new DeleteListenerCommand({ ListenerArn: l.ListenerArn }));
    assert.deepEqual((await acm.send(new DescribeCertificateCommand({ CertificateArn: certArn }))).Certificate!.InUseBy, []);
  });

  it('refuses HTTPS listeners without a usable certificate', async () => {
    const https = (input: Record<string, unknown>) => elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTPS', Port: 8443, DefaultActions: forward(), ...input }));
    await rejects(https({}), 'ValidationError', /certificate must be specified/);
    await rejects(https({ Certificates: [{ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000' }] }), 'CertificateNotFound');
    await rejects(https({ Certificates: [{ CertificateArn: certArn.replace('us-east-1', 'us-west-2') }] }), 'CertificateNotFound');
    const { CertificateArn: pending } = await acm.send(new RequestCertificateCommand({ DomainName: 'pending.example.net', ValidationMethod: 'DNS' }));
    await rejects(https({ Certificates: [{ CertificateArn: pending }] }), 'CertificateNotFound', /PENDING_VALIDATION/);
    await rejects(https({ Certificates: [{ CertificateArn: certArn }], SslPolicy: 'ELBSecurityPolicy-Nope' }), 'SSLPolicyNotFound');
    await rejects(https({ Certificates: [{ CertificateArn: certArn }, { CertificateArn: sniArn }] }), 'ValidationError');
    await rejects(elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'TCP', Port: 9000, DefaultActions: forward() })), 'ValidationError');
  });

  it('validates actions: terminal last, forward weights and protocols, redirects, fixed responses', async () => {
    const create = (DefaultActions: Action[], Port = 8080) => elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port, DefaultActions }));
    await rejects(create([]), 'ValidationError');
    await rejects(create([{ Type: 'fixed-response', Order: 2, FixedResponseConfig: { StatusCode: '200' } }, { Type: 'forward', Order: 1, TargetGroupArn: tgArn }]), 'InvalidLoadBalancerAction');
    await rejects(create([{ Type: 'forward', TargetGroupArn: tgArn.replace(/[0-9a-f]{16}$/, '0000000000000000') }]), 'TargetGroupNotFound');
    await rejects(create([{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: tgArn, Weight: 1000 }] } }]), 'ValidationError');
    await rejects(create([{ Type: 'redirect', RedirectConfig: { StatusCode: 'HTTP_301' } }]), 'InvalidLoadBalancerAction', /at least one/);
    await rejects(create([{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', StatusCode: 'HTTP_307' as 'HTTP_302' } }]), 'ValidationError');
    await rejects(create([{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '302' } }]), 'ValidationError');
    await rejects(create([{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', ContentType: 'image/png' } }]), 'ValidationError');
    await rejects(create([{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', MessageBody: 'x'.repeat(1025) } }]), 'ValidationError');
    const tcp = (await elb.send(new CreateTargetGroupCommand({ Name: 'tcp-group', Protocol: 'TCP', Port: 80, VpcId: net.vpcId }))).TargetGroups![0];
    await rejects(create([{ Type: 'forward', TargetGroupArn: tcp.TargetGroupArn }]), 'IncompatibleProtocols');
    const tg2 = (await httpGroup(elb, net)).TargetGroupArn!;
    const weighted = (await create([{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: tgArn, Weight: 3 }, { TargetGroupArn: tg2, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 60 } } }])).Listeners![0];
    assert.equal(weighted.DefaultActions![0].TargetGroupArn, undefined);
    assert.deepEqual(weighted.DefaultActions![0].ForwardConfig!.TargetGroupStickinessConfig, { Enabled: true, DurationSeconds: 60 });
    const fixed = (await create([{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'down' } }], 8081)).Listeners![0];
    assert.equal(fixed.DefaultActions![0].FixedResponseConfig!.MessageBody, 'down');
    // A target group belongs to one load balancer.
    const otherLb = (await alb(elb, net)).LoadBalancerArn!;
    await rejects(elb.send(new CreateListenerCommand({ LoadBalancerArn: otherLb, Protocol: 'HTTP', Port: 80, DefaultActions: forward() })), 'TargetGroupAssociationLimit');
    const listed = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }))).Listeners!.map((l) => l.Port);
    assert.deepEqual(listed, [80, 8080, 8081]);
  });

  it('creates, modifies, reorders and deletes rules with AWS limits', async () => {
    const listener = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 9090, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }] }))).Listeners![0];
    const rule = (input: Record<string, unknown>) => elb.send(new CreateRuleCommand({ ListenerArn: listener.ListenerArn, Priority: 10, Actions: forward(), Conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }], ...input }));
    const r10 = (await rule({})).Rules![0];
    assert.equal(r10.Priority, '10');
    assert.deepEqual(r10.Conditions, [{ Field: 'path-pattern', Values: ['/api/*'], PathPatternConfig: { Values: ['/api/*'] } }]);
    await rejects(rule({}), 'PriorityInUse');
    await rejects(rule({ Priority: 0 }), 'ValidationError');
    await rejects(rule({ Priority: 50001 }), 'ValidationError');
    await rejects(rule({ Priority: 11, Conditions: [] }), 'ValidationError');
    await rejects(rule({ Priority: 11, Conditions: [{ Field: 'host-header', Values: ['a.example.com'] }, { Field: 'host-header', Values: ['b.example.com'] }] }), 'ValidationError', /only have one/);
    await rejects(rule({ Priority: 11, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/a', '/b', '/c', '/d', '/e', '/f'] } }] }), 'ValidationError', /match evaluations/);
    await rejects(rule({ Priority: 11, Conditions: [{ Field: 'path-pattern', Values: ['/*/*/*/*/*/*'] }] }), 'ValidationError', /wildcards/);
    await rejects(rule({ Priority: 11, Conditions: [{ Field: 'host-header', Values: ['bad host'] }] }), 'ValidationError');
    await rejects(rule({ Priority: 11, Conditions: [{ Field: 'source-ip', SourceIpConfig: { Values: ['not-a-cidr'] } }] }), 'ValidationError');
    await rejects(rule({ Priority: 11, Conditions: [{ Field: 'cookie', Values: ['x'] }] }), 'ValidationError');
    const r20 = (await rule({
      Priority: 20,
      Conditions: [
        { Field: 'host-header', HostHeaderConfig: { Values: ['*.example.com'] } },
        { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Env', Values: ['beta'] } },
        { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET'] } },
        { Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'v', Value: '2' }] } },
        { Field: 'source-ip', SourceIpConfig: { Values: ['10.0.0.0/8'] } },
      ],
    })).Rules![0];
    assert.deepEqual(r20.Conditions![0], { Field: 'host-header', Values: ['*.example.com'], HostHeaderConfig: { Values: ['*.example.com'] } });
    const ordered = (await elb.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules!.map((r) => r.Priority);
    assert.deepEqual(ordered, ['10', '20', 'default']);
    await rejects(elb.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: r20.RuleArn, Priority: 10 }] })), 'PriorityInUse');
    const swapped = await elb.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: r20.RuleArn, Priority: 10 }, { RuleArn: r10.RuleArn, Priority: 20 }] }));
    assert.deepEqual(swapped.Rules!.map((r) => r.Priority).sort(), ['10', '20']);
    const modified = (await elb.send(new ModifyRuleCommand({ RuleArn: r10.RuleArn, Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }] }))).Rules![0];
    assert.equal(modified.Actions![0].Type, 'fixed-response');
    assert.equal(modified.Conditions![0].Field, 'path-pattern');
    const def = (await elb.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules!.find((r) => r.IsDefault)!;
    await elb.send(new ModifyRuleCommand({ RuleArn: def.RuleArn, Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '418' } }] }));
    const after = (await elb.send(new DescribeListenersCommand({ ListenerArns: [listener.ListenerArn!] }))).Listeners![0];
    assert.equal(after.DefaultActions![0].FixedResponseConfig!.StatusCode, '418');
    await rejects(elb.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: def.RuleArn, Priority: 5 }] })), 'OperationNotPermitted');
    await elb.send(new DeleteRuleCommand({ RuleArn: r10.RuleArn }));
    await rejects(elb.send(new DescribeRulesCommand({ RuleArns: [r10.RuleArn!] })), 'RuleNotFound');
  });

  it('tags load balancers, target groups, listeners and rules', async () => {
    const listener = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }))).Listeners![0];
    const rule = (await elb.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules![0];
    const arns = [lbArn, tgArn, listener.ListenerArn!, rule.RuleArn!];
    await elb.send(new AddTagsCommand({ ResourceArns: arns, Tags: [{ Key: 'env', Value: 'test' }, { Key: 'team', Value: 'net' }] }));
    await elb.send(new RemoveTagsCommand({ ResourceArns: [tgArn], TagKeys: ['team'] }));
    const tags = (await elb.send(new DescribeTagsCommand({ ResourceArns: arns }))).TagDescriptions!;
    assert.deepEqual(tags.map((t) => t.Tags!.map((x) => x.Key).sort()), [['env', 'team'], ['env'], ['env', 'team'], ['env', 'team']]);
    await rejects(elb.send(new AddTagsCommand({ ResourceArns: [lbArn], Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] })), 'DuplicateTagKeys');
    await rejects(elb.send(new DescribeTagsCommand({ ResourceArns: [lbArn.replace(/[0-9a-f]{16}$/, '0000000000000000')] })), 'LoadBalancerNotFound');
  });

  it('describes SSL policies and account limits', async () => {
    const all = (await elb.send(new DescribeSSLPoliciesCommand({}))).SslPolicies!;
    assert.ok(all.length >= 10);
    const p = (await elb.send(new DescribeSSLPoliciesCommand({ Names: ['ELBSecurityPolicy-2016-08'] }))).SslPolicies![0];
    assert.deepEqual(p.SslProtocols, ['TLSv1', 'TLSv1.1', 'TLSv1.2']);
    assert.equal(p.Ciphers![0].Name, 'ECDHE-ECDSA-AES128-GCM-SHA256');
    const tls13 = (await elb.send(new DescribeSSLPoliciesCommand({ Names: ['ELBSecurityPolicy-TLS13-1-2-2021-06'] }))).SslPolicies![0];
    assert.deepEqual(tls13.SslProtocols, ['TLSv1.2', 'TLSv1.3']);
    await rejects(elb.send(new DescribeSSLPoliciesCommand({ Names: ['nope'] })), 'SSLPolicyNotFound');
    const limits = (await elb.send(new DescribeAccountLimitsCommand({}))).Limits!;
    assert.equal(limits.find((l) => l.Name === 'rules-per-application-load-balancer')!.Max, '100');
  });
});
