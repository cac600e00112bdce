// Request validation for handlers: a zod schema in, an InvalidArgumentError naming every bad field out.
import type { z } from 'zod';
import { InvalidArgumentError, type FieldViolation } from '../errors';

/** fieldPath renders a zod issue path the way the REST contract names fields: "tags[2]", "meta.eventId". */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out === '' ? String(key) : `${out}.${String(key)}`;
  }, '');
}

/** fieldViolations turns zod issues into field violations, one per issue. */
export function fieldViolations(error: z.ZodError): FieldViolation[] {
  return error.issues.map((issue) => ({ field: fieldPath(issue.path), message: issue.message }));
}

/** validate parses value with schema, or throws InvalidArgumentError listing every bad field. */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  message = 'invalid request',
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InvalidArgumentError(message, { violations: fieldViolations(result.error) });
}
