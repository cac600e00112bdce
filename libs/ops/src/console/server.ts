// The web console: a JSON API over the same operations as the CLI, a static page, live updates by server-sent events
// (better-sse) and /metrics with the stuck-saga gauge. Fastify because the gateway already uses it (one HTTP stack in
// the repo). Local mode binds 127.0.0.1 and needs no credential; any other bind needs CONSOLE_TOKEN, and every write
// (redrive, purge) must then carry `Authorization: Bearer <token>`.
import { timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { EventTopics, dlqTopicFor } from '@blog/proto';
import { createChannel, createSession } from 'better-sse';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { Gauge, Registry } from 'prom-client';
import { OpsError, usage } from '../errors';
import type { Ops } from '../ops';
import type { Saga } from '../saga-model';
import { serviceStates } from '../services';
import { traceUrl } from '../target';

/** ConsoleOptions configure startConsole. */
export interface ConsoleOptions {
  ops: Ops;
  host: string;
  port: number;
  /** token is required for writes; mandatory when host is not a loopback address. */
  token?: string;
  /** servicesEveryMs is how often the catalog is pushed to the pages (default 3000). */
  servicesEveryMs?: number;
}

/** RunningConsole is a started console. */
export interface RunningConsole {
  url: string;
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** startConsole serves the console until close(). */
export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  const { ops } = options;
  if (!LOOPBACK.test(options.host) && !options.token) {
    throw usage(`CONSOLE_HOST=${options.host} is not a loopback address: set CONSOLE_TOKEN (writes need it)`);
  }
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  const channel = createChannel();
  const metrics = new Registry();
  const stuckGauge = new Gauge({
    name: 'blog_sagas_stuck',
    help: 'Sagas not terminal after the stuck threshold (or dead-lettered), by type and the step they wait on',
    labelNames: ['type', 'waiting_on'],
    registers: [metrics],
  });

  app.setErrorHandler((error, _req, reply) => sendError(reply, error));
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` } }),
  );
  await app.register(fastifyStatic, { root: join(__dirname, 'public'), prefix: '/' });

  const requireWrite = (req: FastifyRequest) => {
    if (!options.token) return;
    const given = Buffer.from(String(req.headers.authorization ?? '').replace(/^Bearer /, ''));
    const want = Buffer.from(options.token);
    if (given.length !== want.length || !timingSafeEqual(given, want)) {
      throw new OpsError('usage', 'UNAUTHENTICATED');
    }
  };

  app.get('/api/config', async () => ({
    traceViewerUrl: ops.target.traceViewerUrl,
    stuckAfterMs: ops.target.stuckAfterMs,
    writesNeedToken: Boolean(options.token),
  }));
  app.get('/api/services', async () => serviceStates(ops.target.services, ops.target.grpcCredentials));
  app.get('/api/topology', async () => topologyWithCounts(ops));
  app.get('/api/lag', async () => lag(ops));
  app.get('/api/sagas', async (req) => {
    const q = req.query as { type?: string; status?: string; stuck?: string };
    const list = await (
      await ops.sagas()
    ).list({ type: q.type || undefined, status: q.status || undefined, stuck: q.stuck === 'true' });
    return list.slice(0, 200).map((s) => sagaJson(ops, s));
  });
  app.get('/api/sagas/:id', async (req) => {
    const saga = await (await ops.sagas()).get((req.params as { id: string }).id);
    return { ...sagaJson(ops, saga), steps: saga.steps, participants: saga.participants };
  });
  app.get('/api/dlq', async () => (await (await ops.deadLetters()).list()).map(letterJson));
  app.get('/api/dlq/:id', async (req) =>
    letterJson(await (await ops.deadLetters()).show((req.params as { id: string }).id)),
  );
  app.post('/api/dlq/:id/redrive', async (req) => {
    requireWrite(req);
    const letters = await ops.deadLetters(actorOf(req));
    const done = await letters.redrive([await letters.show((req.params as { id: string }).id)]);
    channel.broadcast({ what: 'dlq' }, 'change');
    return done.map(letterJson);
  });
  app.post('/api/dlq/redrive', async (req) => {
    requireWrite(req);
    const body = (req.body ?? {}) as { topic?: string; all?: boolean };
    const letters = await ops.deadLetters(actorOf(req));
    const list = await letters.list({ topic: body.topic });
    const done = await letters.redrive(body.all ? list : list.filter((l) => l.redrives.length === 0));
    channel.broadcast({ what: 'dlq' }, 'change');
    return done.map(letterJson);
  });
  app.post('/api/dlq/purge', async (req) => {
    requireWrite(req);
    const body = (req.body ?? {}) as { topic?: string };
    const purged = await (await ops.deadLetters(actorOf(req))).purge(body.topic);
    channel.broadcast({ what: 'dlq' }, 'change');
    return { purged };
  });
  app.get('/api/live', async (req, reply) => {
    const session = await createSession(req.raw, reply.raw);
    channel.register(session);
    await new Promise<void>((resolve) => req.raw.once('close', resolve));
    return reply;
  });
  app.get('/metrics', async (_req, reply) => {
    stuckGauge.reset();
    const stuck = await (await ops.sagas()).list({ stuck: true });
    for (const s of stuck) {
      stuckGauge.inc({
        type: s.type,
        waiting_on: s.waitingOn ? `${s.waitingOn.service}:${s.waitingOn.event}` : '',
      });
    }
    return reply.type(metrics.contentType).send(await metrics.metrics());
  });

  // Live: every new event or dead letter tells the pages to refresh; the catalog is pushed on a timer.
  let pending: NodeJS.Timeout | undefined;
  // Live when Kafka answers at start (the pages work without it): every new event or dead letter refreshes them.
  const stopTail = await ops
    .log()
    .then((log) =>
      log.tail([...EventTopics, ...EventTopics.map(dlqTopicFor)], (record) => {
        pending ??= setTimeout(() => {
          pending = undefined;
          channel.broadcast({ what: record.topic.endsWith('.dlq') ? 'dlq' : 'events' }, 'change');
        }, 300);
      }),
    )
    .catch(() => async () => undefined);
  const timer = setInterval(() => {
    if (channel.sessionCount === 0) return;
    serviceStates(ops.target.services, ops.target.grpcCredentials).then(
      (s) => channel.broadcast(s, 'services'),
      () => undefined,
    );
  }, options.servicesEveryMs ?? 3000);

  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    async close() {
      clearInterval(timer);
      if (pending) clearTimeout(pending);
      await stopTail();
      for (const session of channel.activeSessions) channel.deregister(session);
      await app.close();
    },
  };
}

function actorOf(req: FastifyRequest): string {
  const who = String(req.headers['x-actor'] ?? '')
    .slice(0, 100)
    .replace(/[^\w.@-]/g, '');
  return `${who || 'console'}@${req.ip}`;
}

function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof OpsError) {
    if (error.message === 'UNAUTHENTICATED') {
      return reply.code(401).send({
        error: { code: 'UNAUTHENTICATED', message: 'writes need Authorization: Bearer <CONSOLE_TOKEN>' },
      });
    }
    const [status, code] =
      error.kind === 'not-found'
        ? [404, 'NOT_FOUND']
        : error.kind === 'unavailable'
          ? [503, 'UNAVAILABLE']
          : error.kind === 'usage'
            ? [400, 'INVALID_ARGUMENT']
            : [502, 'INTERNAL'];
    return reply.code(status).send({ error: { code, message: error.message } });
  }
  const statusCode = (error as { statusCode?: number }).statusCode;
  if (statusCode && statusCode >= 400 && statusCode < 500) {
    return reply.code(400).send({ error: { code: 'INVALID_ARGUMENT', message: (error as Error).message } });
  }
  // Anything else is a part of the stack failing, not the client: 503 names it without a stack trace.
  return reply.code(503).send({
    error: { code: 'UNAVAILABLE', message: String((error as Error).message ?? error).split('\n')[0] },
  });
}

function sagaJson(ops: Ops, s: Saga) {
  return {
    sagaId: s.sagaId,
    type: s.type,
    status: s.status,
    stuck: s.stuck,
    compensated: s.compensated,
    startedAt: s.startedAt,
    updatedAt: s.updatedAt,
    steps: s.steps.length,
    waitingOn: s.waitingOn,
    traceUrl: traceUrl(ops.target.traceViewerUrl, s.traceparent),
  };
}

function letterJson<T extends { record: unknown }>(letter: T): Omit<T, 'record'> {
  const { record: _record, ...rest } = letter;
  return rest;
}

/** topologyWithCounts is the map read from the code with live counts: records per topic, calls per RPC edge. */
async function topologyWithCounts(ops: Ops) {
  const topology = ops.topology();
  const log = await ops.log();
  const records = Object.fromEntries(
    await Promise.all(
      topology.topics.map(async (t) => [t.topic, await log.recordCount(t.topic).catch(() => 0)] as const),
    ),
  );
  const deadLetters = Object.fromEntries(
    await Promise.all(
      topology.topics.map(
        async (t) => [t.topic, await log.recordCount(dlqTopicFor(t.topic)).catch(() => 0)] as const,
      ),
    ),
  );
  const calls: Record<string, number> = {};
  for (const service of ops.target.services) {
    for (const node of service.nodes) {
      const text = await fetch(`http://${node.admin}/metrics`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.text(),
        () => '',
      );
      for (const m of text.matchAll(/^grpc_client_calls_total\{([^}]*)\} (\d+(?:\.\d+)?)/gm)) {
        const callee = /(?:^|,)service="([^"]+)"/.exec(m[1] ?? '')?.[1];
        if (callee && callee !== service.name)
          calls[`${service.name}>${callee}`] = (calls[`${service.name}>${callee}`] ?? 0) + Number(m[2]);
      }
    }
  }
  return {
    ...topology,
    rpc: topology.rpc.map((e) => ({ ...e, calls: calls[`${e.from}>${e.to}`] ?? 0 })),
    topics: topology.topics.map((t) => ({
      ...t,
      records: records[t.topic] ?? 0,
      deadLetters: deadLetters[t.topic] ?? 0,
    })),
  };
}

/** lag is each service group's lag per topic and partition (high watermark minus committed offset). */
async function lag(ops: Ops) {
  const topology = ops.topology();
  const log = await ops.log();
  const rows = [];
  for (const t of topology.topics) {
    const marks = await log.watermarks(t.topic).catch(() => []);
    for (const group of t.consumers) {
      const committed = await log.committedOffsets(group, t.topic);
      for (const p of marks) {
        const at = BigInt(committed.get(p.partition) ?? '-1');
        const from = at < 0n ? BigInt(p.low) : at;
        rows.push({
          group,
          topic: t.topic,
          partition: p.partition,
          committed: at < 0n ? null : at.toString(),
          high: p.high,
          lag: Number(BigInt(p.high) - from),
        });
      }
    }
  }
  return rows;
}
