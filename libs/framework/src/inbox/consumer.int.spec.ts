// The idempotent consumer against the real stack: events written through the outbox, published by Debezium,
// consumed with kafkajs, deduplicated in PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserCreated, type AggregateType } from '@blog/proto';
import { kafkaSaslEnv, type BrokerMessage, type Subscription } from '../broker';
import { withEvents } from '../outbox';
import { createInboxConsumer, type InboxConsumer } from './consumer';
import { DlqHeaders } from './inbox';
import { addItems, ITEM_ADDED, itemAdded, readItems, recordItem, type ItemAdded } from './testing/items';
import { createScenario, repoRoot, restartConnect, waitFor, type Scenario } from './testing/stack';

/** countById counts item rows per message id: exactly once means every count is 1. */
function countById(rows: { message_id: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.message_id, (counts.get(row.message_id) ?? 0) + 1);
  return counts;
}

describe('InboxConsumer (PostgreSQL, Debezium, Kafka)', () => {
  let scenario: Scenario;
  const running: InboxConsumer[] = [];
  const subscriptions: Subscription[] = [];

  // Every test gets its own topics, consumer groups and items table.
  beforeEach(async () => {
    scenario = await createScenario('inbox');
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
    await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
    await scenario?.dispose();
  });

  async function startConsumer(name: string, options: { failOn?: (item: ItemAdded) => boolean } = {}) {
    const record = recordItem(scenario.itemsTable);
    const consumer = createInboxConsumer({
      name: `${name}-${scenario.suffix}`,
      topics: [scenario.topic],
      broker: scenario.broker,
      store: scenario.store,
      logger: scenario.logger,
      retry: { attempts: 3, initialDelayMs: 50, maxDelayMs: 200 },
    }).on(ITEM_ADDED, itemAdded, async (item, ctx) => {
      if (options.failOn?.(item)) throw new Error(`poison item ${item.aggregateId}#${item.seq}`);
      await record(item, ctx);
    });
    running.push(consumer);
    await consumer.start();
    return consumer;
  }

  const items = () => readItems(scenario.store, scenario.itemsTable);
  const waitForItems = (count: number, timeoutMs = 90_000) =>
    waitFor(
      `${count} processed items`,
      async () => ((await items()).length >= count ? true : undefined),
      timeoutMs,
      100,
    );

  it("consumes 1,000 events over 50 aggregates and 3 partitions with each aggregate's events in order", async () => {
    await startConsumer('order');
    const aggregates = Array.from({ length: 50 }, (_, i) => `agg-${i}`);
    // 20 rounds; each transaction writes one event of every aggregate, so one aggregate's events span 20 commits.
    for (let seq = 1; seq <= 20; seq++) {
      await addItems(
        scenario.store,
        scenario.outbox,
        scenario.aggregateType,
        aggregates.map((aggregateId) => ({ aggregateId, seq })),
      );
    }
    await waitForItems(1_000);

    const rows = await items();
    expect(rows).toHaveLength(1_000);
    expect([...countById(rows).values()].every((n) => n === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.partition))).toEqual(new Set([0, 1, 2]));
    for (const aggregateId of aggregates) {
      const ofAggregate = rows.filter((r) => r.aggregate_id === aggregateId);
      expect(ofAggregate.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(new Set(ofAggregate.map((r) => r.partition)).size).toBe(1);
    }
  });

  it('absorbs a re-produced (duplicate) record', async () => {
    await startConsumer('dup');
    const seen: BrokerMessage[] = [];
    subscriptions.push(
      await scenario.broker.subscribe({
        topics: [scenario.topic],
        groupId: `raw-dup-${scenario.suffix}`,
        fromBeginning: false,
        handler: async (m) => void seen.push(m),
      }),
    );
    const [original] = await addItems(scenario.store, scenario.outbox, scenario.aggregateType, [
      { aggregateId: 'dup', seq: 1 },
    ]);
    await waitForItems(1);
    const record = await waitFor('the original record', () => seen.find((m) => m.headers.id === original));
    await scenario.broker.publish(scenario.topic, [
      { key: record.key, value: record.value, headers: record.headers },
    ]);
    // A later event of the same aggregate (same partition): once it is processed, the duplicate was handled too.
    const [marker] = await addItems(scenario.store, scenario.outbox, scenario.aggregateType, [
      { aggregateId: 'dup', seq: 2 },
    ]);
    await waitForItems(2);

    expect(seen.filter((m) => m.headers.id === original)).toHaveLength(2);
    expect((await items()).map((r) => [r.message_id, r.seq])).toEqual([
      [original, 1],
      [marker, 2],
    ]);
  });

  it('dead-letters a record whose handler keeps failing, with the error, and processes the records after it', async () => {
    await startConsumer('dlq', { failOn: (item) => item.aggregateId === 'poison' && item.seq === 2 });
    const dead: BrokerMessage[] = [];
    subscriptions.push(
      await scenario.broker.subscribe({
        topics: [scenario.dlqTopic],
        groupId: `raw-dlq-${scenario.suffix}`,
        handler: async (m) => void dead.push(m),
      }),
    );
    const ids = await addItems(
      scenario.store,
      scenario.outbox,
      scenario.aggregateType,
      [1, 2, 3, 4].map((seq) => ({ aggregateId: 'poison', seq })),
    );
    await waitForItems(3);
    await waitFor('the dead letter', () => dead.length > 0);

    expect((await items()).map((r) => r.seq)).toEqual([1, 3, 4]);
    expect(dead).toHaveLength(1);
    const [letter] = dead;
    expect(letter.key).toBe('poison');
    expect(JSON.parse(String(letter.value))).toEqual({ aggregateId: 'poison', seq: 2 });
    expect(letter.headers).toMatchObject({
      id: ids[1],
      eventType: ITEM_ADDED,
      [DlqHeaders.reason]: 'handler-failed',
      [DlqHeaders.errorMessage]: 'poison item poison#2',
      [DlqHeaders.errorClass]: 'Error',
      [DlqHeaders.attempts]: '3',
      [DlqHeaders.consumer]: `dlq-${scenario.suffix}`,
      [DlqHeaders.originalTopic]: scenario.topic,
      [DlqHeaders.originalPartition]: String((await items())[0].partition),
      [DlqHeaders.originalOffset]: '1',
    });
  });

  it('handles the events that waited in one transaction per batch, each once and in order, dead-letters only the failing one and skips duplicates', async () => {
    // Written before the consumer starts: they wait in the partition, so they come in batches.
    const ids = await addItems(
      scenario.store,
      scenario.outbox,
      scenario.aggregateType,
      Array.from({ length: 60 }, (_, i) => ({ aggregateId: 'batched', seq: i + 1 })),
    );
    const record = recordItem(scenario.itemsTable);
    // The transaction each event's handler ran in last (the committed run: a rolled-back batch runs some again).
    const txOf = new Map<string, string>();
    const consumer = createInboxConsumer({
      name: `batch-${scenario.suffix}`,
      topics: [scenario.topic],
      broker: scenario.broker,
      store: scenario.store,
      logger: scenario.logger,
      retry: { attempts: 3, initialDelayMs: 50, maxDelayMs: 200 },
      // Small batches, so that the poison's batch (handled one by one) is one of several.
      maxBatchSize: 10,
    }).on(ITEM_ADDED, itemAdded, async (item, ctx) => {
      const { rows } = await ctx.tx.query<{ tx: string }>('select txid_current()::text as tx');
      txOf.set(ctx.messageId, rows[0].tx);
      if (item.seq === 30) throw new Error('poison item batched#30');
      await record(item, ctx);
    });
    running.push(consumer);
    const dead: BrokerMessage[] = [];
    const seen: BrokerMessage[] = [];
    subscriptions.push(
      await scenario.broker.subscribe({
        topics: [scenario.dlqTopic],
        groupId: `raw-dlq-${scenario.suffix}`,
        handler: async (m) => void dead.push(m),
      }),
      await scenario.broker.subscribe({
        topics: [scenario.topic],
        groupId: `raw-${scenario.suffix}`,
        handler: async (m) => void seen.push(m),
      }),
    );
    await consumer.start();
    await waitForItems(59);
    await waitFor('the dead letter', () => dead.length > 0);

    const expected = Array.from({ length: 60 }, (_, i) => i + 1).filter((seq) => seq !== 30);
    expect((await items()).map((r) => r.seq)).toEqual(expected);
    expect(dead.map((m) => [m.headers.id, m.headers[DlqHeaders.attempts]])).toEqual([[ids[29], '3']]);
    const committedTxs = new Set(ids.filter((id) => id !== ids[29]).map((id) => txOf.get(id)));
    expect(committedTxs.size).toBeLessThan(30);

    // Copies of ten handled records, produced again together, then a new event of the same aggregate (same
    // partition): once the new one is handled, the copies were too, and changed nothing.
    await waitFor('the raw copies', () => seen.length >= 60);
    await scenario.broker.publish(
      scenario.topic,
      seen.slice(0, 10).map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
    );
    await addItems(scenario.store, scenario.outbox, scenario.aggregateType, [
      { aggregateId: 'batched', seq: 61 },
    ]);
    await waitForItems(60);
    expect((await items()).map((r) => r.seq)).toEqual([...expected, 61]);
  });

  it('dead-letters a record in a content type nobody decodes at once, naming it, and goes on', async () => {
    await startConsumer('content-type');
    const dead: BrokerMessage[] = [];
    subscriptions.push(
      await scenario.broker.subscribe({
        topics: [scenario.dlqTopic],
        groupId: `raw-ct-${scenario.suffix}`,
        handler: async (m) => void dead.push(m),
      }),
    );
    // A producer writing a format no consumer knows, through the real outbox row and Debezium.
    const unknownId = randomUUID();
    await scenario.store.withTransaction(async (tx) => {
      await tx.query(
        `insert into outbox (id, aggregatetype, aggregateid, type, payload, content_type) values ($1, $2, 'odd', $3, $4, $5)`,
        [unknownId, scenario.aggregateType, ITEM_ADDED, Buffer.from([1, 2, 3]), 'application/avro'],
      );
      await tx.query('delete from outbox where id = $1', [unknownId]);
    });
    await addItems(scenario.store, scenario.outbox, scenario.aggregateType, [{ aggregateId: 'odd', seq: 2 }]);
    await waitForItems(1);
    await waitFor('the dead letter', () => dead.length > 0);

    expect((await items()).map((r) => r.seq)).toEqual([2]);
    expect(dead[0]?.headers).toMatchObject({
      id: unknownId,
      contentType: 'application/avro',
      [DlqHeaders.reason]: 'undecodable',
      // Not retried: no attempt can decode it.
      [DlqHeaders.attempts]: '0',
    });
    expect(dead[0]?.headers[DlqHeaders.errorMessage]).toMatch(
      /^unsupported content type "application\/avro"/,
    );
  });

  it('dead-letters a typed event whose payload breaks its descriptor at once, naming the field, and goes on', async () => {
    // UserCreated as it is declared (userId a UUID), routed to this scenario's topic instead of events.user.profile.
    const TestUserCreated = {
      ...UserCreated,
      aggregate: scenario.aggregateType as AggregateType,
      topic: scenario.topic,
    };
    const handled: string[] = [];
    const consumer = createInboxConsumer({
      name: `typed-${scenario.suffix}`,
      broker: scenario.broker,
      store: scenario.store,
      logger: scenario.logger,
      retry: { attempts: 5, initialDelayMs: 50, maxDelayMs: 200 },
    }).on(TestUserCreated, async (event) => void handled.push(event.userId));
    running.push(consumer);
    await consumer.start();
    expect(consumer.topics).toEqual([scenario.topic]);
    const dead: BrokerMessage[] = [];
    subscriptions.push(
      await scenario.broker.subscribe({
        topics: [scenario.dlqTopic],
        groupId: `raw-typed-${scenario.suffix}`,
        handler: async (m) => void dead.push(m),
      }),
    );

    // Both through emit, the outbox row and Debezium; one key, so the good one is handled after the bad one.
    const good = randomUUID();
    const [badId] = await withEvents(scenario.store, scenario.outbox, async ({ emit }) => [
      await emit(TestUserCreated, 'k', { userId: 'not-a-uuid', nickname: 'ada', blogSlug: 'ada' }),
      await emit(TestUserCreated, 'k', { userId: good, nickname: 'bob', blogSlug: 'bob' }),
    ]);
    await waitFor('the good event', () => handled.length > 0);
    await waitFor('the dead letter', () => dead.length > 0);

    expect(handled).toEqual([good]);
    expect(dead).toHaveLength(1);
    expect(dead[0].headers).toMatchObject({
      id: badId,
      eventType: 'UserCreated',
      [DlqHeaders.reason]: 'undecodable',
      // Not retried: no attempt can mend a payload that breaks its contract.
      [DlqHeaders.attempts]: '0',
      [DlqHeaders.errorMessage]: 'UserCreated: userId "not-a-uuid" is not a UUID',
    });
  });

  it('applies every one of N events exactly once while Kafka Connect restarts in the middle of the stream', async () => {
    await startConsumer('connect');
    const total = 300;
    const ids: string[] = [];
    const add = async (seq: number) =>
      ids.push(
        ...(await addItems(scenario.store, scenario.outbox, scenario.aggregateType, [
          { aggregateId: `c-${seq % 7}`, seq },
        ])),
      );
    const pace = () => new Promise((r) => setTimeout(r, 10));
    // A third before the restart, a third while Connect stops and starts, the rest once it is back.
    for (let seq = 1; seq <= 100; seq++) await add(seq).then(pace);
    const restarted = restartConnect();
    for (let seq = 101; seq <= 200; seq++) await add(seq).then(pace);
    expect(await restarted).toMatch(/^(stopped|killed)$/);
    for (let seq = 201; seq <= total; seq++) await add(seq);
    await waitForItems(total, 180_000);
    // Give redelivered duplicates (Debezium resends what it had not flushed before the restart) time to arrive.
    await new Promise((r) => setTimeout(r, 2_000));

    const rows = await items();
    const counts = countById(rows);
    expect(rows).toHaveLength(total);
    expect(ids.every((id) => counts.get(id) === 1)).toBe(true);
    const published = await scenario.admin.recordCount(scenario.topic);
    expect(published).toBeGreaterThanOrEqual(total);
    console.info(
      `Connect restart: ${published} records published for ${total} events (${published - total} re-sent)`,
    );
  }, 300_000);

  it('absorbs the redelivery after a consumer is SIGKILLed between its database commit and its offset commit', async () => {
    const consumerName = `crash-${scenario.suffix}`;
    const ids = await addItems(
      scenario.store,
      scenario.outbox,
      scenario.aggregateType,
      Array.from({ length: 10 }, (_, i) => ({ aggregateId: 'crash', seq: i + 1 })),
    );
    const victim = ids[4];
    const first = runChild(consumerName, victim);
    const exit = await first.exited;
    expect(exit.signal).toBe('SIGKILL');
    const afterCrash = await items();
    // The victim's transaction committed; so did the rest of its batch, when it came in one.
    const handled = afterCrash.length;
    expect(handled).toBeGreaterThanOrEqual(5);
    expect(afterCrash.map((r) => r.seq)).toEqual(Array.from({ length: handled }, (_, i) => i + 1));
    // The victim's offset (4) was not committed: the next run starts with the victim's record again (or before it,
    // when the last batch of commits had not gone out either; the inbox skips those as well).
    const committed = Number(
      (await scenario.admin.committedOffsets(consumerName, scenario.topic)).get(afterCrash[0].partition),
    );
    expect(committed).toBeLessThanOrEqual(4);

    const second = runChild(consumerName);
    try {
      await waitForItems(10);
      await waitFor(
        'the duplicate to be skipped',
        () =>
          second.output().includes(`"messageId":"${victim}"`) &&
          second.output().includes('duplicate event skipped'),
      );
    } finally {
      second.process.kill('SIGTERM');
      await second.exited;
    }
    const rows = await items();
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect([...countById(rows).values()].every((n) => n === 1)).toBe(true);
    const skipped = second
      .output()
      .split('\n')
      .filter((line) => line.includes('duplicate event skipped'))
      .map((line) => JSON.parse(line) as { messageId: string });
    expect(skipped.map((l) => l.messageId)).toEqual(ids.slice(committed, handled));
  }, 120_000);

  function runChild(consumer: string, killAfterId?: string) {
    let output = '';
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'testing', 'consumer.child.ts')],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          TSX_TSCONFIG_PATH: join(repoRoot, 'tools', 'tsconfig.json'),
          DATABASE_URL: scenario.settings.visitorUrl,
          KAFKA_BROKERS: scenario.settings.brokers.join(','),
          ...(scenario.settings.sasl ? kafkaSaslEnv(scenario.settings.sasl) : {}),
          TOPIC: scenario.topic,
          CONSUMER: consumer,
          ITEMS_TABLE: scenario.itemsTable,
          KILL_AFTER_ID: killAfterId ?? '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    return { process: child, exited, output: () => output };
  }
});
