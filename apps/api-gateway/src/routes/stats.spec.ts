// Contract tests: visitor statistics fed by the gateway's view recording.
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
});
