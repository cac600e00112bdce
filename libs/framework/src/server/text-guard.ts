// The NUL guard: PostgreSQL cannot store U+0000 in text, so a request string holding one would fail deep inside a
// handler. Every request is checked before its handler runs and refused with INVALID_ARGUMENT naming each field,
// whoever the caller is (the gateway checks too; gRPC can be called directly).
import { InvalidArgumentError, type FieldViolation } from '../errors';
import { fieldPath } from './validation';

/** NUL_VIOLATION_MESSAGE is the field violation message of a string holding U+0000. */
export const NUL_VIOLATION_MESSAGE = 'must not contain the NUL character (U+0000)';

/** nulViolations lists one field violation per string in `value` (a decoded request) that contains U+0000. */
export function nulViolations(value: unknown, path: PropertyKey[] = []): FieldViolation[] {
  if (typeof value === 'string') {
    return value.includes('\u0000') ? [{ field: fieldPath(path), message: NUL_VIOLATION_MESSAGE }] : [];
  }
  // bytes fields (Buffer, Uint8Array) may hold any octet; Dates and other class instances hold no request text.
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || value instanceof Date)
    return [];
  if (Array.isArray(value)) return value.flatMap((item, index) => nulViolations(item, [...path, index]));
  return Object.entries(value).flatMap(([key, item]) => nulViolations(item, [...path, key]));
}

/** refuseNul throws InvalidArgumentError when any string of `request` contains U+0000. */
export function refuseNul(request: unknown): void {
  const violations = nulViolations(request);
  if (violations.length > 0) {
    throw new InvalidArgumentError('request text must not contain the NUL character', { violations });
  }
}
