// One error type for everything that reaches the wire. The protocol layer
// renders it in the service's own format (EC2 <Response><Errors>, query
// <ErrorResponse>, rest-xml, json __type).

export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** "Sender" (the caller's fault) or "Receiver" (ours), as query protocols report it. */
    readonly fault: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
    this.name = 'AwsError';
  }
}

/** Anything unexpected becomes InternalFailure on the wire; the cause is logged, never sent. */
export function internalFailure(): AwsError {
  return new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
}

export function notImplemented(service: string, operation: string | undefined): AwsError {
  const what = operation ? `${service} operation ${operation}` : `service ${service}`;
  return new AwsError('NotImplemented', `localnet does not emulate the ${what} yet. See docs/coverage.md for what is emulated.`, 501, 'Receiver');
}
