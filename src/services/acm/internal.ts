// localnet's own ACM endpoints (under /_localnet/acm/):
//   POST /_localnet/acm/approve {"arn": ...}  approve EMAIL validation (no mail is sent)
//   GET  /_localnet/acm/why[?arn=...]         why a certificate (or every certificate not ISSUED) is in its state
import type { WireRequest, WireResponse } from '../../aws/protocols/wire.ts';
import type { DnsSnapshot } from '../../dns/types.ts';
import type { Scope, Store } from '../../store/store.ts';
import { explainCertificate } from './explain.ts';
import { CERTIFICATE_KIND, type CertificateRecord } from './types.ts';
import type { AcmValidator } from './validation.ts';

export interface AcmInternalOptions {
  store: Store;
  validator: AcmValidator;
  /** The DNS state (Route 53 zones and delegations) the explanations read. */
  snapshot?(): DnsSnapshot;
}

const json = (status: number, body: unknown): WireResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body, null, 2) });

function scopeOf(arn: string): { scope: Scope; id: string } | undefined {
  const m = /^arn:aws:acm:([a-z0-9-]+):(\d{12}):certificate\/([0-9a-f-]{36})$/.exec(arn);
  return m ? { scope: { region: m[1], account: m[2] }, id: m[3] } : undefined;
}

export function acmInternal(opts: AcmInternalOptions): (req: WireRequest) => Promise<WireResponse | undefined> {
  return async (req) => {
    if (req.path === '/_localnet/acm/approve') {
      if (req.method !== 'POST') return json(405, { error: 'approve takes POST' });
      let arn = req.query.get('arn') ?? undefined;
      if (!arn && req.body.length > 0) {
        try {
          arn = (JSON.parse(req.body.toString('utf8')) as { arn?: string }).arn;
        } catch {
          return json(400, { error: 'the body must be JSON: {"arn": "arn:aws:acm:..."}' });
        }
      }
      const where = arn ? scopeOf(arn) : undefined;
      if (!arn || !where) return json(400, { error: `not a certificate ARN: ${arn ?? '(none)'}` });
      const before = opts.store.get<CertificateRecord>(CERTIFICATE_KIND, where.scope, where.id);
      if (!before) return json(404, { error: `no certificate ${arn}` });
      if (!before.validations.some((v) => v.validationMethod === 'EMAIL')) {
        return json(409, { error: `${arn} uses ${before.validations[0]?.validationMethod ?? 'no'} validation; only EMAIL validation is approved by hand` });
      }
      const after = await opts.validator.approve(where.scope, arn);
      return json(200, { arn, status: after?.status ?? 'DELETED', failureReason: after?.failureReason });
    }
    if (req.path === '/_localnet/acm/why') {
      const snapshot = opts.snapshot?.();
      const arn = req.query.get('arn');
      if (arn) {
        const where = scopeOf(arn);
        const rec = where ? opts.store.get<CertificateRecord>(CERTIFICATE_KIND, where.scope, where.id) : undefined;
        if (!rec) return json(404, { error: `no certificate ${arn}` });
        return json(200, explainCertificate(rec, snapshot));
      }
      const all = opts.store.listAll<CertificateRecord>(CERTIFICATE_KIND).filter(({ value }) => value.status !== 'ISSUED');
      return json(200, { certificates: all.map(({ value }) => explainCertificate(value, snapshot)) });
    }
    return undefined;
  };
}
