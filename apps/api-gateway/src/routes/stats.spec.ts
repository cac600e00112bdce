// Contract tests: visitor statistics fed by the gateway's view recording, only of blogs and posts that exist and
// that the caller may see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/http';
import { type ContractTarget, contractTarget } from '../testing/target';

describe('visitor statistics', () => {
  let target: ContractTarget;
  beforeAll(async () => {
    target = await contractTarget();
  });
  afterAll(() => target.close());

  it('each read of a published post is one view; a reader counts once per identity', async () => {
    const [owner, reader] = [await target.fixtures.user(), await target.fixtures.user()];
    const postId = await target.fixtures.publishedPost(owner);
    const before = await target.http.get(`/v1/posts/${postId}/stats`);
    expect(before.status).toBe(200);
    const base = before.body;
    for (let i = 0; i < 2; i++) expect((await target.http.get(`/v1/posts/${postId}`)).status).toBe(200);
    expect((await target.http.get(`/v1/posts/${postId}`, { token: reader.accessToken })).status).toBe(200);
    await eventually(async () => {
      const stats = await target.http.get(`/v1/posts/${postId}/stats`);
      expect(stats.body).toEqual({ postId, views: base.views + 3, uniqueVisitors: base.uniqueVisitors + 2 });
    });
    await eventually(async () => {
      const blogStats = await target.http.get(`/v1/blogs/${owner.blogId}/stats`);
      expect(blogStats.status).toBe(200);
      expect(blogStats.body).toEqual({
        blogId: owner.blogId,
        views: base.views + 3,
        uniqueVisitors: base.uniqueVisitors + 2,
        today: { views: base.views + 3, uniqueVisitors: base.uniqueVisitors + 2 },
      });
    });
  });

  it('answers 400 for a malformed id', async () => {
    const bad = await target.http.get('/v1/posts/123/stats');
    expect(bad.status).toBe(400);
  });

  it('answers 404 NOT_FOUND for an unknown blog or post id', async () => {
    const id = '00000000-0000-4000-8000-000000000003';
    for (const path of [`/v1/blogs/${id}/stats`, `/v1/posts/${id}/stats`]) {
      const stats = await target.http.get(path);
      expect(stats.status, path).toBe(404);
      expect(stats.body.error.code, path).toBe('NOT_FOUND');
    }
  });

  it("a deleted post's statistics are 404", async () => {
    const owner = await target.fixtures.user();
    const postId = await target.fixtures.publishedPost(owner);
    expect((await target.http.get(`/v1/posts/${postId}`)).status).toBe(200);
    expect((await target.http.get(`/v1/posts/${postId}/stats`)).status).toBe(200);
    expect((await target.http.delete(`/v1/posts/${postId}`, { token: owner.accessToken })).status).toBe(204);
    const stats = await target.http.get(`/v1/posts/${postId}/stats`);
    expect(stats.status).toBe(404);
    expect(stats.body.error.code).toBe('NOT_FOUND');
  });

  it("once the account is DELETED, its blog's and posts' statistics are 404", async () => {
    const owner = await target.fixtures.user();
    const postId = await target.fixtures.publishedPost(owner);
    expect((await target.http.get(`/v1/posts/${postId}`)).status).toBe(200);
    const paths = [`/v1/blogs/${owner.blogId}/stats`, `/v1/posts/${postId}/stats`];
    for (const path of paths) expect((await target.http.get(path)).status, path).toBe(200);
    expect((await target.http.delete('/v1/accounts/me', { token: owner.accessToken })).status).toBe(202);
    await eventually(async () => {
      expect((await target.http.get(`/v1/accounts/${owner.accountId}`)).body.status).toBe('DELETED');
    }, 20_000);
    for (const path of paths) {
      const stats = await target.http.get(path);
      expect(stats.status, path).toBe(404);
      expect(stats.body.error.code, path).toBe('NOT_FOUND');
    }
  });
});

describe('visitor statistics of what the caller may not see (gateway over fakes only)', () => {
  let target: ContractTarget;
  beforeAll(async () => {
    target = await contractTarget();
  });
  afterAll(() => target.close());

  it("a PENDING post's statistics are 404 for others and 200 for its author", async (context) => {
    const harness = target.harness;
    if (!harness) return context.skip();
    const [owner, other] = [await target.fixtures.user(), await target.fixtures.user()];
    harness.world.holdSagas = true;
    try {
      const postId = await target.fixtures.submitPost(owner);
      const path = `/v1/posts/${postId}/stats`;
      expect((await target.http.get(path)).status).toBe(404);
      expect((await target.http.get(path, { token: other.accessToken })).status).toBe(404);
      const own = await target.http.get(path, { token: owner.accessToken });
      expect(own.status).toBe(200);
      expect(own.body).toEqual({ postId, views: 0, uniqueVisitors: 0 });
    } finally {
      harness.world.holdSagas = false;
    }
  });

  it('an unknown blog is 404 even while the visitor service is down; a known one is then 503', async (context) => {
    const harness = target.harness;
    if (!harness) return context.skip();
    const owner = await target.fixtures.user();
    await harness.backend.stopService('visitor');
    try {
      const unknown = await target.http.get('/v1/blogs/00000000-0000-4000-8000-000000000004/stats');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('NOT_FOUND');
      const known = await target.http.get(`/v1/blogs/${owner.blogId}/stats`);
      expect(known.status).toBe(503);
    } finally {
      await harness.backend.startService('visitor');
    }
  });
});
