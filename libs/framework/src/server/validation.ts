// Request validation for handlers: a zod schema in, an InvalidArgumentError naming every bad field out; and the
// field rules every service shares (UUID ids, lengths in characters), so one id or title is judged alike everywhere.
import { patternMessageOf, patternOf, UUID_PATTERN as PROTO_UUID_PATTERN, type TextRule } from '@blog/proto';
import { z } from 'zod';
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

/** UUID_PATTERN matches the canonical text form of a UUID (the contract's one rule, @blog/proto rules.ts). */
export const UUID_PATTERN: RegExp = PROTO_UUID_PATTERN;

/**
 * isUuid tells whether a string is a UUID. Ids that come from events are checked before they reach a uuid column:
 * a malformed one names nothing (a logged no-op), where PostgreSQL would reject it and turn one bad record into
 * retries and a dead letter.
 */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** charCount counts characters as people do (code points: an emoji is one), not UTF-16 units like `length`. */
export function charCount(value: string): number {
  return [...value].length;
}

/** uuidField is a required id field of a request. */
export function uuidField() {
  return z.string().regex(UUID_PATTERN, { error: 'must be a UUID' });
}

/** TextFieldOptions refine textField. */
export interface TextFieldOptions {
  /** notBlank also refuses a value of whitespace only. */
  notBlank?: boolean;
}

/** textField is a string of `min` to `max` characters (see charCount), with one message naming the bounds. */
export function textField(min: number, max: number, options: TextFieldOptions = {}) {
  const bounds = min > 0 ? `must be ${min} to ${max} characters` : `must be at most ${max} characters`;
  return z.string().superRefine((value, ctx) => {
    const count = charCount(value);
    if (count < min || count > max) ctx.addIssue({ code: 'custom', message: bounds });
    else if (options.notBlank && value.trim() === '')
      ctx.addIssue({ code: 'custom', message: 'must not be blank' });
  });
}

/**
 * ruleField is the zod schema of a shared field rule (@blog/proto FieldRules): a rule with an alphabet is one pattern
 * with one message, any other a textField of its bounds. The gateway builds its schemas from the same rules.
 */
export function ruleField(rule: TextRule): z.ZodType<string> {
  if (rule.charset) return z.string().regex(patternOf(rule), { error: patternMessageOf(rule) });
  return textField(rule.minLength, rule.maxLength, { notBlank: rule.notBlank });
}
