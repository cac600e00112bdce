// Integration-test access to the local stack (`npm run stack:up`): connection settings read from the same
// environment variables and secrets file as tools/stack, and a throw-away scenario inside the `visitor` schema,
// whose outbox is in Debezium's publication. Test-only: nothing in the framework imports this folder.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pino, { type Logger } from 'pino';
import {
  createKafkaAdmin,
  createKafkaBroker,
  DEFAULT_KAFKA_CLIENT,
  kafkaSaslFromEnv,
  type KafkaSasl,
  type Broker,
  type KafkaAdmin,
  type KafkaClientName,
} from '../../broker';
import { createOutbox, type Outbox } from '../../outbox';
import { createStore, type PgStore } from '../../store';
import { itemsTableSql } from './items';

/** repoRoot is the workspace root (this file is libs/framework/src/inbox/testing/stack.ts). */
export const repoRoot = resolve(__dirname, '..', '..', '..', '..', '..');

/** StackSettings are the connection settings of the running local stack. */
export interface StackSettings {
  /** adminUrl connects as the `postgres` superuser (scratch schemas only). */
  adminUrl: string;
  /** visitorUrl connects as the visitor service's role. */
  visitorUrl: string;
  brokers: string[];
  /** sasl signs the fixtures in as the super user: they make topics of their own and publish as Debezium does. */
  sasl?: KafkaSasl;
  connectUrl: string;
}

/**
 * stackSettings takes the coordinates the stack's vitest global setup exports (KAFKA_BROKERS, CONNECT_URL,
 * STACK_ADMIN_DATABASE_URL, VISITOR_DATABASE_URL); outside vitest (benchmarks) it reads .stack/secrets.json
 * (STACK_DIR) and the port variables (PG_PORT, KAFKA_PORT, CONNECT_PORT) like tools/stack does.
 */
export function stackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
  if (env.KAFKA_BROKERS && env.STACK_ADMIN_DATABASE_URL && env.VISITOR_DATABASE_URL) {
    return {
      adminUrl: env.STACK_ADMIN_DATABASE_URL,
      visitorUrl: env.VISITOR_DATABASE_URL,
      brokers: env.KAFKA_BROKERS.split(','),
      sasl: kafkaSaslFromEnv(env),
      connectUrl: env.CONNECT_URL || 'http://127.0.0.1:8083',
    };
  }
  const stackDir = resolve(env.STACK_DIR || join(repoRoot, '.stack'));
  const secrets = JSON.parse(readFileSync(join(stackDir, 'secrets.json'), 'utf8')) as {
    admin: string;
    services: Record<string, string>;
    kafka?: Record<string, string>;
  };
  const pg = `127.0.0.1:${env.PG_PORT || 15432}`;
  return {
    adminUrl: `postgres://postgres:${encodeURIComponent(secrets.admin)}@${pg}/blog`,
    visitorUrl: `postgres://visitor_svc:${encodeURIComponent(secrets.services.visitor)}@${pg}/blog`,
    brokers: [`127.0.0.1:${env.KAFKA_PORT || 9092}`],
    sasl: secrets.kafka?.['admin']
      ? { mechanism: 'scram-sha-512', username: 'admin', password: secrets.kafka['admin'] }
      : undefined,
    connectUrl: `http://127.0.0.1:${env.CONNECT_PORT || 8083}`,
  };
}

/** Scenario is one test's private slice of the stack: its own aggregate type, topics, consumer name and items table. */
export interface Scenario {
  settings: StackSettings;
  logger: Logger;
  suffix: string;
  /** aggregateType is `test.<suffix>`: Debezium routes its events to `topic`. */
  aggregateType: string;
  topic: string;
  dlqTopic: string;
  /** itemsTable records what handlers did, in the visitor schema. */
  itemsTable: string;
  store: PgStore;
  /** client is the Kafka client the scenario's broker runs on. */
  client: KafkaClientName;
  broker: Broker;
  admin: KafkaAdmin;
  outbox: Outbox;
  /** dispose drops the items table, the scenario's inbox rows and its topics, and closes every client. */
  dispose(): Promise<void>;
}

/**
 * createScenario creates the topics (3 partitions) and the items table, and applies the framework migrations; its
 * broker runs on `client` (default: the framework's default Kafka client).
 */
export async function createScenario(
  name: string,
  client: KafkaClientName = DEFAULT_KAFKA_CLIENT,
): Promise<Scenario> {
  const settings = stackSettings();
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
  const suffix = `${name}${randomBytes(4).toString('hex')}`;
  const aggregateType = `test.${suffix}`;
  const topic = `events.${aggregateType}`;
  const dlqTopic = `${topic}.dlq`;
  const itemsTable = `it_items_${suffix}`;
  const store = createStore({ connectionString: settings.visitorUrl, schema: 'visitor', logger, max: 6 });
  const broker = createKafkaBroker({
    client,
    brokers: settings.brokers,
    sasl: settings.sasl,
    clientId: `it-${suffix}`,
    logger,
    redeliveryDelayMs: 100,
  });
  const admin = await createKafkaAdmin({
    brokers: settings.brokers,
    sasl: settings.sasl,
    clientId: `it-admin-${suffix}`,
    logger,
  });
  // Topics first: the stack does not auto-create them, and Debezium must find this one when the first event comes.
  await admin.createTopics([
    { topic, partitions: 3 },
    { topic: dlqTopic, partitions: 3 },
  ]);
  await store.migrate();
  await store.query(itemsTableSql(itemsTable));
  await broker.start();
  return {
    settings,
    logger,
    suffix,
    client,
    aggregateType,
    topic,
    dlqTopic,
    itemsTable,
    store,
    broker,
    admin,
    outbox: createOutbox(),
    async dispose() {
      await broker.stop();
      await store.query(`drop table if exists ${itemsTable}`);
      await store.query(`delete from inbox where consumer like $1`, [`%${suffix}%`]);
      await store.close();
      await admin.deleteTopics([topic, dlqTopic]);
      await admin.close();
    },
  };
}

/** waitFor polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 60_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * restartConnect stops the stack's Kafka Connect worker with the stack tooling (SIGTERM: its tasks stop and commit
 * what they flushed), then `ensureStackUp` starts it again and re-checks the connector. Returns how the worker
 * stopped. The tooling runs in a child process (tsx with tools/tsconfig.json) because tools/ is its own project,
 * not a dependency of the framework; `ensureStackUp` (not the CLI) so the stack's owner stays who it was.
 */
export async function restartConnect(): Promise<string> {
  const run = promisify(execFile);
  const options = {
    cwd: repoRoot,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(repoRoot, 'tools', 'tsconfig.json') },
  };
  const script = `
    const { loadStackConfig, ensureStackUp } = require('./tools/stack');
    const { stopWorker } = require('./tools/stack/connect/worker');
    const config = loadStackConfig();
    stopWorker(config)
      .then(async (outcome) => { await ensureStackUp({ config }); console.log(outcome); })
      .catch((error) => { console.error(error); process.exit(1); });`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '-e', script], options);
  return stdout.trim();
}
