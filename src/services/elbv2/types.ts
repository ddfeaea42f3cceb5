// The stored ELBv2 records live in src/records/elbv2.ts (the contract between
// this control plane, the data plane in src/lb/ and src/net/); the store kinds
// in src/records/kinds.ts.
import { KIND as ALL } from '../../records/kinds.ts';

export * from '../../records/elbv2.ts';

export const KIND = {
  loadBalancer: ALL.loadBalancer,
  targetGroup: ALL.targetGroup,
  target: ALL.target,
  listener: ALL.listener,
  rule: ALL.rule,
  /** Written only by the data plane's health checker. */
  targetHealth: ALL.targetHealth,
} as const;
