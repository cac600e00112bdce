// Field rules shared by the gateway (its TypeBox schemas) and the services (their zod domain validation): each rule
// is written once here, as data, and both sides build their checks and messages from it. Changing a number here
// changes the REST contract (docs/rest-api.md "Validation rules"): both sides follow at once.

/** TextRule is a string field's length, in characters (code points: an emoji is one), and optionally its alphabet. */
export interface TextRule {
  readonly minLength: number;
  readonly maxLength: number;
  /** charset is a regular-expression character class body (`a-z0-9-`), when the field has an alphabet. */
  readonly charset?: string;
  /** charsetText says the alphabet in words, for error messages (`a-z, 0-9 and -`). */
  readonly charsetText?: string;
  /** notBlank: more than white space is needed (titles). */
  readonly notBlank?: boolean;
}

/** FieldRules are the REST contract's field rules, one entry per field kind. */
export const FieldRules = {
  /** nickname: 3 to 30 of [A-Za-z0-9_], unique case-insensitively (auth at sign-up, user on UpdateUser). */
  nickname: { minLength: 3, maxLength: 30, charset: 'A-Za-z0-9_', charsetText: 'A-Z, a-z, 0-9 and _' },
  /** blogSlug: 3 to 40 of [a-z0-9-] (auth at sign-up, blog on its slug reads). */
  blogSlug: { minLength: 3, maxLength: 40, charset: 'a-z0-9-', charsetText: 'a-z, 0-9 and -' },
  /** bio: at most 500 characters. */
  bio: { minLength: 0, maxLength: 500 },
  /** blogTitle: 1 to 100 characters, not blank. */
  blogTitle: { minLength: 1, maxLength: 100, notBlank: true },
  /** blogDescription: at most 1000 characters. */
  blogDescription: { minLength: 0, maxLength: 1000 },
  /** postTitle: 1 to 200 characters, not blank. */
  postTitle: { minLength: 1, maxLength: 200, notBlank: true },
  /** postContent: 1 to 100,000 characters. */
  postContent: { minLength: 1, maxLength: 100_000 },
  /** password: 8 to 128 characters (longer ones never match and are not hashed at length). */
  password: { minLength: 8, maxLength: 128 },
  /** email: at most 254 characters (and a valid address, which each side checks with its own library). */
  email: { minLength: 0, maxLength: 254 },
  /** tag: 1 to 30 of [a-z0-9-]. */
  tag: { minLength: 1, maxLength: 30, charset: 'a-z0-9-', charsetText: 'a-z, 0-9 and -' },
} as const satisfies Record<string, TextRule>;

/** MAX_TAGS is how many tags a post may carry. */
export const MAX_TAGS = 10;

/** UUID_PATTERN is a UUID in its canonical text form, any version, either case. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** isUuidText tells whether a string is a UUID. */
export function isUuidText(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** patternOf is the whole-value pattern of a rule with an alphabet: `^[a-z0-9-]{3,40}$`. */
export function patternOf(rule: TextRule): RegExp {
  if (!rule.charset) throw new Error('patternOf: the rule has no charset');
  return new RegExp(`^[${rule.charset}]{${rule.minLength},${rule.maxLength}}$`);
}

/** charsetPatternOf is the alphabet alone, for schemas that state lengths apart: `^[a-z0-9-]+$`. */
export function charsetPatternOf(rule: TextRule): string {
  if (!rule.charset) throw new Error('charsetPatternOf: the rule has no charset');
  return `^[${rule.charset}]+$`;
}

/** patternMessageOf is the message of a value that breaks a charset rule: `must be 3 to 40 characters of a-z, 0-9 and -`. */
export function patternMessageOf(rule: TextRule): string {
  return `must be ${rule.minLength} to ${rule.maxLength} characters of ${rule.charsetText ?? rule.charset}`;
}
