// The certificates a listener may serve: ISSUED ACM certificates of the same
// account and region. Anything else (another region's ARN, an IAM server
// certificate, a certificate still pending validation) is CertificateNotFound,
// since the load balancer cannot obtain it.
import { AwsError } from '../../aws/errors.ts';
import type { HandlerEnv } from '../../aws/service.ts';
import { certificateIdOf } from '../acm/names.ts';
import { CERTIFICATE_KIND, type CertificateRecord } from '../acm/types.ts';

export function checkCertificate(env: HandlerEnv, arn: string | undefined): string {
  if (!arn) throw new AwsError('ValidationError', 'A certificate ARN must be specified');
  let id: string | undefined;
  try {
    id = certificateIdOf(arn, env.scope);
  } catch {
    id = undefined;
  }
  const rec = id ? env.store.get<CertificateRecord>(CERTIFICATE_KIND, env.scope, id) : undefined;
  if (!rec) throw new AwsError('CertificateNotFound', `Certificate '${arn}' not found`);
  if (rec.status !== 'ISSUED') throw new AwsError('CertificateNotFound', `Certificate '${arn}' not found: its status is ${rec.status}, and only ISSUED certificates can be used by a listener`);
  return arn;
}
