import { FailedPreconditionError, NotFoundError, PermissionDeniedError } from '@blog/framework';
import { describe, expect, it } from 'vitest';
import {
  assertChangeable,
  changesOf,
  hasChanges,
  isVisibleTo,
  normalizeTags,
  type Post,
  type PostStatus,
} from './post';

const author = '11111111-1111-4111-8111-111111111111';
const reader = '22222222-2222-4222-8222-222222222222';

function postWith(status: PostStatus, more: Partial<Post> = {}): Post {
  const at = new Date('2026-01-01T00:00:00Z');
  return {
    postId: '33333333-3333-4333-8333-333333333333',
    blogId: '44444444-4444-4444-8444-444444444444',
    authorId: author,
    title: 'Title',
    content: 'Content',
    tags: ['a', 'b'],
    status,
    createdAt: at,
    updatedAt: at,
    publishedAt: status === 'PUBLISHED' ? at : null,
    ...more,
  };
}

describe('isVisibleTo', () => {
  it('shows a PUBLISHED post to everyone, anonymous readers included', () => {
    expect(isVisibleTo(postWith('PUBLISHED'), '')).toBe(true);
    expect(isVisibleTo(postWith('PUBLISHED'), reader)).toBe(true);
  });
  it('shows a PENDING or REJECTED post only to its author', () => {
    for (const status of ['PENDING', 'REJECTED'] as const) {
      expect(isVisibleTo(postWith(status), author), status).toBe(true);
      expect(isVisibleTo(postWith(status), reader), status).toBe(false);
      expect(isVisibleTo(postWith(status), ''), status).toBe(false);
    }
  });
  it('shows a DELETED or missing post to nobody', () => {
    expect(isVisibleTo(postWith('DELETED'), author)).toBe(false);
    expect(isVisibleTo(undefined, author)).toBe(false);
  });
});

describe('assertChangeable', () => {
  it('lets the author change a PUBLISHED or REJECTED post', () => {
    expect(() => assertChangeable(postWith('PUBLISHED'), author)).not.toThrow();
    expect(() => assertChangeable(postWith('REJECTED'), author)).not.toThrow();
  });
  it('answers FAILED_PRECONDITION to the author while the post is PENDING', () => {
    expect(() => assertChangeable(postWith('PENDING'), author)).toThrow(FailedPreconditionError);
  });
  it('answers PERMISSION_DENIED to anyone else for a post they can see', () => {
    expect(() => assertChangeable(postWith('PUBLISHED'), reader)).toThrow(PermissionDeniedError);
  });
  it('answers NOT_FOUND for a missing or DELETED post, and for one the actor cannot see', () => {
    expect(() => assertChangeable(undefined, author)).toThrow(NotFoundError);
    expect(() => assertChangeable(postWith('DELETED'), author)).toThrow(NotFoundError);
    expect(() => assertChangeable(postWith('PENDING'), reader)).toThrow(NotFoundError);
    expect(() => assertChangeable(postWith('REJECTED'), reader)).toThrow(NotFoundError);
  });
});

describe('changesOf', () => {
  const post = postWith('PUBLISHED');
  it('keeps only the fields that differ', () => {
    expect(changesOf(post, { title: 'Title', content: 'New', tags: ['a', 'b'] })).toEqual({ content: 'New' });
    expect(changesOf(post, { tags: ['b', 'a'] })).toEqual({ tags: ['b', 'a'] });
    expect(changesOf(post, { tags: [] })).toEqual({ tags: [] });
  });
  it('finds nothing to change in an empty edit or one repeating the post', () => {
    expect(hasChanges(changesOf(post, {}))).toBe(false);
    expect(hasChanges(changesOf(post, { title: 'Title', tags: ['a', 'a', 'b'] }))).toBe(false);
  });
});

describe('normalizeTags', () => {
  it('drops repeated tags, keeping the order of first use', () => {
    expect(normalizeTags(['b', 'a', 'b', 'c', 'a'])).toEqual(['b', 'a', 'c']);
  });
});
