// The connector really routes: a row inserted and deleted in one transaction in a service's outbox comes out
// of Debezium's EventRouter on events.<aggregatetype> with the aggregate id as key, the payload bytes as value and
// the id / eventType / traceparent / sagaId / contentType headers; a rolled-back transaction publishes nothing.
// Producers of mixed formats share a topic: each record says its content type.
import { randomUUID } from 'node:crypto';
import { TOOLS_KAFKA_USER } from '@blog/catalog';
import { kafkajsSasl } from '@blog/framework';
import { AggregateTypes, events, topicFor } from '@blog/proto';
// The stack's own tests consume with kafkajs directly: they check what Debezium writes, below the framework.
// eslint-disable-next-line no-restricted-imports
import { Kafka, logLevel, type Consumer, type IHeaders, type KafkaMessage } from 'kafkajs';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const stack = inject('stack');
const topic = topicFor(AggregateTypes.account);

interface Received {
  message: KafkaMessage;
  partition: number;
  at: number;
}

describe('Debezium outbox routing (auth.outbox -> events.auth.account)', () => {
  let consumer: Consumer;
  let db: Client;
  const received: Received[] = [];

  beforeAll(async () => {
    const kafka = new Kafka({
      clientId: 'outbox-routing-test',
      brokers: stack.kafkaBrokers,
      // As the tools' user: it may read the event topics, in groups of its own (e2e-...).
      sasl: kafkajsSasl(stack.kafkaUsers[TOOLS_KAFKA_USER]),
      logLevel: logLevel.NOTHING,
    });
    consumer = kafka.consumer({ groupId: `e2e-outbox-routing-${randomUUID()}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ message, partition }) =>
        void received.push({ message, partition, at: Date.now() }),
    });
    await joined;
    // The service's own login role, as a service would write its outbox.
    db = new Client({ connectionString: stack.databaseUrls.auth });
    await db.connect();
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await db?.end();
  });

  /** writeEvent inserts and deletes one outbox row in a transaction that commits (or rolls back). */
  async function writeEvent(event: OutboxRow, outcome: 'commit' | 'rollback' = 'commit'): Promise<number> {
    await db.query('begin');
    await db.query(
      `insert into outbox (id, aggregatetype, aggregateid, type, payload, content_type, traceparent, saga_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        event.id,
        AggregateTypes.account,
        event.aggregateId,
        event.type,
        event.binary ?? Buffer.from(JSON.stringify(event.payload)),
        event.contentType ?? 'application/json',
        event.traceparent,
        event.sagaId,
      ],
    );
    await db.query('delete from outbox where id = $1', [event.id]);
    await db.query(outcome);
    return Date.now();
  }

  it('publishes the committed event with key, JSON value and headers', async () => {
    const event = newEvent();
    const committedAt = await writeEvent(event);

    const [record] = await waitFor(received, (r) => r.message.key?.toString() === event.aggregateId, 1);

    expect(record.message.key?.toString()).toBe(event.aggregateId);
    expect(JSON.parse(String(record.message.value))).toEqual(event.payload);
    expect(headerStrings(record.message.headers)).toEqual({
      id: event.id,
      eventType: event.type,
      traceparent: event.traceparent,
      sagaId: event.sagaId,
      contentType: 'application/json',
    });
    console.log(`outbox commit -> consumer: ${record.at - committedAt} ms`);
  });

  it('passes protobuf binary through byte for byte beside JSON, each record naming its content type', async () => {
    const aggregateId = randomUUID();
    const message = events.AccountCreated.fromPartial({
      accountId: aggregateId,
      nickname: 'ada',
      blogSlug: 'ada',
    });
    const binary = Buffer.from(events.AccountCreated.encode(message).finish());
    const json = { ...newEvent(), aggregateId };
    const proto = { ...newEvent(), aggregateId, binary, contentType: 'application/x-protobuf' };
    await writeEvent(json);
    await writeEvent(proto);

    const records = await waitFor(received, (r) => r.message.key?.toString() === aggregateId, 2);
    expect(records.map((r) => headerStrings(r.message.headers)['contentType'])).toEqual([
      'application/json',
      'application/x-protobuf',
    ]);
    expect(JSON.parse(String(records[0]?.message.value))).toEqual(json.payload);
    expect(Buffer.compare(records[1]?.message.value ?? Buffer.alloc(0), binary)).toBe(0);
    expect(events.AccountCreated.decode(records[1]?.message.value ?? Buffer.alloc(0))).toMatchObject({
      nickname: 'ada',
    });
  });

  it('keeps every event of one aggregate on one partition, in commit order', async () => {
    const aggregateId = randomUUID();
    const events = Array.from({ length: 10 }, (_, i) => ({
      ...newEvent(),
      aggregateId,
      payload: { seq: i },
    }));
    for (const event of events) await writeEvent(event);

    const records = await waitFor(received, (r) => r.message.key?.toString() === aggregateId, events.length);

    expect(new Set(records.map((r) => r.partition)).size).toBe(1);
    expect(records.map((r) => JSON.parse(String(r.message.value)).seq)).toEqual(
      events.map((e) => e.payload.seq),
    );
  });

  it('publishes nothing for a rolled-back transaction', async () => {
    const aggregateId = randomUUID();
    const rolledBack = { ...newEvent(), aggregateId };
    const committed = { ...newEvent(), aggregateId };
    await writeEvent(rolledBack, 'rollback');
    await writeEvent(committed);

    // The committed event comes after the rolled-back one in the WAL: once it is here, the other would be too.
    await waitFor(received, (r) => r.message.key?.toString() === aggregateId, 1);
    const ids = received
      .filter((r) => r.message.key?.toString() === aggregateId)
      .map((r) => headerStrings(r.message.headers)['id']);
    expect(ids).toEqual([committed.id]);
  });

  it('sends null trace and saga columns as empty headers, not the text "null"', async () => {
    const event = { ...newEvent(), traceparent: null, sagaId: null };
    await writeEvent(event);

    const [record] = await waitFor(received, (r) => r.message.key?.toString() === event.aggregateId, 1);

    const headers = record.message.headers ?? {};
    expect(headerStrings(headers)['eventType']).toBe(event.type);
    for (const name of ['traceparent', 'sagaId']) expect(headers[name] ?? null).toBeNull();
  });

  it('measures commit-to-consume latency over sequential events', async () => {
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const event = newEvent();
      const committedAt = await writeEvent(event);
      const [record] = await waitFor(received, (r) => r.message.key?.toString() === event.aggregateId, 1);
      latencies.push(record.at - committedAt);
    }
    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
    console.log(
      `outbox commit -> consumer over 20 events: p50 ${pct(50)} ms, p90 ${pct(90)} ms, max ${pct(100)} ms`,
    );
    expect(pct(50)).toBeLessThan(1_000);
  });
});

interface OutboxRow {
  id: string;
  aggregateId: string;
  type: string;
  payload: { seq?: number; [key: string]: unknown };
  traceparent: string | null;
  sagaId: string | null;
  binary?: Buffer;
  contentType?: string;
}

function newEvent(): OutboxRow {
  return {
    id: randomUUID(),
    aggregateId: randomUUID(),
    type: 'AccountCreated',
    payload: { accountId: 'acc-1', email: 'ada@example.com', nested: { list: [1, 2, 3], empty: {} } },
    traceparent: `00-${randomUUID().replaceAll('-', '')}-${randomUUID().replaceAll('-', '').slice(0, 16)}-01`,
    sagaId: randomUUID(),
  };
}

/** headerStrings decodes headers; a header sent twice would show up as an array and fail the comparisons. */
function headerStrings(headers: IHeaders | undefined): Record<string, string | string[] | null> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? value.map(String)
        : value === undefined || value === null
          ? null
          : value.toString(),
    ]),
  );
}

/** waitFor resolves with the first `count` received records that match, polling for up to 20 s. */
async function waitFor(
  received: Received[],
  match: (r: Received) => boolean,
  count: number,
): Promise<[Received, ...Received[]]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = received.filter(match);
    if (found.length >= count) return found.slice(0, count) as [Received, ...Received[]];
    if (Date.now() > deadline)
      throw new Error(`only ${found.length} of ${count} records arrived within 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
