// Marker / PageSize paging as ELBv2 does it: PageSize 1-400, an opaque
// NextMarker while more remain.
import { AwsError } from '../../aws/errors.ts';

export function page<T>(items: T[], input: { Marker?: string; PageSize?: number }): { page: T[]; NextMarker?: string } {
  const size = input.PageSize ?? 400;
  if (!Number.isInteger(size) || size < 1 || size > 400) throw new AwsError('ValidationError', `Page size must be between 1 and 400`);
  let start = 0;
  if (input.Marker !== undefined) {
    const decoded = Buffer.from(input.Marker, 'base64').toString('utf8');
    start = /^\d+$/.test(decoded) ? Number(decoded) : NaN;
    if (!Number.isInteger(start) || start < 0 || start > items.length) throw new AwsError('ValidationError', `The marker '${input.Marker}' is not valid`);
  }
  const end = start + size;
  return { page: items.slice(start, end), NextMarker: end < items.length ? Buffer.from(String(end)).toString('base64') : undefined };
}
