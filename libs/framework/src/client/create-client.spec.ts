import { user } from '@blog/proto';
import { Metadata, status } from '@grpc/grpc-js';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { ROOT_CONTEXT, TraceFlags, context, propagation, trace } from '@opentelemetry/api';
import { Registry as MetricsRegistry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DnsRegistry } from '../registry/dns';
import type { Registry } from '../registry/registry';
import { StaticRegistry } from '../registry/static';
import { newRequestContext, runInRequest } from '../telemetry/request-context';
import type { ServiceClient } from './client';
import { type ClientOptions, createClient } from './create-client';
import {
  type TestUserServer,
  grpcError,
  profile,
  recordingLogger,
  startUserServer,
} from './testing/user-server';

type UserService = typeof user.UserServiceService;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => status.OK,
    (err: { code: status }) => err.code,
  );

describe('createClient (real gRPC servers on 127.0.0.1)', () => {
  const servers: TestUserServer[] = [];
  const clients: Array<{ close(): void }> = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  async function serve(...handlers: Parameters<typeof startUserServer>[0][]) {
    const started = await Promise.all(handlers.map((h) => startUserServer(h)));
    servers.push(...started);
    return started;
  }
  async function deadAddress() {
    const [dead] = await serve({});
    await dead.stop();
    return dead.address;
  }
  const staticRegistry = (...addresses: string[]) =>
    new StaticRegistry({ USER_SERVICE_ADDR: addresses.join(',') });

  function client(
    registry: Registry,
    options: Partial<ClientOptions<UserService>> = {},
  ): ServiceClient<UserService> {
    const made = createClient(user.UserServiceService, {
      service: 'user',
      registry,
      logger: recordingLogger().logger,
      retry: { initialDelayMs: 1, maxDelayMs: 5 },
      methods: { getUser: { idempotent: true } },
      ...options,
    });
    clients.push(made);
    return made;
  }

  const getUser = async ({ userId }: user.GetUserRequest) => profile(userId);

  it('gives typed promise-based methods, from the definition or the generated client constructor', async () => {
    const [s] = await serve({ getUser });
    const fromDefinition = client(staticRegistry(s.address));
    const response: user.GetUserResponse = await fromDefinition.getUser({ userId: 'u1' });
    expect(response.user?.nickname).toBe('nick-u1');

    const fromConstructor = createClient(user.UserServiceClient, {
      service: 'user',
      registry: staticRegistry(s.address),
      logger: recordingLogger().logger,
    });
    clients.push(fromConstructor);
    expect((await fromConstructor.getUser({ userId: 'u2' })).user?.userId).toBe('u2');
    // @ts-expect-error requests are typed from the generated messages
    await expect(fromConstructor.getUser({ id: 'u3' })).resolves.toBeDefined();
  });

  it('fails calls after close without reaching the server', async () => {
    const [s] = await serve({ getUser });
    const users = client(staticRegistry(s.address));
    await users.getUser({ userId: 'u1' });
    users.close();
    expect(await codeOf(users.getUser({ userId: 'u2' }))).toBe(status.UNAVAILABLE);
    expect(s.calls.getUser).toBe(1);
  });

  describe('deadline', () => {
    const slow = async () => sleep(2000).then(() => profile('late'));

    it('maps a slow answer to DEADLINE_EXCEEDED (per-method deadline)', async () => {
      const [s] = await serve({ getUser: slow });
      const users = client(staticRegistry(s.address), { methods: { getUser: { deadlineMs: 50 } } });
      expect(await codeOf(users.getUser({ userId: 'u1' }))).toBe(status.DEADLINE_EXCEEDED);
    });

    it('lets a caller shorten, never lengthen, the deadline', async () => {
      const [s] = await serve({ getUser: slow });
      const users = client(staticRegistry(s.address), { deadlineMs: 60_000 });
      expect(await codeOf(users.getUser({ userId: 'u1' }, { deadline: Date.now() + 50 }))).toBe(
        status.DEADLINE_EXCEEDED,
      );
      const before = s.calls.getUser;
      expect(await codeOf(users.getUser({ userId: 'u1' }, { deadline: new Date(Date.now() - 1) }))).toBe(
        status.DEADLINE_EXCEEDED,
      );
      expect(s.calls.getUser).toBe(before);
      const short = client(staticRegistry(s.address), { deadlineMs: 50 });
      expect(await codeOf(short.getUser({ userId: 'u1' }, { deadline: Date.now() + 60_000 }))).toBe(
        status.DEADLINE_EXCEEDED,
      );
    });
  });

  describe('reconfigure (dynamic config)', () => {
    it('changes a method deadline for the calls that follow', async () => {
      const [s] = await serve({ getUser: async () => sleep(300).then(() => profile('late')) });
      const users = client(staticRegistry(s.address), { methods: { getUser: { deadlineMs: 100 } } });
      expect(await codeOf(users.getUser({ userId: 'u1' }))).toBe(status.DEADLINE_EXCEEDED);
      users.reconfigure({ methods: { getUser: { deadlineMs: 5_000 } } });
      expect(await codeOf(users.getUser({ userId: 'u1' }))).toBe(status.OK);
      users.reconfigure({ methods: { getUser: { deadlineMs: 100 } } });
      expect(await codeOf(users.getUser({ userId: 'u1' }))).toBe(status.DEADLINE_EXCEEDED);
    });

    it("changes the breakers' thresholds without forgetting their counts", async () => {
      const [s] = await serve({
        updateUser: async () => Promise.reject(grpcError(status.UNAVAILABLE, 'down')),
      });
      const users = client(staticRegistry(s.address), {
        breaker: { volumeThreshold: 100, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 },
      });
      for (let i = 0; i < 3; i++)
        expect(await codeOf(users.updateUser({ userId: 'u1' }))).toBe(status.UNAVAILABLE);
      expect(s.calls.updateUser).toBe(3);
      // Three failures are under the volume threshold of 100: the breaker is still closed. With 3 it opens at the
      // next failure, counted together with the three before.
      users.reconfigure({ breaker: { volumeThreshold: 3 } });
      expect(await codeOf(users.updateUser({ userId: 'u1' }))).toBe(status.UNAVAILABLE);
      expect(s.calls.updateUser).toBe(4);
      expect(await codeOf(users.updateUser({ userId: 'u1' }))).toBe(status.UNAVAILABLE);
      expect(s.calls.updateUser, 'an open breaker answers without calling').toBe(4);
    });

    it('refuses a method the service does not have', () => {
      const users = client(staticRegistry('127.0.0.1:1'));
      expect(() => users.reconfigure({ methods: { nope: {} } as never })).toThrow(/no method nope/);
    });
  });

  describe('retry', () => {
    /** A handler failing with `code` for the first `failures` calls. */
    const failingFirst = (failures: number, code: status) => {
      let seen = 0;
      return async ({ userId }: { userId: string }) => {
        if (seen++ < failures) throw grpcError(code);
        return profile(userId);
      };
    };

    it("runs the caller's wrappers outermost: they see one logical call, its metadata sent, its outcome after retries", async () => {
      const [s] = await serve({ getUser: failingFirst(2, status.UNAVAILABLE) });
      const seen: string[] = [];
      const users = client(staticRegistry(s.address), {
        wrappers: [
          (next) => async (request, ctx) => {
            seen.push(`outer ${ctx.endpoint} attempt ${ctx.attempt}`);
            ctx.metadata.set('x-tenant', 'blue');
            return next(request, ctx);
          },
          (next) => async (request, ctx) => {
            const response = await next(request, ctx);
            seen.push('inner ok');
            return response;
          },
        ],
      });
      expect((await users.getUser({ userId: 'u1' })).user?.userId).toBe('u1');
      expect(s.calls.getUser).toBe(3);
      expect(seen).toEqual(['outer user.GetUser attempt 1', 'inner ok']);
      expect(s.lastMetadata?.get('x-tenant')).toEqual(['blue']);
    });

    it('retries an idempotent method on UNAVAILABLE', async () => {
      const [s] = await serve({ getUser: failingFirst(2, status.UNAVAILABLE) });
      const users = client(staticRegistry(s.address));
      expect((await users.getUser({ userId: 'u1' })).user?.userId).toBe('u1');
      expect(s.calls.getUser).toBe(3);
    });

    it('stops at maxAttempts', async () => {
      const [s] = await serve({ getUser: failingFirst(100, status.UNAVAILABLE) });
      const users = client(staticRegistry(s.address), {
        retry: { maxAttempts: 4, initialDelayMs: 1, maxDelayMs: 2 },
      });
      expect(await codeOf(users.getUser({ userId: 'u1' }))).toBe(status.UNAVAILABLE);
      expect(s.calls.getUser).toBe(4);
    });

    it('never retries a method not marked idempotent', async () => {
      const [s] = await serve({ updateUser: failingFirst(1, status.UNAVAILABLE) });
      const users = client(staticRegistry(s.address));
      expect(await codeOf(users.updateUser({ userId: 'u1' }))).toBe(status.UNAVAILABLE);
      expect(s.calls.updateUser).toBe(1);
    });

    it.each([status.INTERNAL, status.NOT_FOUND, status.DEADLINE_EXCEEDED, status.UNKNOWN])(
      'never retries an idempotent method on code %s',
      async (code) => {
        const [s] = await serve({ getUser: failingFirst(1, code) });
        const users = client(staticRegistry(s.address));
        expect(await codeOf(users.getUser({ userId: 'u1' }))).toBe(code);
        expect(s.calls.getUser).toBe(1);
      },
    );

    it('moves an idempotent call off a stopped node, but not a non-idempotent one', async () => {
      const [live] = await serve({ getUser, updateUser: getUser });
      const dead = await deadAddress();

      // Round-robin: first call to `live`, second to the stopped node, retried on `live`.
      const users = client(staticRegistry(live.address, dead));
      expect((await users.getUser({ userId: 'a' })).user?.userId).toBe('a');
      expect((await users.getUser({ userId: 'b' })).user?.userId).toBe('b');
      expect(live.calls.getUser).toBe(2);

      const writes = client(staticRegistry(live.address, dead));
      expect(await codeOf(writes.updateUser({ userId: 'a' }))).toBe(status.OK);
      expect(await codeOf(writes.updateUser({ userId: 'b' }))).toBe(status.UNAVAILABLE);
      expect(live.calls.updateUser).toBe(1);
    });
  });

  describe('selector', () => {
    it('spreads calls evenly over three live servers and skips a stopped one', async () => {
      const [a, b, c] = await serve(
        { getUser, updateUser: getUser },
        { getUser, updateUser: getUser },
        { getUser },
      );
      const users = client(staticRegistry(a.address, b.address, c.address), { nodeCooldownMs: 60_000 });
      for (let i = 0; i < 30; i++) await users.getUser({ userId: `u${i}` });
      expect([a.calls.getUser, b.calls.getUser, c.calls.getUser]).toEqual([10, 10, 10]);

      await c.stop();
      for (let i = 0; i < 30; i++)
        expect((await users.getUser({ userId: `v${i}` })).user?.userId).toBe(`v${i}`);
      expect(c.calls.getUser).toBe(10);
      expect(a.calls.getUser + b.calls.getUser).toBe(50);
      expect(Math.abs(a.calls.getUser - b.calls.getUser)).toBeLessThanOrEqual(1);
      // Skipped, not merely retried around: calls that are never retried do not meet the stopped node either.
      for (let i = 0; i < 30; i++)
        expect(await codeOf(users.updateUser({ userId: `w${i}` }))).toBe(status.OK);
      expect(a.calls.updateUser + b.calls.updateUser).toBe(30);
    });

    it('skips a node whose grpc.health.v1 check is not SERVING, and returns to it once it is', async () => {
      const [a, b] = await serve({ getUser }, { getUser });
      const users = client(staticRegistry(a.address, b.address), { healthCheck: { intervalMs: 10 } });
      b.health.setStatus('', 'NOT_SERVING');
      // Poll until a whole round of calls avoids b, then check a longer run does too.
      await vi.waitFor(
        async () => {
          const before = b.calls.getUser;
          for (let i = 0; i < 4; i++) await users.getUser({ userId: 'x' });
          expect(b.calls.getUser).toBe(before);
        },
        { timeout: 5000, interval: 20 },
      );
      const before = b.calls.getUser;
      for (let i = 0; i < 20; i++) await users.getUser({ userId: 'y' });
      expect(b.calls.getUser).toBe(before);

      b.health.setStatus('', 'SERVING');
      await vi.waitFor(
        async () => {
          await users.getUser({ userId: 'z' });
          expect(b.calls.getUser).toBeGreaterThan(before);
        },
        { timeout: 5000, interval: 20 },
      );
    });

    it('follows the dns registry when the answer changes', async () => {
      // Two servers on the same port of two loopback addresses, as two pods behind one headless Service.
      const { first, second } = await twoLoopbackServers();
      let answer = ['127.0.0.2'];
      const registry = new DnsRegistry({
        env: { USER_SERVICE_ADDR: `user.test:${first.port}` },
        resolve4: async () => answer,
        intervalMs: 10,
      });
      const users = client(registry);
      clients.push(registry);
      await users.getUser({ userId: 'u1' });
      expect([first.calls.getUser, second.calls.getUser]).toEqual([1, 0]);

      answer = ['127.0.0.3'];
      await vi.waitFor(
        async () => {
          await users.getUser({ userId: 'u2' });
          expect(second.calls.getUser).toBeGreaterThan(0);
        },
        { timeout: 5000, interval: 20 },
      );
      const atSwitch = first.calls.getUser;
      for (let i = 0; i < 5; i++) await users.getUser({ userId: 'u3' });
      expect(first.calls.getUser).toBe(atSwitch);
    });

    it('reports a registry problem as UNAVAILABLE naming the variable', async () => {
      const users = client(new StaticRegistry({}));
      const err = (await users.getUser({ userId: 'u1' }).catch((e: unknown) => e)) as {
        code: status;
        details: string;
      };
      expect(err.code).toBe(status.UNAVAILABLE);
      expect(err.details).toMatch(/USER_SERVICE_ADDR is not set/);
    });
  });

  describe('tracing and metrics', () => {
    beforeAll(() => {
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    });
    afterAll(() => {
      propagation.disable();
      context.disable();
    });

    it('injects the W3C traceparent of the active trace and passes x-request-id along', async () => {
      const [s] = await serve({ getUser });
      const users = client(staticRegistry(s.address));
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const parent = trace.setSpanContext(ROOT_CONTEXT, {
        traceId,
        spanId: '00f067aa0ba902b7',
        traceFlags: TraceFlags.SAMPLED,
      });
      await context.with(parent, () => users.getUser({ userId: 'u1' }, { requestId: 'req-42' }));
      const metadata = s.lastMetadata as Metadata;
      expect(String(metadata.get('traceparent')[0])).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      expect(metadata.get('x-request-id')).toEqual(['req-42']);
    });

    it("passes an incoming call's request id and remaining deadline on to downstream calls", async () => {
      const [fast, slow] = await serve(
        { getUser },
        { getUser: async () => sleep(2000).then(() => profile('late')) },
      );
      const incoming = (deadline: number) => {
        const metadata = new Metadata();
        metadata.set('x-request-id', 'incoming-7');
        const logger = recordingLogger().logger;
        return newRequestContext({
          method: '/blog.blog.v1.BlogService/GetBlog',
          metadata,
          deadline,
          logger,
          traceContext: ROOT_CONTEXT,
        });
      };
      await runInRequest(incoming(Date.now() + 60_000), () =>
        client(staticRegistry(fast.address)).getUser({ userId: 'u1' }),
      );
      expect(fast.lastMetadata?.get('x-request-id')).toEqual(['incoming-7']);

      const users = client(staticRegistry(slow.address), { deadlineMs: 60_000 });
      const nearlyDue = incoming(Date.now() + 50);
      expect(await codeOf(runInRequest(nearlyDue, () => users.getUser({ userId: 'u1' })))).toBe(
        status.DEADLINE_EXCEEDED,
      );
    });

    it('counts calls, errors by code and durations per service and method', async () => {
      const [s] = await serve({
        getUser,
        updateUser: async () => Promise.reject(grpcError(status.NOT_FOUND)),
      });
      const metrics = new MetricsRegistry();
      const users = client(staticRegistry(s.address), { metrics });
      await users.getUser({ userId: 'u1' });
      await users.getUser({ userId: 'u2' });
      await codeOf(users.updateUser({ userId: 'u1' }));
      const exported = await metrics.metrics();
      expect(exported).toMatch(/grpc_client_calls_total\{service="user",method="GetUser"\} 2/);
      expect(exported).toMatch(/grpc_client_calls_total\{service="user",method="UpdateUser"\} 1/);
      expect(exported).toMatch(
        /grpc_client_errors_total\{service="user",method="UpdateUser",code="NOT_FOUND"\} 1/,
      );
      expect(exported).not.toMatch(/grpc_client_errors_total\{service="user",method="GetUser"/);
      expect(exported).toMatch(
        /grpc_client_duration_seconds_count\{service="user",method="GetUser",code="OK"\} 2/,
      );
    });
  });

  /** Binds 127.0.0.2:P and 127.0.0.3:P (same P), retrying if P happens to be taken on the second address. */
  async function twoLoopbackServers(): Promise<{ first: TestUserServer; second: TestUserServer }> {
    for (let tries = 0; ; tries++) {
      const first = await startUserServer({ getUser }, '127.0.0.2');
      servers.push(first);
      try {
        const second = await startUserServer({ getUser }, '127.0.0.3', first.port);
        servers.push(second);
        return { first, second };
      } catch (err) {
        if (tries >= 3) throw err;
      }
    }
  }
});
