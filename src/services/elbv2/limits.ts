// DescribeAccountLimits: the default quotas AWS reports, including the ones
// localnet enforces (load balancers per type, rules, listeners, targets,
// registrations, certificates).
import type { Handlers } from '../../aws/service.ts';
import { page } from './paging.ts';

const LIMITS: [string, number][] = [
  ['application-load-balancers', 50],
  ['condition-values-per-alb-rule', 5],
  ['condition-wildcards-per-alb-rule', 5],
  ['gateway-load-balancers', 100],
  ['gateway-load-balancers-per-vpc', 100],
  ['geneve-target-groups', 100],
  ['listeners-per-application-load-balancer', 50],
  ['listeners-per-network-load-balancer', 50],
  ['network-load-balancer-enis-per-vpc', 1200],
  ['network-load-balancers', 50],
  ['rules-per-application-load-balancer', 100],
  ['target-groups', 3000],
  ['target-groups-per-action-on-application-load-balancer', 5],
  ['target-groups-per-action-on-network-load-balancer', 1],
  ['target-groups-per-application-load-balancer', 100],
  ['targets-per-application-load-balancer', 1000],
  ['targets-per-availability-zone-per-gateway-load-balancer', 300],
  ['targets-per-availability-zone-per-network-load-balancer', 500],
  ['targets-per-network-load-balancer', 3000],
  ['certificates-per-application-load-balancer', 25],
  ['registrations-per-target', 100],
];

/** The quota DescribeAccountLimits reports under this name (the one localnet enforces). */
export function accountLimit(name: string): number {
  const found = LIMITS.find(([n]) => n === name);
  if (!found) throw new Error(`no ELBv2 account limit named '${name}'`);
  return found[1];
}

export function describeAccountLimits(input: { Marker?: string; PageSize?: number }) {
  const { page: items, NextMarker } = page(
    LIMITS.map(([Name, Max]) => ({ Name, Max: String(Max) })),
    input,
  );
  return { Limits: items, NextMarker };
}

export const limitHandlers = {
  DescribeAccountLimits: describeAccountLimits,
} satisfies Handlers;
