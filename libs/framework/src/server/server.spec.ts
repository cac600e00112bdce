import {
  credentials,
  Metadata,
  status,
  type Server,
  type ServerUnaryCall,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { user } from '@blog/proto';
import { context, trace } from '@opentelemetry/api';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AlreadyExistsError,
  DeadlineExceededError,
  DomainError,
  INTERNAL_MESSAGE,
  InvalidArgumentError,
  NotFoundError,
  readErrorDetails,
  STATUS_DETAILS_KEY,
} from '../errors';
import { createLogger, currentRequest, propagateRequest, REQUEST_ID_KEY } from '../telemetry';
import { addService, bindServer, createGrpcServer, unimplemented, validate, type Handlers } from './index';
import { address, call, deferred, failure, LogSink } from './testing/clients';

type UserHandlers = Handlers<typeof user.UserServiceService>;
const { UserServiceService, UserServiceClient } = user;

const SQL_ERROR =
  'duplicate key value violates unique constraint "users_nickname_key": INSERT INTO users.users (id, nickname) VALUES ($1, $2)';

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

interface Started {
  readonly server: Server;
  readonly client: InstanceType<typeof UserServiceClient>;
  readonly sink: LogSink;
  readonly metrics: Registry;
}

async function start(
  overrides: Partial<UserHandlers>,
  options: { maxDeadlineMs?: number } = {},
): Promise<Started> {
  const sink = new LogSink();
  const logger = createLogger({ service: 'test', version: '0.0.0', level: 'debug', destination: sink });
  const metrics = new Registry();
  const server = createGrpcServer({ logger, metrics, maxDeadlineMs: options.maxDeadlineMs ?? 30_000 });
  addService(
    server,
    {
      definition: UserServiceService,
      implementation: { ...unimplemented(UserServiceService), ...overrides },
    },
    logger,
  );
  const port = await bindServer(server, '127.0.0.1', 0);
  const client = new UserServiceClient(address(port), credentials.createInsecure());
  stops.push(() => {
    client.close();
    server.forceShutdown();
  });
  return { server, client, sink, metrics };
}

const getUser = (s: Started, request: user.GetUserRequest, options?: Parameters<typeof call>[3]) =>
  call(s.client, s.client.getUser, request, options);
const updateUser = (s: Started, request: user.UpdateUserRequest) =>
  call(s.client, s.client.updateUser, request);

describe('handlers', () => {
  it('answers a handler result', async () => {
    const s = await start({
      getUser: (req) => ({ user: { userId: req.userId, nickname: 'ada', bio: '', createdAt: undefined } }),
    });
    const { response, error } = await getUser(s, { userId: 'u1' });
    expect(error).toBeUndefined();
    expect(response?.user?.nickname).toBe('ada');
  });

  it('answers UNIMPLEMENTED for RPCs not built yet, never data', async () => {
    const s = await start({});
    const { error, response } = await getUser(s, { userId: 'u1' });
    expect(response).toBeUndefined();
    expect(error?.code).toBe(status.UNIMPLEMENTED);
    expect(error?.details).toBe('GetUser is not implemented yet');
  });
});

