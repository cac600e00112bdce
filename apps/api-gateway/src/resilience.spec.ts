// Downstream failures as the client sees them: 503 with Retry-After (service down, breaker open: fast, no call),
// 504 on a slow service, 500 that leaks nothing, the breaker's whole cycle with a service stopped and started again,
// composition that degrades to null fields, and view recording that never slows or fails a read.
import { InvalidArgumentError } from '@blog/framework';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InternalError, LeakyInternalError, UnavailableError } from './testing/errors';
import { type Harness, startHarness } from './testing/harness';
import { eventually, sleep } from './testing/http';
import type { TestUser } from './testing/fixtures';

describe('downstream failures', () => {
  let harness: Harness;
  let owner: TestUser;
  beforeEach(async () => {
    harness = await startHarness();
    owner = await harness.fixtures.user();
  });
  afterEach(() => harness.close());

  const readProfile = () => harness.http.get(`/v1/users/${owner.accountId}`);
  /** fastFailures reads the profile 5 times while the breaker is open; the median time is what a client sees. */
  const fastFailures = async () => {
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await readProfile());
    const median = answers.map((a) => a.ms).sort((a, b) => a - b)[2];
    return { answers, median };
  };
  const breakerState = async (endpoint: string) => {
    const text = (await harness.http.get('/metrics')).text;
    return Number(new RegExp(`circuit_state\\{name="${endpoint.replace('.', '\\.')}"\\} (\\d)`).exec(text)?.[1]);
  };

  it('503 UNAVAILABLE with Retry-After when the service is stopped', async () => {
    await harness.backend.stopService('user');
    const response = await readProfile();
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ error: { code: 'UNAVAILABLE', message: 'service unavailable' } });
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('an open breaker answers 503 with Retry-After in under 50 ms without calling the service', async () => {
    harness.backend.override('user', 'getUser', () => {
      throw new UnavailableError('overloaded');
    });
    for (let i = 0; i < 5; i++) expect((await readProfile()).status).toBe(503);
    expect(await breakerState('user.GetUser')).toBe(2);
    const callsBefore = harness.backend.callCount('user', 'getUser');
    const { answers, median } = await fastFailures();
    for (const fast of answers) {
      expect(fast.status).toBe(503);
      expect(fast.body.error.code).toBe('UNAVAILABLE');
      expect(Number(fast.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(median).toBeLessThan(50);
    expect(harness.backend.callCount('user', 'getUser')).toBe(callsBefore);
    // Other methods of the same service have breakers of their own.
    const me = await harness.http.patch('/v1/users/me', { bio: 'still works' }, { token: owner.accessToken });
    expect(me.status).toBe(200);
  });

  it('breaker cycle with the service process stopped and started: open, fast 503, half-open probe, closed', async () => {
    await harness.backend.stopService('user');
    for (let i = 0; i < 5; i++) expect((await readProfile()).status).toBe(503);
    expect(await breakerState('user.GetUser')).toBe(2);
    const { answers, median } = await fastFailures();
    expect(answers.map((a) => a.status)).toEqual([503, 503, 503, 503, 503]);
    expect(median).toBeLessThan(50);
    await harness.backend.startService('user');
    const healed = await eventually(async () => {
      const response = await readProfile();
      expect(response.status).toBe(200);
      return response;
    }, 15_000, 100);
    expect(healed.body.userId).toBe(owner.accountId);
    expect(await breakerState('user.GetUser')).toBe(0);
    const transitions = harness.logs.map((line) => line['msg']).filter((msg) => String(msg).startsWith('circuit breaker'));
    expect(transitions).toEqual(expect.arrayContaining(['circuit breaker opened', 'circuit breaker half-open: letting one probe through', 'circuit breaker closed']));
  });

  it('504 DEADLINE_EXCEEDED when the service answers after the route deadline', async () => {
    harness.backend.override('user', 'getUser', async () => {
      await sleep(2000);
      return { user: undefined };
    });
    const response = await readProfile();
    expect(response.status).toBe(504);
    expect(response.body).toEqual({ error: { code: 'DEADLINE_EXCEEDED', message: 'deadline exceeded' } });
    expect(response.ms).toBeLessThan(1500);
  });

  it('500 INTERNAL without leaking, for a downstream bug and for a gateway-side one', async () => {
    harness.backend.override('user', 'getUser', () => {
      throw new InternalError('relation "users.secret" does not exist: SELECT * FROM users.secret');
    });
    const downstream = await readProfile();
    expect(downstream.status).toBe(500);
    expect(downstream.body).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
    harness.backend.override('user', 'getUser', () => {
      throw new LeakyInternalError('SELECT * FROM users.secret failed at pg/lib/client.js:526');
    });
    const leaky = await readProfile();
    expect(leaky.status).toBe(500);
    expect(leaky.body).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
    harness.backend.override('user', 'getUser', async () => ({ user: undefined }));
    const gateway = await readProfile();
    expect(gateway.status).toBe(500);
    expect(gateway.body).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
    expect(gateway.text).not.toMatch(/secret|stack|downstream|at /);
    const logged = harness.logs.find((line) => line['msg'] === 'request failed' && line['code'] === 'INTERNAL');
    expect(logged).toBeDefined();
  });

  it('relays field violations of a downstream INVALID_ARGUMENT as details, in camelCase', async () => {
    harness.backend.override('auth', 'createAccount', () => {
      throw new InvalidArgumentError('invalid account', { violations: [{ field: 'blog_slug', message: 'is reserved' }] });
    });
    const response = await harness.http.post('/v1/accounts', { email: 'a@example.com', password: 'long enough', nickname: 'abc' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: { code: 'INVALID_ARGUMENT', message: 'invalid account', details: [{ field: 'blogSlug', message: 'is reserved' }] },
    });
  });

  describe('GET /v1/posts/{postId} composition', () => {
    it('answers the post with author null and X-Partial-Response when the user service is down', async () => {
      const postId = await harness.fixtures.publishedPost(owner);
      await harness.backend.stopService('user');
      const read = await harness.http.get(`/v1/posts/${postId}`);
      expect(read.status).toBe(200);
      expect(read.headers.get('x-partial-response')).toBe('true');
      expect(read.body.author).toBeNull();
      expect(read.body.blog).toEqual({ blogId: owner.blogId, slug: owner.blogSlug, title: expect.any(String) });
      expect(read.body.postId).toBe(postId);
    });

    it('answers blog null when the blog lookup fails, and fast once its breaker is open', async () => {
      const postId = await harness.fixtures.publishedPost(owner);
      harness.backend.override('blog', 'getBlog', () => {
        throw new UnavailableError('blog overloaded');
      });
      for (let i = 0; i < 5; i++) {
        const read = await harness.http.get(`/v1/posts/${postId}`);
        expect(read.status).toBe(200);
        expect(read.body.blog).toBeNull();
        expect(read.body.author).toEqual({ userId: owner.accountId, nickname: owner.nickname });
      }
      expect(await breakerState('blog.GetBlog')).toBe(2);
      const calls = harness.backend.callCount('blog', 'getBlog');
      const fast = await harness.http.get(`/v1/posts/${postId}`);
      expect(fast.status).toBe(200);
      expect(fast.headers.get('x-partial-response')).toBe('true');
      expect(fast.body.blog).toBeNull();
      expect(harness.backend.callCount('blog', 'getBlog')).toBe(calls);
    });

    it('answers the post when a lookup is slow, after that lookup deadline', async () => {
      const postId = await harness.fixtures.publishedPost(owner);
      harness.backend.override('user', 'getUser', async () => {
        await sleep(3000);
        return { user: undefined };
      });
      const read = await harness.http.get(`/v1/posts/${postId}`);
      expect(read.status).toBe(200);
      expect(read.body.author).toBeNull();
      expect(read.ms).toBeLessThan(1500);
    });

    it('fails with the post service: no post, no composition', async () => {
      const postId = await harness.fixtures.publishedPost(owner);
      await harness.backend.stopService('post');
      const read = await harness.http.get(`/v1/posts/${postId}`);
      expect(read.status).toBe(503);
    });
  });

  describe('view recording', () => {
    it('records one view per read with its own view id; readers are a user id or a salted address hash', async () => {
      const [reader] = [await harness.fixtures.user()];
      const postId = await harness.fixtures.publishedPost(owner);
      // The fixture's own last read (by the author, once PUBLISHED) was a view too.
      const viewsOf = () => [...harness.world.views.values()].filter((v) => v.postId === postId);
      await eventually(() => expect(viewsOf()).toHaveLength(1));
      harness.world.views.clear();
      await harness.http.get(`/v1/posts/${postId}`);
      await harness.http.get(`/v1/posts/${postId}`, { token: reader.accessToken });
      const views = await eventually(() => {
        const recorded = viewsOf();
        expect(recorded).toHaveLength(2);
        return recorded;
      });
      expect(new Set(views.map((v) => v.viewId)).size).toBe(2);
      expect(views.map((v) => v.blogId)).toEqual([owner.blogId, owner.blogId]);
      const viewers = views.map((v) => v.viewerId);
      expect(viewers).toContain(reader.accountId);
      const anonymous = viewers.find((v) => v !== reader.accountId) ?? '';
      expect(anonymous).toMatch(/^anon-[0-9a-f]{32}$/);
      expect(anonymous).not.toContain('127.0.0.1');
    });

    it('does not record a view of a post its author reads while it is PENDING', async () => {
      harness.world.holdSagas = true;
      const postId = await harness.fixtures.submitPost(owner);
      expect((await harness.http.get(`/v1/posts/${postId}`, { token: owner.accessToken })).status).toBe(200);
      await sleep(50);
      expect(harness.backend.callCount('visitor', 'recordView')).toBe(0);
    });

    it('never fails the read when the visitor service is down', async () => {
      const postId = await harness.fixtures.publishedPost(owner);
      await harness.backend.stopService('visitor');
      const read = await harness.http.get(`/v1/posts/${postId}`);
      expect(read.status).toBe(200);
      expect(read.headers.get('x-partial-response')).toBeNull();
      await eventually(async () =>
        expect((await harness.http.get('/metrics')).text).toMatch(/gateway_view_records_total\{outcome="failed"\} 1/),
      );
    });

    it('never slows the read when RecordView hangs', async () => {
      const postId = await harness.fixtures.publishedPost(owner);
      await harness.http.get(`/v1/posts/${postId}`);
      harness.backend.override('visitor', 'recordView', async () => {
        await sleep(3000);
        return {};
      });
      const started = Date.now();
      const read = await harness.http.get(`/v1/posts/${postId}`);
      expect(read.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(250);
      expect(harness.backend.callCount('visitor', 'recordView')).toBeGreaterThanOrEqual(1);
    });
  });
});
