// The data plane every stateful service needs: its PostgreSQL schema (migrated at start), the outbox, the broker named
// by BROKER (broker/brokers.ts), idempotent consumers and the housekeeping one replica runs for all, handed to createService as components in the
// one order that is safe:
//   start: store (migrate) -> broker (producer) -> consumers -> housekeeping
//   stop:  housekeeping -> consumers -> broker -> store
// Consumers stop first so no handler runs against a closed pool; the store migrates before anything reads it.
//
//   createService({
//     name: 'user', version, config: baseConfig(ports).extend(dataConfig.shape),
//     setup: (ctx) => {
//       const data = createDataPlane(ctx, { schema: 'users', migrationsDir: join(__dirname, 'migrations') });
//       data.consumer().on(AccountCreated, onAccountCreated);   // reads events.auth.account
//       return { services: [...], components: data.components() };
//     },
//   });
import { z } from 'zod';
import {
  brokerNames,
  createBroker,
  DEFAULT_BROKER,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_KAFKA_CLIENT,
  DEFAULT_KAFKA_SASL_MECHANISM,
  DEFAULT_REBALANCE_TIMEOUT_MS,
  DEFAULT_SESSION_TIMEOUT_MS,
  isBrokerName,
  KAFKA_CLIENTS,
  KAFKA_SASL_MECHANISMS,
  type Broker,
} from '../broker';
import { JSON_CONTENT_TYPE, PROTOBUF_CONTENT_TYPE } from '../codec';
import type { BaseConfig } from '../config';
import { createInboxConsumer, PgInbox, type InboxConsumer, type InboxRetryOptions } from '../inbox';
import { InboxMetrics } from '../inbox/inbox-metrics';
import { createOutbox, withEvents, type EventScope, type Outbox } from '../outbox';
import { createStore, type PgStore } from '../store';
import { createPgSync, type Leader, type Sync } from '../sync';
import type { Component, ServiceContext } from './service';

/** dataConfig is the schema of the variables a service with a database and Kafka needs. */
export const dataConfig = z.object({
  DATABASE_URL: z
    .string({ error: 'is required: a postgres:// URL with the service own login role' })
    .regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// URL' }),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /** DATABASE_POOL_MIN: connections kept open while idle, so a saga step at rest does not wait for a new one. */
  DATABASE_POOL_MIN: z.coerce.number().int().min(0).max(100).default(2),
  /** BROKER: the broker by name (brokers.ts): `kafka` (default) or `memory` (tests), or one a project registered. */
  BROKER: z
    .string()
    .default(DEFAULT_BROKER)
    .refine(isBrokerName, {
      error: (issue) => `unknown broker "${String(issue.input)}"; known: ${brokerNames().join(', ')}`,
    }),
  /** KAFKA_CLIENT: the Kafka client of BROKER=kafka (the default was chosen by benchmarks/README.md). */
  KAFKA_CLIENT: z
    .enum(KAFKA_CLIENTS, { error: `must be one of ${KAFKA_CLIENTS.join(', ')}` })
    .default(DEFAULT_KAFKA_CLIENT),
  KAFKA_BROKERS: z
    .string({ error: 'is required: a comma-separated list of host:port' })
    .transform((value) =>
      value
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[^\s:]+:\d+$/, { error: 'each broker must be host:port' })).min(1)),
  /**
   * KAFKA_USERNAME / KAFKA_PASSWORD: the service's own Kafka principal (its name in every deployment of this
   * repository); the broker's ACLs let it read only the topics it consumes and write only their dead-letter topics.
   */
  KAFKA_USERNAME: z
    .string({
      error: "is required: the service's Kafka user (SASL), its name in this repository's deployments",
    })
    .min(1),
  KAFKA_PASSWORD: z.string({ error: "is required: the Kafka user's password (SASL)" }).min(1),
  /** KAFKA_SASL_MECHANISM: how the client signs in (default scram-sha-512, what every deployment here configures). */
  KAFKA_SASL_MECHANISM: z
    .enum(KAFKA_SASL_MECHANISMS, { error: `must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}` })
    .default(DEFAULT_KAFKA_SASL_MECHANISM),
  /** INBOX_RETRY_ATTEMPTS: tries of a failing handler before its record goes to the dead-letter topic. */
  INBOX_RETRY_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  /**
   * INBOX_RETENTION_MS: inbox rows older than this are pruned (default 7 days). Keep it longer than the event topics'
   * retention: a redelivery older than its inbox row would be applied twice.
   */
  INBOX_RETENTION_MS: z.coerce
    .number()
    .int()
    .min(60_000)
    .default(7 * 24 * 60 * 60_000),
  /**
   * OUTBOX_CONTENT_TYPE: the format this service's events go out in, application/json (default) or
   * application/x-protobuf; consumers decode by each record's contentType header, so producers may differ.
   */
  OUTBOX_CONTENT_TYPE: z
    .enum([JSON_CONTENT_TYPE, PROTOBUF_CONTENT_TYPE], {
      error: `must be ${JSON_CONTENT_TYPE} or ${PROTOBUF_CONTENT_TYPE}`,
    })
    .default(JSON_CONTENT_TYPE),
  /** INBOX_PRUNE_INTERVAL_MS: how often the leader replica prunes the inbox (default hourly). */
  INBOX_PRUNE_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(60 * 60_000),
  /**
   * KAFKA_SESSION_TIMEOUT_MS: how long the group waits for a silent consumer (a SIGKILLed process included) before
   * its partitions move; 6000 is the least a broker accepts by default (group.min.session.timeout.ms).
   */
  KAFKA_SESSION_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(300_000)
    .default(DEFAULT_SESSION_TIMEOUT_MS),
  /** KAFKA_HEARTBEAT_INTERVAL_MS: at most a third of the session. */
  KAFKA_HEARTBEAT_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(100_000)
    .default(DEFAULT_HEARTBEAT_INTERVAL_MS),
  /** KAFKA_REBALANCE_TIMEOUT_MS: how long a rebalance waits for the live members to rejoin. */
  KAFKA_REBALANCE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(300_000)
    .default(DEFAULT_REBALANCE_TIMEOUT_MS),
});

