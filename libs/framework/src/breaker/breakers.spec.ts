import { Metadata, status } from '@grpc/grpc-js';
import { Registry as MetricsRegistry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { user } from '@blog/proto';
import { type ClientOptions, createClient } from '../client/create-client';
import type { ServiceClient } from '../client/client';
import {
  type TestUserServer,
  grpcError,
  profile,
  recordingLogger,
  startUserServer,
} from '../client/testing/user-server';
import { StaticRegistry } from '../registry/static';
import { INTERNAL_MESSAGE } from '../errors/status';
import {
  BreakerOpenError,
  type BreakerOptions,
  countsAsFailure,
  isBreakerOpenError,
  serviceError,
} from './breaker';
import { Breakers } from './breakers';

type Users = ServiceClient<typeof user.UserServiceService>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('endpoint breaker (real gRPC server)', () => {
  let server: TestUserServer | undefined;
  let users: Users | undefined;
  afterEach(async () => {
    users?.close();
    await server?.stop();
  });

  /** A client of one server with a breaker that opens after 3 calls in the window, half of them failed. */
  function clientOf(
    s: TestUserServer,
    breaker: BreakerOptions = {},
    deadlineMs = 2000,
    more: Partial<ClientOptions<typeof user.UserServiceService>> = {},
  ) {
    const { logger, lines } = recordingLogger();
    const metrics = new MetricsRegistry();
    users = createClient(user.UserServiceService, {
      service: 'user',
      registry: new StaticRegistry({ USER_SERVICE_ADDR: s.address }),
      logger,
      metrics,
      deadlineMs,
      breaker: { volumeThreshold: 3, resetTimeoutMs: 60_000, ...breaker },
      ...more,
    });
    return { users, lines, metrics };
  }

  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => status.OK,
      (err: { code: status }) => err.code,
    );

  it('opens after failing calls, then fails fast with UNAVAILABLE without reaching the server', async () => {
    server = await startUserServer({
      getUser: async () => Promise.reject(grpcError(status.INTERNAL, 'db down')),
    });
    const { users, lines, metrics } = clientOf(server);

    for (let i = 0; i < 3; i++) expect(await codeOf(users.getUser({ userId: 'u1' }))).toBe(status.INTERNAL);
    expect(server.calls.getUser).toBe(3);

    const err = await users.getUser({ userId: 'u1' }).catch((e: unknown) => e);
    expect(isBreakerOpenError(err)).toBe(true);
    const open = err as BreakerOpenError;
    expect(open.code).toBe(status.UNAVAILABLE);
    expect(open.endpoint).toBe('user.GetUser');
    expect(open.retryAfterMs).toBeGreaterThan(0);
    expect(open.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(open.metadata).toBeInstanceOf(Metadata);
    expect(Number(open.metadata.get('retry-after')[0])).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++)
      expect(await codeOf(users.getUser({ userId: 'u1' }))).toBe(status.UNAVAILABLE);
    expect(server.calls.getUser).toBe(3);

    // The other endpoint has its own breaker and still reaches the server.
    expect(await codeOf(users.updateUser({ userId: 'u1' }))).toBe(status.UNIMPLEMENTED);
    expect(server.calls.updateUser).toBe(1);

    expect(lines.filter((l) => l.msg === 'circuit breaker opened').map((l) => l.endpoint)).toEqual([
      'user.GetUser',
    ]);
    const exported = await metrics.metrics();
    expect(exported).toMatch(/circuit\{name="user.GetUser",event="open"\} 1/);
    expect(exported).toMatch(/circuit\{name="user.GetUser",event="reject"\} 11/);
    expect(exported).toMatch(/circuit_state\{name="user.GetUser"\} 2/);
  });

  it('opens after slow calls: the deadline fires first and counts as a failure', async () => {
    server = await startUserServer({ getUser: () => sleep(1000).then(() => profile('late')) });
    const { users } = clientOf(server, {}, 50);

    for (let i = 0; i < 3; i++) {
      const err = (await users.getUser({ userId: 'u1' }).catch((e: unknown) => e)) as {
        code: status;
        details: string;
      };
      // DEADLINE_EXCEEDED from grpc-js, not opossum's own "Timed out after" backstop.
      expect(err.code).toBe(status.DEADLINE_EXCEEDED);
      expect(err.details).not.toMatch(/Timed out after/);
    }
    expect(server.calls.getUser).toBe(3);
    expect(await users.getUser({ userId: 'u1' }).catch((e: unknown) => e)).toBeInstanceOf(BreakerOpenError);
    expect(server.calls.getUser).toBe(3);
  });

  it('judges a call after its retries: one logical call is one outcome', async () => {
    server = await startUserServer({ getUser: async () => Promise.reject(grpcError(status.UNAVAILABLE)) });
    const { users } = clientOf(server, {}, 2000, {
      methods: { getUser: { idempotent: true } },
      retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 },
    });
    for (let i = 0; i < 3; i++) {
      const err = await users.getUser({ userId: 'u1' }).catch((e: unknown) => e);
      expect(isBreakerOpenError(err)).toBe(false);
      expect((err as { code: status }).code).toBe(status.UNAVAILABLE);
    }
    expect(server.calls.getUser).toBe(9);
    expect(await users.getUser({ userId: 'u1' }).catch((e: unknown) => e)).toBeInstanceOf(BreakerOpenError);
    expect(server.calls.getUser).toBe(9);
  });

  it.each([
    status.INVALID_ARGUMENT,
    status.NOT_FOUND,
    status.ALREADY_EXISTS,
    status.PERMISSION_DENIED,
    status.UNAUTHENTICATED,
    status.FAILED_PRECONDITION,
  ])('never opens on the business error %s', async (code) => {
    server = await startUserServer({ getUser: async () => Promise.reject(grpcError(code)) });
    const { users, metrics } = clientOf(server);
    for (let i = 0; i < 20; i++) expect(await codeOf(users.getUser({ userId: 'u1' }))).toBe(code);
    expect(server.calls.getUser).toBe(20);
    expect(await metrics.metrics()).toMatch(/circuit_state\{name="user.GetUser"\} 0/);
  });

  it('recovers through half-open to closed once the server is healthy again', async () => {
    let healthy = false;
    server = await startUserServer({
      getUser: async ({ userId }) =>
        healthy ? profile(userId) : Promise.reject(grpcError(status.UNAVAILABLE)),
    });
    const { users, lines } = clientOf(server, { resetTimeoutMs: 100 });
    for (let i = 0; i < 3; i++)
      expect(await codeOf(users.getUser({ userId: 'u1' }))).toBe(status.UNAVAILABLE);
    expect(lines.some((l) => l.msg === 'circuit breaker opened')).toBe(true);
    const reached = server.calls.getUser;

    healthy = true;
    // Poll: calls fail fast until the reset timeout lets exactly one probe through, which closes the breaker.
    await vi.waitFor(async () => expect((await users.getUser({ userId: 'u1' })).user?.userId).toBe('u1'), {
      timeout: 5000,
      interval: 20,
    });
    expect(server.calls.getUser).toBe(reached + 1);
    const transitions = lines.map((l) => l.msg).filter((m) => String(m).startsWith('circuit breaker'));
    expect(transitions).toEqual([
      'circuit breaker opened',
      'circuit breaker half-open: letting one probe through',
      'circuit breaker closed',
    ]);
    for (let i = 0; i < 5; i++) expect(await codeOf(users.getUser({ userId: 'u1' }))).toBe(status.OK);
    expect(server.calls.getUser).toBe(reached + 6);
  });

  it("stays closed through a callee's own INTERNAL answers and business errors: one client's bad input trips nothing", async () => {
    let n = 0;
    server = await startUserServer({
      // What a framework service answers for a bug met by one request's data.
      getUser: async () =>
        Promise.reject(grpcError(n++ % 5 ? status.INTERNAL : status.INVALID_ARGUMENT, INTERNAL_MESSAGE)),
    });
    const { users, metrics } = clientOf(server);
    for (let i = 0; i < 20; i++) expect(await codeOf(users.getUser({ userId: 'u1' }))).not.toBe(status.OK);
    expect(server.calls.getUser).toBe(20);
    const gauge = (await metrics.getSingleMetric('circuit_state')?.get())?.values ?? [];
    expect(gauge.find((sample) => sample.labels['name'] === 'user.GetUser')?.value).toBe(0);
  });

  it('reopens when the half-open probe fails', async () => {
    server = await startUserServer({ getUser: async () => Promise.reject(grpcError(status.INTERNAL)) });
    const { users, lines } = clientOf(server, { resetTimeoutMs: 50 });
    for (let i = 0; i < 3; i++) await codeOf(users.getUser({ userId: 'u1' }));
    await vi.waitFor(() => expect(lines.some((l) => String(l.msg).includes('half-open'))).toBe(true), {
      interval: 10,
    });
    expect(await codeOf(users.getUser({ userId: 'u1' }))).toBe(status.INTERNAL);
    expect(server.calls.getUser).toBe(4);
    const transitions = lines.map((l) => l.msg).filter((m) => String(m).startsWith('circuit breaker'));
    expect(transitions).toEqual([
      'circuit breaker opened',
      'circuit breaker half-open: letting one probe through',
      'circuit breaker opened',
    ]);
  });
});

