// Publish saga (PostSubmitted) and post deletion (PostDeleted), blog side, on the real stack.
import { randomUUID } from 'node:crypto';
import { events } from '@blog/proto';
import { waitFor } from '@blog/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Blog } from '../domain/blog';
import { deleteBlog, setStatus } from '../repository/blog.repository';
import { arrangeBlog, blogNow, feeder, markers } from '../testing/fixtures';
import { startBlog, type BlogHarness } from '../testing/harness';

let h: BlogHarness;
let markerBlog: Blog;

beforeAll(async () => {
  h = await startBlog();
  markerBlog = await arrangeBlog(h.store);
});

afterAll(() => h?.stop());

const accepted = (postId: string) => (e: events.PostAccepted) => e.postId === postId;
const rejected = (postId: string) => (e: events.PostRejected) => e.postId === postId;

/** submit feeds PostSubmitted and waits for the blog's verdict on it. */
async function submit(blog: Blog, authorId = blog.ownerId, blogId = blog.blogId) {
  const postId = randomUUID();
  const sent = await feeder(h).postSubmitted({ postId, blogId, authorId });
  const verdict = await waitFor('the verdict on the post', () => {
    const [yes] = h.emitted.all('PostAccepted', events.PostAccepted, accepted(postId));
    const [no] = h.emitted.all('PostRejected', events.PostRejected, rejected(postId));
    return yes ? { accepted: yes } : no ? { rejected: no } : undefined;
  });
  return { postId, sent, ...verdict };
}

describe('PostSubmitted', () => {
  it('accepts the owner’s post into an ACTIVE blog: postCount + 1 and PostAccepted with the saga id', async () => {
    const blog = await arrangeBlog(h.store);
    const { postId, sent, accepted: seen } = await submit(blog);
    expect(seen?.event).toMatchObject({ postId, blogId: blog.blogId });
    expect(seen?.message.key).toBe(blog.blogId);
    expect(seen?.message.headers.sagaId).toBe(sent.sagaId);
    expect(seen?.event.meta?.sagaId).toBe(sent.sagaId);
    expect((await blogNow(h, blog.blogId))?.postCount).toBe(1);
  });

  it('rejects BLOG_NOT_FOUND for an unknown blog', async () => {
    const { rejected: seen } = await submit(markerBlog, markerBlog.ownerId, randomUUID());
    expect(seen?.event.reason).toBe('BLOG_NOT_FOUND');
  });

  it('rejects NOT_OWNER for someone else’s post, counting nothing', async () => {
    const blog = await arrangeBlog(h.store);
    const { rejected: seen } = await submit(blog, randomUUID());
    expect(seen?.event).toMatchObject({ blogId: blog.blogId, reason: 'NOT_OWNER' });
    expect((await blogNow(h, blog.blogId))?.postCount).toBe(0);
  });

  it('rejects BLOG_NOT_ACTIVE for a post submitted to a DELETING blog', async () => {
    const blog = await arrangeBlog(h.store);
    await setStatus(h.store, blog.blogId, 'ACTIVE', 'DELETING');
    const { rejected: seen } = await submit(blog);
    expect(seen?.event).toMatchObject({ blogId: blog.blogId, reason: 'BLOG_NOT_ACTIVE' });
    expect((await blogNow(h, blog.blogId))?.postCount).toBe(0);
  });

  it('keeps postCount exact when PostSubmitted is redelivered or repeated with a new event id', async () => {
    const blog = await arrangeBlog(h.store);
    const { postId, sent } = await submit(blog);
    const feed = feeder(h);
    await feed.send(sent);
    await feed.send(sent);
    await feed.postSubmitted({ postId, blogId: blog.blogId, authorId: blog.ownerId });
    // Even once the blog is DELETING, a repeat of an accepted post must not turn into a rejection.
    await setStatus(h.store, blog.blogId, 'ACTIVE', 'DELETING');
    await feed.postSubmitted({ postId, blogId: blog.blogId, authorId: blog.ownerId });
    await markers(h, markerBlog).afterPosts(postId);
    expect((await blogNow(h, blog.blogId))?.postCount).toBe(1);
    expect(h.emitted.all('PostAccepted', events.PostAccepted, accepted(postId))).toHaveLength(1);
    expect(h.emitted.all('PostRejected', events.PostRejected, rejected(postId))).toHaveLength(0);
  });
});

describe('PostDeleted', () => {
  it('takes a published post out of postCount, exactly once whatever is repeated', async () => {
    const blog = await arrangeBlog(h.store);
    const first = await submit(blog);
    await submit(blog);
    expect((await blogNow(h, blog.blogId))?.postCount).toBe(2);
    const feed = feeder(h);
    const deleted = await feed.postDeleted({ postId: first.postId, blogId: blog.blogId, wasPublished: true });
    await feed.send(deleted);
    await feed.postDeleted({ postId: first.postId, blogId: blog.blogId, wasPublished: true });
    await markers(h, markerBlog).afterPosts(first.postId);
    expect((await blogNow(h, blog.blogId))?.postCount).toBe(1);
  });

  it('changes nothing for a post that was never published', async () => {
    const blog = await arrangeBlog(h.store);
    await submit(blog);
    const rejectedPost = await submit(blog, randomUUID());
    await feeder(h).postDeleted({ postId: rejectedPost.postId, blogId: blog.blogId, wasPublished: false });
    await markers(h, markerBlog).afterPosts(rejectedPost.postId);
    expect((await blogNow(h, blog.blogId))?.postCount).toBe(1);
  });

  it('is a no-op, not an error, for a blog being deleted or already gone', async () => {
    const deleting = await arrangeBlog(h.store);
    const gone = await arrangeBlog(h.store);
    const inDeleting = await submit(deleting);
    const inGone = await submit(gone);
    await setStatus(h.store, deleting.blogId, 'ACTIVE', 'DELETING');
    await deleteBlog(h.store, gone.blogId);
    const feed = feeder(h);
    const late = [
      await feed.postDeleted({ postId: inDeleting.postId, blogId: deleting.blogId, wasPublished: true }),
      await feed.postDeleted({ postId: inGone.postId, blogId: gone.blogId, wasPublished: true }),
    ];
    await markers(h, markerBlog).afterPosts(inDeleting.postId);
    await markers(h, markerBlog).afterPosts(inGone.postId);
    // Handled (not dead-lettered), and the DELETING blog's counter stays exact until its row goes.
    for (const event of late) expect(await h.handled(event)).toBe(true);
    expect(await blogNow(h, deleting.blogId)).toMatchObject({ status: 'DELETING', postCount: 0 });
    expect(await blogNow(h, gone.blogId)).toBeUndefined();
  });
});
