// Account deletion (fan-in saga): an account with posts, subscribers, subscriptions and statistics goes
// DELETING -> DELETED; afterwards its profile, blog, posts, subscriptions, the subscriptions to its blog and the
// blog's statistics are 404, every other blog's subscriberCount dropped by one, and the readers' feeds are clean.
import { expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { expectStatus, softStatus } from '../support/rest/sagas';
import { scenario, suite } from '../support/suite';

const { api, sagas } = suite();

scenario('account deletion saga', [], () => {
  it('deletes everything of the account and keeps every counter right', async () => {
    const [doomed, reader1, reader2, followed1, followed2] = await Promise.all([
      sagas.member('Xd'),
      sagas.member('Xr'),
      sagas.member('Xr'),
      sagas.member('Xf'),
      sagas.member('Xf'),
    ]);
    // Subscribers of the doomed blog, and the doomed account's own subscriptions (beside another reader).
    for (const reader of [reader1, reader2])
      expect((await sagas.subscribe(reader, doomed.blogId)).status).toBe('ACTIVE');
    for (const blog of [followed1, followed2]) {
      expect((await sagas.subscribe(doomed, blog.blogId)).status).toBe('ACTIVE');
      expect((await sagas.subscribe(reader1, blog.blogId)).status).toBe('ACTIVE');
    }
    const viewed = await sagas.publish(doomed);
    const posts = [viewed, await sagas.publish(doomed)];
    const otherPost = await sagas.publish(followed1);
    await eventually(async () => expect(await sagas.feed(reader1)).toHaveLength(3), {
      what: 'reader1 feed of 3',
    });
    await eventually(async () => expect(await sagas.feed(doomed)).toHaveLength(1), {
      what: 'the doomed account’s feed',
    });
    // A view, so the blog has statistics to drop.
    expectStatus(await api.get(`/v1/posts/${viewed.postId}`), 200);
    await eventually(
      async () => expect((await api.get(`/v1/blogs/${doomed.blogId}/stats`)).body.views).toBeGreaterThan(0),
      {
        what: 'the doomed blog’s view count',
      },
    );
    for (const blog of [followed1, followed2]) {
      await eventually(async () => expect((await sagas.blog(blog.blogId)).subscriberCount).toBe(2));
    }

    const deletion = await api.delete('/v1/accounts/me', { token: doomed.token });
    expectStatus(deletion, 202);
    expect(deletion.body).toEqual({ accountId: doomed.userId, status: 'DELETING' });
    expectStatus(await api.get('/v1/users/me', { token: doomed.token }), 401);

    const account = await eventually(
      async () => {
        const response = await api.get(`/v1/accounts/${doomed.userId}`);
        expectStatus(response, 200);
        expect(response.body.status).toBe('DELETED');
        return response.body;
      },
      { timeoutMs: 20_000, intervalMs: 100, what: 'the account DELETED' },
    );
    expect(account).toEqual({ accountId: doomed.userId, status: 'DELETED' });

    const gone: [string, string][] = [
      ['the profile', `/v1/users/${doomed.userId}`],
      ['the blog by owner', `/v1/users/${doomed.userId}/blog`],
      ['the blog', `/v1/blogs/${doomed.blogId}`],
      ['the blog by slug', `/v1/blogs/by-slug/${doomed.slug}`],
      ...posts.map((post, i): [string, string] => [`post ${i + 1}`, `/v1/posts/${post.postId}`]),
      ['the blog statistics', `/v1/blogs/${doomed.blogId}/stats`],
    ];
    for (const [what, path] of gone) softStatus(await api.get(path), 404, `${what} (GET ${path})`);
    softStatus(
      await api.post('/v1/auth/login', { email: doomed.email, password: doomed.password }),
      401,
      'login',
    );

    for (const reader of [reader1, reader2]) {
      softStatus(
        await api.get(`/v1/blogs/${doomed.blogId}/subscription`, { token: reader.token }),
        404,
        'a subscription to the deleted blog',
      );
      const mine = await api.get('/v1/users/me/subscriptions', { token: reader.token });
      expect(mine.body.items.map((s: { blogId: string }) => s.blogId)).not.toContain(doomed.blogId);
    }
    expect((await sagas.feed(reader1)).map((p) => p.postId)).toEqual([otherPost.postId]);
    expect(await sagas.feed(reader2)).toEqual([]);
    // The other blogs' counts move on SubscriptionCancelled, which the fan-in does not wait for.
    for (const blog of [followed1, followed2]) {
      await eventually(async () => expect((await sagas.blog(blog.blogId)).subscriberCount).toBe(1), {
        what: `${blog.nickname}'s subscriberCount back to 1`,
      });
    }
    expect((await sagas.blog(followed1.blogId)).postCount).toBe(1);
  });
});
