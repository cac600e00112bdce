// The access line: successes at debug (or sampled at info), errors always, one line per request.
import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type RequestLogOptions, registerRequestLog } from './request-log';

async function appWith(level: string, options: RequestLogOptions) {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  const app = Fastify({
    loggerInstance: pino({ level }, sink) as FastifyBaseLogger,
    disableRequestLogging: true,
  });
  registerRequestLog(app, options);
  app.get('/ok', async () => ({ ok: true }));
  app.get('/bad', async (_request, reply) => reply.code(400).send({ bad: true }));
  app.get('/boom', async (_request, reply) => reply.code(503).send({ down: true }));
  return { app, lines: () => lines.filter((line) => line['msg'] === 'request completed') };
}

describe('the access line', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => app?.close());

  it('logs nothing for a success at info, but a client error at info and a server error at warn', async () => {
    const made = await appWith('info', {});
    app = made.app;
    await app.inject('/ok');
    await app.inject('/bad');
    await app.inject('/boom');
    expect(made.lines().map((line) => [line['level'], line['statusCode']])).toEqual([
      [30, 400],
      [40, 503],
    ]);
  });

  it('logs every success at debug, with method, route, status and duration', async () => {
    const made = await appWith('debug', {});
    app = made.app;
    await app.inject('/ok?x=1');
    expect(made.lines()).toEqual([
      expect.objectContaining({
        level: 20,
        method: 'GET',
        route: '/ok',
        url: '/ok?x=1',
        statusCode: 200,
        responseTimeMs: expect.any(Number),
      }),
    ]);
  });

  it('logs the sampled share of successes at info, and errors whatever the sample', async () => {
    const draws = [0.005, 0.5, 0.009, 0.99];
    const made = await appWith('info', { sampleRate: 0.01, random: () => draws.shift() ?? 1 });
    app = made.app;
    for (let i = 0; i < 4; i++) await app.inject('/ok');
    await app.inject('/bad');
    expect(made.lines().map((line) => line['statusCode'])).toEqual([200, 200, 400]);
  });
});
