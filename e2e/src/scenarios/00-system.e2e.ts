// The system is up: the gateway is ready (every service answers its health check), and the basics of the
// contract hold (JSON errors, request ids), before any saga runs.
import { expect, it } from 'vitest';
import { scenario, suite } from '../support/suite';

const { ctx, api } = suite();

scenario('the system under test', [], () => {
  it('is ready: GET /readyz is 200 with every service SERVING', () => {
    expect(
      ctx.readiness.status,
      `/readyz after ${ctx.readiness.waitedMs} ms: ${JSON.stringify(ctx.readiness.body)}`,
    ).toBe(200);
    expect(ctx.readiness.body).toMatchObject({
      status: 'ok',
      services: {
        auth: 'SERVING',
        user: 'SERVING',
        blog: 'SERVING',
        post: 'SERVING',
        visitor: 'SERVING',
        subscribe: 'SERVING',
      },
    });
  });

  it('answers an unknown route with a JSON 404 and echoes X-Request-Id', async () => {
    const response = await api.get('/v1/no-such-route', { headers: { 'x-request-id': 'e2e-request-1' } });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    expect(response.headers.get('x-request-id')).toBe('e2e-request-1');
  });
});
