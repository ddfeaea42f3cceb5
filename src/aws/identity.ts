// Who is calling and where: account, region and signing name from SigV4
// (Authorization header or presigned X-Amz-Credential). Signatures are not
// verified: localnet trusts its loopback callers, as a local emulator should.
import { header, type WireRequest } from './protocols/wire.ts';

export interface Identity {
  accessKeyId: string;
  account: string;
  region: string;
  /** The service named in the credential scope, if the request is signed. */
  signingName?: string;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/;

export function identify(req: WireRequest, defaultAccount: string): Identity {
  const auth = header(req, 'authorization') ?? '';
  let m = CREDENTIAL.exec(auth);
  if (!m) {
    const cred = req.query.get('X-Amz-Credential');
    if (cred) m = CREDENTIAL.exec(`Credential=${cred}`);
  }
  const accessKeyId = m?.[1] ?? '';
  return {
    accessKeyId,
    account: /^\d{12}$/.test(accessKeyId) ? accessKeyId : defaultAccount,
    region: m?.[3] ?? 'us-east-1',
    signingName: m?.[4],
  };
}
