// What every reader asks of a VPC endpoint (the DNS views, the endpoint data
// plane, the reachability engine): the endpoint service it connects to and
// that service's load balancers, whether its names exist, and whether its
// private DNS name is in force in its VPC, with the reason when it is not.
import type { NetworkModel } from './model.ts';
import type { RLoadBalancer, RVpcEndpoint, RVpcEndpointService } from './types.ts';

/** States in which an endpoint has its interfaces and DNS names (AWS creates both with the endpoint, before acceptance). */
const GONE = new Set(['deleting', 'deleted', 'rejected', 'failed', 'expired']);

export function endpointExists(ep: RVpcEndpoint): boolean {
  return !GONE.has(ep.state);
}

export function serviceOf(model: NetworkModel, ep: RVpcEndpoint): RVpcEndpointService | undefined {
  return ep.service ? model.endpointServices.get(ep.service.serviceId) : undefined;
}

/** The service's Network Load Balancers that exist (provider side). */
export function serviceLoadBalancers(model: NetworkModel, service: RVpcEndpointService): RLoadBalancer[] {
  return service.nlbArns.flatMap((arn) => model.loadBalancers.get(arn) ?? []);
}

export type PrivateDnsStatus =
  /** The service has no private DNS name (or the endpoint is not an interface endpoint to a service). */
  | { kind: 'none' }
  | { kind: 'served'; name: string }
  | { kind: 'not-served'; name: string; reason: string };

/** Whether the endpoint's VPC resolves the service's private DNS name to the endpoint (AWS: PrivateDnsEnabled, a verified name, an available endpoint). */
export function privateDnsStatus(model: NetworkModel, ep: RVpcEndpoint): PrivateDnsStatus {
  const service = serviceOf(model, ep);
  const name = service?.privateDnsName;
  if (ep.type !== 'Interface' || !service || !name) return { kind: 'none' };
  if (!ep.privateDnsEnabled) {
    return { kind: 'not-served', name, reason: `PrivateDnsEnabled is false on ${ep.id}, so ${name} is not created for ${ep.vpcId} (aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${ep.id} --private-dns-enabled)` };
  }
  if (service.privateDnsState !== 'verified') {
    return { kind: 'not-served', name, reason: `the private DNS name ${name} of ${service.id} is ${service.privateDnsState ?? 'not verified'}, not verified: the provider must publish the TXT verification record in the domain's public zone and run aws ec2 start-vpc-endpoint-service-private-dns-verification --service-id ${service.id}` };
  }
  if (ep.state !== 'available') {
    const fix = ep.state === 'pendingAcceptance' ? ` until the provider accepts it (aws ec2 accept-vpc-endpoint-connections --service-id ${service.id} --vpc-endpoint-ids ${ep.id})` : '';
    return { kind: 'not-served', name, reason: `${ep.id} is ${ep.state}, not available: its private DNS name is not in force${fix}` };
  }
  return { kind: 'served', name };
}

/** The endpoint's regional name (its first DNS entry under vpce.amazonaws.com), if any. */
export function regionalName(ep: RVpcEndpoint): string | undefined {
  return ep.dnsNames.find((n) => n.endsWith('.vpce.amazonaws.com'));
}
