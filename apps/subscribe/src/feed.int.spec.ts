// The feed read model on the stack: post events fed through Kafka, the feed read over real gRPC, Unsubscribe's effects.
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { AggregateTypes, events, post, subscribe } from '@blog/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextTime, startHarness, type Harness } from './testing/harness';

const { SubscriptionStatus: S } = subscribe;
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

describe('the feed', () => {
  it('gets posts published after the subscription became ACTIVE, refreshed by updates, paged newest first', async () => {
    const blog = randomUUID();
    const reader = await h.subscribed(blog);
    const pendingReader = randomUUID();
    await h.client.subscribe({ subscriberId: pendingReader, blogId: blog });
    const other = await h.subscribed(randomUUID());

    const posts = [];
    for (let i = 0; i < 5; i++) posts.push(await h.publish(blog, { tags: [`t${i}`] }));
    for (const { fed } of posts) await h.processed(fed);
    const newestFirst = posts.map((p) => p.post.postId).reverse();
    expect(await h.feedIds(reader.subscriberId)).toEqual(newestFirst);
    expect(await h.feedIds(pendingReader)).toEqual([]);
    expect(await h.feedIds(other.subscriberId)).toEqual([]);

    const firstPage = await h.client.getFeed({ subscriberId: reader.subscriberId, limit: 2, cursor: '' });
    expect(firstPage.items.map((i) => i.postId)).toEqual(newestFirst.slice(0, 2));
    expect(firstPage.items[0]).toEqual({
      postId: posts[4].post.postId,
      blogId: blog,
      authorId: posts[4].post.authorId,
      title: posts[4].post.title,
      tags: ['t4'],
      status: post.PostStatus.POST_STATUS_PUBLISHED,
      createdAt: posts[4].post.createdAt,
      updatedAt: posts[4].post.publishedAt,
    });
    const second = await h.client.getFeed({
      subscriberId: reader.subscriberId,
      limit: 2,
      cursor: firstPage.nextCursor,
    });
    const third = await h.client.getFeed({
      subscriberId: reader.subscriberId,
      limit: 2,
      cursor: second.nextCursor,
    });
    expect([...second.items, ...third.items].map((i) => i.postId)).toEqual(newestFirst.slice(2));
    expect(third.nextCursor).toBe('');
    expect(
      (await h.client.getFeed({ subscriberId: reader.subscriberId, limit: 0, cursor: '' })).items,
    ).toHaveLength(5);
    await expect(
      h.client.getFeed({ subscriberId: reader.subscriberId, limit: 2, cursor: 'bm90LWEtY3Vyc29y' }),
    ).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });

    // An edit refreshes the copy; an older edit arriving late does not undo it.
    const target = posts[2].post;
    const later = nextTime();
    await h.processed(await h.updatePost(target.postId, blog, 'edited', ['fresh'], later));
    await h.processed(await h.updatePost(target.postId, blog, 'stale', ['old'], target.publishedAt));
    const edited = (
      await h.client.getFeed({ subscriberId: reader.subscriberId, limit: 100, cursor: '' })
    ).items.find((i) => i.postId === target.postId);
    expect(edited).toMatchObject({ title: 'edited', tags: ['fresh'], updatedAt: later });
  });

  it('drops a deleted post from every feed; a redelivered PostPublished does not bring it back', async () => {
    const blog = randomUUID();
    const [a, b] = [await h.subscribed(blog), await h.subscribed(blog)];
    const { fed, post: p } = await h.publish(blog);
    await h.processed(fed);
    expect(await h.feedIds(a.subscriberId)).toEqual([p.postId]);
    expect(await h.feedIds(b.subscriberId)).toEqual([p.postId]);
    await h.processed(await h.deletePost(p.postId, blog));
    expect(await h.feedIds(a.subscriberId)).toEqual([]);
    expect(await h.feedIds(b.subscriberId)).toEqual([]);
    await h.bus.redeliver(fed);
    await h.settled(AggregateTypes.post, p.postId);
    expect(await h.feedIds(a.subscriberId)).toEqual([]);
    // Updates and deletions of posts no feed holds are no-ops.
    await h.processed(await h.updatePost(randomUUID(), blog, 'x', [], nextTime()));
    await h.processed(await h.deletePost(randomUUID(), blog));
  });

  it("Unsubscribe: ACTIVE -> CANCELLED, the blog's posts leave the reader's feed, SubscriptionCancelled{wasActive}", async () => {
    const [blog, otherBlog] = [randomUUID(), randomUUID()];
    const sub = await h.subscribed(blog);
    await h.subscribed(otherBlog, sub.subscriberId);
    const kept = await h.publish(otherBlog);
    const gone = await h.publish(blog);
    await h.processed(kept.fed);
    await h.processed(gone.fed);
    expect(await h.feedIds(sub.subscriberId)).toEqual([gone.post.postId, kept.post.postId]);

    await h.client.unsubscribe({ subscriberId: sub.subscriberId, blogId: blog });
    expect(await h.current(sub.subscriberId, blog)).toMatchObject({
      status: S.SUBSCRIPTION_STATUS_CANCELLED,
    });
    expect(await h.feedIds(sub.subscriberId)).toEqual([kept.post.postId]);
    expect(
      (await h.client.listSubscriptions({ subscriberId: sub.subscriberId })).items.map((s) => s.blogId),
    ).toEqual([otherBlog]);
    const { event: cancelled } = await h.emitted.next(
      'SubscriptionCancelled',
      events.SubscriptionCancelled,
      (e) => e.subscriptionId === sub.subscriptionId,
    );
    expect(cancelled).toMatchObject({ ...sub, wasActive: true });
    await expect(
      h.client.unsubscribe({ subscriberId: sub.subscriberId, blogId: blog }),
    ).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });
    // Posts published after the cancellation do not reach the reader.
    const after = await h.publish(blog);
    await h.processed(after.fed);
    expect(await h.feedIds(sub.subscriberId)).toEqual([kept.post.postId]);
  });
});
