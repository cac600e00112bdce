import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, Metadata, ServerInterceptingCall, status, type ServerInterceptor } from '@grpc/grpc-js';
import { user } from '@blog/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseConfig } from '../config';
import { unimplemented, type Handlers } from '../server';
import {
  address,
  call,
  checkHealth,
  deferred,
  healthClient,
  listServices,
  LogSink,
  reflect,
} from '../server/testing/clients';
import { createService, runService, type Component, type ServiceHandle, type ServiceOptions } from './index';

const { UserServiceService, UserServiceClient } = user;
type UserHandlers = Handlers<typeof UserServiceService>;

const running: ServiceHandle[] = [];
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await Promise.all(running.splice(0).map((svc) => svc.stop()));
});

const schema = baseConfig({ grpcPort: 0, adminPort: 0 });
// The lifecycle on plain TCP: createService under mTLS, with identities and access rules, is auth/security.spec.ts.
const localEnv = { GRPC_HOST: '127.0.0.1', LOG_LEVEL: 'debug', GRPC_INSECURE: 'true' };

function options(
  overrides: Partial<UserHandlers> = {},
  more: Partial<ServiceOptions<z.output<typeof schema>>> = {},
) {
  const sink = new LogSink();
  return {
    sink,
    options: {
      name: 'user',
      version: '1.2.3',
      config: schema,
      env: localEnv,
      logDestination: sink,
      services: [
        {
          definition: UserServiceService,
          implementation: { ...unimplemented(UserServiceService), ...overrides },
        },
      ],
      ...more,
    } satisfies ServiceOptions<z.output<typeof schema>>,
  };
}

async function start(
  overrides: Partial<UserHandlers> = {},
  more: Partial<ServiceOptions<z.output<typeof schema>>> = {},
) {
  const { options: opts, sink } = options(overrides, more);
  const svc = await createService(opts);
  running.push(svc);
  return { svc, sink };
}

function userClient(port: number) {
  const client = new UserServiceClient(address(port), credentials.createInsecure());
  closers.push(() => client.close());
  return client;
}

async function admin(
  port: number,
  path: string,
): Promise<{ status: number; type: string | null; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

describe('createService', () => {
  it('reports SERVING on grpc.health.v1 for the server and for each service', async () => {
    const { svc } = await start();
    const health = healthClient(svc.ports.grpc);
    closers.push(() => health.close());
    expect(await checkHealth(health, '')).toBe('SERVING');
    expect(await checkHealth(health, 'blog.user.v1.UserService')).toBe('SERVING');
    await expect(checkHealth(health, 'blog.post.v1.PostService')).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });
  });

  it('reports SERVING with no business service at all (the api-gateway, for now)', async () => {
    const svc = await createService({
      name: 'api-gateway',
      version: '0.1.0',
      config: schema,
      env: localEnv,
      logDestination: new LogSink(),
    });
    running.push(svc);
    const health = healthClient(svc.ports.grpc);
    closers.push(() => health.close());
    expect(await checkHealth(health, '')).toBe('SERVING');
    expect(await listServices(svc.ports.grpc)).toEqual(['grpc.health.v1.Health']);
  });

  it('serves reflection listing its own service and health, not the other contracts', async () => {
    const { svc } = await start();
    expect(await listServices(svc.ports.grpc)).toEqual(['blog.user.v1.UserService', 'grpc.health.v1.Health']);
    // What grpcurl describe/call needs: the file defining a symbol, with its messages.
    const file = await reflect(svc.ports.grpc, { fileContainingSymbol: 'blog.user.v1.UserService' });
    const names = (file.fileDescriptorResponse?.fileDescriptorProto ?? []).map((bytes) =>
      bytes.toString('latin1'),
    );
    expect(
      names.some((text) => text.includes('blog/user/v1/user.proto') && text.includes('GetUserRequest')),
    ).toBe(true);
    const health = await reflect(svc.ports.grpc, { fileContainingSymbol: 'grpc.health.v1.Health' });
    expect(health.fileDescriptorResponse?.fileDescriptorProto.length).toBeGreaterThan(0);
  });

  it('answers /healthz, /readyz and /metrics on the admin port', async () => {
    const { svc } = await start();
    await call(userClient(svc.ports.grpc), userClient(svc.ports.grpc).getUser, { userId: 'u1' });
    expect(await admin(svc.ports.admin, '/healthz')).toMatchObject({ status: 200, body: '{"status":"ok"}' });
    const ready = await admin(svc.ports.admin, '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ status: 'ready', checks: [{ name: 'grpc', ok: true }] });
    const metrics = await admin(svc.ports.admin, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/^text\/plain/);
    expect(metrics.body).toContain(
      'grpc_server_handled_total{grpc_service="blog.user.v1.UserService",grpc_method="GetUser",grpc_code="UNIMPLEMENTED",service="user"} 1',
    );
    expect(metrics.body).toMatch(/process_cpu_user_seconds_total\{service="user"\}/);
    expect((await admin(svc.ports.admin, '/nope')).status).toBe(404);
  });

  it('answers /readyz 503 naming the components that are not ready', async () => {
    let databaseUp = false;
    const database: Component = { name: 'database', ready: () => databaseUp };
    const broker: Component = {
      name: 'broker',
      ready: () => {
        throw new Error('no broker reachable');
      },
    };
    const { svc } = await start({}, { components: [database, broker] });
    const notReady = await admin(svc.ports.admin, '/readyz');
    expect(notReady.status).toBe(503);
    expect(JSON.parse(notReady.body)).toEqual({
      status: 'not ready',
      checks: [
        { name: 'grpc', ok: true },
        { name: 'database', ok: false, error: 'not ready' },
        { name: 'broker', ok: false, error: 'no broker reachable' },
      ],
    });
    databaseUp = true;
    expect(JSON.parse((await admin(svc.ports.admin, '/readyz')).body).checks[1]).toEqual({
      name: 'database',
      ok: true,
    });
  });

  it('starts components in order, stops them in reverse, and builds parts from the loaded config in setup()', async () => {
    const events: string[] = [];
    const component = (name: string): Component => ({
      name,
      start: () => void events.push(`start ${name}`),
      stop: () => void events.push(`stop ${name}`),
    });
    const svc = await createService({
      name: 'user',
      version: '1.2.3',
      config: schema.extend({ DATABASE_URL: z.string() }),
      env: { ...localEnv, DATABASE_URL: 'postgres://db/blog' },
      logDestination: new LogSink(),
      components: [component('pool')],
      setup: ({ config }) => {
        events.push(`setup ${config.DATABASE_URL}`);
        return { components: [component('broker'), component('consumers')] };
      },
    });
    expect(events).toEqual(['setup postgres://db/blog', 'start pool', 'start broker', 'start consumers']);
    await svc.stop();
    expect(events.slice(4)).toEqual(['stop consumers', 'stop broker', 'stop pool']);
  });

  it('fails to start when a component fails, stopping those already started', async () => {
    const events: string[] = [];
    const { options: opts } = options(
      {},
      {
        components: [
          {
            name: 'pool',
            start: () => void events.push('start pool'),
            stop: () => void events.push('stop pool'),
          },
          {
            name: 'broker',
            start: () => {
              throw new Error('broker down');
            },
          },
        ],
      },
    );
    await expect(createService(opts)).rejects.toThrow('broker down');
    expect(events).toEqual(['start pool', 'stop pool']);
  });

  it('throws a ConfigError listing every bad variable', async () => {
    const { options: opts } = options({}, { env: { GRPC_PORT: 'x', ADMIN_PORT: '-1', LOG_LEVEL: 'shout' } });
    await expect(createService(opts)).rejects.toMatchObject({
      name: 'ConfigError',
      problems: [
        'GRPC_PORT: must be a port number',
        'ADMIN_PORT: must be a port number between 0 and 65535',
        expect.stringMatching(/^LOG_LEVEL: /),
      ],
    });
  });
});

