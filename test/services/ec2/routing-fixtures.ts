// Fixtures for the routing tests: instances, network interfaces and peering
// connections are other operation groups, so these tests put them in the
// store directly (through the same record functions their operations use)
// and then drive the routing operations through the SDK. Keeps the routing
// tests independent of how instances and peerings are created.
import type { HandlerEnv } from '../../../src/aws/service.ts';
import { attachInterface, createInterfaceRecord } from '../../../src/services/ec2/interface-library.ts';
import { K, newId } from '../../../src/services/ec2/resources.ts';
import type { NetworkInterface, Subnet } from '../../../src/services/ec2/types.ts';
import type { Localnet } from '../../../src/server.ts';

export const ACCOUNT = '000000000000';

function envOf(ln: Localnet, region: string): HandlerEnv {
  return { ctx: {} as HandlerEnv['ctx'], store: ln.store, scope: { account: ACCOUNT, region }, afterCommit: (fn) => fn() };
}

/** A plain interface in the subnet (as CreateNetworkInterface makes one). */
export function seedInterface(ln: Localnet, region: string, subnetId: string): NetworkInterface {
  const env = envOf(ln, region);
  return ln.store.transaction(() => createInterfaceRecord(env, ln.store.get<Subnet>(K.subnet.kind, env.scope, subnetId)!));
}

/** An instance in the subnet with its primary interface (device 0). */
export function seedInstance(ln: Localnet, region: string, subnetId: string, state = 'running'): { instanceId: string; eni: NetworkInterface } {
  const env = envOf(ln, region);
  return ln.store.transaction(() => {
    const subnet = ln.store.get<Subnet>(K.subnet.kind, env.scope, subnetId)!;
    const instanceId = newId('i');
    const eni = createInterfaceRecord(env, subnet);
    attachInterface(eni, instanceId, ACCOUNT, 0, true);
    ln.store.put(K.networkInterface.kind, env.scope, eni.NetworkInterfaceId, eni);
    ln.store.put(K.instance.kind, env.scope, instanceId, { InstanceId: instanceId, VpcId: subnet.VpcId, SubnetId: subnet.SubnetId, State: { Code: 16, Name: state } });
    return { instanceId, eni };
  });
}

export function setInstanceState(ln: Localnet, region: string, instanceId: string, name: string): void {
  const scope = { account: ACCOUNT, region };
  const inst = ln.store.get<{ State: { Name: string } }>(K.instance.kind, scope, instanceId)!;
  ln.store.put(K.instance.kind, scope, instanceId, { ...inst, State: { ...inst.State, Name: name } });
}

/** A peering connection between two VPCs of the account, in the given status. */
export function seedPeering(ln: Localnet, region: string, requesterVpcId: string, accepterVpcId: string, code: string): string {
  const id = newId('pcx');
  ln.store.put(K.peering.kind, { account: ACCOUNT, region }, id, {
    VpcPeeringConnectionId: id,
    Status: { Code: code, Message: code },
    RequesterVpcInfo: { VpcId: requesterVpcId, OwnerId: ACCOUNT, Region: region },
    AccepterVpcInfo: { VpcId: accepterVpcId, OwnerId: ACCOUNT, Region: region },
  });
  return id;
}

export function setPeeringStatus(ln: Localnet, region: string, id: string, code: string): void {
  const scope = { account: ACCOUNT, region };
  const p = ln.store.get<{ Status: { Code: string } }>(K.peering.kind, scope, id)!;
  ln.store.put(K.peering.kind, scope, id, { ...p, Status: { Code: code, Message: code } });
}
