// Hardening from outside, against the real system: a seeded property-based fuzz of every route the gateway documents
// (GET /openapi.json, so new routes are fuzzed as soon as they exist) with valid tokens and hostile values, then a
// flood of malformed requests of every kind. No answer may be a 5xx, every answer has an X-Request-Id and every error
// is the contract's JSON; afterwards every circuit breaker of the gateway is closed and a bystander's login and
// profile edit work. FUZZ_SEED=<n> repeats another run.
import {
  breakerStates,
  contractProblems,
  floodRequests,
  fuzzRoutes,
  fuzzSeed,
  MALFORMED_HTTP,
  type OpenApiDocument,
  rawRequest,
  sendFuzzRequest,
} from '@blog/testing';
import { beforeAll, expect, it } from 'vitest';
import { expectStatus, type Member } from '../support/rest/sagas';
import { scenario, suite } from '../support/suite';

const { ctx, api, sagas } = suite();

const RUNS = 300;
const TIME_LIMIT_MS = 90_000;
const FLOOD_ROUNDS = 5;

scenario('fuzz and flood from outside', [], () => {
  let members: Member[];
  let bystander: Member;
  let postId: string;
  let document: OpenApiDocument;
  beforeAll(async () => {
    [bystander, ...members] = await Promise.all([sagas.member('Fb'), sagas.member('Fz'), sagas.member('Fz')]);
    postId = (await sagas.publish(members[0] as Member, { title: 'fuzzed' })).postId;
    const openapi = await api.get('/openapi.json');
    expectStatus(openapi, 200);
    document = openapi.body;
  });

  it('answers every generated request to every route without a 5xx, each error in the contract shape', async () => {
    const known = {
      ids: [...members.flatMap((m) => [m.userId, m.blogId]), postId],
      slugs: members.map((m) => m.slug),
      tokens: members.map((m) => m.token),
    };
    const sent = await fuzzRoutes(ctx.baseUrl, document, known, { runs: RUNS, timeLimitMs: TIME_LIMIT_MS });
    process.stderr.write(`e2e fuzz: ${sent} requests, seed ${fuzzSeed()}\n`);
    expect(sent).toBeGreaterThan(0);
  });

  it('leaves every circuit breaker closed after a flood of malformed requests, and a bystander is served', async () => {
    const author = members[0] as Member;
    const flood = floodRequests({ token: author.token, blogId: author.blogId, postId });
    for (let round = 0; round < FLOOD_ROUNDS; round++) {
      for (const request of flood) {
        const answer = await sendFuzzRequest(ctx.baseUrl, request);
        expect(contractProblems(answer), `${request.method} ${request.path}: ${answer.text}`).toEqual([]);
      }
      for (const raw of MALFORMED_HTTP) {
        const answer = await rawRequest(ctx.baseUrl, raw);
        expect(answer.status, raw.slice(0, 40)).toBeLessThan(500);
        expect(answer.headers['x-request-id'], raw.slice(0, 40)).toBeTruthy();
      }
    }
    const metrics = await fetch(`${ctx.baseUrl}/metrics`);
    const states = breakerStates(await metrics.text());
    expect(Object.keys(states)).toContain('auth.Login');
    expect(Object.entries(states).filter(([, state]) => state !== 0)).toEqual([]);

    expectStatus(
      await api.post('/v1/auth/login', { email: bystander.email, password: bystander.password }),
      200,
    );
    expectStatus(await api.patch('/v1/users/me', { bio: 'still served' }, { token: bystander.token }), 200);
  });
});
