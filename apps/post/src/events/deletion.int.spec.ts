// Account-deletion saga, post step, on the real stack: BlogDeleting -> the blog's posts are gone + BlogPostsDeleted.
import { randomUUID } from 'node:crypto';
import { events } from '@blog/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPost } from '../repository/post.repository';
import { afterBlogEvents, arrangePost, feeder } from '../testing/fixtures';
import { startPost, type PostHarness } from '../testing/harness';

let h: PostHarness;

beforeAll(async () => {
  h = await startPost();
});

afterAll(() => h?.stop());

const reportOf = (blogId: string) => (e: events.BlogPostsDeleted) => e.blogId === blogId;

async function postsOf(blogId: string): Promise<number> {
  const { rows } = await h.store.query('select 1 from post where blog_id = $1', [blogId]);
  return rows.length;
}

describe('BlogDeleting', () => {
  it('deletes every post of the blog, whatever its status, and reports how many with the saga id', async () => {
    const blogId = randomUUID();
    const ownerId = randomUUID();
    for (const status of ['PENDING', 'PUBLISHED', 'PUBLISHED', 'REJECTED'] as const) {
      await arrangePost(h.store, { blogId, authorId: ownerId, status });
    }
    const elsewhere = await arrangePost(h.store, { status: 'PUBLISHED' });
    const sagaId = randomUUID();
    const sent = await feeder(h).blogDeleting({ blogId, ownerId }, sagaId);
    const { event, message } = await h.emitted.next(
      'BlogPostsDeleted',
      events.BlogPostsDeleted,
      reportOf(blogId),
    );
    expect(event).toMatchObject({ blogId, deletedCount: 4 });
    expect(message.key).toBe(blogId);
    expect(message.headers.sagaId).toBe(sagaId);
    expect(await postsOf(blogId)).toBe(0);
    expect(await findPost(h.store, elsewhere.postId)).toBeDefined();
    expect((await h.client.listBlogPosts({ blogId, limit: 10, cursor: '' })).items).toEqual([]);

    // A redelivery changes nothing; a repeat with a new id reports again, with nothing left to delete.
    const feed = feeder(h);
    await feed.send(sent);
    await feed.blogDeleting({ blogId, ownerId }, sagaId);
    await afterBlogEvents(h, blogId);
    const reports = h.emitted.all('BlogPostsDeleted', events.BlogPostsDeleted, reportOf(blogId));
    expect(reports.map((r) => r.event.deletedCount)).toEqual([4, 0]);
  });

  it('reports zero for a blog without posts, and late verdicts for its deleted posts are no-ops', async () => {
    const blogId = randomUUID();
    const pending = await arrangePost(h.store, { blogId });
    const feed = feeder(h);
    await feed.blogDeleting({ blogId, ownerId: pending.authorId });
    await h.emitted.next('BlogPostsDeleted', events.BlogPostsDeleted, reportOf(blogId));
    const late = await feed.postAccepted({ postId: pending.postId, blogId });
    await afterBlogEvents(h, blogId);
    expect(await h.handled(late)).toBe(true);
    expect(await postsOf(blogId)).toBe(0);

    const empty = randomUUID();
    await feed.blogDeleting({ blogId: empty, ownerId: randomUUID() });
    const { event } = await h.emitted.next('BlogPostsDeleted', events.BlogPostsDeleted, reportOf(empty));
    expect(event.deletedCount).toBe(0);
  });
});
