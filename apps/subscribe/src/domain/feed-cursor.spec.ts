import { InvalidArgumentError } from '@blog/framework';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageOf, type FeedPosition } from './feed-cursor';

const position: FeedPosition = {
  publishedAt: '2025-03-04T05:06:07.123456Z',
  postId: '0b6f3d3e-8f0a-4c1e-9a57-3c1f0f4b2d10',
};

function rejection(cursor: string): InvalidArgumentError {
  try {
    decodeCursor(cursor);
  } catch (error) {
    return error as InvalidArgumentError;
  }
  throw new Error(`cursor ${JSON.stringify(cursor)} was accepted`);
}

describe('feed cursor', () => {
  it('round-trips a position, microseconds included, as URL-safe text', () => {
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it('rejects anything that is not one of its cursors with INVALID_ARGUMENT naming `cursor`', () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const bad of [
      'not a cursor!',
      'abc',
      b64({ t: position.publishedAt }),
      b64({ t: 'yesterday', id: position.postId }),
      b64({ t: position.publishedAt, id: 'nope' }),
      b64({ t: '2025-13-45T99:99:99Z', id: position.postId }),
      b64([1, 2]),
    ]) {
      const error = rejection(bad);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error.violations.map((v) => v.field)).toEqual(['cursor']);
    }
  });
});

describe('pageOf', () => {
  const rows = ['a', 'b', 'c'].map((id, i) => ({ id, at: `2025-01-0${3 - i}T00:00:00.000000Z` }));
  const positionOf = (row: { id: string; at: string }) => ({ publishedAt: row.at, postId: position.postId });

  it('returns limit items and a cursor at the last one when the extra row shows more exist', () => {
    const page = pageOf(rows, 2, positionOf);
    expect(page.items.map((r) => r.id)).toEqual(['a', 'b']);
    expect(decodeCursor(page.next).publishedAt).toBe('2025-01-02T00:00:00.000000Z');
  });

  it('returns no cursor on the last page', () => {
    expect(pageOf(rows, 3, positionOf).next).toBe('');
    expect(pageOf([], 3, positionOf)).toEqual({ items: [], next: '' });
  });
});
