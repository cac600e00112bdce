// Downstream failures as the client sees them: 503 with Retry-After (service down, breaker open: no call), 504 on a
// slow service, 500 that leaks nothing, the breaker's whole cycle with a service stopped and started again,
// composition that degrades to null fields, and view recording that never waits for the visitor service.
// No assertion here reads a clock: what bounds a request is proven by what happened (no downstream call, a handler
// that never answers ended by its deadline); the latencies themselves are measured in benchmarks/gateway-breaker.ts.
import { InvalidArgumentError, ResourceExhaustedError } from '@blog/framework/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InternalError, LeakyInternalError, UnavailableError } from './testing/errors';
import { ENDED_BY_DEADLINE, HangingCall } from './testing/hanging-call';
import { type Harness, type HarnessOptions, startHarness, TEST_SETTINGS } from './testing/harness';
import { eventually } from './testing/http';
import type { TestUser } from './testing/fixtures';

/** HELD_OPEN keeps an open breaker open for the whole test: no half-open probe can slip in on a slow machine. */
const HELD_OPEN: HarnessOptions = {
  settings: { breaker: { ...TEST_SETTINGS.breaker, resetTimeoutMs: 60_000 } },
};

describe('downstream failures', () => {
  let harness: Harness;
  let owner: TestUser;
  beforeEach(async () => {
    harness = await startHarness(HELD_OPEN);
    owner = await harness.fixtures.user();
  });
  afterEach(() => harness.close());

  const readProfile = () => harness.http.get(`/v1/users/${owner.accountId}`);
  const breakerState = (endpoint: string) => harness.metric('circuit_state', { name: endpoint });
  const rejected = (endpoint: string) => harness.metric('circuit', { name: endpoint, event: 'reject' });
  const opened = (endpoint: string) =>
    harness.logs.filter((line) => line['msg'] === 'circuit breaker opened' && line['endpoint'] === endpoint)
      .length;

  it('503 UNAVAILABLE with Retry-After when the service is stopped', async () => {
    await harness.backend.stopService('user');
    const response = await readProfile();
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ error: { code: 'UNAVAILABLE', message: 'service unavailable' } });
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('a burst refused by auth with RESOURCE_EXHAUSTED: 429 with Retry-After, never 5xx, and the breaker stays closed', async () => {
    // What auth answers beyond its bound on password hashing (apps/auth/src/passwords/hash-limiter.ts): the client
    // is told to come back, and a busy service is not a broken one, so nothing may count against the breaker.
    harness.backend.override('auth', 'createAccount', () => {
      throw new ResourceExhaustedError('too many sign-ups and logins in progress: retry shortly');
    });
    const signUp = (i: number) =>
      harness.http.post('/v1/accounts', {
        email: `burst${i}@example.com`,
        password: 'correct horse battery',
        nickname: `burst${i}x`,
      });
    const callsBefore = harness.backend.callCount('auth', 'createAccount');
    // Four times the breaker's volume threshold, all at once.
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => signUp(i)));
    for (const response of burst) {
      expect(response.status).toBe(429);
      expect(response.body).toEqual({
        error: {
          code: 'RESOURCE_EXHAUSTED',
          message: 'too many sign-ups and logins in progress: retry shortly',
        },
      });
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // Every one reached auth: none was refused by an open breaker on the way.
    expect(harness.backend.callCount('auth', 'createAccount') - callsBefore).toBe(20);
    expect(opened('auth.CreateAccount')).toBe(0);
    expect(await breakerState('auth.CreateAccount')).toBe(0);
    // Capacity back: the next sign-up goes through.
    harness.backend.reset();
    expect((await signUp(20)).status).toBe(202);
  });

  it('an open breaker answers 503 with Retry-After without calling the service: no call, so no wait', async () => {
    harness.backend.override('user', 'getUser', () => {
      throw new UnavailableError('overloaded');
    });
    for (let i = 0; i < 5; i++) expect((await readProfile()).status).toBe(503);
    expect(opened('user.GetUser')).toBe(1);
    expect(await breakerState('user.GetUser')).toBe(2);
    // Were a call let through now, it would reach a handler that never answers and end in 504 at the deadline.
    const hanging = new HangingCall();
    harness.backend.override('user', 'getUser', hanging.handler);
    const callsBefore = harness.backend.callCount('user', 'getUser');
    const rejectedBefore = await rejected('user.GetUser');
    for (let i = 0; i < 5; i++) {
      const fast = await readProfile();
      expect(fast.status).toBe(503);
      expect(fast.body).toEqual({
        error: { code: 'UNAVAILABLE', message: 'service temporarily unavailable' },
      });
      // The time left until the half-open probe (the reset timeout is 60 s here), not the default of 1 s.
      const retryAfter = Number(fast.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
    expect(harness.backend.callCount('user', 'getUser')).toBe(callsBefore);
    expect(hanging.entered).toBe(0);
    expect(await rejected('user.GetUser')).toBe(rejectedBefore + 5);
    // Other methods of the same service have breakers of their own.
    const me = await harness.http.patch('/v1/users/me', { bio: 'still works' }, { token: owner.accessToken });
    expect(me.status).toBe(200);
  });

  it('with the service process stopped, the open breaker refuses at once: no connection attempt, no retry', async () => {
    await harness.backend.stopService('user');
    for (let i = 0; i < 5; i++) expect((await readProfile()).status).toBe(503);
    expect(opened('user.GetUser')).toBe(1);
    const rejectedBefore = await rejected('user.GetUser');
    const failedBefore = await harness.metric('circuit', { name: 'user.GetUser', event: 'failure' });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await readProfile());
    expect(answers.map((a) => a.status)).toEqual([503, 503, 503, 503, 503]);
    for (const fast of answers) expect(fast.body.error.message).toBe('service temporarily unavailable');
    expect(await rejected('user.GetUser')).toBe(rejectedBefore + 5);
    expect(await harness.metric('circuit', { name: 'user.GetUser', event: 'failure' })).toBe(failedBefore);
    expect(await breakerState('user.GetUser')).toBe(2);
  });

  it('breaker cycle with the service process stopped and started: open, half-open probe, closed', async () => {
    // Its own gateway with the harness's short reset timeout (400 ms), so the half-open probe comes during the test.
    const cycling = await startHarness();
    try {
      const reader = await cycling.fixtures.user();
      const read = () => cycling.http.get(`/v1/users/${reader.accountId}`);
      const transitions = () =>
        cycling.logs.map((line) => String(line['msg'])).filter((msg) => msg.startsWith('circuit breaker'));
      await cycling.backend.stopService('user');
      for (let i = 0; i < 5; i++) expect((await read()).status).toBe(503);
      expect(transitions()).toContain('circuit breaker opened');
      expect((await read()).status).toBe(503);
      await cycling.backend.startService('user');
      const healed = await eventually(
        async () => {
          const response = await read();
          expect(response.status).toBe(200);
          return response;
        },
        15_000,
        100,
      );
      expect(healed.body.userId).toBe(reader.accountId);
      expect(await cycling.metric('circuit_state', { name: 'user.GetUser' })).toBe(0);
      const seen = transitions();
      expect(seen).toEqual(
        expect.arrayContaining([
          'circuit breaker opened',
          'circuit breaker half-open: letting one probe through',
          'circuit breaker closed',
        ]),
      );
      expect(seen.indexOf('circuit breaker opened')).toBeLessThan(seen.lastIndexOf('circuit breaker closed'));
      expect(seen.at(-1)).toBe('circuit breaker closed');
    } finally {
      await cycling.close();
    }
  });

  it('504 DEADLINE_EXCEEDED when the service does not answer before the route deadline', async () => {
    const hanging = new HangingCall();
    harness.backend.override('user', 'getUser', hanging.handler);
    const response = await readProfile();
    expect(response.status).toBe(504);
    expect(response.body).toEqual({ error: { code: 'DEADLINE_EXCEEDED', message: 'deadline exceeded' } });
    // The handler never answers: the deadline ended the call (and cancelled the handler), once, without a retry.
    expect(ENDED_BY_DEADLINE).toContain((await hanging.ended(1))[0]);
    expect(hanging.entered).toBe(1);
    expect(
      await harness.metric('grpc_client_errors_total', {
        service: 'user',
        method: 'GetUser',
        code: 'DEADLINE_EXCEEDED',
      }),
    ).toBe(1);
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
    const logged = harness.logs.find(
      (line) => line['msg'] === 'request failed' && line['code'] === 'INTERNAL',
    );
    expect(logged).toBeDefined();
  });

  it('relays field violations of a downstream INVALID_ARGUMENT as details, in camelCase', async () => {
    harness.backend.override('auth', 'createAccount', () => {
      throw new InvalidArgumentError('invalid account', {
        violations: [{ field: 'blog_slug', message: 'is reserved' }],
      });
    });
    const response = await harness.http.post('/v1/accounts', {
      email: 'a@example.com',
      password: 'long enough',
      nickname: 'abc',
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: {
        code: 'INVALID_ARGUMENT',
        message: 'invalid account',
        details: [{ field: 'blogSlug', message: 'is reserved' }],
      },
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
      expect(read.body.blog).toEqual({
        blogId: owner.blogId,
        slug: owner.blogSlug,
        title: expect.any(String),
      });
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

    it('answers the post when a lookup hangs, once that lookup deadline has ended it', async () => {
      const postId = await harness.fixtures.publishedPost(owner);
      const hanging = new HangingCall();
      harness.backend.override('user', 'getUser', hanging.handler);
      const read = await harness.http.get(`/v1/posts/${postId}`);
      expect(read.status).toBe(200);
      expect(read.headers.get('x-partial-response')).toBe('true');
      expect(read.body.author).toBeNull();
      expect(read.body.blog).toEqual({
        blogId: owner.blogId,
        slug: owner.blogSlug,
        title: expect.any(String),
      });
      expect(ENDED_BY_DEADLINE).toContain((await hanging.ended(1))[0]);
      expect(
        await harness.metric('grpc_client_errors_total', {
          service: 'user',
          method: 'GetUser',
          code: 'DEADLINE_EXCEEDED',
        }),
      ).toBe(1);
      const warned = harness.logs.find((line) => line['msg'] === 'post author lookup failed');
      expect(warned).toBeDefined();
    });

    it('fails with the post service: no post, no composition', async () => {
      const postId = await harness.fixtures.publishedPost(owner);
      await harness.backend.stopService('post');
      const read = await harness.http.get(`/v1/posts/${postId}`);
      expect(read.status).toBe(503);
    });
  });

  describe('view recording', () => {
    const viewsOf = (postId: string) => [...harness.world.views.values()].filter((v) => v.postId === postId);
    it('records one view per read with its own view id; readers are a user id or a salted address hash', async () => {
      const [reader] = [await harness.fixtures.user()];
      const postId = await harness.fixtures.publishedPost(owner);
      // The fixture waits on the blog's list, not on the post, so nothing has viewed the post yet.
      const viewsOf = () => [...harness.world.views.values()].filter((v) => v.postId === postId);
      expect(viewsOf()).toHaveLength(0);
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
      // The recorder queues the view before the read is answered, so the count is final once the answer is in.
      const recordView = vi.spyOn(harness.gateway.views, 'recordView');
      expect((await harness.http.get(`/v1/posts/${postId}`, { token: owner.accessToken })).status).toBe(200);
      expect(recordView).not.toHaveBeenCalled();
      harness.world.publish(postId);
      expect((await harness.http.get(`/v1/posts/${postId}`, { token: owner.accessToken })).status).toBe(200);
      expect(recordView).toHaveBeenCalledTimes(1);
      expect(recordView.mock.calls[0][0]).toMatchObject({ postId, viewerId: owner.accountId });
      await eventually(() => expect(viewsOf(postId)).toHaveLength(1));
    });

    it('sends every view on one stream per gateway', async () => {
      const postId = await harness.fixtures.publishedPost(owner);
      const before = harness.backend.callCount('visitor', 'recordViews');
      for (let i = 0; i < 5; i++) expect((await harness.http.get(`/v1/posts/${postId}`)).status).toBe(200);
      await eventually(() => expect(viewsOf(postId)).toHaveLength(5));
      expect(harness.backend.callCount('visitor', 'recordViews') - before).toBeLessThanOrEqual(1);
      expect(harness.backend.callCount('visitor', 'recordView')).toBe(0);
    });

    it('never fails the read when the visitor service is down, and records the view once it is back', async () => {
      const postId = await harness.fixtures.publishedPost(owner);
      await harness.backend.stopService('visitor');
      const read = await harness.http.get(`/v1/posts/${postId}`);
      expect(read.status).toBe(200);
      expect(read.headers.get('x-partial-response')).toBeNull();
      await eventually(() => expect(harness.gateway.views.pendingCount).toBe(1));
      await harness.backend.startService('visitor');
      await eventually(() => expect(viewsOf(postId)).toHaveLength(1), 10_000);
      await eventually(() => expect(harness.gateway.views.pendingCount).toBe(0));
    });

    it('resends the views a broken stream did not acknowledge; a view stored before the break counts once', async () => {
      const postId = await harness.fixtures.publishedPost(owner);
      // The first stream stores every view but acknowledges none, then breaks.
      let broken = false;
      harness.backend.override('visitor', 'recordViews', async function* (requests) {
        let stored = 0;
        for await (const { view } of requests) {
          if (view) harness.world.views.set(view.viewId, view);
          if (++stored === 2) break;
        }
        broken = true;
        // A generator that yields nothing: it ends the stream with this error.
        if (broken) throw new UnavailableError('visitor replica stopping');
        yield* [];
      });
      expect((await harness.http.get(`/v1/posts/${postId}`)).status).toBe(200);
      expect((await harness.http.get(`/v1/posts/${postId}`)).status).toBe(200);
      await eventually(() => expect(broken).toBe(true));
      harness.backend.reset();
      await eventually(() => expect(harness.gateway.views.pendingCount).toBe(0), 10_000);
      expect(viewsOf(postId)).toHaveLength(2);
    });

    it('never waits for the view: the read is answered while the recording is still pending', async () => {
      const postId = await harness.fixtures.publishedPost(owner);
      // A recording that never settles: were the read waiting for it, the read would never be answered.
      const recordView = vi
        .spyOn(harness.gateway.views, 'recordView')
        .mockImplementation(() => new Promise(() => undefined));
      const read = await harness.http.get(`/v1/posts/${postId}`);
      expect(read.status).toBe(200);
      expect(read.body.postId).toBe(postId);
      expect(read.headers.get('x-partial-response')).toBeNull();
      expect(recordView).toHaveBeenCalledTimes(1);
      expect(recordView.mock.calls[0][0]).toMatchObject({ postId, blogId: owner.blogId });
    });
  });
});
