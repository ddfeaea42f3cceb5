// Network interfaces as every reader needs them: who owns one (an instance,
// a NAT gateway, a load balancer node), its addresses primary first with the
// public address mapped onto each, and which interfaces a load balancer
// holds. One definition, so the DNS views, the reachability engine and the
// load balancer data plane never disagree about an interface.
import type { NetworkInterface, PublicIpAssociation } from './ec2.ts';
import type { LoadBalancer } from './elbv2.ts';

export type InterfaceOwner =
  | { kind: 'instance'; instanceId: string; deviceIndex: number }
  | { kind: 'nat-gateway' }
  /** A load balancer node: `name` is the ARN's resource part (app/<name>/<id>, net/... for NLBs). */
  | { kind: 'load-balancer'; name: string }
  /** An interface endpoint's interface (requester-managed, InterfaceType 'vpc_endpoint'). */
  | { kind: 'vpc-endpoint'; endpointId: string }
  | { kind: 'none' };

const ENDPOINT_PREFIX = 'VPC Endpoint Interface ';

/** EC2 describes an interface endpoint's interfaces `VPC Endpoint Interface vpce-…`, as AWS does. */
export function endpointInterfaceDescription(endpointId: string): string {
  return `${ENDPOINT_PREFIX}${endpointId}`;
}

const ELB_PREFIX = 'ELB ';

/** ELBv2 describes its interfaces `ELB app/<name>/<id>` (net/ for NLBs): the ARN's resource part, as AWS does. */
export function elbInterfaceDescription(loadBalancerArn: string): string {
  return `${ELB_PREFIX}${loadBalancerArn.slice(loadBalancerArn.indexOf(':loadbalancer/') + ':loadbalancer/'.length)}`;
}

export function interfaceOwner(eni: Pick<NetworkInterface, 'Attachment' | 'InterfaceType' | 'Description'>): InterfaceOwner {
  if (eni.Attachment?.InstanceId) return { kind: 'instance', instanceId: eni.Attachment.InstanceId, deviceIndex: eni.Attachment.DeviceIndex ?? 0 };
  if (eni.InterfaceType === 'nat_gateway') return { kind: 'nat-gateway' };
  if (eni.Description?.startsWith(ELB_PREFIX)) return { kind: 'load-balancer', name: eni.Description.slice(ELB_PREFIX.length) };
  if (eni.InterfaceType === 'network_load_balancer') return { kind: 'load-balancer', name: '' };
  if (eni.InterfaceType === 'vpc_endpoint' && eni.Description?.startsWith(ENDPOINT_PREFIX)) return { kind: 'vpc-endpoint', endpointId: eni.Description.slice(ENDPOINT_PREFIX.length) };
  return { kind: 'none' };
}

export interface InterfaceAddress {
  privateIp: string;
  primary: boolean;
  privateDnsName?: string;
  /** The public (auto-assigned or Elastic) address mapped onto this private one. */
  association?: PublicIpAssociation;
}

/** Every private address of the interface, primary first, each with its public mapping. */
export function interfaceAddresses(eni: Pick<NetworkInterface, 'PrivateIpAddress' | 'PrivateIpAddresses' | 'PrivateDnsName' | 'Association'>): InterfaceAddress[] {
  const list = eni.PrivateIpAddresses?.length ? eni.PrivateIpAddresses : [{ Primary: true, PrivateIpAddress: eni.PrivateIpAddress, PrivateDnsName: eni.PrivateDnsName, Association: eni.Association }];
  return list
    .map((a) => ({
      privateIp: a.PrivateIpAddress,
      primary: a.Primary,
      privateDnsName: a.PrivateDnsName ?? (a.Primary ? eni.PrivateDnsName : undefined),
      association: a.Association ?? (a.Primary ? eni.Association : undefined),
    }))
    .sort((a, b) => Number(b.primary) - Number(a.primary));
}

/**
 * The interfaces a load balancer holds, one per subnet: those ELBv2 recorded
 * (`_interfaces`), else those described as its own (records written by
 * other means, such as test fixtures).
 */
export function loadBalancerInterfaces(lb: Pick<LoadBalancer, 'LoadBalancerArn' | '_interfaces'>, enis: Iterable<NetworkInterface>): NetworkInterface[] {
  const ids = lb._interfaces ? new Set(Object.values(lb._interfaces)) : undefined;
  const description = elbInterfaceDescription(lb.LoadBalancerArn);
  const out: NetworkInterface[] = [];
  for (const e of enis) if (ids ? ids.has(e.NetworkInterfaceId) : e.Description === description) out.push(e);
  return out;
}
