// Contract tests: posts (submission by the owner, the composed read, lists, author-only edits).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/http';
import { type ContractTarget, contractTarget } from '../testing/target';

const UNKNOWN = '00000000-0000-4000-8000-000000000003';

describe('posts', () => {
  let target: ContractTarget;
  beforeAll(async () => {
    target = await contractTarget();
  });
  afterAll(() => target.close());

  describe('POST /v1/blogs/{blogId}/posts', () => {
    it('answers 202 PENDING for the owner; the post is then PUBLISHED and counted', async () => {
      const owner = await target.fixtures.user();
      const submitted = await target.http.post(
        `/v1/blogs/${owner.blogId}/posts`,
        { title: 'Hello', content: 'World', tags: ['intro', 'a-b'] },
        { token: owner.accessToken },
      );
      expect(submitted.status).toBe(202);
      expect(submitted.body).toEqual({ postId: expect.any(String), status: 'PENDING' });
      await eventually(async () => {
        expect((await target.http.get(`/v1/posts/${submitted.body.postId}`)).body.status).toBe('PUBLISHED');
        expect((await target.http.get(`/v1/blogs/${owner.blogId}`)).body.postCount).toBe(1);
      });
    });

    it('answers 403 for someone else and 404 for an unknown blog', async () => {
      const [owner, other] = [await target.fixtures.user(), await target.fixtures.user()];
      const body = { title: 'Hello', content: 'World' };
      const denied = await target.http.post(`/v1/blogs/${owner.blogId}/posts`, body, {
        token: other.accessToken,
      });
      expect(denied.status).toBe(403);
      expect(denied.body.error.code).toBe('PERMISSION_DENIED');
      const unknown = await target.http.post(`/v1/blogs/${UNKNOWN}/posts`, body, {
        token: owner.accessToken,
      });
      expect(unknown.status).toBe(404);
    });

    it('answers 400 for bad title, content and tags, naming each', async () => {
      const owner = await target.fixtures.user();
      const bad = await target.http.post(
        `/v1/blogs/${owner.blogId}/posts`,
        {
          title: '',
          content: 'x'.repeat(100_001),
          tags: ['Not Valid', ...Array.from({ length: 10 }, (_, i) => `t${i}`)],
        },
        { token: owner.accessToken },
      );
      expect(bad.status).toBe(400);
      const fields = bad.body.error.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['title', 'content', 'tags', 'tags[0]']));
    });
  });

  describe('GET /v1/posts/{postId}', () => {
    it('answers the post with its author and blog composed in', async () => {
      const owner = await target.fixtures.user();
      const postId = await target.fixtures.publishedPost(owner, { title: 'T', content: 'C', tags: ['x'] });
      const read = await target.http.get(`/v1/posts/${postId}`);
      expect(read.status).toBe(200);
      expect(read.headers.get('x-partial-response')).toBeNull();
      expect(read.body).toEqual({
        postId,
        blogId: owner.blogId,
        authorId: owner.accountId,
        title: 'T',
        content: 'C',
        tags: ['x'],
        status: 'PUBLISHED',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        author: { userId: owner.accountId, nickname: owner.nickname },
        blog: { blogId: owner.blogId, slug: owner.blogSlug, title: `${owner.nickname}'s blog` },
      });
    });

    it('answers 404 for an unknown post and for a deleted one', async () => {
      expect((await target.http.get(`/v1/posts/${UNKNOWN}`)).status).toBe(404);
      const owner = await target.fixtures.user();
      const postId = await target.fixtures.publishedPost(owner);
      const deleted = await target.http.delete(`/v1/posts/${postId}`, { token: owner.accessToken });
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      for (const token of [undefined, owner.accessToken]) {
        const read = await target.http.get(`/v1/posts/${postId}`, { token });
        expect(read.status).toBe(404);
        expect(read.body.error.code).toBe('NOT_FOUND');
      }
    });
  });

  describe('GET /v1/blogs/{blogId}/posts', () => {
    it('pages through published posts, newest first, without content; nextCursor null at the end', async () => {
      const owner = await target.fixtures.user();
      const ids: string[] = [];
      for (const title of ['one', 'two', 'three'])
        ids.push(await target.fixtures.publishedPost(owner, { title }));
      const first = await target.http.get(`/v1/blogs/${owner.blogId}/posts?limit=2`);
      expect(first.status).toBe(200);
      expect(first.body.items.map((p: { title: string }) => p.title)).toEqual(['three', 'two']);
      expect(first.body.items[0]).not.toHaveProperty('content');
      expect(first.body.items[0]).toEqual({
        postId: ids[2],
        blogId: owner.blogId,
        authorId: owner.accountId,
        title: 'three',
        tags: ['news'],
        status: 'PUBLISHED',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await target.http.get(
        `/v1/blogs/${owner.blogId}/posts?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      );
      expect(second.body.items.map((p: { title: string }) => p.title)).toEqual(['one']);
      expect(second.body.nextCursor).toBeNull();
      const all = await target.http.get(`/v1/blogs/${owner.blogId}/posts`);
      expect(all.body.items).toHaveLength(3);
    });

    it('answers 400 for a bad limit', async () => {
      const owner = await target.fixtures.user();
      for (const limit of ['0', '101', 'abc', '2.5']) {
        const bad = await target.http.get(`/v1/blogs/${owner.blogId}/posts?limit=${limit}`);
        expect(bad.status, limit).toBe(400);
        expect(bad.body.error).toMatchObject({ code: 'INVALID_ARGUMENT', details: [{ field: 'limit' }] });
      }
    });
  });

  describe('PATCH and DELETE /v1/posts/{postId}', () => {
    it('lets the author edit and answers the post; 403 for anyone else', async () => {
      const [owner, other] = [await target.fixtures.user(), await target.fixtures.user()];
      const postId = await target.fixtures.publishedPost(owner);
      const edited = await target.http.patch(
        `/v1/posts/${postId}`,
        { title: 'Edited', tags: [] },
        { token: owner.accessToken },
      );
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({
        postId,
        title: 'Edited',
        content: 'Some content',
        tags: [],
        status: 'PUBLISHED',
      });
      const denied = await target.http.patch(
        `/v1/posts/${postId}`,
        { title: 'Mine' },
        { token: other.accessToken },
      );
      expect(denied.status).toBe(403);
      const deleteDenied = await target.http.delete(`/v1/posts/${postId}`, { token: other.accessToken });
      expect(deleteDenied.status).toBe(403);
      expect(deleteDenied.body.error.code).toBe('PERMISSION_DENIED');
    });
  });
});

describe('posts while a saga holds them (gateway over fakes only)', () => {
  let target: ContractTarget;
  beforeAll(async () => {
    target = await contractTarget();
  });
  afterAll(() => target.close());

  it('a PENDING post is 404 for others, visible to its author, and 409 FAILED_PRECONDITION to edit or delete', async (context) => {
    const harness = target.harness;
    if (!harness) return context.skip();
    const [owner, other] = [await target.fixtures.user(), await target.fixtures.user()];
    harness.world.holdSagas = true;
    try {
      const postId = await target.fixtures.submitPost(owner);
      expect((await target.http.get(`/v1/posts/${postId}`)).status).toBe(404);
      expect((await target.http.get(`/v1/posts/${postId}`, { token: other.accessToken })).status).toBe(404);
      const own = await target.http.get(`/v1/posts/${postId}`, { token: owner.accessToken });
      expect(own.status).toBe(200);
      expect(own.body.status).toBe('PENDING');
      const edit = await target.http.patch(
        `/v1/posts/${postId}`,
        { title: 'x' },
        { token: owner.accessToken },
      );
      expect(edit.status).toBe(409);
      expect(edit.body.error.code).toBe('FAILED_PRECONDITION');
      const remove = await target.http.delete(`/v1/posts/${postId}`, { token: owner.accessToken });
      expect(remove.status).toBe(409);
    } finally {
      harness.world.holdSagas = false;
    }
  });

  it('login of a PENDING account is 409 FAILED_PRECONDITION', async (context) => {
    const harness = target.harness;
    if (!harness) return context.skip();
    harness.world.holdSagas = true;
    try {
      const created = await target.http.post('/v1/accounts', {
        email: 'pending@example.com',
        password: 'long enough',
        nickname: 'pending_one',
      });
      expect(created.status).toBe(202);
      const login = await target.http.post('/v1/auth/login', {
        email: 'pending@example.com',
        password: 'long enough',
      });
      expect(login.status).toBe(409);
      expect(login.body.error.code).toBe('FAILED_PRECONDITION');
    } finally {
      harness.world.holdSagas = false;
    }
  });
});
