// ACM's error codes, with the messages localnet sends. Codes are ACM's own;
// messages follow AWS's where they are known and say what is wrong otherwise.
import { AwsError } from '../../aws/errors.ts';

export function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}

/** The smithy-style message AWS gives for a member that breaks its model constraint. */
export function constraint(value: string, member: string, rule: string): AwsError {
  return validation(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${rule}`);
}

export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', message, 400);
}

export function invalidArn(arn: string): AwsError {
  return new AwsError('InvalidArnException', `The ARN ${arn} is not a valid ACM certificate ARN.`, 400);
}

export function notFound(arn: string): AwsError {
  return new AwsError('ResourceNotFoundException', `Could not find certificate ${arn}.`, 400);
}

export function inProgress(arn: string): AwsError {
  return new AwsError('RequestInProgressException', `Certificate ${arn} is not in ISSUED state; the certificate request is still in process.`, 400);
}

export function inUse(arn: string, users: string[]): AwsError {
  return new AwsError('ResourceInUseException', `Certificate ${arn} is in use by ${users.join(', ')}.`, 400);
}

export function limitExceeded(message: string): AwsError {
  return new AwsError('LimitExceededException', message, 400);
}

export function invalidDomainValidationOptions(message: string): AwsError {
  return new AwsError('InvalidDomainValidationOptionsException', message, 400);
}

export function invalidTag(message: string): AwsError {
  return new AwsError('InvalidTagException', message, 400);
}

export function tooManyTags(message: string): AwsError {
  return new AwsError('TooManyTagsException', message, 400);
}

export function conflict(message: string): AwsError {
  return new AwsError('ConflictException', message, 400);
}
