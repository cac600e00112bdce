import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConnectError,
  ConnectTimeoutError,
  ConnectorFailedError,
  type ConnectorStatus,
  type KafkaConnectClient,
} from './connect-client';
import { startFakeConnect, type FakeConnect } from './fake-connect.test-helper';
import { createKafkaConnectClient } from './http-connect-client';

const status = (connector: string, ...tasks: string[]): ConnectorStatus =>
  ({
    name: 'outbox',
    connector: { state: connector, worker_id: '127.0.0.1:8083' },
    tasks: tasks.map((state, id) => ({
      id,
      state,
      worker_id: '127.0.0.1:8083',
      ...(state === 'FAILED' ? { trace: 'boom\n\tat x' } : {}),
    })),
    type: 'source',
  }) as ConnectorStatus;

const info = {
  name: 'outbox',
  config: { 'connector.class': 'X', name: 'outbox' },
  tasks: [],
  type: 'source',
};

describe('HttpConnectClient', () => {
  let fake: FakeConnect;
  let client: KafkaConnectClient;

  beforeEach(async () => {
    fake = await startFakeConnect();
    client = createKafkaConnectClient({ url: `${fake.url}/`, conflictBackoffMs: 5 });
  });
  afterEach(() => fake.close());

  describe('createOrUpdate', () => {
    it('PUTs the config and reports 201 as created', async () => {
      fake.script('PUT /connectors/outbox/config', { status: 201, body: info });

      const result = await client.createOrUpdate('outbox', { 'connector.class': 'X' });

      expect(result).toEqual({ created: true, info });
      // First the plugin's validation (unscripted: 404 here, so the PUT decides), then the PUT.
      expect(fake.requests).toEqual([
        {
          method: 'PUT',
          path: '/connector-plugins/X/config/validate',
          query: {},
          body: { 'connector.class': 'X', name: 'outbox' },
        },
        { method: 'PUT', path: '/connectors/outbox/config', query: {}, body: { 'connector.class': 'X' } },
      ]);
    });

    it('refuses a config its plugin finds invalid with 400 and each field at fault, before any PUT', async () => {
      fake.script('PUT /connector-plugins/X/config/validate', {
        status: 200,
        body: {
          error_count: 1,
          configs: [
            {
              definition: { name: 'database.hostname' },
              value: { name: 'database.hostname', errors: ['password authentication failed'] },
            },
            { definition: { name: 'internal.legacy.snapshot.max.threads' }, value: null },
            { definition: { name: 'tasks.max' }, value: { name: 'tasks.max', errors: [] } },
          ],
        },
      });

      const error = await client
        .createOrUpdate('outbox', { 'connector.class': 'X' })
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ConnectError);
      expect(error).toMatchObject({ errorCode: 400, status: 400, request: 'PUT /connectors/outbox/config' });
      expect((error as Error).message).toMatch(
        /Connector configuration is invalid and contains the following 1 error\(s\):\ndatabase.hostname: password authentication failed$/,
      );
      expect(fake.requests.map((r) => r.path)).toEqual(['/connector-plugins/X/config/validate']);
    });

    it('reports 200 as an update of an existing connector', async () => {
      fake.script('PUT /connectors/outbox/config', { status: 200, body: info });

      expect((await client.createOrUpdate('outbox', {})).created).toBe(false);
    });

    it('retries 409 while the worker rebalances, then succeeds', async () => {
      const conflict = {
        status: 409,
        body: {
          error_code: 409,
          message: 'Cannot complete request because of a conflicting operation (e.g. worker rebalance)',
        },
      };
      fake.script('PUT /connectors/outbox/config', conflict, conflict, { status: 201, body: info });

      expect((await client.createOrUpdate('outbox', {})).created).toBe(true);
      expect(fake.requests).toHaveLength(3);
    });

    it('retries a read answered 500 "rebalance is expected", then succeeds', async () => {
      const rebalancing = {
        status: 500,
        body: { error_code: 500, message: 'Request cannot be completed because a rebalance is expected' },
      };
      fake.script('GET /connectors/outbox/config', rebalancing, {
        status: 200,
        body: { 'connector.class': 'x' },
      });

      expect(await client.config('outbox')).toEqual({ 'connector.class': 'x' });
      expect(fake.requests).toHaveLength(2);
    });

    it('gives up after the configured number of 409 retries with Connect error code and message', async () => {
      client = createKafkaConnectClient({ url: fake.url, conflictRetries: 2, conflictBackoffMs: 1 });
      fake.script('PUT /connectors/outbox/config', {
        status: 409,
        body: { error_code: 409, message: 'rebalance in progress' },
      });

      const error = await client.createOrUpdate('outbox', {}).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ConnectError);
      expect(error).toMatchObject({ errorCode: 409, status: 409, request: 'PUT /connectors/outbox/config' });
      expect((error as Error).message).toContain('rebalance in progress');
      expect(fake.requests).toHaveLength(3);
    });

    it('throws validation failures (400) at once with their message', async () => {
      fake.script('PUT /connectors/outbox/config', {
        status: 400,
        body: { error_code: 400, message: 'Connector configuration is invalid and contains 1 error(s)' },
      });

      await expect(client.createOrUpdate('outbox', {})).rejects.toMatchObject({
        errorCode: 400,
        message: expect.stringContaining('configuration is invalid'),
      });
      expect(fake.requests).toHaveLength(1);
    });
  });

  it('encodes connector names in paths', async () => {
    fake.script('GET /connectors/a%2Fb/status', { status: 200, body: status('RUNNING', 'RUNNING') });

    await client.status('a/b');

    expect(fake.requests[0]?.path).toBe('/connectors/a%2Fb/status');
  });

  it('status of an unknown connector is a ConnectError that says not found', async () => {
    const error = await client.status('missing').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).isNotFound).toBe(true);
    expect((error as ConnectError).errorCode).toBe(404);
  });

  it('falls back to the HTTP status when the error body is not Connect JSON', async () => {
    fake.script('GET /connectors', { status: 500, body: 'plain failure' });

    await expect(client.list()).rejects.toMatchObject({
      errorCode: 500,
      status: 500,
      message: expect.stringContaining('plain failure'),
    });
  });

  it('restarts only failed instances, tasks included, by default', async () => {
    fake.script('POST /connectors/outbox/restart', { status: 202, body: status('RUNNING', 'RESTARTING') });

    const restarted = await client.restart('outbox');

    expect(fake.requests[0]?.query).toEqual({ includeTasks: 'true', onlyFailed: 'true' });
    expect(restarted?.tasks[0]?.state).toBe('RESTARTING');
  });

  it('returns undefined for a plain connector restart (204)', async () => {
    fake.script('POST /connectors/outbox/restart', { status: 204 });

    expect(await client.restart('outbox', { includeTasks: false, onlyFailed: false })).toBeUndefined();
    expect(fake.requests[0]?.query).toEqual({ includeTasks: 'false', onlyFailed: 'false' });
  });

  it('pauses, resumes and deletes; deleting a missing connector is fine', async () => {
    fake.script('PUT /connectors/outbox/pause', { status: 202 });
    fake.script('PUT /connectors/outbox/resume', { status: 202 });
    fake.script(
      'DELETE /connectors/outbox',
      { status: 204 },
      { status: 404, body: { error_code: 404, message: 'Connector outbox not found' } },
    );

    await client.pause('outbox');
    await client.resume('outbox');
    await client.delete('outbox');
    await client.delete('outbox');

    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PUT /connectors/outbox/pause',
      'PUT /connectors/outbox/resume',
      'DELETE /connectors/outbox',
      'DELETE /connectors/outbox',
    ]);
  });

  it('lists plugins, connectors only by default', async () => {
    const plugins = [
      { class: 'io.debezium.connector.postgresql.PostgresConnector', type: 'source', version: '3.2.3.Final' },
    ];
    fake.script('GET /connector-plugins', { status: 200, body: plugins });

    expect(await client.plugins()).toEqual(plugins);
    await client.plugins({ connectorsOnly: false });
    expect(fake.requests.map((r) => r.query)).toEqual([
      { connectorsOnly: 'true' },
      { connectorsOnly: 'false' },
    ]);
  });

  it('reads health also from a 503 answer', async () => {
    fake.script('GET /health', {
      status: 503,
      body: { status: 'starting', message: 'Worker is still starting up.' },
    });

    expect(await client.health()).toEqual({ status: 'starting', message: 'Worker is still starting up.' });
  });

  it('waits until the worker is healthy', async () => {
    const starting = { status: 503, body: { status: 'starting', message: 'starting' } };
    const notYetRouted = { status: 404, body: 'Not Found' };
    fake.script('GET /health', notYetRouted, starting, {
      status: 200,
      body: { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' },
    });

    expect((await client.waitUntilHealthy({ intervalMs: 5 })).status).toBe('healthy');
    expect(fake.requests).toHaveLength(3);
  });

  it('keeps waiting while /health answers 500 (the worker cannot join its group yet)', async () => {
    const notJoined = {
      status: 500,
      body: { status: 'unhealthy', message: 'Worker has not joined its group' },
    };
    fake.script('GET /health', notJoined, notJoined, {
      status: 200,
      body: { status: 'healthy', message: 'ready' },
    });

    expect((await client.waitUntilHealthy({ intervalMs: 5 })).status).toBe('healthy');
    expect(fake.requests).toHaveLength(3);
  });

  describe('waitUntilRunning', () => {
    it('waits through not-found, UNASSIGNED and task-less states until every instance RUNS', async () => {
      fake.script(
        'GET /connectors/outbox/status',
        { status: 404, body: { error_code: 404, message: 'No status found for connector outbox' } },
        { status: 200, body: status('UNASSIGNED') },
        { status: 200, body: status('RUNNING') },
        { status: 200, body: status('RUNNING', 'UNASSIGNED') },
        { status: 200, body: status('RUNNING', 'RUNNING') },
      );

      const running = await client.waitUntilRunning('outbox', { intervalMs: 5 });

      expect(running.tasks.map((t) => t.state)).toEqual(['RUNNING']);
      expect(fake.requests).toHaveLength(5);
    });

    it('rejects at once when a task FAILED, with its trace', async () => {
      fake.script('GET /connectors/outbox/status', {
        status: 200,
        body: status('RUNNING', 'RUNNING', 'FAILED'),
      });

      const error = await client.waitUntilRunning('outbox', { intervalMs: 5 }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ConnectorFailedError);
      expect((error as ConnectorFailedError).trace).toBe('boom\n\tat x');
      expect((error as Error).message).toBe('connector outbox FAILED: boom');
      expect(fake.requests).toHaveLength(1);
    });

    it('times out with the last status it saw', async () => {
      fake.script('GET /connectors/outbox/status', { status: 200, body: status('PAUSED', 'PAUSED') });

      const error = await client
        .waitUntilRunning('outbox', { timeoutMs: 60, intervalMs: 10 })
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ConnectTimeoutError);
      expect((error as ConnectTimeoutError).last).toMatchObject({ connector: { state: 'PAUSED' } });
    });

    it('stops waiting on an error that is not about readiness', async () => {
      fake.script('GET /connectors/outbox/status', {
        status: 500,
        body: { error_code: 500, message: 'Request timed out' },
      });

      await expect(client.waitUntilRunning('outbox', { intervalMs: 5 })).rejects.toMatchObject({
        errorCode: 500,
      });
    });
  });

  it('turns an unreachable worker into a ConnectError without status', async () => {
    const port = await closedPort();
    client = createKafkaConnectClient({ url: `http://127.0.0.1:${port}` });

    const error = await client.list().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConnectError);
    expect(error).toMatchObject({ status: undefined, errorCode: undefined, request: 'GET /connectors' });
    expect((error as Error).message).toContain('ECONNREFUSED');
  });
});

/** closedPort returns a port that nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