describe('error mapping', () => {
  it('never leaks an unexpected error: INTERNAL with a generic message, the real one logged with the request id', async () => {
    const s = await start({
      getUser: async () => {
        throw new Error(SQL_ERROR);
      },
    });
    const metadata = new Metadata();
    metadata.set(REQUEST_ID_KEY, 'req-sql-1');
    const { error, trailers } = await getUser(s, { userId: 'u1' }, { metadata });
    expect(error?.code).toBe(status.INTERNAL);
    expect(error?.details).toBe(INTERNAL_MESSAGE);
    expect(JSON.stringify(error)).not.toMatch(/INSERT|users_nickname_key|at .*\.ts/);
    expect(trailers?.get(STATUS_DETAILS_KEY)).toEqual([]);
    expect(trailers?.get(REQUEST_ID_KEY)).toEqual(['req-sql-1']);
    const logged = s.sink.lines.find((line) => JSON.stringify(line).includes('users_nickname_key'));
    expect(logged).toMatchObject({
      requestId: 'req-sql-1',
      level: 'error',
      method: '/blog.user.v1.UserService/GetUser',
    });
  });

  it('also hides what a raw grpc-js handler sends (callback error or synchronous throw)', async () => {
    const sink = new LogSink();
    const logger = createLogger({ service: 'test', version: '0.0.0', destination: sink });
    const server = createGrpcServer({ logger, metrics: new Registry(), maxDeadlineMs: 0 });
    server.addService(UserServiceService, {
      getUser: (_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) =>
        callback(new Error(SQL_ERROR)),
      updateUser: () => {
        throw new Error(SQL_ERROR);
      },
    });
    const port = await bindServer(server, '127.0.0.1', 0);
    const client = new UserServiceClient(address(port), credentials.createInsecure());
    stops.push(() => {
      client.close();
      server.forceShutdown();
    });
    for (const outcome of [
      await call(client, client.getUser, { userId: 'u1' }),
      await call(client, client.updateUser, { userId: 'u1' }),
    ]) {
      expect(outcome.error?.code).toBe(status.INTERNAL);
      expect(outcome.error?.details).toBe(INTERNAL_MESSAGE);
    }
    expect(sink.find('unsafe status hidden').map((line) => line['details'])).toContain(SQL_ERROR);
  });

  it('maps domain errors to their codes with their own messages', async () => {
    const s = await start({
      getUser: () => {
        throw new NotFoundError('user not found');
      },
      updateUser: () => {
        throw new AlreadyExistsError('nickname is taken', { reason: 'NICKNAME_TAKEN' });
      },
    });
    const notFound = await getUser(s, { userId: 'u1' });
    expect(notFound.error?.code).toBe(status.NOT_FOUND);
    expect(notFound.error?.details).toBe('user not found');
    const taken = await updateUser(s, { userId: 'u1', nickname: 'ada' });
    expect(readErrorDetails(failure(taken))).toEqual({
      code: status.ALREADY_EXISTS,
      codeName: 'ALREADY_EXISTS',
      message: 'nickname is taken',
      violations: [],
      reason: 'NICKNAME_TAKEN',
    });
  });

  it('sends field violations that the client reads back (validate() with a zod schema)', async () => {
    const schema = z.object({
      userId: z.uuid(),
      nickname: z
        .string()
        .regex(/^[A-Za-z0-9_]{3,30}$/, 'must be 3 to 30 letters, digits or _')
        .optional(),
      bio: z.string().max(5, 'must be at most 5 characters').optional(),
    });
    const s = await start({
      updateUser: (request) => {
        validate(schema, request);
        throw new Error('unreachable');
      },
    });
    const error = failure(await updateUser(s, { userId: 'nope', nickname: 'a!', bio: 'far too long' }));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    const details = readErrorDetails(error);
    expect(details.codeName).toBe('INVALID_ARGUMENT');
    expect(details.message).toBe('invalid request');
    expect(details.violations.map((v) => v.field)).toEqual(['userId', 'nickname', 'bio']);
    expect(details.violations[1]).toEqual({
      field: 'nickname',
      message: 'must be 3 to 30 letters, digits or _',
    });
  });

  it('reads violations from an InvalidArgumentError thrown by hand', async () => {
    const s = await start({
      getUser: () => {
        throw new InvalidArgumentError('bad tags', {
          violations: [{ field: 'tags[2]', message: 'too long' }],
        });
      },
    });
    const error = failure(await getUser(s, { userId: 'u1' }));
    expect(readErrorDetails(error).violations).toEqual([{ field: 'tags[2]', message: 'too long' }]);
  });
});

