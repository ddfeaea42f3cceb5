// The ACM service: json 1.1 under X-Amz-Target CertificateManager.*, signing
// name acm, state per account and region. Requests are answered here; the
// validator (validation.ts) validates and issues in the background with the
// local CA (src/pki/). Operations are registered one table per file (see
// src/aws/service.ts). See README.md for what is emulated.
import { jsonProtocol } from '../../aws/protocols/json.ts';
import { mergeHandlers, type ServiceDefinition } from '../../aws/service.ts';
import { accountConfigurationHandlers } from './account.ts';
import { certificateHandlers } from './certificates.ts';
import { importExportHandlers } from './import-export.ts';
import { acmModel } from './model.ts';
import { tagHandlers } from './tags.ts';

export interface AcmServiceOptions {
  /** Keys the validation CNAMEs to this installation (the CA's root fingerprint serves). */
  validationSecret: string;
}

export function acmService(opts: AcmServiceOptions): ServiceDefinition {
  return {
    name: 'acm',
    signingNames: ['acm'],
    model: acmModel(),
    protocol: jsonProtocol,
    handlers: mergeHandlers(certificateHandlers(opts.validationSecret), importExportHandlers, tagHandlers, accountConfigurationHandlers),
  };
}

export { AcmValidator } from './validation.ts';
export { acmInternal } from './internal.ts';
export { addCertificateUser, removeCertificateUser, certificateMaterial, type CertificateMaterial } from './in-use.ts';
