// The account's rules, free of I/O: sign-up input, the default blog slug, the saga states and what each state allows.
import { ruleField } from '@blog/framework';
import { FieldRules } from '@blog/proto';
import { z } from 'zod';

/** AccountStatus is an account's place in the sign-up and deletion sagas (stored as this plain string). */
export type AccountStatus = 'PENDING' | 'ACTIVE' | 'REJECTED' | 'DELETING' | 'DELETED';

/** RejectionReason says why a sign-up saga was compensated. */
export type RejectionReason = 'NICKNAME_TAKEN' | 'BLOG_SLUG_TAKEN';

/** Account is the stored account as the use cases see it. */
export interface Account {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly nickname: string;
  readonly blogSlug: string;
  readonly status: AccountStatus;
  readonly reason: RejectionReason | null;
  readonly createdAt: Date;
}

/** RETIRED_STATUSES free an account's email for a new sign-up (the partial unique index excludes them). */
export const RETIRED_STATUSES: readonly AccountStatus[] = ['REJECTED', 'DELETED'];

/** PASSWORD_MAX is the longest password accepted; longer ones never match (and are not hashed at length). */
export const PASSWORD_MAX = FieldRules.password.maxLength;

/** nicknameSchema is the REST contract's nickname rule (the user service enforces the same one on UpdateUser). */
export const nicknameSchema = ruleField(FieldRules.nickname);

/** blogSlugSchema is the REST contract's blog slug rule. */
export const blogSlugSchema = ruleField(FieldRules.blogSlug);

/** signUpSchema validates CreateAccount; violations name the request fields (email, password, nickname, blogSlug). */
export const signUpSchema = z
  .object({
    email: z
      .string()
      .max(FieldRules.email.maxLength, { error: `must be at most ${FieldRules.email.maxLength} characters` })
      .pipe(z.email({ error: 'must be a valid email address' })),
    password: z
      .string()
      .min(FieldRules.password.minLength, {
        error: `must be at least ${FieldRules.password.minLength} characters`,
      })
      .max(PASSWORD_MAX, { error: `must be at most ${PASSWORD_MAX} characters` }),
    nickname: nicknameSchema,
    // proto3 has no "absent" for a string: empty means "derive it from the nickname".
    blogSlug: z.union([z.literal(''), blogSlugSchema]),
  })
  .transform((input) => ({
    email: normalizeEmail(input.email),
    password: input.password,
    nickname: input.nickname,
    blogSlug: input.blogSlug || defaultBlogSlug(input.nickname),
  }));

/** SignUp is a validated CreateAccount request. */
export type SignUp = z.output<typeof signUpSchema>;

/** normalizeEmail is how emails are stored and compared: case-insensitively. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** defaultBlogSlug derives a blog slug from a nickname: lower-cased, `_` turned into `-`. */
export function defaultBlogSlug(nickname: string): string {
  return nickname.toLowerCase().replaceAll('_', '-');
}

/** LoginVerdict is what a correct password gets, depending on the account's state. */
export type LoginVerdict = 'allow' | 'pending' | 'unusable';

/** loginVerdict: only ACTIVE accounts log in; a PENDING one is told to wait, the others are refused. */
export function loginVerdict(status: AccountStatus): LoginVerdict {
  if (status === 'ACTIVE') return 'allow';
  if (status === 'PENDING') return 'pending';
  return 'unusable';
}

/** DeletionVerdict is what RequestAccountDeletion does in a given state. */
export type DeletionVerdict = 'start' | 'already-started' | 'refuse';

/** deletionVerdict: only an ACTIVE account starts the deletion saga; a DELETING one answers idempotently. */
export function deletionVerdict(status: AccountStatus): DeletionVerdict {
  if (status === 'ACTIVE') return 'start';
  if (status === 'DELETING') return 'already-started';
  return 'refuse';
}

/** rejectionReasonOf reads a reason carried by an event, falling back to the one the saga step implies. */
export function rejectionReasonOf(value: string, fallback: RejectionReason): RejectionReason {
  return value === 'NICKNAME_TAKEN' || value === 'BLOG_SLUG_TAKEN' ? value : fallback;
}
