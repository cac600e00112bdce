// HTTP caching over the whole gateway (fake services): ETags and 304 on public reads, private answers never cached,
// and the response cache serving public reads without the service, never one client's private answer to another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import type { TestUser } from '../testing/fixtures';
import { PRIVATE_CACHE_CONTROL, PUBLIC_CACHE_CONTROL } from './cache-policy';

describe('ETags and Cache-Control (response cache off)', () => {
  let harness: Harness;
  let owner: TestUser;
  beforeAll(async () => {
    harness = await startHarness();
    owner = await harness.fixtures.user();
  });
  afterAll(() => harness.close());

  it('gives a public read an ETag and answers a matching If-None-Match with 304 and no body', async () => {
    const first = await harness.http.get(`/v1/blogs/${owner.blogId}`);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe(PUBLIC_CACHE_CONTROL);

    const again = await harness.http.get(`/v1/blogs/${owner.blogId}`, {
      headers: { 'if-none-match': etag ?? '' },
    });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('content-length')).toBeNull();
    // Weak comparison: a W/ prefix, or the tag among others, matches too.
    const weak = await harness.http.get(`/v1/blogs/${owner.blogId}`, {
      headers: { 'if-none-match': `"other", W/${etag}` },
    });
    expect(weak.status).toBe(304);
  });

  it('changes the ETag when the answer changes, and answers 200 to the old one', async () => {
    const before = await harness.http.get(`/v1/blogs/${owner.blogId}`);
    const patched = await harness.http.patch(
      `/v1/blogs/${owner.blogId}`,
      { title: 'A new title' },
      { token: owner.accessToken },
    );
    expect(patched.status).toBe(200);
    const after = await harness.http.get(`/v1/blogs/${owner.blogId}`, {
      headers: { 'if-none-match': before.headers.get('etag') ?? '' },
    });
    expect(after.status).toBe(200);
    expect(after.body.title).toBe('A new title');
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
  });

  it('marks authenticated reads private, no-store, without an ETag, and never answers them 304', async () => {
    const me = await harness.http.get('/v1/users/me', {
      token: owner.accessToken,
      headers: { 'if-none-match': '*' },
    });
    expect(me.status).toBe(200);
    expect(me.headers.get('cache-control')).toBe(PRIVATE_CACHE_CONTROL);
    expect(me.headers.get('etag')).toBeNull();

    // An optional-authentication route asked with a token may answer what only that caller sees.
    const postId = await harness.fixtures.publishedPost(owner);
    const asAuthor = await harness.http.get(`/v1/posts/${postId}`, { token: owner.accessToken });
    expect(asAuthor.headers.get('cache-control')).toBe(PRIVATE_CACHE_CONTROL);
    expect(asAuthor.headers.get('etag')).toBeNull();
    const anonymous = await harness.http.get(`/v1/posts/${postId}`);
    expect(anonymous.headers.get('cache-control')).toBe(PUBLIC_CACHE_CONTROL);
    expect(anonymous.headers.get('vary')).toContain('Authorization');
  });

  it('leaves errors and operations routes alone', async () => {
    const missing = await harness.http.get('/v1/blogs/00000000-0000-4000-8000-0000000000ff');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('etag')).toBeNull();
    expect(missing.headers.get('cache-control')).toBeNull();
    const health = await harness.http.get('/healthz');
    expect(health.headers.get('etag')).toBeNull();
  });
});

describe('the response cache (in-process, TTL 60 s)', () => {
  let harness: Harness;
  let owner: TestUser;
  let other: TestUser;
  beforeAll(async () => {
    harness = await startHarness({ settings: { responseCacheTtlMs: 60_000 } });
    owner = await harness.fixtures.user();
    other = await harness.fixtures.user();
  });
  afterAll(() => harness.close());

  it('serves a repeated public read without calling the service, with the same body and ETag', async () => {
    harness.backend.reset();
    const first = await harness.http.get(`/v1/blogs/${owner.blogId}`);
    const second = await harness.http.get(`/v1/blogs/${owner.blogId}`);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(second.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(harness.backend.callCount('blog', 'getBlog')).toBe(1);
    expect(await harness.metric('gateway_response_cache_total', { result: 'hit' })).toBeGreaterThan(0);
    // And a cached answer still honours If-None-Match.
    const notModified = await harness.http.get(`/v1/blogs/${owner.blogId}`, {
      headers: { 'if-none-match': first.headers.get('etag') ?? '' },
    });
    expect(notModified.status).toBe(304);
  });

  it('forgets what it holds after a write through the gateway', async () => {
    await harness.http.get(`/v1/blogs/${owner.blogId}`);
    const patched = await harness.http.patch(
      `/v1/blogs/${owner.blogId}`,
      { title: 'Fresh title' },
      { token: owner.accessToken },
    );
    expect(patched.status).toBe(200);
    const read = await harness.http.get(`/v1/blogs/${owner.blogId}`);
    expect(read.body.title).toBe('Fresh title');
  });

  it("never serves one user's private answer to another, nor caches them at all", async () => {
    harness.backend.reset();
    const mine = await harness.http.get('/v1/users/me', { token: owner.accessToken });
    const theirs = await harness.http.get('/v1/users/me', { token: other.accessToken });
    expect(mine.body.userId).toBe(owner.accountId);
    expect(theirs.body.userId).toBe(other.accountId);
    await harness.http.get('/v1/users/me', { token: owner.accessToken });
    expect(harness.backend.callCount('user', 'getUser')).toBe(3);
  });

  it('keeps a route with a side effect uncached: every read of a post reaches the service (its view is counted)', async () => {
    const postId = await harness.fixtures.publishedPost(owner);
    harness.backend.reset();
    await harness.http.get(`/v1/posts/${postId}`);
    await harness.http.get(`/v1/posts/${postId}`);
    expect(harness.backend.callCount('post', 'getPost')).toBe(2);
  });

  it('does not cache errors', async () => {
    harness.backend.reset();
    await harness.http.get('/v1/blogs/00000000-0000-4000-8000-0000000000fe');
    await harness.http.get('/v1/blogs/00000000-0000-4000-8000-0000000000fe');
    expect(harness.backend.callCount('blog', 'getBlog')).toBe(2);
  });
});
