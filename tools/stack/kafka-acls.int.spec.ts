// The broker enforces the catalog's ACLs (libs/catalog kafka-acls.ts) on the real stack: a service reads only what it
// consumes, in its own group, and writes only its dead-letter topics; only Debezium writes the event topics; a client
// without credentials, or with a wrong password, gets nothing. Each refusal is Kafka's own error code, through the
// framework's Broker on both Kafka clients where a service would meet it.
import { randomUUID } from 'node:crypto';
import { DEBEZIUM_KAFKA_USER, KAFKA_ADMIN_USER } from '@blog/catalog';
import {
  createKafkaBroker,
  createLogger,
  KAFKA_CLIENTS,
  kafkajsSasl,
  type Broker,
  type KafkaSasl,
} from '@blog/framework';
// The stack's own tests talk kafkajs directly for what the framework's Broker does not expose (a bare subscribe,
// group offsets, record deletion).
// eslint-disable-next-line no-restricted-imports
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const stack = inject('stack');
const logger = createLogger({ service: 'acl-test', version: '0', level: 'silent' });
const user = (name: string): KafkaSasl => {
  const sasl = stack.kafkaUsers[name];
  if (!sasl) throw new Error(`no Kafka user ${name} in the stack's info`);
  return sasl;
};
const kafkaAs = (sasl: KafkaSasl | undefined) =>
  new Kafka({
    clientId: `acl-test-${randomUUID().slice(0, 8)}`,
    brokers: stack.kafkaBrokers,
    sasl: kafkajsSasl(sasl),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 1 },
  });
const record = () => [{ key: 'acl-test', value: Buffer.from('{}'), headers: { 'acl.test': 'true' } }];

/** errorText flattens an error and its causes (the clients wrap the broker's code in a few layers). */
function errorText(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  const visit = (e: unknown) => {
    if (!e || typeof e !== 'object' || seen.has(e)) return;
    seen.add(e);
    const err = e as {
      apiId?: string;
      name?: string;
      message?: string;
      type?: string;
      code?: string;
      apiCode?: number;
      cause?: unknown;
      errors?: unknown[];
    };
    parts.push(
      [err.name, err.type, err.code, err.apiCode, err.message].filter((p) => p !== undefined).join(' '),
    );
    visit(err.cause);
    for (const inner of err.errors ?? []) visit(inner);
  };
  visit(error);
  return parts.join(' | ');
}

async function refusal(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
  } catch (error) {
    return errorText(error);
  }
  throw new Error('the broker allowed it');
}

describe('Kafka ACLs on the stack broker', () => {
  const admin = kafkaAs(user(KAFKA_ADMIN_USER)).admin();
  const scratchTopic = `events.acltest.${randomUUID().slice(0, 8)}`;
  const brokers: Broker[] = [];
  const started = async (client: (typeof KAFKA_CLIENTS)[number], sasl: KafkaSasl | undefined) => {
    const broker = createKafkaBroker({
      client,
      brokers: stack.kafkaBrokers,
      clientId: `acl-test-${client}`,
      logger,
      sasl,
      connectionTimeoutMs: 3_000,
    });
    brokers.push(broker);
    await broker.start();
    return broker;
  };

  beforeAll(async () => {
    await admin.connect();
    // A topic of its own under events.: Debezium's write lands there, not on a topic the services consume.
    await admin.createTopics({ topics: [{ topic: scratchTopic, numPartitions: 1, replicationFactor: 1 }] });
  });

  afterAll(async () => {
    for (const broker of brokers) await broker.stop().catch(() => undefined);
    // The dead-letter records written here go again, so the e2e suite's DLQ views stay as the sagas left them.
    const offsets = await admin.fetchTopicOffsets('events.blog.blog.dlq');
    await admin.deleteTopicRecords({
      topic: 'events.blog.blog.dlq',
      partitions: offsets.map((p) => ({ partition: p.partition, offset: p.high })),
    });
    await admin.deleteTopics({ topics: [scratchTopic] });
    await admin.disconnect();
  });

  it('lets a service subscribe to what it consumes and refuses another service s topic', async () => {
    const consumer = kafkaAs(user('post')).consumer({ groupId: 'post' });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: ['events.blog.blog'] });
      expect(await refusal(() => consumer.subscribe({ topics: ['events.auth.account'] }))).toMatch(
        /TOPIC_AUTHORIZATION_FAILED|Not authorized to access topics/,
      );
    } finally {
      await consumer.disconnect();
    }
  });

  it('refuses a service another service s consumer group', async () => {
    const postAdmin = kafkaAs(user('post')).admin();
    await postAdmin.connect();
    try {
      await postAdmin.fetchOffsets({ groupId: 'post', topics: ['events.blog.blog'] });
      // The broker answers GROUP_AUTHORIZATION_FAILED to the coordinator lookup, which kafkajs reports as no coordinator.
      expect(
        await refusal(() => postAdmin.fetchOffsets({ groupId: 'user', topics: ['events.blog.blog'] })),
      ).toMatch(/GROUP_AUTHORIZATION_FAILED|GroupCoordinatorNotFound/);
    } finally {
      await postAdmin.disconnect();
    }
  });

  for (const client of KAFKA_CLIENTS) {
    describe(`through the framework's Broker on ${client}`, () => {
      it('lets a service write its own dead-letter topic and nothing of events.*', async () => {
        const post = await started(client, user('post'));
        await post.publish('events.blog.blog.dlq', record());
        for (const topic of ['events.blog.blog', 'events.post.post', 'events.auth.account.dlq']) {
          expect(await refusal(() => post.publish(topic, record())), topic).toMatch(
            /TOPIC_AUTHORIZATION_FAILED|authoriz/i,
          );
        }
      });

      it('lets Debezium write events.*', async () => {
        const debezium = await started(client, user(DEBEZIUM_KAFKA_USER));
        await debezium.publish(scratchTopic, record());
      });

      it('refuses a client without credentials or with a wrong password', async () => {
        expect(await refusal(() => started(client, undefined))).not.toBe('');
        const wrong = { ...user('post'), password: 'not-the-password' };
        expect(await refusal(() => started(client, wrong))).toMatch(/SASL|[Aa]uthentication/);
      });
    });
  }

  it('wrote what it was allowed to (the records are there)', async () => {
    const offsets = await admin.fetchTopicOffsets(scratchTopic);
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(KAFKA_CLIENTS.length);
  });
});
