// The shared derivations of the records layer: each answers one question
// every reader (DNS views, the network model, the load balancer) must answer
// the same way. Pure: records in, answers out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NetworkInterface, Vpc, VpcPeeringConnection } from '../../src/records/ec2.ts';
import { certificateIdIn, materialOf } from '../../src/records/certificates.ts';
import type { CertificateRecord } from '../../src/records/acm.ts';
import { elbInterfaceDescription, interfaceAddresses, interfaceOwner, loadBalancerInterfaces } from '../../src/records/interfaces.ts';
import { activePeeringBetween, currentPeerings, peeringAt, peeringVisibleAt } from '../../src/records/peering.ts';
import { activeCidrBlocks, activeIpv6Blocks, dnsAttributes } from '../../src/records/vpcs.ts';

const block = (cidr: string, state: string) => ({ AssociationId: `vpc-cidr-assoc-${cidr}`, CidrBlock: cidr, CidrBlockState: { State: state } });

describe('a VPC\'s blocks in force', () => {
  it('only associated blocks count, primary first', () => {
    const vpc = { CidrBlockAssociationSet: [block('10.0.0.0/16', 'associated'), block('10.1.0.0/16', 'disassociated'), block('10.2.0.0/16', 'disassociating'), block('10.3.0.0/16', 'associated'), block('10.4.0.0/16', 'failed')] };
    assert.deepEqual(activeCidrBlocks(vpc), ['10.0.0.0/16', '10.3.0.0/16']);
  });
  it('IPv6 the same way; none is none', () => {
    assert.deepEqual(activeIpv6Blocks({ Ipv6CidrBlockAssociationSet: [{ AssociationId: 'a', Ipv6CidrBlock: '2600:1f18::/56', Ipv6CidrBlockState: { State: 'associated' } }, { AssociationId: 'b', Ipv6CidrBlock: '2600:1f19::/56', Ipv6CidrBlockState: { State: 'disassociated' } }] }), ['2600:1f18::/56']);
    assert.deepEqual(activeIpv6Blocks({}), []);
  });
  it('DNS attributes default as AWS does (support on, hostnames off)', () => {
    assert.deepEqual(dnsAttributes({} as Pick<Vpc, '_attributes'>), { support: true, hostnames: false });
    assert.deepEqual(dnsAttributes({ _attributes: { EnableDnsSupport: false, EnableDnsHostnames: true, EnableNetworkAddressUsageMetrics: false } }), { support: false, hostnames: true });
  });
});

describe('a peering at a moment', () => {
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const side = (vpc: string) => ({ VpcId: vpc, OwnerId: '111111111111', Region: 'us-east-1' });
  const pending: VpcPeeringConnection = {
    VpcPeeringConnectionId: 'pcx-1', RequesterVpcInfo: side('vpc-a'), AccepterVpcInfo: side('vpc-b'), Status: { Code: 'pending-acceptance', Message: 'Pending Acceptance' },
    ExpirationTime: new Date(t0 + 7 * 86_400_000).toISOString(), _requester: { account: '111111111111', region: 'us-east-1' }, _accepter: { account: '222222222222', region: 'us-east-1' },
  };
  it('a pending request is pending until its expiration time, then expired', () => {
    assert.equal(peeringAt(pending, t0 + 86_400_000).Status.Code, 'pending-acceptance');
    const later = peeringAt(pending, t0 + 8 * 86_400_000);
    assert.equal(later.Status.Code, 'expired');
    assert.equal(pending.Status.Code, 'pending-acceptance', 'the record itself is not changed');
  });
  it('an expired request stays visible two days, then is gone', () => {
    assert.equal(peeringVisibleAt(peeringAt(pending, t0 + 8 * 86_400_000), t0 + 8 * 86_400_000), true);
    assert.equal(peeringVisibleAt(peeringAt(pending, t0 + 10 * 86_400_000), t0 + 10 * 86_400_000), false);
  });
  it('current connections once each (the requester\'s copy), active ones found from either side', () => {
    const active: VpcPeeringConnection = { ...pending, VpcPeeringConnectionId: 'pcx-2', Status: { Code: 'active', Message: 'Active' }, ExpirationTime: undefined };
    const stored = [
      { scope: active._requester, value: active },
      { scope: active._accepter, value: active },
      { scope: pending._requester, value: pending },
    ];
    const now = t0 + 8 * 86_400_000;
    const list = currentPeerings(stored, now);
    assert.deepEqual(list.map((p) => [p.VpcPeeringConnectionId, p.Status.Code]), [['pcx-2', 'active'], ['pcx-1', 'expired']]);
    assert.equal(activePeeringBetween(list, 'vpc-b', 'vpc-a')?.VpcPeeringConnectionId, 'pcx-2');
    assert.equal(activePeeringBetween(list, 'vpc-a', 'vpc-c'), undefined);
  });
});

