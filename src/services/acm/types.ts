// ACM's stored shapes live in src/records/acm.ts (the load balancer reads
// certificates too); the store kinds are here.
import { KIND } from '../../records/kinds.ts';

export * from '../../records/acm.ts';

export const CERTIFICATE_KIND = KIND.certificate;
export const ACCOUNT_CONFIGURATION_KIND = 'acm.account-configuration';
