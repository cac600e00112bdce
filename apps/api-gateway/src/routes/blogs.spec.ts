// Contract tests: blogs, and the 403 row (ownership).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ContractTarget, contractTarget } from '../testing/target';

describe('blogs', () => {
  let target: ContractTarget;
  beforeAll(async () => {
    target = await contractTarget();
  });
  afterAll(() => target.close());

  it('a new account has a blog, readable by id, by slug and by owner', async () => {
    const user = await target.fixtures.user();
    const expected = {
      blogId: user.blogId,
      ownerId: user.accountId,
      slug: user.nickname.toLowerCase().replace(/_/g, '-'),
      title: `${user.nickname}'s blog`,
      description: '',
      status: 'ACTIVE',
      postCount: 0,
      subscriberCount: 0,
      createdAt: expect.any(String),
    };
    for (const path of [
      `/v1/blogs/${user.blogId}`,
      `/v1/blogs/by-slug/${expected.slug}`,
      `/v1/users/${user.accountId}/blog`,
    ]) {
      const read = await target.http.get(path);
      expect(read.status, path).toBe(200);
      expect(read.body).toEqual(expected);
    }
  });

  it('answers 404 for an unknown blog id, slug or owner', async () => {
    const id = '00000000-0000-4000-8000-000000000002';
    for (const path of [`/v1/blogs/${id}`, '/v1/blogs/by-slug/no-such-blog-here', `/v1/users/${id}/blog`]) {
      const read = await target.http.get(path);
      expect(read.status, path).toBe(404);
      expect(read.body.error.code).toBe('NOT_FOUND');
    }
  });

  it('PATCH /v1/blogs/{blogId}: 200 for the owner, 403 PERMISSION_DENIED for anyone else', async () => {
    const [owner, other] = [await target.fixtures.user(), await target.fixtures.user()];
    const patched = await target.http.patch(
      `/v1/blogs/${owner.blogId}`,
      { title: 'New title', description: 'About things' },
      { token: owner.accessToken },
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      blogId: owner.blogId,
      title: 'New title',
      description: 'About things',
    });
    const denied = await target.http.patch(
      `/v1/blogs/${owner.blogId}`,
      { title: 'Mine now' },
      { token: other.accessToken },
    );
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('PERMISSION_DENIED');
    expect((await target.http.get(`/v1/blogs/${owner.blogId}`)).body.title).toBe('New title');
  });

  it('PATCH /v1/blogs/{blogId}: 400 for an empty title or an unknown field, 401 without a token', async () => {
    const owner = await target.fixtures.user();
    const bad = await target.http.patch(
      `/v1/blogs/${owner.blogId}`,
      { title: '', slug: 'x' },
      { token: owner.accessToken },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['slug', 'title']);
    const anonymous = await target.http.patch(`/v1/blogs/${owner.blogId}`, { title: 'x' });
    expect(anonymous.status).toBe(401);
  });
});
