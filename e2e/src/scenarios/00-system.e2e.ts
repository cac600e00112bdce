// The system is up: the gateway is ready (every service answers its health check), and the basics of the
// contract hold (JSON errors, request ids), before any saga runs.
import { connect } from 'node:net';
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

/** reachable tells whether a TCP connection to host:port is accepted. */
function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

scenario('local mode: every app listens on the loopback interface only', ['local'], () => {
  // A socket bound to 0.0.0.0 also answers on 127.0.0.2 (and on the machine's network addresses); one bound to
  // 127.0.0.1 answers there only. 127.0.0.2 stands in for "from elsewhere" without needing a second interface.
  it('answers on 127.0.0.1 and refuses 127.0.0.2 on every gRPC, admin and REST port', async () => {
    const ports = Object.entries(ctx.appPorts ?? {}).flatMap(([app, list]) =>
      list.map((port) => ({ app, port })),
    );
    // gRPC and admin of the six services, admin and REST of the gateway.
    expect(ports.length, 'the ports of the seven apps').toBe(14);
    const seen = await Promise.all(
      ports.map(async ({ app, port }) => ({
        where: `${app}:${port}`,
        loopback: await reachable('127.0.0.1', port),
        elsewhere: await reachable('127.0.0.2', port),
      })),
    );
    expect(
      seen.filter((s) => !s.loopback).map((s) => s.where),
      'not answering on 127.0.0.1',
    ).toEqual([]);
    expect(
      seen.filter((s) => s.elsewhere).map((s) => s.where),
      'answering beyond 127.0.0.1',
    ).toEqual([]);
  });
});
