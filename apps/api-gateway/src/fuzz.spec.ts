// A seeded property-based fuzz of every route the gateway documents (GET /openapi.json), over the fake services:
// whatever a client sends, no answer is a 5xx, every answer has a request id, every error is the contract's shape,
// and afterwards every circuit breaker is still closed. e2e/src/scenarios/08-fuzz.e2e.ts runs the same fuzz against
// the real services. FUZZ_SEED=<n> repeats another run; a failure prints its seed and the shrunk request.
import {
  breakerStates,
  documentedRoutes,
  fuzzRoutes,
  fuzzSeed,
  type KnownValues,
  type OpenApiDocument,
} from '@blog/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from './testing/fixtures';
import { type Harness, startHarness } from './testing/harness';

const RUNS = 300;
const TIME_LIMIT_MS = 60_000;

describe('fuzz of every documented route', () => {
  let harness: Harness;
  let document: OpenApiDocument;
  let known: KnownValues;
  let users: TestUser[];
  beforeAll(async () => {
    harness = await startHarness();
    users = [await harness.fixtures.user(), await harness.fixtures.user()];
    const postId = await harness.fixtures.publishedPost(users[0] as TestUser);
    document = (await harness.http.get('/openapi.json')).body;
    known = {
      ids: [...users.flatMap((u) => [u.accountId, u.blogId]), postId],
      slugs: users.map((u) => u.blogSlug),
      tokens: users.map((u) => u.accessToken),
    };
  });
  afterAll(() => harness.close());

  it('documents the routes it fuzzes', () => {
    const routes = documentedRoutes(document).map((r) => `${r.method} ${r.path}`);
    expect(routes).toContain('PATCH /v1/users/me');
    expect(routes).toContain('POST /v1/blogs/{blogId}/posts');
    expect(routes.length).toBeGreaterThanOrEqual(25);
  });

  it('answers every generated request without a 5xx, with a request id, errors in the contract shape', async () => {
    const sent = await fuzzRoutes(harness.baseUrl, document, known, {
      runs: RUNS,
      timeLimitMs: TIME_LIMIT_MS,
    });
    process.stderr.write(`fuzz (gateway over fakes): ${sent} requests, seed ${fuzzSeed()}\n`);
    expect(sent).toBeGreaterThan(0);
  });

  it('leaves every circuit breaker closed', async () => {
    const states = breakerStates((await harness.http.get('/metrics')).text);
    expect(Object.keys(states).length).toBeGreaterThan(0);
    expect(Object.entries(states).filter(([, state]) => state !== 0)).toEqual([]);
  });
});
