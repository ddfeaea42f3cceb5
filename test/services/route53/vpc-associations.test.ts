import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AssociateVPCWithHostedZoneCommand,
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  CreateVPCAssociationAuthorizationCommand,
  DeleteVPCAssociationAuthorizationCommand,
  DisassociateVPCFromHostedZoneCommand,
  GetHostedZoneCommand,
  ListHostedZonesByVPCCommand,
  ListHostedZonesCommand,
  ListVPCAssociationAuthorizationsCommand,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { CreateVpcCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { ref, rejects, route53Client } from './helpers.ts';

const A = '111111111111';
const B = '222222222222';
const OWNER = '444444444444';

describe('Route 53 private zones and VPC associations', () => {
  let ln: TestLocalnet;
  let r53a: Route53Client;
  let r53b: Route53Client;
  let ec2a: EC2Client;
  let ec2b: EC2Client;
  const vpc = async (ec2: EC2Client, cidr: string) => (await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;

  before(async () => {
    ln = await startTestLocalnet();
    r53a = route53Client(ln, { accessKeyId: A });
    r53b = route53Client(ln, { accessKeyId: B });
    ec2a = ec2Client(ln, { accessKeyId: A });
    ec2b = ec2Client(ln, { accessKeyId: B });
  });
  after(() => ln.stop());

  it('creates a private zone with a VPC of the account (ns-0.awsdns-00.com & co.), InvalidVPCId otherwise', async () => {
    const vpcId = await vpc(ec2a, '10.10.0.0/16');
    const out = await r53a.send(new CreateHostedZoneCommand({ Name: 'corp.internal', CallerReference: ref(), VPC: { VPCId: vpcId, VPCRegion: 'us-east-1' }, HostedZoneConfig: { PrivateZone: true } }));
    assert.equal(out.HostedZone?.Config?.PrivateZone, true);
    assert.deepEqual(out.VPC, { VPCId: vpcId, VPCRegion: 'us-east-1' });
    assert.deepEqual(out.DelegationSet?.NameServers, ['ns-0.awsdns-00.com', 'ns-512.awsdns-00.net', 'ns-1024.awsdns-00.org', 'ns-1536.awsdns-00.co.uk']);
    const got = await r53a.send(new GetHostedZoneCommand({ Id: out.HostedZone!.Id }));
    assert.deepEqual(got.VPCs, [{ VPCId: vpcId, VPCRegion: 'us-east-1' }]);
    assert.equal(got.DelegationSet, undefined);
    const privates = await r53a.send(new ListHostedZonesCommand({ HostedZoneType: 'PrivateHostedZone' }));
    assert.deepEqual(privates.HostedZones?.map((z) => z.Name), ['corp.internal.']);
    await rejects(r53a.send(new CreateHostedZoneCommand({ Name: 'x.internal', CallerReference: ref(), VPC: { VPCId: 'vpc-0123456789abcdef0', VPCRegion: 'us-east-1' } })), 'InvalidVPCId');
    // The VPC lives in us-east-1, not eu-west-1.
    await rejects(r53a.send(new CreateHostedZoneCommand({ Name: 'x.internal', CallerReference: ref(), VPC: { VPCId: vpcId, VPCRegion: 'eu-west-1' } })), 'InvalidVPCId');
    // Same name, same VPC.
    await rejects(r53a.send(new CreateHostedZoneCommand({ Name: 'corp.internal', CallerReference: ref(), VPC: { VPCId: vpcId, VPCRegion: 'us-east-1' } })), 'ConflictingDomainExists');
    // NS delegation inside a private zone is refused.
    await rejects(
      r53a.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: out.HostedZone!.Id, ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: { Name: 'sub.corp.internal', Type: 'NS', TTL: 60, ResourceRecords: [{ Value: 'ns1.example.net' }] } }] } })),
      'InvalidChangeBatch',
      /private hosted zone/,
    );
  });

  it('associates and disassociates VPCs: PublicZoneVPCAssociation, ConflictingDomainExists, VPCAssociationNotFound, LastVPCAssociation', async () => {
    const v1 = await vpc(ec2a, '10.11.0.0/16');
    const v2 = await vpc(ec2a, '10.12.0.0/16');
    const pub = await r53a.send(new CreateHostedZoneCommand({ Name: 'public.example', CallerReference: ref() }));
    await rejects(r53a.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: pub.HostedZone!.Id, VPC: { VPCId: v1, VPCRegion: 'us-east-1' } })), 'PublicZoneVPCAssociation', undefined, 400);
    const z = await r53a.send(new CreateHostedZoneCommand({ Name: 'svc.internal', CallerReference: ref(), VPC: { VPCId: v1, VPCRegion: 'us-east-1' } }));
    const id = z.HostedZone!.Id!;
    const assoc = await r53a.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: id, VPC: { VPCId: v2, VPCRegion: 'us-east-1' }, Comment: 'second' }));
    assert.equal(assoc.ChangeInfo?.Status, 'PENDING');
    await rejects(r53a.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: id, VPC: { VPCId: v2, VPCRegion: 'us-east-1' } })), 'ConflictingDomainExists');
    const other = await r53a.send(new CreateHostedZoneCommand({ Name: 'svc.internal', CallerReference: ref(), VPC: { VPCId: await vpc(ec2a, '10.13.0.0/16'), VPCRegion: 'us-east-1' } }));
    await rejects(r53a.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: other.HostedZone!.Id, VPC: { VPCId: v1, VPCRegion: 'us-east-1' } })), 'ConflictingDomainExists');
    await rejects(r53a.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: id, VPC: { VPCId: 'vpc-0123456789abcdef0', VPCRegion: 'us-east-1' } })), 'InvalidVPCId');
    const byVpc = await r53a.send(new ListHostedZonesByVPCCommand({ VPCId: v2, VPCRegion: 'us-east-1' }));
    assert.deepEqual(byVpc.HostedZoneSummaries, [{ HostedZoneId: id.split('/')[2], Name: 'svc.internal.', Owner: { OwningAccount: A } }]);
    await r53a.send(new DisassociateVPCFromHostedZoneCommand({ HostedZoneId: id, VPC: { VPCId: v2, VPCRegion: 'us-east-1' } }));
    await rejects(r53a.send(new DisassociateVPCFromHostedZoneCommand({ HostedZoneId: id, VPC: { VPCId: v2, VPCRegion: 'us-east-1' } })), 'VPCAssociationNotFound', undefined, 404);
    await rejects(r53a.send(new DisassociateVPCFromHostedZoneCommand({ HostedZoneId: id, VPC: { VPCId: v1, VPCRegion: 'us-east-1' } })), 'LastVPCAssociation', undefined, 400);
  });

  it('shares a private zone of account A with a VPC of account B through an authorization', async () => {
    // A fresh owner account: the first one has used its five VPCs of us-east-1.
    const r53a = route53Client(ln, { accessKeyId: OWNER });
    const vpcA = await vpc(ec2Client(ln, { accessKeyId: OWNER }), '10.20.0.0/16');
    const vpcB = await vpc(ec2b, '10.21.0.0/16');
    const zone = await r53a.send(new CreateHostedZoneCommand({ Name: 'shared.internal', CallerReference: ref(), VPC: { VPCId: vpcA, VPCRegion: 'us-east-1' } }));
    const id = zone.HostedZone!.Id!;
    // B cannot associate before A authorizes; A cannot associate B's VPC itself.
    await rejects(r53b.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: id, VPC: { VPCId: vpcB, VPCRegion: 'us-east-1' } })), 'NotAuthorizedException', undefined, 401);
    await rejects(r53a.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: id, VPC: { VPCId: vpcB, VPCRegion: 'us-east-1' } })), 'InvalidVPCId');
    // B does not see A's zone otherwise.
    await rejects(r53b.send(new GetHostedZoneCommand({ Id: id })), 'NoSuchHostedZone');
    const auth = await r53a.send(new CreateVPCAssociationAuthorizationCommand({ HostedZoneId: id, VPC: { VPCId: vpcB, VPCRegion: 'us-east-1' } }));
    assert.deepEqual(auth.VPC, { VPCId: vpcB, VPCRegion: 'us-east-1' });
    const listed = await r53a.send(new ListVPCAssociationAuthorizationsCommand({ HostedZoneId: id }));
    assert.deepEqual(listed.VPCs, [{ VPCId: vpcB, VPCRegion: 'us-east-1' }]);
    await r53b.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: id, VPC: { VPCId: vpcB, VPCRegion: 'us-east-1' } }));
    await r53a.send(new DeleteVPCAssociationAuthorizationCommand({ HostedZoneId: id, VPC: { VPCId: vpcB, VPCRegion: 'us-east-1' } }));
    await rejects(r53a.send(new DeleteVPCAssociationAuthorizationCommand({ HostedZoneId: id, VPC: { VPCId: vpcB, VPCRegion: 'us-east-1' } })), 'VPCAssociationAuthorizationNotFound', undefined, 404);
    // The association stays after the authorization is gone.
    const got = await r53a.send(new GetHostedZoneCommand({ Id: id }));
    assert.deepEqual(got.VPCs?.map((v) => v.VPCId).sort(), [vpcA, vpcB].sort());
    const seenByB = await r53b.send(new ListHostedZonesByVPCCommand({ VPCId: vpcB, VPCRegion: 'us-east-1' }));
    assert.deepEqual(seenByB.HostedZoneSummaries?.[0].Owner, { OwningAccount: OWNER });
    // The VPC owner may disassociate its VPC.
    await r53b.send(new DisassociateVPCFromHostedZoneCommand({ HostedZoneId: id, VPC: { VPCId: vpcB, VPCRegion: 'us-east-1' } }));
  });
});
