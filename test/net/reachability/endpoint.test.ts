// VPC endpoints on the engine's paths, over hand-built estates: an interface
// endpoint as a destination (by id or by an interface's private address),
// from its own VPC and across a peering, with the endpoint's groups, its
// state and the service's listener ports judged; a gateway endpoint as the
// target of a prefix-list route.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../../src/net/reachability/analyze.ts';
import { resolveEndpoint } from '../../../src/net/reachability/resolve.ts';
import { endpointIngressVerdict } from '../../../src/net/reachability/endpoint-verdicts.ts';
import { buildNetworkModel } from '../../../src/net/model/model.ts';
import type { NetworkData } from '../../../src/net/model/types.ts';
import { baseEstate, group, makeEni, table, tcpIn } from './estate.ts';

const NLB = 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/provider/0123456789abcdef';

/** vpc-a gets interface endpoint vpce-if (eni-vpce 10.0.1.50 in subnet-priv, sg-vpce: 443 from vpc-a) to svc-1, whose NLB listens on 443. */
function estate(mutate: (d: NetworkData) => void = () => undefined): NetworkData {
  const d = baseEstate();
  d.securityGroups.push({ id: 'sg-vpce', vpcId: 'vpc-a', name: 'vpce', rules: [tcpIn('sg-vpce', 443, { CidrIpv4: '10.0.0.0/16' })] });
  d.enis.push(makeEni('eni-vpce', 'vpc-a', 'subnet-priv', '10.0.1.50', ['sg-vpce'], { type: 'vpc_endpoint', description: 'VPC Endpoint Interface vpce-if' }));
  d.loadBalancers.push({
    arn: NLB, name: 'provider', type: 'network', scheme: 'internal', state: 'active', vpcId: 'vpc-p', subnetIds: [], zones: [], groupIds: [], eniIds: [],
    listeners: [{ arn: `${NLB}/l1`, port: 443, protocol: 'TCP', targetGroupArns: [] }], listenerPorts: [443], account: '111111111111', region: 'us-east-1',
  });
  d.endpointServices = [{ id: 'vpce-svc-1', account: '111111111111', region: 'us-east-1', serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-1', state: 'Available', nlbArns: [NLB], baseDnsNames: [] }];
  d.vpcEndpoints = [{
    id: 'vpce-0000000000000001', account: '000000000000', region: 'us-east-1', vpcId: 'vpc-a', type: 'Interface', state: 'available', serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-1',
    subnetIds: ['subnet-priv'], groupIds: ['sg-vpce'], interfaces: [{ eniId: 'eni-vpce', subnetId: 'subnet-priv', az: 'us-east-1a', privateIp: '10.0.1.50' }],
    routeTableIds: [], privateDnsEnabled: false, dnsNames: [], service: { account: '111111111111', region: 'us-east-1', serviceId: 'vpce-svc-1' },
  }];
  mutate(d);
  return d;
}
const EP = 'vpce-0000000000000001';
const why = (d: NetworkData, source: string, destination: { kind: 'vpc-endpoint'; id: string } | { kind: 'address'; ip: string }, port?: number) =>
  analyze(buildNetworkModel(d), { source: { kind: source.startsWith('i-') ? 'instance' : 'eni', id: source }, destination, protocol: 'tcp', port });

describe('interface endpoints as destinations', () => {
  it('reaches the endpoint: source egress, local route, NACLs, the endpoint\'s groups, then the endpoint into its service', () => {
    const a = why(estate(), 'i-app', { kind: 'vpc-endpoint', id: EP }, 443);
    assert.equal(a.pathFound, true, JSON.stringify(a.blocks));
    const kinds = a.forward.map((h) => h.kind);
    assert.deepEqual(kinds.slice(-3), ['security-group', 'network-interface', 'vpc-endpoint']);
    const hop = a.forward.at(-1)!;
    assert.equal(hop.Component.Id, EP);
    assert.equal(hop.ServiceName, 'com.amazonaws.vpce.us-east-1.vpce-svc-1');
    assert.match(hop.note, /vpce-svc-1 \(load balancer provider, listener 443/);
    assert.ok(a.notes.some((n) => /listener TCP 443 forwards to no target group/.test(n)), `says what lies beyond the endpoint: ${a.notes.join(' | ')}`);
    assert.equal(a.return[0].kind, 'vpc-endpoint');
  });

  it('tries the service\'s listener ports when no port is given', () => {
    const a = why(estate(), 'i-app', { kind: 'vpc-endpoint', id: EP });
    assert.equal(a.pathFound, true);
    assert.equal(a.port, 443);
  });

  it('an endpoint interface\'s private address leads into the endpoint too', () => {
    const a = why(estate(), 'i-app', { kind: 'address', ip: '10.0.1.50' }, 443);
    assert.equal(a.pathFound, true);
    assert.equal(a.forward.at(-1)!.kind, 'vpc-endpoint');
  });

  it('blocks at the endpoint\'s security groups', () => {
    const a = why(estate((d) => { group(d, 'sg-vpce').rules = []; }), 'i-app', { kind: 'vpc-endpoint', id: EP }, 443);
    assert.equal(a.blocks[0].explanation.ExplanationCode, 'SG_HAS_NO_RULES');
    assert.equal(a.blocks[0].explanation.NetworkInterface?.Id, 'eni-vpce');
  });

  it('a port the service\'s load balancer does not listen on: ELBV2_LISTENERS_MISMATCH', () => {
    const a = why(estate((d) => { group(d, 'sg-vpce').rules.push(tcpIn('sg-vpce', 8080, { CidrIpv4: '10.0.0.0/16' })); }), 'i-app', { kind: 'vpc-endpoint', id: EP }, 8080);
    assert.equal(a.blocks[0].explanation.ExplanationCode, 'ELBV2_LISTENERS_MISMATCH');
    assert.match(a.blocks[0].message, /listen on 443, not 8080/);
  });

  it('an endpoint pending acceptance: BAD_STATE, accept it', () => {
    const a = why(estate((d) => { d.vpcEndpoints![0].state = 'pendingAcceptance'; }), 'i-app', { kind: 'vpc-endpoint', id: EP }, 443);
    assert.equal(a.blocks[0].explanation.ExplanationCode, 'BAD_STATE');
    assert.equal(a.blocks[0].explanation.VpcEndpoint?.Id, EP);
    assert.match(a.blocks[0].fix, /accept-vpc-endpoint-connections --service-id vpce-svc-1/);
  });

  it('from a peered VPC: reachable by address when the endpoint\'s groups admit the peer\'s range', () => {
    const closed = why(estate(), 'eni-db', { kind: 'vpc-endpoint', id: EP }, 443);
    assert.equal(closed.blocks[0].explanation.ExplanationCode, 'ENI_SG_RULES_MISMATCH');
    const d = estate((x) => { group(x, 'sg-vpce').rules.push(tcpIn('sg-vpce', 443, { CidrIpv4: '10.1.0.0/16' }, 'sgr-peer')); });
    const a = why(d, 'eni-db', { kind: 'vpc-endpoint', id: EP }, 443);
    assert.equal(a.pathFound, true, JSON.stringify(a.blocks));
    assert.ok(a.forward.some((h) => h.kind === 'vpc-peering-connection'));
  });

  it('an endpoint is not a source; a gateway endpoint is not a destination', () => {
    const model = buildNetworkModel(estate());
    const src = analyze(model, { source: { kind: 'vpc-endpoint', id: EP }, destination: { kind: 'instance', id: 'i-app' }, protocol: 'tcp', port: 443 });
    assert.match(src.blocks[0].message, /traffic starts at clients/);
    const r = resolveEndpoint(model, { account: '000000000000', region: 'us-east-1' }, EP, 'destination');
    assert.deepEqual('endpoint' in r && r.endpoint, { kind: 'vpc-endpoint', id: EP });
  });
});

describe('gateway endpoints as route targets', () => {
  const S3 = '52.216.8.10';
  function withGateway(d: NetworkData): void {
    d.vpcEndpoints!.push({
      id: 'vpce-0000000000000002', account: '000000000000', region: 'us-east-1', vpcId: 'vpc-a', type: 'Gateway', state: 'available', serviceName: 'com.amazonaws.us-east-1.s3',
      subnetIds: [], groupIds: [], interfaces: [], routeTableIds: ['rtb-priv'], privateDnsEnabled: false, dnsNames: [],
    });
    table(d, 'rtb-priv').routes.push({ DestinationPrefixListId: 'pl-63a5400a', GatewayId: 'vpce-0000000000000002', Origin: 'CreateRoute', State: 'active' });
    d.prefixLists = { 'pl-63a5400a': ['52.216.0.0/15', '54.231.0.0/16'] };
  }

  it('a destination in the prefix list goes to the gateway endpoint, not the NAT gateway', () => {
    const before = why(estate(), 'i-app', { kind: 'address', ip: S3 }, 443);
    assert.ok(before.forward.some((h) => h.kind === 'nat-gateway'));
    const a = why(estate(withGateway), 'i-app', { kind: 'address', ip: S3 }, 443);
    assert.equal(a.pathFound, true, JSON.stringify(a.blocks));
    const hop = a.forward.find((h) => h.kind === 'vpc-endpoint')!;
    assert.equal(hop.Component.Id, 'vpce-0000000000000002');
    assert.equal(hop.ServiceName, 'com.amazonaws.us-east-1.s3');
    assert.ok(!a.forward.some((h) => h.kind === 'nat-gateway'));
    assert.equal(a.forward.find((h) => h.kind === 'route-table')?.RouteTableRoute?.DestinationPrefixListId, 'pl-63a5400a');
    assert.ok(a.return.some((h) => h.kind === 'vpc-endpoint'));
    // Outside the list the default route still wins.
    assert.ok(why(estate(withGateway), 'i-app', { kind: 'address', ip: '198.51.100.7' }, 443).forward.some((h) => h.kind === 'nat-gateway'));
  });

  it('the reply is judged by the source subnet\'s NACL on the client\'s ephemeral ports', () => {
    const a = why(estate((d) => {
      withGateway(d);
      const acl = d.acls.find((x) => x.id === 'acl-a')!;
      acl.entries.unshift({ RuleNumber: 50, Protocol: '6', RuleAction: 'deny', Egress: false, CidrBlock: '52.216.0.0/15', PortRange: { From: 1024, To: 65535 } });
    }), 'i-app', { kind: 'address', ip: S3 }, 443);
    assert.equal(a.blocks[0]?.path, 'return');
    assert.equal(a.blocks[0].explanation.ExplanationCode, 'SUBNET_ACL_RESTRICTION');
  });

  it('a route to a gateway endpoint that is gone: BAD_STATE_ROUTE', () => {
    const a = why(estate((d) => { withGateway(d); d.vpcEndpoints = d.vpcEndpoints!.filter((e) => e.type !== 'Gateway'); }), 'i-app', { kind: 'address', ip: S3 }, 443);
    assert.equal(a.blocks[0].explanation.ExplanationCode, 'BAD_STATE_ROUTE');
  });
});

describe('the endpoint data plane\'s verdict (a local client stands for any workload of the consumer VPC)', () => {
  const verdict = (d: NetworkData, port = 443) => {
    const model = buildNetworkModel(d);
    return endpointIngressVerdict(model, model.vpcEndpoints.get(EP)!, 'eni-vpce', port);
  };
  const acl = (d: NetworkData) => d.acls.find((x) => x.id === 'acl-a')!;

  it('admits when the groups allow the port from the VPC\'s whole CIDR and the NACL passes request and replies', () => {
    assert.deepEqual(verdict(estate()), { allowed: true });
  });

  it('a narrower rule, a group reference or another port does not admit it', () => {
    const narrow = verdict(estate((d) => { group(d, 'sg-vpce').rules = [tcpIn('sg-vpce', 443, { CidrIpv4: '10.0.1.0/24' }), tcpIn('sg-vpce', 443, { ReferencedGroupInfo: { GroupId: 'sg-app' } }, 'sgr-ref')]; }));
    assert.equal(narrow.allowed, false);
    assert.ok(!narrow.allowed && narrow.code === 'ENI_SG_RULES_MISMATCH' && narrow.explanation.includes('--cidr 10.0.0.0/16'));
    assert.equal(verdict(estate(), 8443).allowed, false);
  });

  it('the subnet\'s NACL: the request in, and the replies out on the client\'s ephemeral ports', () => {
    const inbound = verdict(estate((d) => { acl(d).entries.unshift({ RuleNumber: 10, Protocol: '6', RuleAction: 'deny', Egress: false, CidrBlock: '10.0.0.0/16', PortRange: { From: 443, To: 443 } }); }));
    assert.ok(!inbound.allowed && inbound.code === 'SUBNET_ACL_RESTRICTION' && inbound.component === 'acl-a', JSON.stringify(inbound));
    const replies = verdict(estate((d) => { acl(d).entries.unshift({ RuleNumber: 10, Protocol: '6', RuleAction: 'deny', Egress: true, CidrBlock: '0.0.0.0/0', PortRange: { From: 40000, To: 40010 } }); }));
    assert.ok(!replies.allowed && /replies to .* on TCP 40000/.test(replies.explanation), JSON.stringify(replies));
  });
});