describe('extra server interceptors', () => {
  it("run after the standard chain: their refusal is answered, logged and counted like a handler's", async () => {
    // A service's own rule: calls must say which tenant they are for.
    const requireTenant: ServerInterceptor = (_descriptor, call) =>
      new ServerInterceptingCall(call, {
        start: (next) =>
          next({
            onReceiveMetadata: (metadata, nextMetadata) => {
              if (metadata.get('x-tenant').length > 0) return nextMetadata(metadata);
              call.sendStatus({
                code: status.PERMISSION_DENIED,
                details: 'no tenant',
                metadata: new Metadata(),
              });
            },
          }),
      });
    const { svc } = await start(
      {
        getUser: async (req) => ({
          user: { userId: req.userId, nickname: 'ada', bio: '', createdAt: undefined },
        }),
      },
      { interceptors: [requireTenant] },
    );
    const client = userClient(svc.ports.grpc);
    const refused = await call(client, client.getUser, { userId: 'u1' });
    expect(refused.error?.code).toBe(status.PERMISSION_DENIED);
    const tenant = new Metadata();
    tenant.set('x-tenant', 'blue');
    const served = await call(client, client.getUser, { userId: 'u1' }, { metadata: tenant });
    expect(served.response?.user?.nickname).toBe('ada');
    const metrics = await admin(svc.ports.admin, '/metrics');
    expect(metrics.body).toMatch(
      /grpc_server_handled_total\{[^}]*grpc_method="GetUser"[^}]*grpc_code="PERMISSION_DENIED"[^}]*\} 1/,
    );
  });
});

