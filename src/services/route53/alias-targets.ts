// Alias targets outside the zone: Route 53 refuses an alias whose target it
// can look up and does not find. For the targets localnet emulates (load
// balancers and interface endpoints) the target must exist under the hosted
// zone id the alias names; Route 53's wording for both a missing target and a
// zone id that does not go with the name is "does not lie within the target
// zone". Targets of services localnet does not emulate (CloudFront, S3
// websites, API Gateway …) are accepted as given: there is nothing to check.
import type { Store } from '../../store/store.ts';
import { everywhere } from '../../records/read.ts';
import { KIND } from '../../records/kinds.ts';
import { isLoadBalancerZoneId } from '../elbv2/naming.ts';
import { isVpceZoneId } from '../ec2/endpoint-names.ts';
import { formatName } from './names.ts';

/** Names of one kind of alias target, lower case without the trailing dot. */
type TargetNames = (zoneId: string) => Set<string>;

/** Route 53's message, or undefined when the target exists or cannot be checked. */
export function aliasTargetProblem(store: Store, target: { HostedZoneId: string; DNSName: string }, type: string, zoneId: string): string | undefined {
  const names = targetNames(store, target.HostedZoneId);
  if (!names) return undefined;
  // Load balancers answer under `dualstack.` too; endpoints under `*.` names match any label.
  const name = target.DNSName.toLowerCase().replace(/\.$/, '').replace(/^dualstack\./, '');
  const wildcardOf = name.replace(/^[^.]+\./, '*.');
  if (names.has(name) || names.has(wildcardOf)) return undefined;
  return `Tried to create an alias that targets ${formatName(target.DNSName)}, type ${type} in zone ${zoneId}, but the alias target name does not lie within the target zone`;
}

function targetNames(store: Store, hostedZoneId: string): Set<string> | undefined {
  const lookup: TargetNames | undefined = isLoadBalancerZoneId(hostedZoneId) ? loadBalancerNames(store) : isVpceZoneId(hostedZoneId) ? endpointNames(store) : undefined;
  return lookup?.(hostedZoneId);
}

const loadBalancerNames = (store: Store): TargetNames => (zoneId) =>
  new Set(everywhere(store, KIND.loadBalancer).filter((l) => l.value.CanonicalHostedZoneId === zoneId).map((l) => l.value.DNSName.toLowerCase()));

const endpointNames = (store: Store): TargetNames => (zoneId) =>
  new Set(everywhere(store, KIND.vpcEndpoint).flatMap((e) => (e.value.DnsEntries ?? []).filter((d) => d.HostedZoneId === zoneId).map((d) => (d.DnsName ?? '').toLowerCase())));