describe('requests no handler can serve, and database failures', () => {
  it('refuses a NUL in any request string with INVALID_ARGUMENT naming the field, before the handler runs', async () => {
    let handled = 0;
    const s = await start({
      updateUser: () => {
        handled += 1;
        return { user: undefined };
      },
    });
    const error = failure(await updateUser(s, { userId: 'u1', nickname: 'ok', bio: 'a\u0000b' }));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(readErrorDetails(error).violations).toEqual([
      { field: 'bio', message: 'must not contain the NUL character (U+0000)' },
    ]);
    expect(handled).toBe(0);
  });

  it('answers a data exception (SQLSTATE class 22) with INVALID_ARGUMENT, never INTERNAL', async () => {
    const s = await start({
      getUser: () => {
        throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
          code: '22021',
          severity: 'ERROR',
        });
      },
    });
    const error = failure(await getUser(s, { userId: 'u1' }));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toBe('a value in the request cannot be stored');
    expect(s.sink.find('database refused the call; the caller gets a safe status')).toHaveLength(1);
  });

  it('answers a lost or unreachable database with UNAVAILABLE, keeping INTERNAL for bugs', async () => {
    const thrown: unknown[] = [
      Object.assign(new Error('terminating connection due to administrator command'), {
        code: '57P01',
        severity: 'FATAL',
      }),
      Object.assign(new Error('sorry, too many clients already'), { code: '53300', severity: 'FATAL' }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
    ];
    let next = 0;
    const s = await start({
      getUser: () => {
        throw thrown[next++];
      },
    });
    for (const cause of thrown) {
      const error = failure(await getUser(s, { userId: 'u1' }));
      expect(error.code, String(cause)).toBe(status.UNAVAILABLE);
      expect(error.details).toBe('database unavailable');
    }
    const bug = await start({
      getUser: () => {
        throw Object.assign(new Error('column "x" does not exist'), { code: '42703', severity: 'ERROR' });
      },
    });
    expect(failure(await getUser(bug, { userId: 'u1' })).code).toBe(status.INTERNAL);
  });
});

describe('deadlines', () => {
  it("answers DEADLINE_EXCEEDED at the caller's deadline and aborts the handler's signal", async () => {
    const aborted = deferred<unknown>();
    const s = await start({
      getUser: (_request, ctx) =>
        new Promise(() => {
          ctx.signal.addEventListener('abort', () => aborted.resolve(ctx.signal.reason));
        }),
    });
    const { error } = await getUser(s, { userId: 'u1' }, { deadlineMs: 500 });
    expect(error?.code).toBe(status.DEADLINE_EXCEEDED);
    // Client and server both time the deadline; whichever fires first, the handler's work is abandoned.
    // (If the client's timer wins, the server sees a cancellation a moment before its own deadline.)
    const reason = await aborted.promise;
    expect(reason).toBeInstanceOf(DomainError);
    expect((reason as DomainError).code).toBeOneOf([status.DEADLINE_EXCEEDED, status.CANCELLED]);
  });

  it("enforces the server's own ceiling when the caller sends no deadline, and stops awaiting the handler", async () => {
    const aborted = deferred<unknown>();
    const s = await start(
      {
        getUser: (_request, ctx) => {
          ctx.signal.addEventListener('abort', () => aborted.resolve(ctx.signal.reason));
          return new Promise(() => undefined); // never settles: only the ceiling can end this call
        },
      },
      { maxDeadlineMs: 200 },
    );
    const { error } = await getUser(s, { userId: 'u1' });
    expect(error?.code).toBe(status.DEADLINE_EXCEEDED);
    expect(error?.details).toBe('deadline exceeded');
    expect(await aborted.promise).toBeInstanceOf(DeadlineExceededError);
    expect(await s.metrics.getSingleMetricAsString('grpc_server_handled_total')).toMatch(
      /grpc_server_handled_total\{grpc_service="blog.user.v1.UserService",grpc_method="GetUser",grpc_code="DEADLINE_EXCEEDED"\} 1/,
    );
  });
});

