// Account-deletion saga, blog steps, on the real stack: DELETING + BlogDeleting, then the fan-in of the post and
// subscribe reports, then the blog gone with nothing left behind + BlogDeleted.
import { randomUUID } from 'node:crypto';
import { events } from '@blog/proto';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Blog } from '../domain/blog';
import { countPost, countSubscription } from '../repository/blog.repository';
import { findDeletion } from '../repository/deletion.repository';
import { arrangeBlog, blogNow, feeder, markers, rowCount } from '../testing/fixtures';
import { startBlog, type BlogHarness } from '../testing/harness';

let h: BlogHarness;
let markerBlog: Blog;

beforeAll(async () => {
  h = await startBlog();
  markerBlog = await arrangeBlog(h.store);
});

afterAll(() => h?.stop());

const deletingOf = (blogId: string) => (e: events.BlogDeleting) => e.blogId === blogId;
const deletedOf = (ownerId: string) => (e: events.BlogDeleted) => e.ownerId === ownerId;

/** startDeletionOf feeds AccountDeletionRequested for the blog's owner and waits for BlogDeleting. */
async function startDeletionOf(blog: Blog) {
  const sent = await feeder(h).accountDeletionRequested(blog.ownerId);
  const seen = await h.emitted.next('BlogDeleting', events.BlogDeleting, deletingOf(blog.blogId));
  return { sent, seen };
}

/** blogWithFollowers is an ACTIVE blog whose counters hold a post and a subscription. */
async function blogWithFollowers(): Promise<Blog> {
  const blog = await arrangeBlog(h.store);
  await countPost(h.store, blog.blogId, randomUUID());
  await countSubscription(h.store, blog.blogId, randomUUID(), randomUUID());
  return blog;
}

async function rowsOf(blogId: string): Promise<number> {
  let total = 0;
  for (const table of ['blog', 'counted_post', 'counted_subscription', 'blog_deletion']) {
    total += await rowCount(h.store, table, 'blog_id = $1', blogId);
  }
  return total;
}

describe('AccountDeletionRequested', () => {
  it("turns the owner's blog DELETING and emits BlogDeleting with the saga id, once", async () => {
    const blog = await blogWithFollowers();
    const { sent, seen } = await startDeletionOf(blog);
    expect(seen.event).toMatchObject({ blogId: blog.blogId, ownerId: blog.ownerId });
    expect(seen.message.key).toBe(blog.blogId);
    expect(seen.message.headers.sagaId).toBe(sent.sagaId);
    expect(await blogNow(h, blog.blogId)).toMatchObject({
      status: 'DELETING',
      postCount: 1,
      subscriberCount: 1,
    });
    expect(await findDeletion(h.store, blog.blogId)).toMatchObject({
      ownerId: blog.ownerId,
      sagaId: sent.sagaId,
    });
    const feed = feeder(h);
    await feed.send(sent);
    await feed.accountDeletionRequested(blog.ownerId);
    await markers(h, markerBlog).afterAccounts(blog.ownerId);
    expect(h.emitted.all('BlogDeleting', events.BlogDeleting, deletingOf(blog.blogId))).toHaveLength(1);
    expect(h.emitted.all('BlogDeleted', events.BlogDeleted, deletedOf(blog.ownerId))).toHaveLength(0);
    // The lock holds: the owner can no longer change the blog.
    await expect(
      h.client.updateBlog({ blogId: blog.blogId, actorId: blog.ownerId, title: 'x' }),
    ).rejects.toMatchObject({ code: status.FAILED_PRECONDITION });
  });

  it('reports BlogDeleted at once, with an empty blog id, for an owner without a blog', async () => {
    const ownerId = randomUUID();
    const sent = await feeder(h).accountDeletionRequested(ownerId);
    const { event, message } = await h.emitted.next('BlogDeleted', events.BlogDeleted, deletedOf(ownerId));
    expect(event).toMatchObject({ blogId: '', ownerId });
    expect(message.key).toBe(ownerId);
    expect(message.headers.sagaId).toBe(sent.sagaId);
  });
});

