import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AcceptVpcPeeringConnectionCommand,
  AssociateVpcCidrBlockCommand,
  CreateRouteCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  CreateVpcPeeringConnectionCommand,
  DeleteVpcCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeRouteTablesCommand,
  DescribeVpcPeeringConnectionsCommand,
  ModifyVpcAttributeCommand,
  ModifyVpcPeeringConnectionOptionsCommand,
  RejectVpcPeeringConnectionCommand,
  type EC2Client,
  type VpcPeeringConnection,
} from '@aws-sdk/client-ec2';
import { ec2Client, startTestLocalnet, type TestLocalnet } from '../../helpers/localnet.ts';
import { rejects } from '../../helpers/errors.ts';
import { K } from '../../../src/services/ec2/resources.ts';

async function vpc(ec2: EC2Client, cidr: string): Promise<string> {
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
  return Vpc!.VpcId!;
}

async function one(ec2: EC2Client, id: string): Promise<VpcPeeringConnection> {
  const { VpcPeeringConnections } = await ec2.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [id] }));
  assert.equal(VpcPeeringConnections?.length, 1);
  return VpcPeeringConnections![0];
}

async function enableDns(ec2: EC2Client, vpcId: string): Promise<void> {
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
}

describe('EC2 VPC peering', () => {
  let ln: TestLocalnet;
  let ec2: EC2Client;
  before(async () => {
    ln = await startTestLocalnet();
    ec2 = ec2Client(ln);
  });
  after(() => ln.stop());

  it('walks a same-account request from initiating-request to active to deleted', async () => {
    const a = await vpc(ec2, '10.10.0.0/16');
    const b = await vpc(ec2, '10.20.0.0/16');
    const created = await ec2.send(
      new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b, TagSpecifications: [{ ResourceType: 'vpc-peering-connection', Tags: [{ Key: 'Name', Value: 'a-b' }] }] }),
    );
    const pcx = created.VpcPeeringConnection!;
    assert.match(pcx.VpcPeeringConnectionId!, /^pcx-[0-9a-f]{17}$/);
    assert.equal(pcx.Status?.Code, 'initiating-request');
    assert.equal(pcx.RequesterVpcInfo?.CidrBlock, '10.10.0.0/16');
    assert.equal(pcx.AccepterVpcInfo?.VpcId, b);
    assert.deepEqual(pcx.Tags, [{ Key: 'Name', Value: 'a-b' }]);

    const pending = await one(ec2, pcx.VpcPeeringConnectionId!);
    assert.equal(pending.Status?.Code, 'pending-acceptance');
    assert.ok(pending.ExpirationTime instanceof Date);
    const days = (pending.ExpirationTime!.getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 6.9 && days <= 7, `expires in 7 days, not ${days}`);
    // The accepter's blocks are disclosed only on acceptance.
    assert.equal(pending.AccepterVpcInfo?.CidrBlock, undefined);

    const accepted = await ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx.VpcPeeringConnectionId }));
    assert.equal(accepted.VpcPeeringConnection?.Status?.Code, 'provisioning');
    const active = await one(ec2, pcx.VpcPeeringConnectionId!);
    assert.equal(active.Status?.Code, 'active');
    assert.equal(active.ExpirationTime, undefined);
    assert.equal(active.AccepterVpcInfo?.CidrBlock, '10.20.0.0/16');
    assert.deepEqual(active.AccepterVpcInfo?.CidrBlockSet, [{ CidrBlock: '10.20.0.0/16' }]);
    assert.equal(active.RequesterVpcInfo?.PeeringOptions?.AllowDnsResolutionFromRemoteVpc, false);

    await rejects(ec2.send(new DeleteVpcCommand({ VpcId: a })), 'DependencyViolation');
    await rejects(ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx.VpcPeeringConnectionId })), 'InvalidStateTransition', /from active/);

    const byFilter = await ec2.send(
      new DescribeVpcPeeringConnectionsCommand({
        Filters: [
          { Name: 'status-code', Values: ['active'] },
          { Name: 'requester-vpc-info.vpc-id', Values: [a] },
          { Name: 'accepter-vpc-info.cidr-block', Values: ['10.20.*'] },
          { Name: 'tag:Name', Values: ['a-b'] },
        ],
      }),
    );
    assert.deepEqual(byFilter.VpcPeeringConnections?.map((p) => p.VpcPeeringConnectionId), [pcx.VpcPeeringConnectionId]);

    assert.equal((await ec2.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx.VpcPeeringConnectionId }))).Return, true);
    const deleted = await one(ec2, pcx.VpcPeeringConnectionId!);
    assert.equal(deleted.Status?.Code, 'deleted');
    await rejects(ec2.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx.VpcPeeringConnectionId })), 'InvalidStateTransition', /from deleted to deleting/);
    await ec2.send(new DeleteVpcCommand({ VpcId: a }));
    await ec2.send(new DeleteVpcCommand({ VpcId: b }));
  });

  it('fails a request between overlapping VPCs (any block, secondary included) and one to a missing VPC', async () => {
    const x = await ec2Client(ln, { accessKeyId: '555555555555' });
    const a = await vpc(x, '10.30.0.0/16');
    await x.send(new AssociateVpcCidrBlockCommand({ VpcId: a, CidrBlock: '10.31.0.0/16' }));
    const b = await vpc(x, '10.31.128.0/17');
    const created = await x.send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b }));
    assert.equal(created.VpcPeeringConnection?.Status?.Code, 'initiating-request');
    const failed = await one(x, created.VpcPeeringConnection!.VpcPeeringConnectionId!);
    assert.equal(failed.Status?.Code, 'failed');
    assert.match(failed.Status?.Message ?? '', /overlapping CIDR range/);
    await rejects(x.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: failed.VpcPeeringConnectionId })), 'InvalidStateTransition', /from failed/);
    await rejects(x.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: failed.VpcPeeringConnectionId })), 'InvalidStateTransition');

    const ghost = await x.send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: 'vpc-0123456789abcdef0' }));
    assert.equal((await one(x, ghost.VpcPeeringConnection!.VpcPeeringConnectionId!)).Status?.Code, 'failed');

    await rejects(x.send(new CreateVpcPeeringConnectionCommand({ VpcId: 'vpc-0123456789abcdef0', PeerVpcId: b })), 'InvalidVpcID.NotFound');
    await rejects(x.send(new CreateVpcPeeringConnectionCommand({ VpcId: a })), 'MissingParameter');
    await rejects(x.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: ['pcx-0123456789abcdef0'] })), 'InvalidVpcPeeringConnectionID.NotFound');
    await rejects(x.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: ['pcx-nope'] })), 'InvalidVpcPeeringConnectionId.Malformed');
  });

  it('peers across accounts: the accepter sees the request in its own account, tags stay per side', async () => {
    const requester = ec2Client(ln, { accessKeyId: '111111111111' });
    const accepter = ec2Client(ln, { accessKeyId: '222222222222' });
    const stranger = ec2Client(ln, { accessKeyId: '333333333333' });
    const a = await vpc(requester, '10.40.0.0/16');
    const b = await vpc(accepter, '10.50.0.0/16');
    const created = await requester.send(
      new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b, PeerOwnerId: '222222222222', TagSpecifications: [{ ResourceType: 'vpc-peering-connection', Tags: [{ Key: 'side', Value: 'requester' }] }] }),
    );
    const id = created.VpcPeeringConnection!.VpcPeeringConnectionId!;
    assert.equal(created.VpcPeeringConnection?.Status?.Message, 'Initiating Request to 222222222222');

    const seen = await accepter.send(new DescribeVpcPeeringConnectionsCommand({ Filters: [{ Name: 'accepter-vpc-info.owner-id', Values: ['222222222222'] }] }));
    assert.deepEqual(seen.VpcPeeringConnections?.map((p) => p.VpcPeeringConnectionId), [id]);
    const theirs = seen.VpcPeeringConnections![0];
    assert.equal(theirs.Status?.Code, 'pending-acceptance');
    assert.equal(theirs.RequesterVpcInfo?.OwnerId, '111111111111');
    assert.equal(theirs.RequesterVpcInfo?.CidrBlock, '10.40.0.0/16');
    assert.equal(theirs.Tags, undefined, 'the requester tag is not visible to the accepter');

    await rejects(requester.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id })), 'OperationNotPermitted', /111111111111 cannot accept/);
    await rejects(requester.send(new RejectVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id })), 'OperationNotPermitted');
    await rejects(stranger.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id })), 'InvalidVpcPeeringConnectionID.NotFound');
    await rejects(accepter.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id })), 'OperationNotPermitted');
    await rejects(accepter.send(new ModifyVpcPeeringConnectionOptionsCommand({ VpcPeeringConnectionId: id, AccepterPeeringConnectionOptions: { AllowDnsResolutionFromRemoteVpc: true } })), 'OperationNotPermitted', /not active/);

    await accepter.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    await accepter.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'side', Value: 'accepter' }] }));
    const fromRequester = await one(requester, id);
    const fromAccepter = await one(accepter, id);
    assert.equal(fromRequester.Status?.Code, 'active');
    assert.equal(fromAccepter.Status?.Code, 'active');
    assert.equal(fromRequester.AccepterVpcInfo?.CidrBlock, '10.50.0.0/16');
    assert.deepEqual(fromRequester.Tags, [{ Key: 'side', Value: 'requester' }]);
    assert.deepEqual(fromAccepter.Tags, [{ Key: 'side', Value: 'accepter' }]);

    // DNS resolution from the remote VPC: needs DNS hostnames on both VPCs, and each owner sets only its side.
    await rejects(
      requester.send(new ModifyVpcPeeringConnectionOptionsCommand({ VpcPeeringConnectionId: id, RequesterPeeringConnectionOptions: { AllowDnsResolutionFromRemoteVpc: true } })),
      'InvalidVpcPeeringConnectionState.DnsHostnamesDisabled',
    );
    await enableDns(requester, a);
    await enableDns(accepter, b);
    await rejects(
      requester.send(new ModifyVpcPeeringConnectionOptionsCommand({ VpcPeeringConnectionId: id, AccepterPeeringConnectionOptions: { AllowDnsResolutionFromRemoteVpc: true } })),
      'OperationNotPermitted',
      /accepter side/,
    );
    const modified = await requester.send(new ModifyVpcPeeringConnectionOptionsCommand({ VpcPeeringConnectionId: id, RequesterPeeringConnectionOptions: { AllowDnsResolutionFromRemoteVpc: true } }));
    assert.equal(modified.RequesterPeeringConnectionOptions?.AllowDnsResolutionFromRemoteVpc, true);
    assert.equal(modified.AccepterPeeringConnectionOptions, undefined);
    const after = await one(accepter, id);
    assert.equal(after.RequesterVpcInfo?.PeeringOptions?.AllowDnsResolutionFromRemoteVpc, true);
    assert.equal(after.AccepterVpcInfo?.PeeringOptions?.AllowDnsResolutionFromRemoteVpc, false);

    // Either side deletes an active connection; both keep seeing it as deleted.
    await accepter.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    assert.equal((await one(requester, id)).Status?.Code, 'deleted');
    assert.equal((await one(requester, id)).Status?.Message, 'Deleted by 222222222222');
  });

  it('peers across regions: accepted and configured only from the accepter region', async () => {
    const east = ec2Client(ln, { accessKeyId: '666666666666', region: 'us-east-1' });
    const west = ec2Client(ln, { accessKeyId: '666666666666', region: 'eu-west-1' });
    const a = await vpc(east, '10.60.0.0/16');
    const b = await vpc(west, '10.70.0.0/16');
    const created = await east.send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b, PeerRegion: 'eu-west-1' }));
    const id = created.VpcPeeringConnection!.VpcPeeringConnectionId!;
    assert.equal(created.VpcPeeringConnection?.AccepterVpcInfo?.Region, 'eu-west-1');
    assert.equal(created.VpcPeeringConnection?.RequesterVpcInfo?.Region, 'us-east-1');
    await rejects(east.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id })), 'OperationNotPermitted');
    await west.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    assert.equal((await one(east, id)).Status?.Code, 'active');
    await enableDns(east, a);
    await enableDns(west, b);
    await rejects(
      west.send(new ModifyVpcPeeringConnectionOptionsCommand({ VpcPeeringConnectionId: id, RequesterPeeringConnectionOptions: { AllowDnsResolutionFromRemoteVpc: true } })),
      'OperationNotPermitted',
      /different region/,
    );
    await west.send(new ModifyVpcPeeringConnectionOptionsCommand({ VpcPeeringConnectionId: id, AccepterPeeringConnectionOptions: { AllowDnsResolutionFromRemoteVpc: true } }));
    assert.equal((await one(east, id)).AccepterVpcInfo?.PeeringOptions?.AllowDnsResolutionFromRemoteVpc, true);
    await rejects(east.send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b, PeerRegion: 'mars-north-1' })), 'InvalidParameterValue');
  });

  it('rejects, keeps one connection per VPC pair, and pages', async () => {
    const x = ec2Client(ln, { accessKeyId: '777777777777' });
    const vpcs = [await vpc(x, '10.1.0.0/16'), await vpc(x, '10.2.0.0/16'), await vpc(x, '10.3.0.0/16'), await vpc(x, '10.4.0.0/16')];
    const [a, b, c, d] = vpcs;

    const r = await x.send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b }));
    const rid = r.VpcPeeringConnection!.VpcPeeringConnectionId!;
    assert.equal((await x.send(new RejectVpcPeeringConnectionCommand({ VpcPeeringConnectionId: rid }))).Return, true);
    assert.equal((await one(x, rid)).Status?.Code, 'rejected');
    await rejects(x.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: rid })), 'InvalidStateTransition', /from rejected/);
    await rejects(x.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: rid })), 'InvalidStateTransition', /from rejected to deleting/);

    // Asking twice for the same pair answers with the existing request.
    const first = await x.send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: c }));
    const again = await x.send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: c }));
    assert.equal(again.VpcPeeringConnection?.VpcPeeringConnectionId, first.VpcPeeringConnection?.VpcPeeringConnectionId);
    await x.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: first.VpcPeeringConnection!.VpcPeeringConnectionId }));
    // The reverse direction is a new request, which cannot become active beside the first.
    const reverse = await x.send(new CreateVpcPeeringConnectionCommand({ VpcId: c, PeerVpcId: a }));
    assert.notEqual(reverse.VpcPeeringConnection?.VpcPeeringConnectionId, first.VpcPeeringConnection?.VpcPeeringConnectionId);
    await rejects(x.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: reverse.VpcPeeringConnection!.VpcPeeringConnectionId })), 'VpcPeeringConnectionAlreadyExists');

    await x.send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: d }));
    await x.send(new CreateVpcPeeringConnectionCommand({ VpcId: b, PeerVpcId: d }));
    const all = (await x.send(new DescribeVpcPeeringConnectionsCommand({}))).VpcPeeringConnections!;
    assert.equal(all.length, 5);
    const p1 = await x.send(new DescribeVpcPeeringConnectionsCommand({ MaxResults: 5 }));
    assert.equal(p1.VpcPeeringConnections?.length, 5);
    assert.equal(p1.NextToken, undefined);
    await x.send(new CreateVpcPeeringConnectionCommand({ VpcId: c, PeerVpcId: d }));
    const q1 = await x.send(new DescribeVpcPeeringConnectionsCommand({ MaxResults: 5 }));
    assert.equal(q1.VpcPeeringConnections?.length, 5);
    assert.ok(q1.NextToken);
    const q2 = await x.send(new DescribeVpcPeeringConnectionsCommand({ MaxResults: 5, NextToken: q1.NextToken }));
    assert.equal(q2.VpcPeeringConnections?.length, 1);
    const ids = new Set([...q1.VpcPeeringConnections!, ...q2.VpcPeeringConnections!].map((p) => p.VpcPeeringConnectionId));
    assert.equal(ids.size, 6);
  });

  it('a request past its expiration time holds nothing: no new route to it, no hold on its VPCs', async () => {
    const a = await vpc(ec2, '10.70.0.0/16');
    const b = await vpc(ec2, '10.71.0.0/16');
    const { VpcPeeringConnection } = await ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b }));
    const id = VpcPeeringConnection!.VpcPeeringConnectionId!;
    const { RouteTables } = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [a] }] }));
    const tableId = RouteTables![0].RouteTableId!;
    // While pending, the request holds its VPCs and a route may point at it.
    await rejects(ec2.send(new DeleteVpcCommand({ VpcId: a })), 'DependencyViolation');
    await ec2.send(new CreateRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '10.71.0.0/24', VpcPeeringConnectionId: id }));

    // Nothing rewrites the record when the seven days pass: move its expiration time into the past.
    const [stored] = ln.store.listAll<{ ExpirationTime?: string }>(K.peering.kind).filter((p) => (p.value as { VpcPeeringConnectionId?: string }).VpcPeeringConnectionId === id);
    ln.store.transaction(() => ln.store.put(K.peering.kind, stored.scope, id, { ...stored.value, ExpirationTime: new Date(Date.now() - 60_000).toISOString() }));
    assert.equal((await one(ec2, id)).Status?.Code, 'expired');
    await rejects(ec2.send(new CreateRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '10.71.1.0/24', VpcPeeringConnectionId: id })), 'InvalidVpcPeeringConnectionID.NotFound');
    await ec2.send(new DeleteVpcCommand({ VpcId: a }));
    await ec2.send(new DeleteVpcCommand({ VpcId: b }));
  });
});