describe('network interfaces', () => {
  const eni = (over: Partial<NetworkInterface>): NetworkInterface => ({
    NetworkInterfaceId: 'eni-1', SubnetId: 'subnet-1', VpcId: 'vpc-1', AvailabilityZone: 'us-east-1a', OwnerId: '000000000000', Description: '', InterfaceType: 'interface',
    MacAddress: '02:00:00:00:00:01', PrivateIpAddress: '10.0.1.5', PrivateIpAddresses: [], Groups: [], SourceDestCheck: true, Status: 'in-use', RequesterManaged: false, Ipv6Addresses: [], ...over,
  });
  const lbArn = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/50dc6c495c0c9188';
  it('the owner: an instance, a NAT gateway, a load balancer node, or nobody', () => {
    assert.deepEqual(interfaceOwner(eni({ Attachment: { AttachmentId: 'a', InstanceId: 'i-1', InstanceOwnerId: 'x', DeviceIndex: 1, Status: 'attached', AttachTime: '', DeleteOnTermination: true } })), { kind: 'instance', instanceId: 'i-1', deviceIndex: 1 });
    assert.deepEqual(interfaceOwner(eni({ InterfaceType: 'nat_gateway' })), { kind: 'nat-gateway' });
    assert.deepEqual(interfaceOwner(eni({ Description: elbInterfaceDescription(lbArn) })), { kind: 'load-balancer', name: 'app/web/50dc6c495c0c9188' });
    assert.deepEqual(interfaceOwner(eni({})), { kind: 'none' });
  });
  it('addresses primary first, each with its public mapping (the primary mirrors the interface\'s own)', () => {
    const e = eni({
      PrivateIpAddress: '10.0.1.5', Association: { PublicIp: '203.0.113.5', IpOwnerId: 'amazon' },
      PrivateIpAddresses: [{ Primary: false, PrivateIpAddress: '10.0.1.6', Association: { PublicIp: '203.0.113.6', IpOwnerId: 'x', AllocationId: 'eipalloc-1' } }, { Primary: true, PrivateIpAddress: '10.0.1.5', PrivateDnsName: 'ip-10-0-1-5.ec2.internal' }],
    });
    const a = interfaceAddresses(e);
    assert.deepEqual(a.map((x) => [x.privateIp, x.primary, x.association?.PublicIp]), [['10.0.1.5', true, '203.0.113.5'], ['10.0.1.6', false, '203.0.113.6']]);
    assert.equal(a[0].privateDnsName, 'ip-10-0-1-5.ec2.internal');
    assert.deepEqual(interfaceAddresses(eni({ PrivateIpAddresses: [] })).map((x) => x.privateIp), ['10.0.1.5'], 'a record without the list still has its primary address');
  });
  it('a load balancer\'s interfaces: those ELBv2 recorded, else those described as its own', () => {
    const mine = eni({ NetworkInterfaceId: 'eni-lb', Description: elbInterfaceDescription(lbArn) });
    const other = eni({ NetworkInterfaceId: 'eni-x', Description: 'ELB app/other/1' });
    assert.deepEqual(loadBalancerInterfaces({ LoadBalancerArn: lbArn } as never, [mine, other]).map((e) => e.NetworkInterfaceId), ['eni-lb']);
    assert.deepEqual(loadBalancerInterfaces({ LoadBalancerArn: lbArn, _interfaces: { 'subnet-1': 'eni-x' } }, [mine, other]).map((e) => e.NetworkInterfaceId), ['eni-x']);
  });
});

describe('certificates', () => {
  const arn = 'arn:aws:acm:us-east-1:000000000000:certificate/0c4b1f4e-3b0c-4b43-9e3b-2c8a1e4b5d6f';
  it('an ARN names a certificate of its own account and region only', () => {
    assert.equal(certificateIdIn(arn, { account: '000000000000', region: 'us-east-1' }), '0c4b1f4e-3b0c-4b43-9e3b-2c8a1e4b5d6f');
    assert.equal(certificateIdIn(arn, { account: '000000000000', region: 'eu-west-1' }), undefined);
    assert.equal(certificateIdIn('arn:aws:acm:us-east-1:000000000000:certificate/nope', { account: '000000000000', region: 'us-east-1' }), undefined);
  });
  it('material only when the record holds both the certificate and its key', () => {
    const rec = { arn, status: 'ISSUED', names: ['example.com'], certificatePem: 'CERT', privateKeyPem: 'KEY' } as CertificateRecord;
    assert.equal(materialOf(rec)?.certificatePem, 'CERT');
    assert.equal(materialOf({ ...rec, privateKeyPem: undefined }), undefined);
    assert.equal(materialOf({ ...rec, status: 'PENDING_VALIDATION', certificatePem: undefined }), undefined);
  });
});
