// Test-only: arranging blogs directly in the blog schema, feeding each consumed event type, and markers that prove
// a partition was processed up to a point (a marker fed after an event, with the same key, is handled after it).
import { randomBytes, randomUUID } from 'node:crypto';
import type { OutboxEvent, Queryable } from '@blog/framework';
import { AggregateTypes, events } from '@blog/proto';
import type { Blog } from '../domain/blog';
import { findBlog, insertBlog } from '../repository/blog.repository';
import type { BlogHarness } from './harness';

/** uniqueSlug is a slug no other test run uses. */
export function uniqueSlug(prefix = 'it'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** arrangeBlog inserts an ACTIVE blog for a new owner (the sign-up path has its own tests). */
export async function arrangeBlog(db: Queryable): Promise<Blog> {
  const blog = await insertBlog(db, {
    blogId: randomUUID(),
    ownerId: randomUUID(),
    slug: uniqueSlug(),
    title: 'arranged',
  });
  if (!blog) throw new Error('slug collision while arranging a blog');
  return blog;
}

/** blogNow reads a blog's current row (undefined once deleted). */
export function blogNow(h: BlogHarness, blogId: string): Promise<Blog | undefined> {
  return findBlog(h.store, blogId);
}

/** rowCount counts the rows of a blog-schema table matching `where` (a fixed SQL condition with $1). */
export async function rowCount(db: Queryable, table: string, where: string, value: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`select count(*) as n from ${table} where ${where}`, [
    value,
  ]);
  return Number(rows[0].n);
}

/** Data is an event's content without its metadata. */
type Data<T> = Omit<T, 'meta'>;

/** feeder feeds the events the blog consumes; each returns the fed event, so a test can send it again. */
export function feeder(h: BlogHarness) {
  const { profile, post, subscription, account } = AggregateTypes;
  return {
    send: (event: OutboxEvent) => h.bus.publish(event),
    userCreated: (data: Data<events.UserCreated>, key = data.userId) =>
      h.bus.feed(events.UserCreated, 'UserCreated', { aggregateType: profile, aggregateId: key, data }),
    postSubmitted: (data: Data<events.PostSubmitted>, key = data.postId) =>
      h.bus.feed(events.PostSubmitted, 'PostSubmitted', { aggregateType: post, aggregateId: key, data }),
    postDeleted: (data: Data<events.PostDeleted>, key = data.postId) =>
      h.bus.feed(events.PostDeleted, 'PostDeleted', { aggregateType: post, aggregateId: key, data }),
    blogPostsDeleted: (data: Data<events.BlogPostsDeleted>, sagaId?: string) =>
      h.bus.feed(events.BlogPostsDeleted, 'BlogPostsDeleted', {
        aggregateType: post,
        aggregateId: data.blogId,
        data,
        sagaId,
      }),
    subscriptionRequested: (data: Data<events.SubscriptionRequested>, key = data.subscriptionId) =>
      h.bus.feed(events.SubscriptionRequested, 'SubscriptionRequested', {
        aggregateType: subscription,
        aggregateId: key,
        data,
      }),
    subscriptionCancelled: (data: Data<events.SubscriptionCancelled>, key = data.subscriptionId) =>
      h.bus.feed(events.SubscriptionCancelled, 'SubscriptionCancelled', {
        aggregateType: subscription,
        aggregateId: key,
        data,
      }),
    blogSubscriptionsCancelled: (data: Data<events.BlogSubscriptionsCancelled>, sagaId?: string) =>
      h.bus.feed(events.BlogSubscriptionsCancelled, 'BlogSubscriptionsCancelled', {
        aggregateType: subscription,
        aggregateId: data.blogId,
        data,
        sagaId,
      }),
    accountDeletionRequested: (accountId: string, sagaId?: string, key = accountId) =>
      h.bus.feed(events.AccountDeletionRequested, 'AccountDeletionRequested', {
        aggregateType: account,
        aggregateId: key,
        data: { accountId },
        sagaId,
      }),
  };
}

/**
 * markers feed, with a given key, an event whose outcome is visible, and wait for that outcome: everything fed
 * earlier with that key (same partition) has then been processed.
 */
export function markers(h: BlogHarness, markerBlog: Blog) {
  const feed = feeder(h);
  return {
    /** afterPosts settles events.post.post up to here for `key`. */
    async afterPosts(key: string): Promise<void> {
      const postId = randomUUID();
      await feed.postSubmitted({ postId, blogId: markerBlog.blogId, authorId: markerBlog.ownerId }, key);
      await h.emitted.next('PostAccepted', events.PostAccepted, (e) => e.postId === postId);
    },
    /** afterSubscriptions settles events.subscribe.subscription up to here for `key`. */
    async afterSubscriptions(key: string): Promise<void> {
      const subscriptionId = randomUUID();
      await feed.subscriptionRequested(
        { subscriptionId, blogId: markerBlog.blogId, subscriberId: randomUUID() },
        key,
      );
      await h.emitted.next(
        'SubscriptionAccepted',
        events.SubscriptionAccepted,
        (e) => e.subscriptionId === subscriptionId,
      );
    },
    /** afterAccounts settles events.auth.account up to here for `key` (an owner without a blog). */
    async afterAccounts(key: string): Promise<void> {
      const ownerId = randomUUID();
      await feed.accountDeletionRequested(ownerId, undefined, key);
      await h.emitted.next('BlogDeleted', events.BlogDeleted, (e) => e.ownerId === ownerId);
    },
    /** afterProfiles settles events.user.profile up to here for `key` (a new user's sign-up). */
    async afterProfiles(key: string): Promise<void> {
      const userId = randomUUID();
      await feed.userCreated({ userId, nickname: 'marker', blogSlug: uniqueSlug('mk') }, key);
      await h.emitted.next('BlogCreated', events.BlogCreated, (e) => e.ownerId === userId);
    },
  };
}
