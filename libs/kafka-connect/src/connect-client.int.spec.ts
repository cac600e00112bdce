// The client against the real Kafka Connect worker of the local stack (its global setup brings the stack up).
// Test connectors are Debezium PostgreSQL connectors that capture no table and drop their slot when they stop;
// their database settings come from the worker's own ${env:DEBEZIUM_PG_*} variables, as the real one's do.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ConnectError, ConnectorFailedError, type ConnectorConfig } from './connect-client';
import { createKafkaConnectClient } from './http-connect-client';

const url = process.env['CONNECT_URL'];
if (!url)
  throw new Error(
    'CONNECT_URL is not set: run these tests through the integration project (stack global setup)',
  );
const connect = createKafkaConnectClient({ url });
const suffix = randomBytes(4).toString('hex');
const created: string[] = [];

/** testConnector is a Debezium connector that captures nothing (no matching table) and leaves no slot behind. */
function testConnector(name: string, overrides: ConnectorConfig = {}): ConnectorConfig {
  created.push(name);
  return {
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'tasks.max': '1',
    'database.hostname': '${env:DEBEZIUM_PG_HOST}',
    'database.port': '${env:DEBEZIUM_PG_PORT}',
    'database.user': '${env:DEBEZIUM_PG_USER}',
    'database.password': '${env:DEBEZIUM_PG_PASSWORD}',
    'database.dbname': '${env:DEBEZIUM_PG_DBNAME}',
    'topic.prefix': `it-${suffix}`,
    'plugin.name': 'pgoutput',
    'slot.name': `it_${name.replaceAll('-', '_')}`,
    'slot.drop.on.stop': 'true',
    'publication.name': 'debezium_outbox',
    'publication.autocreate.mode': 'disabled',
    'table.include.list': 'none\\.none',
    'snapshot.mode': 'no_data',
    ...overrides,
  };
}

afterAll(async () => {
  for (const name of created) await connect.delete(name);
});

describe('KafkaConnectClient against the local worker', () => {
  it('reports the worker healthy', async () => {
    expect(await connect.health()).toMatchObject({ status: 'healthy' });
  });

  it('lists the Debezium connector and, with --all, its EventRouter transform', async () => {
    const connectors = await connect.plugins();
    expect(connectors.map((p) => p.class)).toContain('io.debezium.connector.postgresql.PostgresConnector');
    expect(connectors.every((p) => p.type === 'source' || p.type === 'sink')).toBe(true);
    const all = await connect.plugins({ connectorsOnly: false });
    expect(all).toContainEqual(
      expect.objectContaining({ class: 'io.debezium.transforms.outbox.EventRouter', type: 'transformation' }),
    );
  });

  it('runs the stack connector', async () => {
    const status = await connect.waitUntilRunning('debezium-outbox', { timeoutMs: 30_000 });
    expect(status.tasks.map((t) => t.state)).toEqual(['RUNNING']);
  });

  it('creates, updates, pauses, resumes and deletes a connector', async () => {
    const name = `it-lifecycle-${suffix}`;

    const first = await connect.createOrUpdate(name, testConnector(name));
    expect(first.created).toBe(true);
    expect(first.info.name).toBe(name);
    expect(await connect.list()).toContain(name);
    await connect.waitUntilRunning(name, { timeoutMs: 60_000 });

    const second = await connect.createOrUpdate(name, testConnector(name, { 'heartbeat.interval.ms': '0' }));
    expect(second.created).toBe(false);
    expect((await connect.config(name))['heartbeat.interval.ms']).toBe('0');
    // Stored configs keep the placeholders: the password never reaches the config topic or the REST API.
    expect((await connect.config(name))['database.password']).toBe('${env:DEBEZIUM_PG_PASSWORD}');
    await connect.waitUntilRunning(name, { timeoutMs: 60_000 });

    await connect.pause(name);
    await expect
      .poll(async () => (await connect.status(name)).connector.state, { timeout: 20_000 })
      .toBe('PAUSED');
    await connect.resume(name);
    await connect.waitUntilRunning(name, { timeoutMs: 60_000 });

    // Nothing failed: restarting only failed instances restarts nothing.
    const restarted = await connect.restart(name);
    expect([restarted?.connector.state, ...(restarted?.tasks ?? []).map((t) => t.state)]).not.toContain(
      'RESTARTING',
    );

    await connect.delete(name);
    expect(await connect.list()).not.toContain(name);
    // The status topic forgets the connector a moment after the config topic does.
    const notFound = async () =>
      (await connect.status(name).catch((e: unknown) => e)) instanceof ConnectError;
    await expect.poll(notFound, { timeout: 10_000 }).toBe(true);
    const gone = await connect.status(name).catch((e: unknown) => e);
    expect((gone as ConnectError).isNotFound).toBe(true);
  });

  it('reports a failed task with its trace, restarts it on request, and the wait stops at once', async () => {
    const name = `it-failing-${suffix}`;
    // Valid config (PUT succeeds), but the task fails at start: the publication does not exist.
    await connect.createOrUpdate(name, testConnector(name, { 'publication.name': `missing_${suffix}` }));

    const failure = await connect.waitUntilRunning(name, { timeoutMs: 60_000 }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(ConnectorFailedError);
    expect((failure as ConnectorFailedError).trace).toMatch(/Publication autocreation is disabled/);
    const restarted = await connect.restart(name, { includeTasks: true, onlyFailed: true });
    expect(restarted?.tasks.map((t) => t.state)).toEqual(['RESTARTING']);
  });

  it("carries Connect's error code and message for an invalid config", async () => {
    const name = `it-invalid-${suffix}`;
    const error = await connect
      .createOrUpdate(name, testConnector(name, { 'database.password': 'wrong-password' }))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConnectError);
    expect(error).toMatchObject({ errorCode: 400, status: 400 });
    expect((error as Error).message).toMatch(/Connector configuration is invalid/);
  });
});
