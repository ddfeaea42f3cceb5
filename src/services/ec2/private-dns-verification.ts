// PrivateLink private DNS names: the provider proves it owns the domain with
// a TXT record `<Name>.<private DNS name>` = `vpce:<token>` (the service's
// PrivateDnsNameConfiguration) in public DNS. StartVpcEndpointServicePrivateDnsVerification
// starts the check; this file's verifier then looks the record up in
// localnet's public DNS view (the "internet": public hosted zones with their
// delegation respected, never a VPC's view), the way ACM's DNS validation
// does (src/services/acm/validation.ts), every few hundred milliseconds.
// The record seen with the value: verified. Not seen: the state stays
// pendingVerification, and turns failed once the check has run for
// VERIFICATION_WINDOW_MS without seeing it [unverified: AWS documents the
// three states but not when a check gives up; 72 hours is what ACM and SES
// document for their own DNS checks].
import { AwsError } from '../../aws/errors.ts';
import { PublicDnsLookup } from '../../dns/public-client.ts';
import type { HandlerEnv, Handlers } from '../../aws/service.ts';
import type { VpcEndpointServiceConfiguration } from '../../records/ec2.ts';
import { KIND } from '../../records/kinds.ts';
import type { Scope, Store } from '../../store/store.ts';
import { K, save } from './resources.ts';
import { mustService } from './vpc-endpoint-services.ts';
import { Rounds } from '../rounds.ts';

export const VERIFICATION_WINDOW_MS = 72 * 3_600_000;

/** Where the TXT record must be: `<Name>.<private DNS name>` (a wildcard name is verified at its domain). */
export function verificationRecordName(svc: Pick<VpcEndpointServiceConfiguration, 'PrivateDnsName' | 'PrivateDnsNameConfiguration'>): string {
  const domain = (svc.PrivateDnsName ?? '').replace(/^\*\./, '').replace(/\.$/, '');
  return `${svc.PrivateDnsNameConfiguration?.Name ?? ''}.${domain}`;
}

export function startVpcEndpointServicePrivateDnsVerification(input: { ServiceId: string }, env: HandlerEnv) {
  const svc = mustService(env, input.ServiceId);
  if (!svc.PrivateDnsName || !svc.PrivateDnsNameConfiguration) {
    // Code AWS uses for bad arguments; the wording is localnet's [unverified].
    throw new AwsError('InvalidParameter', `The endpoint service ${svc.ServiceId} has no private DNS name to verify.`, 400);
  }
  if (svc.PrivateDnsNameConfiguration.State === 'verified') return { ReturnValue: true };
  svc.PrivateDnsNameConfiguration.State = 'pendingVerification';
  svc._verification = { startedAt: new Date().toISOString() };
  save(env, K.vpcEndpointService, svc);
  return { ReturnValue: true };
}

export const privateDnsVerificationHandlers = {
  StartVpcEndpointServicePrivateDnsVerification: startVpcEndpointServicePrivateDnsVerification,
} satisfies Handlers;

export interface PublicDnsAddress {
  address: string;
  port: number;
}

export interface VerifierOptions {
  store: Store;
  /** Where the public DNS view listens (undefined while it does not). */
  publicDns(): PublicDnsAddress | undefined;
  /** Pause between rounds (default 300 ms; LOCALNET_VPCE_VERIFICATION_INTERVAL_MS). */
  intervalMs?: number;
  now?(): Date;
  log?(line: string): void;
  /** Called after the verifier changed a service (the DNS views may care: a verified name starts answering in consumer VPCs). */
  onChange?(scope: Scope, serviceId: string): void;
}

/** The outcome of one TXT lookup: found with the value, or why not. */
export async function lookUpVerificationRecord(dns: PublicDnsLookup, name: string, value: string): Promise<{ ok: boolean; detail: string }> {
  const answer = await dns.lookup(name, 'TXT');
  if ('values' in answer) {
    if (answer.values.includes(value)) return { ok: true, detail: `${name} has the TXT record ${value}` };
    return { ok: false, detail: `${name} has TXT records (${answer.values.join(', ')}) but not ${value}` };
  }
  const { code } = answer;
  if (code === 'ENOTFOUND') return { ok: false, detail: `${name} does not exist in public DNS (NXDOMAIN)` };
  if (code === 'EREFUSED') return { ok: false, detail: `no public hosted zone answers for ${name} (the public DNS view refused the query); the record must be in a public zone the world sees` };
  if (code === 'ENODATA') return { ok: false, detail: `${name} exists in public DNS but has no TXT record` };
  return { ok: false, detail: `public DNS lookup of ${name} failed (${code})` };
}

/** The background half of private DNS verification (started by server.ts, like ACM's validator). */
export class PrivateDnsVerifier extends Rounds {
  constructor(private readonly opts: VerifierOptions) {
    super('vpce private DNS verifier', 'LOCALNET_VPCE_VERIFICATION_INTERVAL_MS', opts.intervalMs, opts.log);
  }

  async runOnce(): Promise<void> {
    const now = this.opts.now?.() ?? new Date();
    const pending = this.opts.store
      .listAll<VpcEndpointServiceConfiguration>(KIND.vpcEndpointService)
      .filter(({ value: s }) => s._verification && s.PrivateDnsNameConfiguration?.State === 'pendingVerification');
    if (pending.length === 0) return;
    const server = this.opts.publicDns();
    const dns = server ? new PublicDnsLookup(server) : undefined;
    for (const { scope, value: svc } of pending) {
      if (this.closing) return;
      const name = verificationRecordName(svc);
      const outcome = dns
        ? await lookUpVerificationRecord(dns, name, svc.PrivateDnsNameConfiguration!.Value)
        : { ok: false, detail: "localnet's public DNS view is not running, so nothing can be verified" };
      const expired = !outcome.ok && now.getTime() - Date.parse(svc._verification!.startedAt) > VERIFICATION_WINDOW_MS;
      this.update(scope, svc, (s) => {
        if (outcome.ok || expired) s.PrivateDnsNameConfiguration!.State = outcome.ok ? 'verified' : 'failed';
        else if (s._verification!.lastCheck?.outcome === outcome.detail) return undefined;
        s._verification = { ...s._verification!, lastCheck: { at: now.toISOString(), outcome: outcome.detail } };
        return s;
      });
    }
  }

  /** Applies change in one transaction if the service is unchanged since `seen` (a concurrent Modify or Delete wins). */
  private update(scope: Scope, seen: VpcEndpointServiceConfiguration, change: (s: VpcEndpointServiceConfiguration) => VpcEndpointServiceConfiguration | undefined): void {
    const written = this.opts.store.transaction(() => {
      const cur = this.opts.store.get<VpcEndpointServiceConfiguration>(KIND.vpcEndpointService, scope, seen.ServiceId);
      if (!cur || JSON.stringify(cur) !== JSON.stringify(seen)) return false;
      const next = change(structuredClone(cur));
      if (!next) return false;
      this.opts.store.put(KIND.vpcEndpointService, scope, next.ServiceId, next);
      return true;
    });
    if (written) this.opts.onChange?.(scope, seen.ServiceId);
  }
}
