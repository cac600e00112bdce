// No client can trip a circuit breaker: a flood of malformed requests of every kind, from one anonymous client and
// one user, leaves every breaker closed and everyone else's login and profile edit working. The fake services answer
// a NUL the way the real ones did before (PostgreSQL's "invalid byte sequence", SQLSTATE 22021), so the flood would
// have opened auth.Login and user.UpdateUser if the gateway let a NUL through or the breakers counted the answers.
import { breakerStates, floodRequests, MALFORMED_HTTP, rawRequest, sendFuzzRequest } from '@blog/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from './testing/fixtures';
import { type Harness, startHarness } from './testing/harness';

const ROUNDS = 5;

function postgresRefusesNul(): Error {
  return Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
    code: '22021',
    severity: 'ERROR',
  });
}

describe('a flood of malformed requests', () => {
  let harness: Harness;
  let attacker: TestUser;
  let bystander: TestUser;
  let postId: string;
  beforeAll(async () => {
    harness = await startHarness();
    attacker = await harness.fixtures.user();
    bystander = await harness.fixtures.user();
    postId = await harness.fixtures.publishedPost(attacker);
    // What the real services did with a NUL: handlers that let PostgreSQL refuse it.
    const world = harness.world.handlers();
    harness.backend.override('auth', 'login', (request, ctx) => {
      if (request.email.includes('\u0000') || request.password.includes('\u0000')) throw postgresRefusesNul();
      return world.auth.login(request, ctx);
    });
    harness.backend.override('user', 'updateUser', (request, ctx) => {
      if ((request.bio ?? '').includes('\u0000')) throw postgresRefusesNul();
      return world.user.updateUser(request, ctx);
    });
  });
  afterAll(() => harness.close());

  it('leaves every circuit breaker closed, and logins and profile edits work for everyone', async () => {
    const flood = floodRequests({ token: attacker.accessToken, blogId: attacker.blogId, postId });
    let sent = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const request of flood) {
        const answer = await sendFuzzRequest(harness.baseUrl, request);
        expect(answer.status, `${request.method} ${request.path}: ${answer.text}`).toBeLessThan(500);
        sent += 1;
      }
      for (const raw of MALFORMED_HTTP) {
        expect((await rawRequest(harness.baseUrl, raw)).status, raw.slice(0, 40)).toBeLessThan(500);
        sent += 1;
      }
    }
    expect(sent).toBe(ROUNDS * (flood.length + MALFORMED_HTTP.length));

    const states = breakerStates((await harness.http.get('/metrics')).text);
    expect(Object.keys(states)).toContain('auth.Login');
    expect(Object.entries(states).filter(([, state]) => state !== 0)).toEqual([]);
    const login = await harness.http.post('/v1/auth/login', {
      email: bystander.email,
      password: bystander.password,
    });
    expect(login.status).toBe(200);
    const edit = await harness.http.patch(
      '/v1/users/me',
      { bio: 'still works' },
      { token: bystander.accessToken },
    );
    expect(edit.status).toBe(200);
  });

  it("stays closed while one client's input meets a downstream bug over and over", async () => {
    harness.backend.override('blog', 'updateBlog', () => {
      throw new TypeError("Cannot read properties of undefined (reading 'title')");
    });
    for (let i = 0; i < 20; i++) {
      const response = await harness.http.patch(
        `/v1/blogs/${attacker.blogId}`,
        { title: 'boom' },
        {
          token: attacker.accessToken,
        },
      );
      expect(response.status).toBe(500);
      expect(response.body).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
    }
    expect(breakerStates((await harness.http.get('/metrics')).text)['blog.UpdateBlog']).toBe(0);
    expect(harness.backend.callCount('blog', 'updateBlog')).toBe(20);
  });
});
