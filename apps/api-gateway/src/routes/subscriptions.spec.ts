// Contract tests: subscriptions and the feed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/http';
import { type ContractTarget, contractTarget } from '../testing/target';

describe('subscriptions and feed', () => {
  let target: ContractTarget;
  beforeAll(async () => {
    target = await contractTarget();
  });
  afterAll(() => target.close());

  it('subscribe: 202 PENDING, then ACTIVE; again: 200 with the current one; listed; counted', async () => {
    const [author, reader] = [await target.fixtures.user(), await target.fixtures.user()];
    const path = `/v1/blogs/${author.blogId}/subscription`;
    const first = await target.http.put(path, { token: reader.accessToken });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({
      subscriptionId: expect.any(String),
      blogId: author.blogId,
      status: 'PENDING',
    });
    await eventually(async () => {
      const read = await target.http.get(path, { token: reader.accessToken });
      expect(read.status).toBe(200);
      expect(read.body).toEqual({
        subscriptionId: first.body.subscriptionId,
        blogId: author.blogId,
        status: 'ACTIVE',
      });
    });
    const again = await target.http.put(path, { token: reader.accessToken });
    expect(again.status).toBe(200);
    expect(again.body.subscriptionId).toBe(first.body.subscriptionId);
    const list = await target.http.get('/v1/users/me/subscriptions', { token: reader.accessToken });
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      items: [
        {
          subscriptionId: first.body.subscriptionId,
          blogId: author.blogId,
          status: 'ACTIVE',
          createdAt: expect.any(String),
        },
      ],
    });
    expect((await target.http.get(`/v1/blogs/${author.blogId}`)).body.subscriberCount).toBe(1);
  });

  it('the feed shows posts published after the subscription became ACTIVE; cancelling empties it', async () => {
    const [author, reader] = [await target.fixtures.user(), await target.fixtures.user()];
    const path = `/v1/blogs/${author.blogId}/subscription`;
    expect((await target.http.put(path, { token: reader.accessToken })).status).toBe(202);
    await eventually(async () =>
      expect((await target.http.get(path, { token: reader.accessToken })).body.status).toBe('ACTIVE'),
    );
    const postId = await target.fixtures.publishedPost(author, { title: 'For subscribers' });
    const feed = await eventually(async () => {
      const read = await target.http.get('/v1/users/me/feed?limit=10', { token: reader.accessToken });
      expect(read.body.items.map((p: { postId: string }) => p.postId)).toEqual([postId]);
      return read;
    });
    expect(feed.status).toBe(200);
    expect(feed.body.nextCursor).toBeNull();
    expect(feed.body.items[0]).not.toHaveProperty('content');
    const cancelled = await target.http.delete(path, { token: reader.accessToken });
    expect(cancelled.status).toBe(204);
    await eventually(async () => {
      const read = await target.http.get('/v1/users/me/feed', { token: reader.accessToken });
      expect(read.body.items).toEqual([]);
    });
    expect(
      (await target.http.get('/v1/users/me/subscriptions', { token: reader.accessToken })).body.items,
    ).toEqual([]);
  });

  it('subscribing to your own blog is REJECTED with SELF_SUBSCRIPTION', async () => {
    const author = await target.fixtures.user();
    const path = `/v1/blogs/${author.blogId}/subscription`;
    expect((await target.http.put(path, { token: author.accessToken })).status).toBe(202);
    await eventually(async () => {
      const read = await target.http.get(path, { token: author.accessToken });
      expect(read.body).toMatchObject({ status: 'REJECTED', reason: 'SELF_SUBSCRIPTION' });
    });
  });

  it('GET answers 404 when there is no subscription; every route needs a token', async () => {
    const [author, reader] = [await target.fixtures.user(), await target.fixtures.user()];
    const path = `/v1/blogs/${author.blogId}/subscription`;
    const none = await target.http.get(path, { token: reader.accessToken });
    expect(none.status).toBe(404);
    for (const [method, route] of [
      ['PUT', path],
      ['GET', path],
      ['DELETE', path],
      ['GET', '/v1/users/me/subscriptions'],
      ['GET', '/v1/users/me/feed'],
    ] as const) {
      const anonymous = await target.http.request(method, route);
      expect(anonymous.status, `${method} ${route}`).toBe(401);
    }
  });
});
