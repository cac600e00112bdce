// Publish saga, post steps, on the real stack: feed the blog's verdict as Debezium would, check the post and what
// the post service emits.
import { randomUUID } from 'node:crypto';
import { events } from '@blog/proto';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPost } from '../repository/post.repository';
import { afterBlogEvents, arrangePost, feeder } from '../testing/fixtures';
import { startPost, type PostHarness } from '../testing/harness';

let h: PostHarness;

beforeAll(async () => {
  h = await startPost();
});

afterAll(() => h?.stop());

const publishedOf = (postId: string) => (e: events.PostPublished) => e.postId === postId;

describe('PostAccepted', () => {
  it('publishes the PENDING post and emits PostPublished with its summary and the saga id', async () => {
    const { post } = await h.client.submitPost({
      blogId: randomUUID(),
      authorId: randomUUID(),
      title: 'Saga',
      content: 'Body',
      tags: ['a', 'b'],
    });
    const postId = post?.postId ?? '';
    const submitted = await h.emitted.next('PostSubmitted', events.PostSubmitted, (e) => e.postId === postId);
    const sagaId = submitted.message.headers.sagaId;
    await feeder(h).postAccepted({ postId, blogId: post?.blogId ?? '' }, sagaId);
    const { event, message } = await h.emitted.next(
      'PostPublished',
      events.PostPublished,
      publishedOf(postId),
    );
    const stored = await findPost(h.store, postId);
    expect(stored?.status).toBe('PUBLISHED');
    expect(event).toEqual({
      meta: expect.objectContaining({ eventType: 'PostPublished', sagaId }),
      postId,
      blogId: post?.blogId,
      authorId: post?.authorId,
      title: 'Saga',
      tags: ['a', 'b'],
      createdAt: post?.createdAt,
      publishedAt: stored?.publishedAt?.toISOString(),
    });
    expect(message.key).toBe(postId);
    expect(message.headers.sagaId).toBe(sagaId);
    expect((await h.client.getPost({ postId, viewerId: '' })).post?.postId).toBe(postId);
  });

  it('publishes once whatever is repeated, and ignores a verdict for a post not PENDING or gone', async () => {
    const post = await arrangePost(h.store);
    const feed = feeder(h);
    const accepted = await feed.postAccepted({ postId: post.postId, blogId: post.blogId });
    await feed.send(accepted);
    await feed.postAccepted({ postId: post.postId, blogId: post.blogId });
    const late = [
      await feed.postRejected({ postId: post.postId, blogId: post.blogId, reason: 'NOT_OWNER' }),
      await feed.postAccepted({ postId: randomUUID(), blogId: post.blogId }),
      await feed.postRejected({ postId: randomUUID(), blogId: post.blogId, reason: 'BLOG_NOT_FOUND' }),
    ];
    await afterBlogEvents(h, post.blogId);
    expect(h.emitted.all('PostPublished', events.PostPublished, publishedOf(post.postId))).toHaveLength(1);
    expect((await findPost(h.store, post.postId))?.status).toBe('PUBLISHED');
    for (const event of late) expect(await h.handled(event)).toBe(true);
  });
});

describe('PostRejected', () => {
  it('rejects a post submitted to a DELETING blog: REJECTED, seen by its author only', async () => {
    const { post } = await h.client.submitPost({
      blogId: randomUUID(),
      authorId: randomUUID(),
      title: 'Too late',
      content: 'Body',
      tags: [],
    });
    const postId = post?.postId ?? '';
    const blogId = post?.blogId ?? '';
    await feeder(h).postRejected({ postId, blogId, reason: 'BLOG_NOT_ACTIVE' });
    await afterBlogEvents(h, blogId);
    expect(await findPost(h.store, postId)).toMatchObject({ status: 'REJECTED' });
    const { rows } = await h.store.query<{ rejection_reason: string }>(
      'select rejection_reason from post where post_id = $1',
      [postId],
    );
    expect(rows[0].rejection_reason).toBe('BLOG_NOT_ACTIVE');
    await expect(h.client.getPost({ postId, viewerId: randomUUID() })).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });
    expect((await h.client.getPost({ postId, viewerId: post?.authorId ?? '' })).post?.postId).toBe(postId);
    // A late acceptance cannot publish it any more.
    await feeder(h).postAccepted({ postId, blogId });
    await afterBlogEvents(h, blogId);
    expect((await findPost(h.store, postId))?.status).toBe('REJECTED');
    expect(h.emitted.all('PostPublished', events.PostPublished, publishedOf(postId))).toHaveLength(0);
  });
});
