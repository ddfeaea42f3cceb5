// The ACM service: json 1.1 under X-Amz-Target CertificateManager.*, signing
// name acm, state per account and region. Requests are answered here; the
// validator (validation.ts) validates and issues in the background with the
// local CA (src/pki/). See README.md for what is emulated.
import { jsonProtocol } from '../../aws/protocols/json.ts';
import type { Handler, ServiceDefinition } from '../../aws/service.ts';
import { getAccountConfiguration, putAccountConfiguration } from './account.ts';
import { deleteCertificate, describeCertificate, getCertificateHandler, listCertificates, renewCertificate, requestCertificateHandler, updateCertificateOptions } from './certificates.ts';
import { exportCertificate, importCertificate } from './import-export.ts';
import { acmModel } from './model.ts';
import { addTagsToCertificate, listTagsForCertificate, removeTagsFromCertificate } from './tags.ts';

export interface AcmServiceOptions {
  /** Keys the validation CNAMEs to this installation (the CA's root fingerprint serves). */
  validationSecret: string;
}

export function acmService(opts: AcmServiceOptions): ServiceDefinition {
  const handlers: Record<string, Handler> = {
    RequestCertificate: requestCertificateHandler(opts.validationSecret),
    DescribeCertificate: describeCertificate,
    ListCertificates: listCertificates,
    GetCertificate: getCertificateHandler,
    DeleteCertificate: deleteCertificate,
    RenewCertificate: renewCertificate,
    UpdateCertificateOptions: updateCertificateOptions,
    ImportCertificate: importCertificate,
    ExportCertificate: exportCertificate,
    AddTagsToCertificate: addTagsToCertificate,
    RemoveTagsFromCertificate: removeTagsFromCertificate,
    ListTagsForCertificate: listTagsForCertificate,
    GetAccountConfiguration: getAccountConfiguration,
    PutAccountConfiguration: putAccountConfiguration,
  };
  return { name: 'acm', signingNames: ['acm'], model: acmModel(), protocol: jsonProtocol, handlers };
}

export { AcmValidator } from './validation.ts';
export { acmInternal } from './internal.ts';
export { addCertificateUser, removeCertificateUser, certificateMaterial, type CertificateMaterial } from './in-use.ts';