describe('countsAsFailure', () => {
  it('counts unreachable, slow and transport-broken calls, not answers the callee chose', () => {
    expect(countsAsFailure(serviceError(status.UNAVAILABLE, 'connect ECONNREFUSED'))).toBe(true);
    expect(countsAsFailure(serviceError(status.DEADLINE_EXCEEDED, 'deadline'))).toBe(true);
    expect(countsAsFailure(new Error('Timed out after 1000 ms'))).toBe(true);
    expect(countsAsFailure(serviceError(status.INTERNAL, 'Received RST_STREAM with code 2'))).toBe(true);
    expect(countsAsFailure(serviceError(status.INTERNAL, INTERNAL_MESSAGE))).toBe(false);
    expect(countsAsFailure(serviceError(status.UNKNOWN, INTERNAL_MESSAGE))).toBe(false);
    for (const code of [
      status.INVALID_ARGUMENT,
      status.NOT_FOUND,
      status.PERMISSION_DENIED,
      status.FAILED_PRECONDITION,
    ]) {
      expect(countsAsFailure(serviceError(code, 'business'))).toBe(false);
    }
  });
});

describe('Breakers', () => {
  it('creates one breaker per endpoint, once', async () => {
    const breakers = new Breakers({ logger: recordingLogger().logger });
    const first = breakers.get('user.GetUser', 100);
    for (let i = 0; i < 5; i++) await breakers.fire('user.GetUser', 100, async () => i);
    expect(breakers.get('user.GetUser', 100)).toBe(first);
    expect(breakers.get('user.UpdateUser', 100)).not.toBe(first);
    breakers.shutdown();
  });

  it('shares one exporter per metrics registry between clients', async () => {
    const metrics = new MetricsRegistry();
    const a = new Breakers({ logger: recordingLogger().logger, metrics });
    const b = new Breakers({ logger: recordingLogger().logger, metrics });
    await a.fire('user.GetUser', 100, async () => 1);
    await b.fire('auth.Login', 100, async () => 2);
    const exported = await metrics.metrics();
    expect(exported).toMatch(/circuit\{name="user.GetUser",event="success"\} 1/);
    expect(exported).toMatch(/circuit\{name="auth.Login",event="success"\} 1/);
    a.shutdown();
    b.shutdown();
  });
});
