import { InvalidArgumentError } from '@blog/framework';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor';

const key = { createdAt: '2026-01-02T03:04:05.123456Z', postId: '33333333-3333-4333-8333-333333333333' };

function cursorViolation(cursor: string) {
  try {
    decodeCursor(cursor);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as InvalidArgumentError).violations;
  }
  throw new Error(`expected ${cursor} to be refused`);
}

describe('cursor', () => {
  it('round-trips a key, microseconds included, through an opaque base64url string', () => {
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain(key.postId);
    expect(decodeCursor(cursor)).toEqual(key);
  });

  it('refuses anything else, naming the cursor field', () => {
    const encode = (text: string) => Buffer.from(text).toString('base64url');
    for (const bad of [
      'not base64!',
      encode('garbage'),
      encode(`${key.createdAt}|not-a-uuid`),
      encode(`2026-01-02|${key.postId}`),
      encode(`2026-13-45T03:04:05.123456Z|${key.postId}`),
      encode(`2026-02-31T03:04:05.123456Z|${key.postId}`),
      encode(`${key.createdAt}|${key.postId}|extra`),
      encode(`|${key.postId}`),
    ]) {
      expect(cursorViolation(bad), bad).toEqual([{ field: 'cursor', message: expect.any(String) }]);
    }
  });
});
