// Streaming RPC end to end over real gRPC (grpc-js server with the framework's interceptors and adapters, the typed
// client with its wrappers): every kind, deadline, cancel from either side, server shutdown mid-stream, backpressure.
import { Metadata, status, type Server } from '@grpc/grpc-js';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClientOptions, createClient, type ServiceClient } from '../client';
import { FailedPreconditionError, InvalidArgumentError } from '../errors';
import { StaticRegistry } from '../registry/static';
import { createLogger, REQUEST_ID_KEY, type RequestContext } from '../telemetry';
import { addService, bindServer, createGrpcServer, drainServer, type Handlers, openStreamsOf } from './index';
import { deferred, LogSink } from './testing/clients';
import { type Num, StreamsService } from './testing/stream-service';

type Streams = typeof StreamsService;
const codeOf = (promise: Promise<unknown>): Promise<status> =>
  promise.then(
    () => status.OK,
    (err: { code: status }) => err.code,
  );

/** An AbortSignal's end as a promise: what a stream handler waits on for "forever". */
const aborted = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });

/** Resolves once read() returns the same value twice, 100 ms apart: a producer held back has stopped. */
async function settled(read: () => number): Promise<number> {
  let last = -1;
  for (;;) {
    const now = read();
    if (now === last) return now;
    last = now;
    await sleep(100);
  }
}

interface Started {
  readonly server: Server;
  readonly client: ServiceClient<Streams>;
  readonly metrics: Registry;
  readonly sink: LogSink;
  /** ends records how each handler call ended: 'done', or the name of the abort reason. */
  readonly ends: string[];
}

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(
  handlers: Partial<Handlers<Streams>>,
  clientOptions: Partial<ClientOptions<Streams>> = {},
): Promise<Started> {
  const sink = new LogSink();
  const logger = createLogger({ service: 'test', version: '0.0.0', level: 'debug', destination: sink });
  const metrics = new Registry();
  const server = createGrpcServer({ logger, metrics, maxDeadlineMs: 200 });
  const fail = (): never => {
    throw new Error('not in this test');
  };
  addService(
    server,
    {
      definition: StreamsService,
      implementation: { count: fail, sum: fail, echo: fail, double: fail, ...handlers },
    },
    logger,
  );
  const port = await bindServer(server, '127.0.0.1', 0);
  const client = createClient(StreamsService, {
    service: 'streams',
    registry: new StaticRegistry({ STREAMS_SERVICE_ADDR: `127.0.0.1:${port}` }),
    logger,
    metrics,
    ...clientOptions,
  });
  cleanups.push(() => server.forceShutdown());
  cleanups.push(() => client.close());
  return { server, client, metrics, sink, ends: [] };
}

/** ended records the way a handler's call ended into `ends`, from its signal. */
function watch(ctx: RequestContext, ends: string[]): void {
  ctx.signal.addEventListener('abort', () => ends.push((ctx.signal.reason as Error).constructor.name), {
    once: true,
  });
}

async function* numbers(from: number, to: number, pad = ''): AsyncGenerator<Num> {
  for (let n = from; n <= to; n++) yield { n, pad };
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of stream) all.push(item);
  return all;
}

async function handled(metrics: Registry, method: string): Promise<Record<string, number>> {
  const metric = await metrics.getSingleMetric('grpc_server_handled_total')?.get();
  const byCode: Record<string, number> = {};
  for (const v of metric?.values ?? [])
    if (v.labels['grpc_method'] === method) byCode[String(v.labels['grpc_code'])] = v.value;
  return byCode;
}

