import { describe, expect, it } from 'vitest';
import {
  defaultBlogSlug,
  deletionVerdict,
  loginVerdict,
  rejectionReasonOf,
  signUpSchema,
  type AccountStatus,
} from './account';

const valid = { email: 'Ada@Example.COM', password: 'correct horse', nickname: 'Ada_Lovelace', blogSlug: '' };

function violations(input: object): Record<string, string> {
  const result = signUpSchema.safeParse(input);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((issue) => [String(issue.path[0]), issue.message]));
}

describe('sign-up validation', () => {
  it('accepts a valid request, lower-cases the email and derives the blog slug from the nickname', () => {
    expect(signUpSchema.parse(valid)).toEqual({
      email: 'ada@example.com',
      password: 'correct horse',
      nickname: 'Ada_Lovelace',
      blogSlug: 'ada-lovelace',
    });
  });

  it('keeps a blog slug the client chose', () => {
    expect(signUpSchema.parse({ ...valid, blogSlug: 'ada-writes' }).blogSlug).toBe('ada-writes');
  });

  it('names the email field for a malformed or too long address', () => {
    expect(Object.keys(violations({ ...valid, email: 'not-an-email' }))).toEqual(['email']);
    expect(Object.keys(violations({ ...valid, email: `${'a'.repeat(250)}@x.io` }))).toEqual(['email']);
    expect(
      Object.keys(violations({ ...valid, email: `${'a'.repeat(60)}@${'b'.repeat(60)}.example.com` })),
    ).toEqual([]);
  });

  it('names the password field outside 8..128 characters', () => {
    expect(Object.keys(violations({ ...valid, password: 'short12' }))).toEqual(['password']);
    expect(Object.keys(violations({ ...valid, password: 'x'.repeat(129) }))).toEqual(['password']);
    expect(violations({ ...valid, password: 'x'.repeat(8) })).toEqual({});
    expect(violations({ ...valid, password: 'x'.repeat(128) })).toEqual({});
  });

  it('names the nickname field unless it is 3..30 of [A-Za-z0-9_]', () => {
    for (const nickname of ['ab', 'x'.repeat(31), 'has space', 'dash-ed', 'émile', ''])
      expect(Object.keys(violations({ ...valid, nickname })), nickname).toEqual(['nickname']);
    for (const nickname of ['abc', 'x'.repeat(30), 'A_b_9'])
      expect(violations({ ...valid, nickname })).toEqual({});
  });

  it('names the blogSlug field unless it is empty or 3..40 of [a-z0-9-]', () => {
    for (const blogSlug of ['ab', 'x'.repeat(41), 'Upper', 'under_score'])
      expect(Object.keys(violations({ ...valid, blogSlug })), blogSlug).toEqual(['blogSlug']);
    expect(violations({ ...valid, blogSlug: 'x'.repeat(40) })).toEqual({});
  });

  it('reports every bad field at once', () => {
    expect(
      Object.keys(violations({ email: 'x', password: 'y', nickname: 'z', blogSlug: 'Q' })).sort(),
    ).toEqual(['blogSlug', 'email', 'nickname', 'password']);
  });
});

describe('account rules', () => {
  it('derives the blog slug: lower-cased, _ turned into -', () => {
    expect(defaultBlogSlug('Mr_Big_Blog')).toBe('mr-big-blog');
    expect(defaultBlogSlug('abc')).toBe('abc');
  });

  it('lets only ACTIVE accounts log in; PENDING waits; the rest are refused', () => {
    const verdicts = (['PENDING', 'ACTIVE', 'REJECTED', 'DELETING', 'DELETED'] as AccountStatus[]).map(
      loginVerdict,
    );
    expect(verdicts).toEqual(['pending', 'allow', 'unusable', 'unusable', 'unusable']);
  });

  it('starts deletion only from ACTIVE and answers a DELETING account idempotently', () => {
    const verdicts = (['PENDING', 'ACTIVE', 'REJECTED', 'DELETING', 'DELETED'] as AccountStatus[]).map(
      deletionVerdict,
    );
    expect(verdicts).toEqual(['refuse', 'start', 'refuse', 'already-started', 'refuse']);
  });

  it('reads a rejection reason from an event, with the step implied fallback', () => {
    expect(rejectionReasonOf('NICKNAME_TAKEN', 'BLOG_SLUG_TAKEN')).toBe('NICKNAME_TAKEN');
    expect(rejectionReasonOf('', 'BLOG_SLUG_TAKEN')).toBe('BLOG_SLUG_TAKEN');
    expect(rejectionReasonOf('SOMETHING_ELSE', 'NICKNAME_TAKEN')).toBe('NICKNAME_TAKEN');
  });
});
