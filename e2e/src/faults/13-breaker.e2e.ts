// The gateway's circuit breaker on the user service: with user stopped, user routes fail with 503 and, once the
// breaker is open, fail fast (no call, Retry-After set); post reads go on without the author (X-Partial-Response).
// After user is back, the half-open probe closes the breaker and reads are whole again.
import { expect, it } from 'vitest';
import { percentile } from '../support/report/latency';
import { eventually } from '../support/eventually';
import type { RestClient } from '../support/rest/client';
import { expectStatus } from '../support/rest/sagas';
import { scenario, suite } from '../support/suite';

const { api, control, sagas, ctx } = suite();

/** breakerStates reads the gateway's circuit_state gauge (0 closed, 1 half-open, 2 open) per endpoint. */
async function breakerStates(client: RestClient): Promise<Map<string, number>> {
  const metrics = await client.get('/metrics', { headers: { accept: 'text/plain' } });
  const states = new Map<string, number>();
  for (const [, name = '', value] of String(metrics.body).matchAll(
    /^circuit_state\{[^}]*name="([^"]+)"[^}]*\}\s+(\d+)/gm,
  )) {
    states.set(name, Number(value));
  }
  return states;
}

const getUserState = async () => {
  const states = await breakerStates(api);
  const entry = [...states].find(([name]) => /user/i.test(name) && /GetUser$/.test(name));
  return { state: entry?.[1], all: Object.fromEntries(states) };
};

scenario('fault: user service down, the gateway’s breaker', ['control'], () => {
  it('opens (fast 503s, partial post reads) and closes again after user restarts', async () => {
    const author = await sagas.member('Cb');
    const post = await sagas.publish(author);
    const whole = await api.get(`/v1/posts/${post.postId}`);
    expect(whole.body.author).toEqual({ userId: author.userId, nickname: author.nickname });

    await control.stopApp('user');
    try {
      // Failures within the rolling window open the breaker (50 % of at least 5 calls).
      await eventually(
        async () => {
          const response = await api.get(`/v1/users/${author.userId}`);
          expectStatus(response, 503);
          expect(response.body.error.code).toBe('UNAVAILABLE');
          expect((await getUserState()).state, JSON.stringify((await getUserState()).all)).toBe(2);
        },
        { timeoutMs: 15_000, intervalMs: 50, what: 'the user.GetUser breaker open' },
      );

      const fast: number[] = [];
      for (let i = 0; i < 10; i++) {
        const response = await api.get(`/v1/users/${author.userId}`);
        expectStatus(response, 503);
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        fast.push(response.ms);
      }
      const p95 = percentile(
        [...fast].sort((a, b) => a - b),
        95,
      );
      process.stderr.write(`e2e: open-breaker 503s: p95 ${p95.toFixed(1)} ms over ${fast.length} calls\n`);
      expect(p95, 'an open breaker answers without waiting for the service').toBeLessThan(100);

      const partial = await api.get(`/v1/posts/${post.postId}`);
      expectStatus(partial, 200);
      expect(partial.headers.get('x-partial-response')).toBe('true');
      expect(partial.body).toMatchObject({
        postId: post.postId,
        author: null,
        blog: { blogId: author.blogId },
      });
      // Another method, whose breaker is still closed, reaches for user itself. In local mode its port refuses at
      // once: 503 UNAVAILABLE. Under compose a stopped container's address drops packets, so the call waits out its
      // deadline: 504 DEADLINE_EXCEEDED. Either way a clean answer, never a 500.
      const update = await api.patch('/v1/users/me', { bio: 'down' }, { token: author.token });
      expect(ctx.mode === 'compose' ? [503, 504] : [503], JSON.stringify(update.body)).toContain(
        update.status,
      );
    } finally {
      await control.startApp('user');
    }

    await eventually(
      async () => {
        const read = await api.get(`/v1/posts/${post.postId}`);
        expectStatus(read, 200);
        expect(read.headers.get('x-partial-response')).toBeNull();
        expect(read.body.author).toEqual({ userId: author.userId, nickname: author.nickname });
        expectStatus(await api.get(`/v1/users/${author.userId}`), 200);
        expect((await getUserState()).state).toBe(0);
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'the breaker closed and whole reads' },
    );
  });
});