/** DataConfig is the typed value of dataConfig. */
export type DataConfig = z.output<typeof dataConfig>;

/** DataPlaneOptions name the service's schema and its migrations folder. */
export interface DataPlaneOptions {
  schema: string;
  /** migrationsDir holds the service's own migrations, applied after the framework's (outbox, inbox). */
  migrationsDir?: string;
  retry?: InboxRetryOptions;
}

/** DataPlane is a service's store, outbox, broker and consumers. */
export interface DataPlane {
  readonly store: PgStore;
  readonly outbox: Outbox;
  readonly broker: Broker;
  /** sync gives cluster-wide locks and leaders on the service's database. */
  readonly sync: Sync;
  /** housekeeping is the leadership (`<schema>.housekeeping`) under which once-per-cluster jobs run; add with every(). */
  readonly housekeeping: Leader;
  /**
   * consumer creates an inbox consumer (its Kafka group and inbox key are `name`, the service name by default); its
   * topics are those of the typed events registered on it with `on`.
   */
  consumer(name?: string): InboxConsumer;
  /** withEvents runs `work` in one transaction in which it can `emit` typed events to the outbox. */
  withEvents<R>(work: (scope: EventScope) => Promise<R>): Promise<R>;
  /** components returns everything above as createService components, in start order. */
  components(): Component[];
}

/** createDataPlane builds the data plane from the loaded config; nothing connects before the components start. */
export function createDataPlane<C extends BaseConfig & DataConfig>(
  ctx: ServiceContext<C>,
  options: DataPlaneOptions,
): DataPlane {
  const { config, logger } = ctx;
  const store = createStore({
    connectionString: config.DATABASE_URL,
    schema: options.schema,
    logger,
    max: config.DATABASE_POOL_MAX,
    min: config.DATABASE_POOL_MIN,
    applicationName: ctx.name,
  });
  const eventMetrics = new InboxMetrics(ctx.metrics);
  const outbox = createOutbox({
    contentType: config.OUTBOX_CONTENT_TYPE,
    onAdded: (eventType, sagaId) => eventMetrics.outboxAdded(eventType, sagaId),
  });
  const broker = createBroker(config.BROKER, {
    clientId: ctx.name,
    logger,
    kafka: {
      client: config.KAFKA_CLIENT,
      brokers: config.KAFKA_BROKERS,
      sasl: {
        mechanism: config.KAFKA_SASL_MECHANISM,
        username: config.KAFKA_USERNAME,
        password: config.KAFKA_PASSWORD,
      },
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: config.KAFKA_HEARTBEAT_INTERVAL_MS,
      rebalanceTimeoutMs: config.KAFKA_REBALANCE_TIMEOUT_MS,
    },
  });
  const consumers: InboxConsumer[] = [];
  const sync = createPgSync({
    connectionString: config.DATABASE_URL,
    logger,
    applicationName: `${ctx.name}-sync`,
    metrics: ctx.metrics,
  });
  // One replica prunes for all: the inbox table stays bounded however many replicas run.
  const housekeeping = sync.leader(`${options.schema}.housekeeping`);
  const inbox = new PgInbox();
  housekeeping.every('inbox-prune', config.INBOX_PRUNE_INTERVAL_MS, async () => {
    const pruned = await inbox.prune(store, config.INBOX_RETENTION_MS);
    if (pruned > 0) logger.info({ pruned, retentionMs: config.INBOX_RETENTION_MS }, 'inbox pruned');
  });

  return {
    store,
    outbox,
    broker,
    sync,
    housekeeping,
    withEvents: (work) => withEvents(store, outbox, work),
    consumer(name = ctx.name) {
      const consumer = createInboxConsumer({
        name,
        broker,
        store,
        outbox,
        logger,
        retry: { attempts: config.INBOX_RETRY_ATTEMPTS, ...options.retry },
        metrics: eventMetrics,
      });
      consumers.push(consumer);
      return consumer;
    },
    components() {
      return [
        {
          name: 'store',
          start: () => store.migrate(options.migrationsDir),
          stop: () => store.close(),
          ready: () => store.ping().then(() => true),
        },
        { name: 'broker', start: () => broker.start(), stop: () => broker.stop() },
        ...consumers.map((consumer, i) => ({
          name: `consumer-${i}`,
          start: () => consumer.start(),
          stop: () => consumer.stop(),
        })),
        // Not awaited for leadership: start() returns after the first campaign, leader or not.
        { name: 'housekeeping', start: () => housekeeping.start(), stop: () => sync.close() },
      ];
    },
  };
}
