// The ACM model localnet serves: the generated model (aws-sdk v2, frozen
// before mid-2025) plus the members ACM added since that localnet uses, so
// the json protocol neither drops them from requests nor from answers.
// Each addition names the API change it comes from; the generated file
// itself stays untouched (it is regenerated, never edited).
import { loadModel, type ServiceModel, type Shape } from '../../aws/model.ts';

let cached: ServiceModel | undefined;

export function acmModel(): ServiceModel {
  if (cached) return cached;
  const model = structuredClone(loadModel('acm'));
  const str: Shape = { type: 'string' };
  const ops = model.operations;
  // June 2025, exportable public certificates: CertificateOptions.Export (ENABLED | DISABLED).
  const options = model.shapes[(ops.RequestCertificate.input!.members!.Options as Shape).shape!];
  options.members = { ...options.members, Export: str };
  // ...and the matching ListCertificates filter and summary member.
  const includes = ops.ListCertificates.input!.members!.Includes;
  includes.members = { ...includes.members, exportOption: str, managedBy: str };
  const summary = ops.ListCertificates.output!.members!.CertificateSummaryList.member!;
  summary.members = { ...summary.members, ExportOption: str, ManagedBy: str };
  const detail = ops.DescribeCertificate.output!.members!.Certificate;
  detail.members = { ...detail.members, ManagedBy: str };
  cached = model;
  return model;
}