describe('streaming RPC over real gRPC', () => {
  describe('each kind works through the interceptors and wrappers', () => {
    it('server stream: every message in order, with the request id and the metrics of one call', async () => {
      let seenId = '';
      const s = await start({
        count: ({ n }, ctx) => {
          seenId = ctx.requestId;
          return numbers(1, n);
        },
      });
      const stream = await s.client.count({ n: 50 }, { requestId: 'req-stream-1' });
      expect((await collect(stream)).map((m) => m.n)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      await stream.closed;
      expect(seenId).toBe('req-stream-1');
      expect(await handled(s.metrics, 'Count')).toEqual({ OK: 1 });
    });

    it('client stream: the answer after every message, a NUL in one message refused naming it', async () => {
      const s = await start({
        sum: async (requests) => {
          let total = 0;
          for await (const { n } of requests) total += n;
          return { n: total };
        },
      });
      expect(await s.client.sum(numbers(1, 100))).toEqual({ n: 5050 });
      async function* withNul(): AsyncGenerator<Num> {
        yield { n: 1 };
        yield { n: 2, text: 'a\u0000b' };
      }
      const refused = await s.client.sum(withNul()).catch((err: { code: status; details: string }) => err);
      expect(refused).toMatchObject({ code: status.INVALID_ARGUMENT });
    });

    it('bidi: answers interleave with requests (one in, one out)', async () => {
      const s = await start({
        echo: async function* (requests) {
          for await (const { n } of requests) yield { n: n * 10 };
        },
      });
      const requests = new PassThrough({ objectMode: true });
      const replies = (await s.client.echo(requests))[Symbol.asyncIterator]();
      for (let n = 1; n <= 5; n++) {
        requests.write({ n });
        // The next answer arrives while the request side is still open: the stream is truly bidirectional.
        expect((await replies.next()).value).toEqual({ n: n * 10 });
      }
      requests.end();
      expect((await replies.next()).done).toBe(true);
    });

    it("runs the caller's wrappers once per stream, at its start", async () => {
      const seen: string[] = [];
      const s = await start(
        { count: ({ n }) => numbers(1, n) },
        {
          wrappers: [
            (next) => async (request, ctx) => {
              seen.push(`${ctx.endpoint} responseStream=${String(ctx.definition.responseStream)}`);
              return next(request, ctx);
            },
          ],
        },
      );
      expect(await collect(await s.client.count({ n: 3 }))).toHaveLength(3);
      expect(seen).toEqual(['streams.Count responseStream=true']);
    });
  });

  describe('start', () => {
    it('a handler that throws before returning its messages fails the start with its status', async () => {
      const s = await start({
        count: ({ n }) => {
          if (n < 0)
            throw new InvalidArgumentError('n must not be negative', {
              violations: [{ field: 'n', message: 'negative' }],
            });
          return numbers(1, n);
        },
      });
      expect(await codeOf(s.client.count({ n: -1 }))).toBe(status.INVALID_ARGUMENT);
    });

    it('a callee that is down fails the start UNAVAILABLE, and the breaker opens on failed starts', async () => {
      const s = await start({}, { breaker: { volumeThreshold: 3, errorThresholdPercentage: 50 } });
      await drainServer(s.server, 100);
      const codes: status[] = [];
      for (let i = 0; i < 5; i++) codes.push(await codeOf(s.client.count({ n: 1 })));
      expect(codes.slice(0, 3)).toEqual([status.UNAVAILABLE, status.UNAVAILABLE, status.UNAVAILABLE]);
      const open = await s.client.count({ n: 1 }).catch((err: Error) => err);
      expect(open).toMatchObject({ code: status.UNAVAILABLE, name: 'BreakerOpenError' });
    });
  });

  describe('deadline', () => {
    it.each(['count', 'sum', 'echo'] as const)(
      "%s: the caller's deadline ends the stream with DEADLINE_EXCEEDED on both sides",
      async (kind) => {
        const ends: string[] = [];
        const forever = async function* (_: unknown, ctx: RequestContext): AsyncGenerator<Num> {
          watch(ctx, ends);
          yield { n: 1 };
          await aborted(ctx.signal);
        };
        const s = await start({
          count: forever,
          echo: (requests, ctx) => forever(requests, ctx),
          sum: async (_requests, ctx) => {
            watch(ctx, ends);
            return aborted(ctx.signal);
          },
        });
        const deadline = Date.now() + 300;
        const requests = new PassThrough({ objectMode: true });
        const outcome =
          kind === 'count'
            ? s.client.count({ n: 1 }, { deadline }).then(collect)
            : kind === 'sum'
              ? s.client.sum(requests, { deadline })
              : s.client.echo(requests, { deadline }).then(collect);
        expect(await codeOf(outcome)).toBe(status.DEADLINE_EXCEEDED);
        // Both sides time the deadline: the caller's timer may fire first and reach the handler as its cancel.
        await expect.poll(() => ends.length).toBe(1);
        expect(['DeadlineExceededError', 'CancelledError']).toContain(ends[0]);
        // The server's own ceiling (GRPC_MAX_DEADLINE_MS, 200 ms here) is for unary calls: the stream lived longer.
        expect(Date.now()).toBeGreaterThan(deadline - 50);
      },
    );
  });

  describe('cancel', () => {
    it('server stream: the caller leaving the loop cancels the handler, whose finally runs', async () => {
      const ends: string[] = [];
      const cleaned = deferred();
      const s = await start({
        count: async function* (_, ctx) {
          watch(ctx, ends);
          try {
            for (let n = 1; ; n++) {
              yield { n };
              await sleep(5, undefined, { signal: ctx.signal }).catch(() => undefined);
            }
          } finally {
            cleaned.resolve();
          }
        },
      });
      for await (const { n } of await s.client.count({ n: 0 })) if (n === 3) break;
      await expect.poll(() => ends).toEqual(['CancelledError']);
      await cleaned.promise;
      await expect.poll(() => handled(s.metrics, 'Count')).toEqual({ CANCELLED: 1 });
    });

    it.each(['sum', 'echo'] as const)('%s: an AbortSignal cancels the stream on both sides', async (kind) => {
      // The handler sees the cancel as CancelledError, or as the end of the requests when Node's HTTP/2 sends the
      // caller's END_STREAM before its RST_STREAM (see stream-handlers.ts); either way its call ends, and its
      // answer never reaches the caller.
      const ends: string[] = [];
      const s = await start({
        sum: async (requests, ctx) => {
          watch(ctx, ends);
          for await (const _ of requests) void _;
          ends.push('requests ended');
          return { n: 42 };
        },
        echo: async function* (requests, ctx) {
          watch(ctx, ends);
          for await (const m of requests) yield m;
          ends.push('requests ended');
          yield { n: 42 };
        },
      });
      const controller = new AbortController();
      const requests = new PassThrough({ objectMode: true });
      requests.write({ n: 1 });
      const outcome =
        kind === 'sum'
          ? s.client.sum(requests, { signal: controller.signal })
          : s.client.echo(requests, { signal: controller.signal }).then(collect);
      await expect.poll(() => openStreamsOf(s.server).size).toBe(1);
      controller.abort();
      expect(await codeOf(outcome)).toBe(status.CANCELLED);
      await expect.poll(() => openStreamsOf(s.server).size).toBe(0);
      expect(['CancelledError', 'requests ended']).toContain(ends[0]);
    });

    it('bidi: the caller leaving the loop over the answers cancels the handler', async () => {
      const ends: string[] = [];
      const s = await start({
        echo: async function* (requests, ctx) {
          watch(ctx, ends);
          for await (const m of requests) yield m;
          ends.push('requests ended');
        },
      });
      const requests = new PassThrough({ objectMode: true });
      requests.write({ n: 1 });
      for await (const m of await s.client.echo(requests)) if (m.n === 1) break;
      await expect.poll(() => openStreamsOf(s.server).size).toBe(0);
      expect(['CancelledError', 'requests ended']).toContain(ends[0]);
    });

    it('server side: a handler failing mid-stream delivers what it sent, then its status', async () => {
      const s = await start({
        count: async function* () {
          yield { n: 1 };
          yield { n: 2 };
          throw new FailedPreconditionError('blog was deleted');
        },
      });
      const got: number[] = [];
      const error = await (async () => {
        for await (const { n } of await s.client.count({ n: 0 })) got.push(n);
      })().catch((err: { code: status; details: string }) => err);
      expect(got).toEqual([1, 2]);
      expect(error).toMatchObject({ code: status.FAILED_PRECONDITION, details: 'blog was deleted' });
    });

    it('server side: a client-stream handler answering early stops the caller sending', async () => {
      let pulled = 0;
      const pad = 'x'.repeat(1024);
      async function* endless(): AsyncGenerator<Num> {
        for (;;) {
          pulled++;
          yield { n: 1, pad };
        }
      }
      const s = await start({
        sum: async (requests) => {
          let total = 0;
          for await (const { n } of requests) if ((total += n) === 10) break;
          return { n: total };
        },
      });
      expect(await s.client.sum(endless())).toEqual({ n: 10 });
      // What the HTTP/2 windows held when the answer came was pulled; after it, nothing more.
      const after = await settled(() => pulled);
      expect(after).toBeLessThan(5_000);
      await sleep(200);
      expect(pulled).toBe(after);
    });
  });

  describe('server shutdown mid-stream', () => {
    it('ends every open stream UNAVAILABLE after what was sent, and drains gracefully', async () => {
      const ends: string[] = [];
      const s = await start({
        count: async function* (_, ctx) {
          watch(ctx, ends);
          yield { n: 1 };
          await aborted(ctx.signal);
        },
        sum: async (requests, ctx) => {
          watch(ctx, ends);
          for await (const _ of requests) void _;
          return { n: 0 };
        },
        echo: async function* (requests, ctx) {
          watch(ctx, ends);
          for await (const m of requests) yield m;
        },
      });
      const live = new PassThrough({ objectMode: true });
      const echoes = new PassThrough({ objectMode: true });
      const counted: number[] = [];
      const count = codeOf(
        (async () => {
          for await (const { n } of await s.client.count({ n: 0 })) counted.push(n);
        })(),
      );
      const sum = codeOf(s.client.sum(live));
      echoes.write({ n: 7 });
      const echoed: number[] = [];
      const echo = codeOf(
        (async () => {
          for await (const { n } of await s.client.echo(echoes)) echoed.push(n);
        })(),
      );
      await expect.poll(() => openStreamsOf(s.server).size).toBe(3);
      await expect.poll(() => counted.length + echoed.length).toBe(2);

      expect(await drainServer(s.server, 5_000)).toBe('graceful');
      expect(await Promise.all([count, sum, echo])).toEqual([
        status.UNAVAILABLE,
        status.UNAVAILABLE,
        status.UNAVAILABLE,
      ]);
      expect({ counted, echoed }).toEqual({ counted: [1], echoed: [7] });
      expect(ends.sort()).toEqual(['UnavailableError', 'UnavailableError', 'UnavailableError']);
      expect(openStreamsOf(s.server).size).toBe(0);
    });
  });

  describe('backpressure', () => {
    const TOTAL = 5_000;
    const pad = 'x'.repeat(1024);

    it('server stream: a slow reader holds the handler back; nothing is lost or reordered', async () => {
      let produced = 0;
      const s = await start({
        count: async function* () {
          for (let n = 1; n <= TOTAL; n++) {
            produced = n;
            yield { n, pad };
          }
        },
      });
      const messages = (await s.client.count({ n: 0 }))[Symbol.asyncIterator]();
      expect((await messages.next()).value).toMatchObject({ n: 1 });
      // The reader stops: the handler may fill the buffers (HTTP/2 windows, grpc-js), then it must wait.
      const held = await settled(() => produced);
      expect(held).toBeLessThan(TOTAL / 2);
      let expected = 2;
      for (let next = await messages.next(); !next.done; next = await messages.next()) {
        expect(next.value.n).toBe(expected++);
      }
      expect(expected - 1).toBe(TOTAL);
    });

    it('client stream: a slow handler holds the caller back', async () => {
      let pulled = 0;
      const release = deferred();
      async function* source(): AsyncGenerator<Num> {
        for (let n = 1; n <= TOTAL; n++) {
          pulled = n;
          yield { n, pad };
        }
      }
      const s = await start({
        sum: async (requests) => {
          let total = 0;
          let seen = 0;
          for await (const { n } of requests) {
            total += n;
            if (++seen === 1) await release.promise;
          }
          return { n: total };
        },
      });
      const answer = s.client.sum(source());
      const held = await settled(() => pulled);
      expect(held).toBeLessThan(TOTAL / 2);
      release.resolve();
      expect(await answer).toEqual({ n: (TOTAL * (TOTAL + 1)) / 2 });
    });
  });

  it('metadata reaches a stream handler like a unary one', async () => {
    let tenant: unknown;
    const s = await start({
      count: (_, ctx) => {
        tenant = ctx.metadata.get('x-tenant')[0];
        return numbers(1, 1);
      },
    });
    const metadata = new Metadata();
    metadata.set('x-tenant', 'blue');
    await collect(await s.client.count({ n: 1 }, { metadata }));
    expect(tenant).toBe('blue');
    expect(REQUEST_ID_KEY).toBe('x-request-id');
    void once;
  });
});
