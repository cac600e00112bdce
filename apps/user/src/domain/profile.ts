// The profile's rules, free of I/O: what a nickname and a bio may be, and what UpdateUser accepts.
import { textField } from '@blog/framework';
import { z } from 'zod';

/** Profile is a stored user profile (user id = account id). */
export interface Profile {
  readonly userId: string;
  readonly nickname: string;
  readonly bio: string;
  readonly createdAt: Date;
}

/** BIO_MAX is the longest bio, in characters. */
export const BIO_MAX = 500;

/** nicknameSchema is the REST contract's nickname rule: 3 to 30 of [A-Za-z0-9_] (unique case-insensitively). */
export const nicknameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_]{3,30}$/, { error: 'must be 3 to 30 characters of A-Z, a-z, 0-9 and _' });

/** bioSchema is the REST contract's bio rule, counted in characters (an emoji is one). */
export const bioSchema = textField(0, BIO_MAX);

/** updateUserSchema validates UpdateUser; violations name the fields (userId, nickname, bio). */
export const updateUserSchema = z.object({
  userId: z.uuid({ error: 'must be a UUID' }),
  nickname: nicknameSchema.optional(),
  bio: bioSchema.optional(),
});

/** ProfileChanges are the fields an update sets (absent ones stay as they are). */
export interface ProfileChanges {
  readonly nickname?: string;
  readonly bio?: string;
}

/** hasChanges tells whether an update sets anything at all. */
export function hasChanges(changes: ProfileChanges): boolean {
  return changes.nickname !== undefined || changes.bio !== undefined;
}

/** signUpRejectionReason is the reason a compensating UserDeleted carries: the blog step's, BLOG_SLUG_TAKEN by default. */
export function signUpRejectionReason(blogRejectedReason: string): string {
  return blogRejectedReason || 'BLOG_SLUG_TAKEN';
}
