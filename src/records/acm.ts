// What ACM keeps per certificate, as stored. Timestamps are ISO strings; PEM
// texts are stored as issued or imported. The private key never leaves
// localnet except through ExportCertificate (where ACM allows it) and the
// load balancer's TLS, which reads it through certificateMaterial.

export type CertificateStatus = 'PENDING_VALIDATION' | 'ISSUED' | 'INACTIVE' | 'EXPIRED' | 'VALIDATION_TIMED_OUT' | 'REVOKED' | 'FAILED';
export type CertificateType = 'AMAZON_ISSUED' | 'IMPORTED' | 'PRIVATE';
export type ValidationStatus = 'PENDING_VALIDATION' | 'SUCCESS' | 'FAILED';

export interface Tag {
  Key: string;
  Value?: string;
}

export interface ResourceRecord {
  /** Absolute, with the trailing dot, as ACM prints it. */
  Name: string;
  Type: 'CNAME';
  Value: string;
}

export interface DomainValidation {
  domainName: string;
  validationDomain: string;
  validationMethod: 'DNS' | 'EMAIL';
  status: ValidationStatus;
  resourceRecord?: ResourceRecord;
  validationEmails?: string[];
}

/** The validator's last look at a pending certificate, for explanations. */
export interface ValidationCheck {
  at: string;
  /** Per validation record name: what the public DNS answered. */
  lookups: { name: string; outcome: string }[];
}

export interface CertificateRecord {
  arn: string;
  /** The uuid at the end of the ARN (store id). */
  id: string;
  domainName: string;
  /** Every name, DomainName first (ACM's SubjectAlternativeNames include it). */
  names: string[];
  type: CertificateType;
  status: CertificateStatus;
  failureReason?: string;
  validations: DomainValidation[];
  keyAlgorithm: string;
  options: { CertificateTransparencyLoggingPreference: string; Export: 'ENABLED' | 'DISABLED' };
  certificateAuthorityArn?: string;
  createdAt?: string;
  issuedAt?: string;
  importedAt?: string;
  notBefore?: string;
  notAfter?: string;
  serial?: string;
  subject?: string;
  issuer?: string;
  signatureAlgorithm?: string;
  keyUsages?: string[];
  extendedKeyUsages?: { Name: string; OID?: string }[];
  certificatePem?: string;
  chainPem?: string;
  privateKeyPem?: string;
  /** ARNs of the resources that use the certificate (load balancers, listeners). */
  inUseBy: string[];
  tags: Tag[];
  exported: boolean;
  idempotency?: { token: string; fingerprint: string; at: string };
  renewal?: { status: 'PENDING_AUTO_RENEWAL' | 'PENDING_VALIDATION' | 'SUCCESS' | 'FAILED'; reason?: string; updatedAt: string };
  lastCheck?: ValidationCheck;
}

export interface AccountConfiguration {
  daysBeforeExpiry: number;
  idempotencyToken?: string;
  tokenAt?: string;
}
