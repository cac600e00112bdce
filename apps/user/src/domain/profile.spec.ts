import { describe, expect, it } from 'vitest';
import { hasChanges, signUpRejectionReason } from './profile';
import { updateUserRequest } from './validation';

const userId = '5f0c3f0e-0f43-4c83-a7e5-3a9e0c8f6b21';

function fields(input: object): string[] {
  const result = updateUserRequest.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => String(issue.path[0])).sort();
}

describe('profile rules', () => {
  it('accepts an update of either field, both, or none', () => {
    expect(fields({ userId })).toEqual([]);
    expect(fields({ userId, nickname: 'New_Name1' })).toEqual([]);
    expect(fields({ userId, bio: '' })).toEqual([]);
    expect(fields({ userId, nickname: 'abc', bio: 'x'.repeat(500) })).toEqual([]);
  });

  it('names the nickname field unless it is 3..30 of [A-Za-z0-9_]', () => {
    for (const nickname of ['ab', 'x'.repeat(31), 'with space', 'dash-ed', 'ünïcode', ''])
      expect(fields({ userId, nickname }), nickname).toEqual(['nickname']);
    expect(fields({ userId, nickname: 'x'.repeat(30) })).toEqual([]);
  });

  it('names the bio field over 500 characters, and the userId field unless it is a UUID', () => {
    expect(fields({ userId, bio: 'x'.repeat(501) })).toEqual(['bio']);
    // Characters, not UTF-16 units: 500 emoji are a bio of 500 characters.
    expect(fields({ userId, bio: '😀'.repeat(500) })).toEqual([]);
    expect(fields({ userId, bio: '😀'.repeat(501) })).toEqual(['bio']);
    expect(fields({ userId: 'me', nickname: 'a', bio: 'x'.repeat(501) })).toEqual([
      'bio',
      'nickname',
      'userId',
    ]);
  });

  it('tells an update that changes nothing', () => {
    expect(hasChanges({})).toBe(false);
    expect(hasChanges({ bio: '' })).toBe(true);
    expect(hasChanges({ nickname: 'abc' })).toBe(true);
  });

  it('carries the blog step reason into the compensation, BLOG_SLUG_TAKEN by default', () => {
    expect(signUpRejectionReason('BLOG_SLUG_TAKEN')).toBe('BLOG_SLUG_TAKEN');
    expect(signUpRejectionReason('')).toBe('BLOG_SLUG_TAKEN');
  });
});
