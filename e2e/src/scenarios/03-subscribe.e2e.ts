// Subscribing saga: PENDING -> ACTIVE with subscriberCount +1, or REJECTED (SELF_SUBSCRIPTION, BLOG_NOT_FOUND)
// with no count change; unsubscribing: CANCELLED, subscriberCount -1, the blog's posts out of the reader's feed.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { eventually, sleep } from '../support/eventually';
import { expectStatus } from '../support/rest/sagas';
import { scenario, suite } from '../support/suite';

const { api, sagas } = suite();

scenario('subscribe saga', [], () => {
  it('makes the subscription ACTIVE and adds one subscriber; asking again answers 200 with the same one', async () => {
    const [author, reader] = await Promise.all([sagas.member('Sa'), sagas.member('Sr')]);
    const subscription = await sagas.subscribe(reader, author.blogId);
    expect(subscription).toMatchObject({ blogId: author.blogId, status: 'ACTIVE' });
    expect(subscription.reason).toBeUndefined();
    await eventually(async () => expect((await sagas.blog(author.blogId)).subscriberCount).toBe(1));

    const again = await api.put(`/v1/blogs/${author.blogId}/subscription`, { token: reader.token });
    expectStatus(again, 200);
    expect(again.body).toMatchObject({ subscriptionId: subscription.subscriptionId, status: 'ACTIVE' });

    const mine = await api.get('/v1/users/me/subscriptions', { token: reader.token });
    expectStatus(mine, 200);
    expect(mine.body.items).toEqual([
      expect.objectContaining({
        subscriptionId: subscription.subscriptionId,
        blogId: author.blogId,
        status: 'ACTIVE',
      }),
    ]);
    await sleep(500);
    expect((await sagas.blog(author.blogId)).subscriberCount).toBe(1);
  });

  it('rejects a subscription to one’s own blog with SELF_SUBSCRIPTION and counts nothing', async () => {
    const owner = await sagas.member('Ss');
    const subscription = await sagas.subscribe(owner, owner.blogId);
    expect(subscription).toMatchObject({ status: 'REJECTED', reason: 'SELF_SUBSCRIPTION' });
    expect((await sagas.blog(owner.blogId)).subscriberCount).toBe(0);
    const mine = await api.get('/v1/users/me/subscriptions', { token: owner.token });
    expect(mine.body.items).toEqual([]);
  });

  it('rejects a subscription to a blog that does not exist with BLOG_NOT_FOUND', async () => {
    const reader = await sagas.member('Sn');
    const subscription = await sagas.subscribe(reader, randomUUID());
    expect(subscription).toMatchObject({ status: 'REJECTED', reason: 'BLOG_NOT_FOUND' });
  });

  it('unsubscribes: CANCELLED, subscriberCount -1, the blog’s posts leave the feed; subscribing again works', async () => {
    const [author, other, reader] = await Promise.all([
      sagas.member('Ua'),
      sagas.member('Uo'),
      sagas.member('Ur'),
    ]);
    for (const blogId of [author.blogId, other.blogId])
      expect((await sagas.subscribe(reader, blogId)).status).toBe('ACTIVE');
    await sagas.publish(author);
    await sagas.publish(author);
    const othersPost = await sagas.publish(other);
    await eventually(async () => expect(await sagas.feed(reader)).toHaveLength(3), {
      what: 'three posts in the feed',
    });

    await sagas.unsubscribe(reader, author.blogId);
    const cancelled = await api.get(`/v1/blogs/${author.blogId}/subscription`, { token: reader.token });
    if (cancelled.status !== 404) expect(cancelled.body.status).toBe('CANCELLED');
    await eventually(async () => expect((await sagas.blog(author.blogId)).subscriberCount).toBe(0), {
      what: 'subscriberCount 0',
    });
    await eventually(
      async () => expect((await sagas.feed(reader)).map((p) => p.postId)).toEqual([othersPost.postId]),
      {
        what: 'only the other blog’s post in the feed',
      },
    );
    const mine = await api.get('/v1/users/me/subscriptions', { token: reader.token });
    expect(mine.body.items.map((s: { blogId: string }) => s.blogId)).toEqual([other.blogId]);
    expect((await sagas.blog(other.blogId)).subscriberCount).toBe(1);

    const again = await sagas.subscribe(reader, author.blogId);
    expect(again.status).toBe('ACTIVE');
    await eventually(async () => expect((await sagas.blog(author.blogId)).subscriberCount).toBe(1), {
      what: 'subscriberCount 1',
    });
    // A post published after the new subscription reaches the feed.
    const fresh = await sagas.publish(author);
    await eventually(async () =>
      expect((await sagas.feed(reader)).map((p) => p.postId)).toContain(fresh.postId),
    );
  });
});