describe('dynamic config (CONFIG_FILE)', () => {
  it('changes the log level of the running service when the file says so, and refuses a bad level', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'service-config-'));
    closers.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'user.env');
    writeFileSync(file, 'LOG_LEVEL=warn\n');
    const { svc, sink } = await start({}, { env: { ...localEnv, CONFIG_FILE: file } });
    // The file lies over the environment's LOG_LEVEL=debug.
    expect(svc.logger.level).toBe('warn');

    writeFileSync(file, 'LOG_LEVEL=debug\n');
    expect(svc.live.reload()).toEqual({ outcome: 'applied', changed: ['LOG_LEVEL'], version: 2 });
    expect(svc.logger.level).toBe('debug');
    expect(svc.logger.child({ component: 'x' }).isLevelEnabled('debug')).toBe(true);

    writeFileSync(file, 'LOG_LEVEL=loud\n');
    expect(svc.live.reload()).toMatchObject({ outcome: 'refused' });
    expect(svc.logger.level).toBe('debug');
    const refused = sink.lines.filter((l) =>
      String(l['msg']).startsWith('config reload refused: LOG_LEVEL:'),
    );
    expect(refused).toHaveLength(1);
    const metrics = await admin(svc.ports.admin, '/metrics');
    expect(metrics.body).toMatch(/^config_version(\{[^}]*\})? 2$/m);
  });
});

describe('graceful shutdown', () => {
  it('turns NOT_SERVING, refuses new calls, lets the in-flight call finish, then stops', async () => {
    const entered = deferred();
    const release = deferred();
    const { svc, sink } = await start(
      {
        getUser: async (request) => {
          entered.resolve();
          await release.promise;
          return { user: { userId: request.userId, nickname: 'ada', bio: '', createdAt: undefined } };
        },
      },
      { env: { ...localEnv, SHUTDOWN_TIMEOUT_MS: '60000' } },
    );
    running.splice(running.indexOf(svc), 1);

    const health = healthClient(svc.ports.grpc);
    closers.push(() => health.close());
    const statuses: string[] = [];
    const serving = deferred();
    const notServing = deferred();
    const watchEnded = deferred();
    const watch = health.watch({ service: '' });
    watch.on('data', (message: { status: string }) => {
      statuses.push(message.status);
      if (message.status === 'SERVING') serving.resolve();
      if (message.status === 'NOT_SERVING') notServing.resolve();
    });
    watch.on('status', () => watchEnded.resolve());
    watch.on('error', () => undefined);
    await serving.promise;

    const client = userClient(svc.ports.grpc);
    const inFlight = call(client, client.getUser, { userId: 'u1' });
    await entered.promise;

    const stopped = svc.stop();
    await notServing.promise;
    await watchEnded.promise;
    const latecomer = userClient(svc.ports.grpc);
    const refused = await call(latecomer, latecomer.getUser, { userId: 'u2' }, { deadlineMs: 10_000 });
    expect(refused.error?.code).toBe(status.UNAVAILABLE);

    release.resolve();
    const answered = await inFlight;
    expect(answered.error).toBeUndefined();
    expect(answered.response?.user?.nickname).toBe('ada');
    await stopped;
    expect(statuses).toEqual(['SERVING', 'NOT_SERVING']);
    expect(sink.find('grpc server stopped')[0]).toMatchObject({ drain: 'graceful' });
    await expect(admin(svc.ports.admin, '/healthz')).rejects.toThrow();
  });

  it('cancels calls still running after SHUTDOWN_TIMEOUT_MS and stops anyway', async () => {
    const entered = deferred();
    const { svc, sink } = await start(
      { getUser: () => (entered.resolve(), new Promise(() => undefined)) },
      { env: { ...localEnv, SHUTDOWN_TIMEOUT_MS: '50' } },
    );
    running.splice(running.indexOf(svc), 1);
    const client = userClient(svc.ports.grpc);
    const stuck = call(client, client.getUser, { userId: 'u1' });
    await entered.promise;
    await svc.stop();
    // The server resets the stream (CANCELLED), or its connection goes first (UNAVAILABLE).
    expect((await stuck).error?.code).toBeOneOf([status.CANCELLED, status.UNAVAILABLE]);
    expect(sink.find('grpc server stopped')[0]).toMatchObject({ drain: 'forced' });
  });
});

describe('runService', () => {
  function io() {
    const signals = new EventEmitter();
    const lines: string[] = [];
    const exited = deferred<number>();
    return {
      signals,
      lines,
      exited,
      io: { signals, stderr: { write: (l: string) => lines.push(l) }, exit: exited.resolve },
    };
  }

  it('prints one line per bad variable and exits 1, without a stack trace', async () => {
    const { options: opts } = options({}, { env: { GRPC_PORT: '99999', SHUTDOWN_TIMEOUT_MS: 'soon' } });
    const t = io();
    expect(await runService(opts, t.io as never)).toBeUndefined();
    expect(await t.exited.promise).toBe(1);
    const text = t.lines.join('');
    expect(text).toBe(
      'user: invalid configuration:\n' +
        '  GRPC_PORT: must be a port number between 0 and 65535\n' +
        '  SHUTDOWN_TIMEOUT_MS: must be a number of milliseconds\n',
    );
  });

  it('stops gracefully on SIGTERM and exits 0', async () => {
    const { options: opts, sink } = options();
    const t = io();
    const svc = await runService(opts, t.io as never);
    expect(svc).toBeDefined();
    t.signals.emit('SIGTERM', 'SIGTERM');
    expect(await t.exited.promise).toBe(0);
    expect(sink.find('service stopped')).toHaveLength(1);
    expect(t.signals.listenerCount('SIGTERM')).toBe(0);
  });
});
