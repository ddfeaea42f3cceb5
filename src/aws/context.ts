// The request context, filled in stage by stage as the gateway learns more.
import { randomUUID } from 'node:crypto';

export interface RequestContext {
  /** Unique id, echoed as RequestId / x-amzn-RequestId. Known from the start. */
  requestId: string;
  /** Account: the access key id when it is 12 digits, else the default account. Known after identity. */
  account: string;
  /** Region from the SigV4 credential scope (default us-east-1). Known after identity. */
  region: string;
  /** The access key id the request was signed with ('' when unsigned). */
  accessKeyId: string;
  /** Service name as localnet calls it (ec2, elbv2, route53, acm ...). Known after routing. */
  service: string;
  /** Operation name from the model (CreateVpc ...). Known after parsing. */
  operation: string;
}

export function newContext(): RequestContext {
  return { requestId: randomUUID(), account: '', region: '', accessKeyId: '', service: '', operation: '' };
}
