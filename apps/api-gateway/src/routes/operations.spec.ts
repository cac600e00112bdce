// Operations: health, readiness (downstream gRPC health and token keys), metrics, OpenAPI and /docs.
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { eventually } from '../testing/http';

/** CONTRACT_ROUTES is every route of ../../../shared/contract/rest-api.md, as OpenAPI paths. */
const CONTRACT_ROUTES = [
  'post /v1/accounts',
  'get /v1/accounts/{accountId}',
  'post /v1/auth/login',
  'post /v1/auth/refresh',
  'post /v1/auth/logout',
  'delete /v1/accounts/me',
  'get /v1/users/{userId}',
  'get /v1/users/me',
  'patch /v1/users/me',
  'get /v1/blogs/{blogId}',
  'get /v1/blogs/by-slug/{slug}',
  'get /v1/users/{userId}/blog',
  'patch /v1/blogs/{blogId}',
  'post /v1/blogs/{blogId}/posts',
  'get /v1/posts/{postId}',
  'get /v1/blogs/{blogId}/posts',
  'patch /v1/posts/{postId}',
  'delete /v1/posts/{postId}',
  'get /v1/posts/{postId}/stats',
  'get /v1/blogs/{blogId}/stats',
  'put /v1/blogs/{blogId}/subscription',
  'get /v1/blogs/{blogId}/subscription',
  'delete /v1/blogs/{blogId}/subscription',
  'get /v1/users/me/subscriptions',
  'get /v1/users/me/feed',
  'get /healthz',
  'get /readyz',
  'get /metrics',
];

describe('operations', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it('GET /healthz answers 200 {status: "ok"}', async () => {
    const health = await harness.http.get('/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz is 200 with every service SERVING, 503 with the same shape when one is down or not serving', async () => {
    const ready = await harness.http.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ok',
      services: {
        auth: 'SERVING',
        user: 'SERVING',
        blog: 'SERVING',
        post: 'SERVING',
        visitor: 'SERVING',
        subscribe: 'SERVING',
      },
      keys: 'LOADED',
    });
    harness.backend.setServing('blog', false);
    const notServing = await harness.http.get('/readyz');
    expect(notServing.status).toBe(503);
    expect(notServing.body).toMatchObject({
      status: 'unavailable',
      services: { blog: 'NOT_SERVING', user: 'SERVING' },
    });
    harness.backend.setServing('blog', true);
    await harness.backend.stopService('visitor');
    try {
      const down = await harness.http.get('/readyz');
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({
        status: 'unavailable',
        services: { visitor: 'UNREACHABLE', user: 'SERVING' },
      });
    } finally {
      await harness.backend.startService('visitor');
    }
    await eventually(async () => expect((await harness.http.get('/readyz')).status).toBe(200));
  });

  it('GET /metrics has per-route RED metrics and breaker states in Prometheus text', async () => {
    const owner = await harness.fixtures.user();
    await harness.http.get(`/v1/users/${owner.accountId}`);
    await harness.http.get('/v1/users/00000000-0000-4000-8000-000000000009');
    const metrics = await harness.http.get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(metrics.text).toMatch(
      /http_requests_total\{route="\/v1\/users\/:userId",method="GET",status_code="200"\} \d+/,
    );
    expect(metrics.text).toMatch(
      /http_requests_total\{route="\/v1\/users\/:userId",method="GET",status_code="404"\} 1/,
    );
    expect(metrics.text).toContain(
      'http_request_duration_seconds_bucket{le="0.005",route="/v1/users/:userId"',
    );
    expect(metrics.text).toMatch(/circuit_state\{name="user.GetUser"\} 0/);
    expect(metrics.text).toContain('grpc_client_calls_total{service="user",method="GetUser"}');
  });

  it('GET /openapi.json is an OpenAPI 3 document of every contract route', async () => {
    const doc = await harness.http.get('/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    const listed = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`),
    );
    for (const route of CONTRACT_ROUTES) expect(listed, route).toContain(route);
    const signUp = doc.body.paths['/v1/accounts'].post;
    expect(signUp.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    expect(Object.keys(signUp.responses)).toEqual(
      expect.arrayContaining(['202', '400', '409', '413', '415', '429', '500', '503']),
    );
    expect(signUp.responses['409'].content['application/json'].schema.required).toEqual(['error']);
    // A 204 has no body, so it declares none; a defaulted query parameter is optional.
    expect(doc.body.paths['/v1/auth/logout'].post.responses['204'].content).toBeUndefined();
    const feedLimit = doc.body.paths['/v1/users/me/feed'].get.parameters.find(
      (parameter: { name: string }) => parameter.name === 'limit',
    );
    expect(feedLimit).toMatchObject({ required: false, schema: { default: 20 } });
    expect(doc.body.paths['/v1/users/me'].get.security).toEqual([{ bearerAuth: [] }]);
  });

  it('GET /docs serves the browsable page', async () => {
    const docs = await harness.http.get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
    expect(docs.text).toMatch(/swagger/i);
  });
});

describe('readiness with a service that accepts connections and never answers', () => {
  it('reports it UNREACHABLE once the check deadline passes: the deadline, not the service, ends the check', async () => {
    // A TCP dead end: connections are accepted, nothing is ever sent back (no HTTP/2 settings, no gRPC status).
    const accepted = new Set<Socket>();
    const deadEnd = createServer((socket) => accepted.add(socket));
    await new Promise<void>((resolve) => deadEnd.listen(0, '127.0.0.1', resolve));
    const address = deadEnd.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const harness = await startHarness({
      addresses: { VISITOR_SERVICE_ADDR: `127.0.0.1:${port}` },
      settings: { readinessTimeoutMs: 300 },
    });
    try {
      const notReady = await harness.http.get('/readyz');
      expect(notReady.status).toBe(503);
      expect(notReady.body).toMatchObject({
        status: 'unavailable',
        services: { visitor: 'UNREACHABLE' },
        keys: 'LOADED',
      });
      // The check did reach the dead end (a hang, not a refused connection): only its deadline could end it.
      await vi.waitFor(() => expect(accepted.size).toBeGreaterThanOrEqual(1));
    } finally {
      await harness.close();
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => deadEnd.close(resolve));
    }
  });
});

describe('start while auth is down', () => {
  it('serves, reports not ready (keys MISSING) until auth answers, then becomes ready', async () => {
    const harness = await startHarness({
      waitForKeys: false,
      beforeGateway: (backend) => backend.stopService('auth'),
    });
    try {
      const health = await harness.http.get('/healthz');
      expect(health.status).toBe(200);
      const notReady = await harness.http.get('/readyz');
      expect(notReady.status).toBe(503);
      expect(notReady.body).toMatchObject({
        status: 'unavailable',
        keys: 'MISSING',
        services: { auth: 'UNREACHABLE' },
      });
      const anonymous = await harness.http.get('/v1/blogs/00000000-0000-4000-8000-000000000000');
      expect(anonymous.status).toBe(404);
      const token = await harness.world.accessToken('00000000-0000-4000-8000-000000000000');
      const authenticated = await harness.http.get('/v1/users/me', { token });
      expect(authenticated.status).toBe(503);
      expect(authenticated.headers.get('retry-after')).toMatch(/^\d+$/);
      await harness.backend.startService('auth');
      await eventually(async () => {
        const ready = await harness.http.get('/readyz');
        expect(ready.status).toBe(200);
        expect(ready.body.keys).toBe('LOADED');
      });
    } finally {
      await harness.close();
    }
  });
});
