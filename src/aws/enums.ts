// Enum constraints of query-protocol (ELBv2) inputs. The aws-sdk v2 *.min.json
// models carry no enums, so the values are listed here from the service's API
// reference (in the model's order). Only top-level input members are checked:
// AWS prints nested paths in a form not confirmed here, and nested enums
// (action types, condition fields) are validated by the handlers.
// AWS answers a value outside the set with
//   ValidationError: 1 validation error detected: Value 'x' at 'protocol'
//   failed to satisfy constraint: Member must satisfy enum value set: [...]
// (wording confirmed for 'protocol'; the order inside [...] is AWS's own and
// unverified — localnet prints the model's order).
import type { ServiceModel } from './model.ts';

const PROTOCOL = ['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE', 'QUIC', 'TCP_QUIC'];
const LB_IP_ADDRESS_TYPE = ['ipv4', 'dualstack', 'dualstack-without-public-ipv4'];
const ON_OFF = ['on', 'off'];

/** Member name → values, for every ELBv2 operation's top-level input. */
const ELBV2: Record<string, string[]> = {
  Protocol: PROTOCOL,
  HealthCheckProtocol: PROTOCOL,
  IpAddressType: LB_IP_ADDRESS_TYPE,
  TargetType: ['instance', 'ip', 'lambda', 'alb'],
  Scheme: ['internet-facing', 'internal'],
  LoadBalancerType: ['application', 'network', 'gateway'],
  EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: ON_OFF,
  EnablePrefixForIpv6SourceNat: ON_OFF,
};

/** Per-operation members whose enum differs from the service-wide one. */
const ELBV2_BY_OPERATION: Record<string, Record<string, string[]>> = {
  CreateLoadBalancer: { Type: ['application', 'network', 'gateway'] },
  CreateTargetGroup: { IpAddressType: ['ipv4', 'ipv6'] },
};

/** The enum values of an operation's top-level input members, or undefined for services not covered. */
export function inputEnums(model: ServiceModel, operation: string): Record<string, string[]> | undefined {
  if (model.metadata.endpointPrefix !== 'elasticloadbalancing' || model.metadata.protocol !== 'query') return undefined;
  return { ...ELBV2, ...ELBV2_BY_OPERATION[operation] };
}
