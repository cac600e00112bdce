// The HTTP edge: Fastify's own failures in the contract's shape (413, 415, malformed JSON, unknown route), request
// ids, trace context, security headers, CORS and the two rate-limit budgets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './testing/harness';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('the HTTP edge', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it('answers 404 NOT_FOUND JSON for an unknown route and an unknown method', async () => {
    for (const [method, path] of [
      ['GET', '/v1/nothing-here'],
      ['PUT', '/v1/users/me'],
      ['GET', '/'],
    ] as const) {
      const response = await harness.http.request(method, path);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(response.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
      expect(response.headers.get('x-request-id')).toMatch(UUID);
    }
  });

  it('answers 413 PAYLOAD_TOO_LARGE for a body over 1 MiB', async () => {
    const response = await harness.http.post('/v1/accounts', {
      email: 'big@example.com',
      password: 'long enough',
      nickname: 'x'.repeat(1024 * 1024),
    });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('accepts a body just under 1 MiB as far as validation', async () => {
    const response = await harness.http.post('/v1/accounts', {
      email: 'big@example.com',
      password: 'long enough',
      nickname: 'x'.repeat(1024 * 1024 - 200),
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ field: 'nickname', message: expect.any(String) }]);
  });

  it('answers 415 UNSUPPORTED_MEDIA_TYPE for a body that is not JSON', async () => {
    for (const contentType of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
      const response = await harness.http.request('POST', '/v1/auth/login', {
        body: 'email=a@example.com&password=x',
        headers: { 'content-type': contentType },
      });
      expect(response.status, contentType).toBe(415);
      expect(response.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('answers 400 INVALID_ARGUMENT for malformed JSON and for a JSON body that is not an object', async () => {
    const malformed = await harness.http.request('POST', '/v1/auth/login', {
      body: '{"email": "a@example.com",',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('INVALID_ARGUMENT');
    const array = await harness.http.post('/v1/auth/login', ['a']);
    expect(array.status).toBe(400);
    const empty = await harness.http.request('POST', '/v1/auth/login', {
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('INVALID_ARGUMENT');
  });

  it('does not coerce body types: a number where a string belongs is refused', async () => {
    const response = await harness.http.post('/v1/auth/login', { email: 12345, password: true });
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'email',
      'password',
    ]);
  });

  it('echoes X-Request-Id, passes it to the downstream call and into the log lines', async () => {
    const response = await harness.http.get('/v1/users/00000000-0000-4000-8000-00000000000a', {
      headers: { 'x-request-id': 'client-chosen-id-42' },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe('client-chosen-id-42');
    expect(harness.backend.requestIds).toContain('client-chosen-id-42');
    const lines = harness.logs.filter((line) => line['requestId'] === 'client-chosen-id-42');
    // One access line per request (observability/request-log.ts): a 404 is logged at info, with the trace id.
    const completed = lines.filter((line) => line['msg'] === 'request completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ level: 30, statusCode: 404, method: 'GET' });
    expect(completed[0]?.['traceId']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('generates a request id when none (or an unusable one) is sent', async () => {
    const a = await harness.http.get('/healthz');
    const b = await harness.http.get('/healthz', { headers: { 'x-request-id': 'x'.repeat(500) } });
    expect(a.headers.get('x-request-id')).toMatch(UUID);
    expect(b.headers.get('x-request-id')).toMatch(UUID);
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });

  it('answers a traceparent that continues the caller trace, and carries the trace to the downstream call', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    harness.backend.reset();
    const response = await harness.http.get('/v1/blogs/00000000-0000-4000-8000-00000000000b', {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('traceparent')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(harness.backend.traceIds).toEqual([traceId]);
    const fresh = await harness.http.get('/healthz');
    expect(fresh.headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
  });

  it('sets API security headers', async () => {
    const response = await harness.http.get('/healthz');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('x-frame-options')).toBeTruthy();
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});

describe('CORS', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ settings: { corsOrigins: ['https://app.example.com'] } });
  });
  afterAll(() => harness.close());

  it('answers preflights for configured origins only and exposes the gateway headers', async () => {
    const preflight = (origin: string) =>
      harness.http.request('OPTIONS', '/v1/users/me', {
        headers: {
          origin,
          'access-control-request-method': 'PATCH',
          'access-control-request-headers': 'authorization',
        },
      });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-methods')).toContain('PATCH');
    const other = await preflight('https://evil.example.com');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await harness.http.get('/healthz', { headers: { origin: 'https://app.example.com' } });
    expect(simple.headers.get('access-control-expose-headers')).toContain('x-request-id');
  });
});

describe('rate limits', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ settings: { rateLimitPerMinute: 8, authRateLimitPerMinute: 3 } });
  });
  afterAll(() => harness.close());

  it('shares one credential budget between sign-up, login and refresh; 429 RESOURCE_EXHAUSTED with Retry-After', async () => {
    const login = { email: 'nobody@example.com', password: 'whatever1' };
    expect((await harness.http.post('/v1/auth/login', login)).status).toBe(401);
    expect((await harness.http.post('/v1/auth/refresh', { refreshToken: 'x' })).status).toBe(401);
    expect((await harness.http.post('/v1/accounts', { email: 'bad' })).status).toBe(400);
    const limited = await harness.http.post('/v1/auth/login', login);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: { code: 'RESOURCE_EXHAUSTED', message: expect.any(String) } });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(harness.backend.callCount('auth', 'login')).toBe(1);
  });

  it('limits all routes per address with the general budget', async () => {
    // 4 requests were spent above; the general budget is 8.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await harness.http.get('/healthz')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    const limited = await harness.http.get('/v1/blogs/00000000-0000-4000-8000-000000000000');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.headers.get('x-request-id')).toMatch(UUID);
  });
});
