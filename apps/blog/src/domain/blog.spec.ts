import { FailedPreconditionError, NotFoundError, PermissionDeniedError } from '@blog/framework';
import { describe, expect, it } from 'vitest';
import {
  assertUpdatable,
  defaultTitle,
  isDeletionComplete,
  isVisible,
  judgePost,
  judgeSubscription,
  type Blog,
  type BlogStatus,
} from './blog';

const owner = '11111111-1111-4111-8111-111111111111';
const other = '22222222-2222-4222-8222-222222222222';

function blogWith(status: BlogStatus): Blog {
  return {
    blogId: '33333333-3333-4333-8333-333333333333',
    ownerId: owner,
    slug: 'ada',
    title: "ada's blog",
    description: '',
    status,
    postCount: 0,
    subscriberCount: 0,
    createdAt: new Date(),
  };
}

describe('defaultTitle', () => {
  it("is <nickname>'s blog", () => {
    expect(defaultTitle('Ada_L')).toBe("Ada_L's blog");
  });
  it('never exceeds 100 characters', () => {
    expect([...defaultTitle('é'.repeat(120))]).toHaveLength(100);
  });
});

describe('isVisible', () => {
  it('shows ACTIVE and DELETING blogs, hides DELETED and missing ones', () => {
    expect(isVisible(blogWith('ACTIVE'))).toBe(true);
    expect(isVisible(blogWith('DELETING'))).toBe(true);
    expect(isVisible(blogWith('DELETED'))).toBe(false);
    expect(isVisible(undefined)).toBe(false);
  });
});

describe('assertUpdatable', () => {
  it('lets the owner change an ACTIVE blog', () => {
    expect(() => assertUpdatable(blogWith('ACTIVE'), owner)).not.toThrow();
  });
  it('answers NOT_FOUND for a missing or DELETED blog, whoever asks', () => {
    expect(() => assertUpdatable(undefined, owner)).toThrow(NotFoundError);
    expect(() => assertUpdatable(blogWith('DELETED'), owner)).toThrow(NotFoundError);
  });
  it('answers PERMISSION_DENIED to anyone but the owner, before looking at the status', () => {
    expect(() => assertUpdatable(blogWith('ACTIVE'), other)).toThrow(PermissionDeniedError);
    expect(() => assertUpdatable(blogWith('DELETING'), other)).toThrow(PermissionDeniedError);
  });
  it('answers FAILED_PRECONDITION to the owner of a DELETING blog', () => {
    expect(() => assertUpdatable(blogWith('DELETING'), owner)).toThrow(FailedPreconditionError);
  });
});

describe('judgePost', () => {
  it('accepts a post of the owner into an ACTIVE blog', () => {
    expect(judgePost(blogWith('ACTIVE'), owner)).toEqual({ accepted: true });
  });
  it('rejects in the order: missing, not ACTIVE, not the owner', () => {
    expect(judgePost(undefined, owner)).toEqual({ accepted: false, reason: 'BLOG_NOT_FOUND' });
    expect(judgePost(blogWith('DELETED'), owner)).toEqual({ accepted: false, reason: 'BLOG_NOT_FOUND' });
    expect(judgePost(blogWith('DELETING'), other)).toEqual({ accepted: false, reason: 'BLOG_NOT_ACTIVE' });
    expect(judgePost(blogWith('ACTIVE'), other)).toEqual({ accepted: false, reason: 'NOT_OWNER' });
  });
});

describe('judgeSubscription', () => {
  it('accepts a reader of an ACTIVE blog', () => {
    expect(judgeSubscription(blogWith('ACTIVE'), other)).toEqual({ accepted: true });
  });
  it('rejects in the order: missing, not ACTIVE, own blog', () => {
    expect(judgeSubscription(undefined, other)).toEqual({ accepted: false, reason: 'BLOG_NOT_FOUND' });
    expect(judgeSubscription(blogWith('DELETING'), owner)).toEqual({
      accepted: false,
      reason: 'BLOG_NOT_ACTIVE',
    });
    expect(judgeSubscription(blogWith('ACTIVE'), owner)).toEqual({
      accepted: false,
      reason: 'SELF_SUBSCRIPTION',
    });
  });
});

describe('isDeletionComplete', () => {
  const base = {
    blogId: 'b',
    ownerId: owner,
    sagaId: null,
    postsDeletedAt: null,
    subscriptionsCancelledAt: null,
  };
  it('waits for both the posts and the subscriptions report', () => {
    expect(isDeletionComplete(base)).toBe(false);
    expect(isDeletionComplete({ ...base, postsDeletedAt: new Date() })).toBe(false);
    expect(isDeletionComplete({ ...base, subscriptionsCancelledAt: new Date() })).toBe(false);
    expect(
      isDeletionComplete({ ...base, postsDeletedAt: new Date(), subscriptionsCancelledAt: new Date() }),
    ).toBe(true);
  });
});
