// The NUL character: PostgreSQL cannot store U+0000 in text, so the gateway refuses it in every string of a request
// with 400 naming the field, before any service is called.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from './testing/fixtures';
import { type Harness, startHarness } from './testing/harness';
import { NUL_MESSAGE, nulPointers } from './validation';

describe('nulPointers', () => {
  it('points at every string holding U+0000, in objects and arrays, with JSON pointer escapes', () => {
    expect(
      nulPointers({ a: 'x\u0000', b: ['ok', '\u0000'], 'c/d': { e: 'y\u0000z' }, f: 1, g: null }),
    ).toEqual(['/a', '/b/1', '/c~1d/e']);
    expect(nulPointers('\u0000')).toEqual(['']);
    expect(nulPointers({ a: 'fine', b: ['\u0001'] })).toEqual([]);
  });
});

describe('a NUL in a request string', () => {
  let harness: Harness;
  let owner: TestUser;
  let postId: string;
  beforeAll(async () => {
    harness = await startHarness();
    owner = await harness.fixtures.user();
    postId = await harness.fixtures.publishedPost(owner);
  });
  afterAll(() => harness.close());

  it('is 400 INVALID_ARGUMENT naming the field, on every field the fuzz found, and no service is called', async () => {
    const nul = 'a\u0000b';
    const cases = [
      { method: 'PATCH', path: '/v1/users/me', json: { bio: nul }, field: 'bio' },
      { method: 'PATCH', path: `/v1/blogs/${owner.blogId}`, json: { title: nul }, field: 'title' },
      {
        method: 'PATCH',
        path: `/v1/blogs/${owner.blogId}`,
        json: { description: nul },
        field: 'description',
      },
      {
        method: 'POST',
        path: `/v1/blogs/${owner.blogId}/posts`,
        json: { title: nul, content: 'c' },
        field: 'title',
      },
      {
        method: 'POST',
        path: `/v1/blogs/${owner.blogId}/posts`,
        json: { title: 't', content: nul },
        field: 'content',
      },
      { method: 'PATCH', path: `/v1/posts/${postId}`, json: { title: nul }, field: 'title' },
      { method: 'PATCH', path: `/v1/posts/${postId}`, json: { content: nul }, field: 'content' },
      { method: 'POST', path: '/v1/auth/login', json: { email: nul, password: 'whatever1' }, field: 'email' },
    ];
    const writes = () =>
      harness.backend.callCount('user', 'updateUser') +
      harness.backend.callCount('blog', 'updateBlog') +
      harness.backend.callCount('post', 'submitPost') +
      harness.backend.callCount('post', 'updatePost') +
      harness.backend.callCount('auth', 'login');
    const before = writes();
    for (const { method, path, json, field } of cases) {
      const response = await harness.http.request(method, path, { json, token: owner.accessToken });
      expect(response.status, `${method} ${path} ${field}`).toBe(400);
      expect(response.body.error.code).toBe('INVALID_ARGUMENT');
      expect(response.body.error.details).toContainEqual({ field, message: NUL_MESSAGE });
    }
    expect(writes()).toBe(before);
  });

  it('is refused in a query parameter and a path parameter too', async () => {
    const feed = await harness.http.get('/v1/users/me/feed?cursor=a%00b', { token: owner.accessToken });
    expect(feed.status).toBe(400);
    expect(feed.body.error.details).toContainEqual({ field: 'cursor', message: NUL_MESSAGE });
    const bySlug = await harness.http.get('/v1/blogs/by-slug/a%00b');
    expect(bySlug.status).toBe(400);
    expect(bySlug.body.error.details).toContainEqual({ field: 'slug', message: NUL_MESSAGE });
  });
});