describe('BlogPostsDeleted and BlogSubscriptionsCancelled', () => {
  it('delete the blog once both are in, leaving no row behind, and emit BlogDeleted once', async () => {
    const blog = await blogWithFollowers();
    const { sent: started } = await startDeletionOf(blog);
    const feed = feeder(h);
    const posts = await feed.blogPostsDeleted({ blogId: blog.blogId, deletedCount: 1 }, started.sagaId);
    await feed.send(posts);
    await markers(h, markerBlog).afterPosts(blog.blogId);
    expect(await blogNow(h, blog.blogId)).toMatchObject({ status: 'DELETING' });
    expect((await findDeletion(h.store, blog.blogId))?.postsDeletedAt).toBeInstanceOf(Date);
    expect(h.emitted.all('BlogDeleted', events.BlogDeleted, deletedOf(blog.ownerId))).toHaveLength(0);

    await feed.blogSubscriptionsCancelled({ blogId: blog.blogId, cancelledCount: 1 }, started.sagaId);
    const { event, message } = await h.emitted.next(
      'BlogDeleted',
      events.BlogDeleted,
      deletedOf(blog.ownerId),
    );
    expect(event).toMatchObject({ blogId: blog.blogId, ownerId: blog.ownerId });
    expect(message.key).toBe(blog.blogId);
    expect(message.headers.sagaId).toBe(started.sagaId);
    expect(await rowsOf(blog.blogId)).toBe(0);
    await expect(h.client.getBlog({ blogId: blog.blogId })).rejects.toMatchObject({ code: status.NOT_FOUND });

    // Late reports, repeated or new, change nothing and fail nothing.
    const late = [
      await feed.blogPostsDeleted({ blogId: blog.blogId, deletedCount: 0 }),
      await feed.blogSubscriptionsCancelled({ blogId: blog.blogId, cancelledCount: 0 }),
    ];
    await markers(h, markerBlog).afterPosts(blog.blogId);
    await markers(h, markerBlog).afterSubscriptions(blog.blogId);
    for (const report of late) expect(await h.handled(report)).toBe(true);
    expect(h.emitted.all('BlogDeleted', events.BlogDeleted, deletedOf(blog.ownerId))).toHaveLength(1);
  });

  it('complete in either order', async () => {
    const blog = await blogWithFollowers();
    await startDeletionOf(blog);
    const feed = feeder(h);
    await feed.blogSubscriptionsCancelled({ blogId: blog.blogId, cancelledCount: 1 });
    await markers(h, markerBlog).afterSubscriptions(blog.blogId);
    expect(await blogNow(h, blog.blogId)).toMatchObject({ status: 'DELETING' });
    await feed.blogPostsDeleted({ blogId: blog.blogId, deletedCount: 1 });
    await h.emitted.next('BlogDeleted', events.BlogDeleted, deletedOf(blog.ownerId));
    expect(await rowsOf(blog.blogId)).toBe(0);
  });

  it('change nothing for a blog that is not being deleted', async () => {
    const blog = await blogWithFollowers();
    const feed = feeder(h);
    const reports = [
      await feed.blogPostsDeleted({ blogId: blog.blogId, deletedCount: 0 }),
      await feed.blogSubscriptionsCancelled({ blogId: blog.blogId, cancelledCount: 0 }),
    ];
    await markers(h, markerBlog).afterPosts(blog.blogId);
    await markers(h, markerBlog).afterSubscriptions(blog.blogId);
    for (const report of reports) expect(await h.handled(report)).toBe(true);
    expect(await blogNow(h, blog.blogId)).toMatchObject({
      status: 'ACTIVE',
      postCount: 1,
      subscriberCount: 1,
    });
    expect(await findDeletion(h.store, blog.blogId)).toBeUndefined();
  });
});