describe('trace and request context', () => {
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  it("continues the caller's trace, keeps its request id, and makes both active for the handler", async () => {
    const seen = deferred<Record<string, unknown>>();
    const s = await start({
      getUser: async () => {
        await new Promise((resolve) => setImmediate(resolve)); // the context must survive async hops
        const request = currentRequest();
        const outgoing = propagateRequest(new Metadata());
        seen.resolve({
          requestId: request?.requestId,
          traceId: request?.traceId,
          spanId: request?.spanId,
          activeTraceId: trace.getSpanContext(context.active())?.traceId,
          outgoingTraceparent: outgoing.get('traceparent')[0],
          outgoingRequestId: outgoing.get(REQUEST_ID_KEY)[0],
        });
        return { user: undefined };
      },
    });
    const metadata = new Metadata();
    metadata.set('traceparent', traceparent);
    metadata.set(REQUEST_ID_KEY, 'req-trace-1');
    const { error, trailers } = await getUser(s, { userId: 'u1' }, { metadata });
    expect(error).toBeUndefined();
    expect(trailers?.get(REQUEST_ID_KEY)).toEqual(['req-trace-1']);
    const got = await seen.promise;
    expect(got).toMatchObject({
      requestId: 'req-trace-1',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      activeTraceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      outgoingRequestId: 'req-trace-1',
    });
    // A child span of its own: same trace, new span id, carried to downstream calls.
    expect(got['spanId']).toMatch(/^[0-9a-f]{16}$/);
    expect(got['spanId']).not.toBe('00f067aa0ba902b7');
    expect(got['outgoingTraceparent']).toBe(
      `00-4bf92f3577b34da6a3ce929d0e0e4736-${String(got['spanId'])}-01`,
    );
    const line = s.sink.find('rpc')[0];
    expect(line).toMatchObject({
      requestId: 'req-trace-1',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      grpcCode: 'OK',
    });
  });

  it('starts a trace and generates a request id when the caller sent none', async () => {
    const seen = deferred<{ requestId?: string; traceId?: string }>();
    const s = await start({
      getUser: (_request, ctx) => {
        seen.resolve({ requestId: ctx.requestId, traceId: ctx.traceId });
        return { user: undefined };
      },
    });
    const { trailers } = await getUser(s, { userId: 'u1' });
    const got = await seen.promise;
    expect(got.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(got.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(trailers?.get(REQUEST_ID_KEY)).toEqual([got.requestId]);
  });
});

describe('metrics and logs', () => {
  it('counts calls by method and code, times them, and logs one line per call', async () => {
    const s = await start({
      getUser: () => ({ user: undefined }),
      updateUser: () => {
        throw new NotFoundError('user not found');
      },
    });
    await getUser(s, { userId: 'u1' });
    await getUser(s, { userId: 'u2' });
    await updateUser(s, { userId: 'u1' });
    const text = await s.metrics.metrics();
    expect(text).toContain(
      'grpc_server_handled_total{grpc_service="blog.user.v1.UserService",grpc_method="GetUser",grpc_code="OK"} 2',
    );
    expect(text).toContain(
      'grpc_server_handled_total{grpc_service="blog.user.v1.UserService",grpc_method="UpdateUser",grpc_code="NOT_FOUND"} 1',
    );
    expect(text).toContain(
      'grpc_server_handling_seconds_count{grpc_service="blog.user.v1.UserService",grpc_method="GetUser",grpc_code="OK"} 2',
    );
    const lines = s.sink.find('rpc');
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l['grpcCode'])).toEqual(['OK', 'OK', 'NOT_FOUND']);
    // Successes at debug, a client error at info: cheap when nobody reads successes.
    expect(lines.map((l) => l['level'])).toEqual(['debug', 'debug', 'info']);
    for (const line of lines) expect(line).toHaveProperty('durationMs');
  });
});
