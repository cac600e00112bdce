// One Broker contract, run against every Kafka client on the real stack (Kafka, Kafka Connect + Debezium, PostgreSQL):
// per-key order, consumer groups and rebalance, the offset committed only after the handler, a rejected record
// delivered again before anything after it, batches (consecutive records of one partition; a rejected one again
// whole), dead letters, the redelivery after a crash between the handler's commit and the offset's, and the outbox
// headers through Debezium. A client that breaks one of these cannot be selected.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROTOBUF_CONTENT_TYPE } from '../../codec';
import { createInboxConsumer, DlqHeaders, type InboxConsumer } from '../../inbox';
import { addItems, ITEM_ADDED, itemAdded, readItems, recordItem } from '../../inbox/testing/items';
import { createScenario, repoRoot, waitFor, type Scenario } from '../../inbox/testing/stack';
import { createOutbox } from '../../outbox';
import type { BrokerMessage, OutgoingMessage, Subscription } from '../broker';
import { KAFKA_CLIENTS } from './create';
import { kafkaSaslEnv } from './sasl';

const text = (m: BrokerMessage) => String(m.value);

describe.each(KAFKA_CLIENTS)('Broker contract on the %s client', (client) => {
  let scenario: Scenario;
  const subscriptions: Subscription[] = [];
  const consumers: InboxConsumer[] = [];

  beforeEach(async () => {
    scenario = await createScenario(`contract${client}`, client);
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
    await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
    await scenario?.dispose();
  });

  /** collect subscribes a member of `groupId` that records every delivery. */
  async function collect(groupId: string, seen: BrokerMessage[], topic = scenario.topic) {
    const subscription = await scenario.broker.subscribe({
      topics: [topic],
      groupId: `${groupId}-${scenario.suffix}`,
      handler: async (m) => void seen.push(m),
    });
    subscriptions.push(subscription);
    return subscription;
  }

  /** publishKeyed publishes `perKey` records for each key, values `<key>:<n>`, one call per round. */
  async function publishKeyed(keys: readonly string[], perKey: number, from = 0) {
    for (let n = from; n < from + perKey; n++) {
      const round: OutgoingMessage[] = keys.map((key) => ({ key, value: Buffer.from(`${key}:${n}`) }));
      await scenario.broker.publish(scenario.topic, round);
    }
  }

  /** firstSeen keeps the first delivery of each value: a record may come twice around a rebalance, never out of order. */
  const firstSeen = (seen: BrokerMessage[]) => [...new Set(seen.map(text))];

  it('keeps each key in one partition and in publish order', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
    await publishKeyed(keys, 15);
    const seen: BrokerMessage[] = [];
    await collect('order', seen);
    await waitFor('300 records', () => seen.length >= 300);

    expect(seen).toHaveLength(300);
    for (const key of keys) {
      const ofKey = seen.filter((m) => m.key === key);
      expect(new Set(ofKey.map((m) => m.partition)).size).toBe(1);
      expect(ofKey.map(text)).toEqual(Array.from({ length: 15 }, (_, n) => `${key}:${n}`));
    }
    expect(new Set(seen.map((m) => m.partition))).toEqual(new Set([0, 1, 2]));
  });

  it('shares the partitions between the members of a group and moves them when one leaves', async () => {
    const keys = Array.from({ length: 12 }, (_, i) => `g${i}`);
    const seenA: BrokerMessage[] = [];
    const seenB: BrokerMessage[] = [];
    const groupId = `group-${scenario.suffix}`;
    const a = await collect('group', seenA);
    await publishKeyed(keys, 5);
    await waitFor('the first 60 records at A', () => seenA.length >= 60);

    await collect('group', seenB);
    const shared = await waitFor('both members holding partitions', async () => {
      const members = await scenario.admin.groupMembers(groupId);
      return members.length === 2 && members.every((m) => m.partitions > 0) ? members : undefined;
    });
    expect(shared.reduce((sum, m) => sum + m.partitions, 0)).toBe(3);
    await publishKeyed(keys, 5, 5);
    await waitFor('the next 60 records', () => firstSeen([...seenA, ...seenB]).length >= 120);
    expect(seenB.length).toBeGreaterThan(0);

    await a.stop();
    subscriptions.splice(subscriptions.indexOf(a), 1);
    await waitFor('B alone holding every partition', async () => {
      const members = await scenario.admin.groupMembers(groupId);
      return members.length === 1 && members[0].partitions === 3;
    });
    await publishKeyed(keys, 5, 10);
    await waitFor(
      'the last 60 records at B',
      () => firstSeen(seenB).filter((v) => /:1[0-4]$/.test(v)).length >= 60,
    );

    // Whoever held a key's partition, each key's records were handled in order, none lost.
    const all = [...seenA, ...seenB].sort((x, y) => Number(BigInt(x.offset) - BigInt(y.offset)));
    for (const key of keys) {
      expect(firstSeen(all.filter((m) => m.key === key))).toEqual(
        Array.from({ length: 15 }, (_, n) => `${key}:${n}`),
      );
    }
  });

  it('commits an offset only after its handler resolved', async () => {
    await scenario.broker.publish(scenario.topic, [
      { key: 'c', value: Buffer.from('c:0') },
      { key: 'c', value: Buffer.from('c:1') },
      { key: 'c', value: Buffer.from('c:2') },
    ]);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const started: string[] = [];
    const groupId = `commit-${scenario.suffix}`;
    subscriptions.push(
      await scenario.broker.subscribe({
        topics: [scenario.topic],
        groupId,
        handler: async (m) => {
          started.push(text(m));
          if (text(m) === 'c:1') await held;
        },
      }),
    );
    await waitFor('the handler of c:1 running', () => started.includes('c:1'));
    const partition = await waitFor('c:0 committed', async () => {
      const committed = await scenario.admin.committedOffsets(groupId, scenario.topic);
      return [...committed].find(([, offset]) => offset === '1')?.[0];
    });
    // c:1 is in its handler: its offset (and c:2's) must not be committed, and c:2 must not have started.
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await scenario.admin.committedOffsets(groupId, scenario.topic)).get(partition)).toBe('1');
    expect(started).toEqual(['c:0', 'c:1']);

    release();
    await waitFor('every offset committed', async () => {
      const committed = await scenario.admin.committedOffsets(groupId, scenario.topic);
      return committed.get(partition) === '3';
    });
    expect(started).toEqual(['c:0', 'c:1', 'c:2']);
  });

  it('delivers a rejected record again before anything after it in its partition', async () => {
    await publishKeyed(['r'], 4);
    const attempts: string[] = [];
    let failures = 0;
    subscriptions.push(
      await scenario.broker.subscribe({
        topics: [scenario.topic],
        groupId: `reject-${scenario.suffix}`,
        handler: async (m) => {
          attempts.push(text(m));
          if (text(m) === 'r:1' && failures++ < 2) throw new Error('not yet');
        },
      }),
    );
    await waitFor('every record handled', () => attempts.includes('r:3'));
    expect(attempts).toEqual(['r:0', 'r:1', 'r:1', 'r:1', 'r:2', 'r:3']);
  });

  it('hands a batchHandler consecutive records of one partition in offset order, those that waited together, capped', async () => {
    await publishKeyed(['b'], 30);
    const batches: BrokerMessage[][] = [];
    const groupId = `batch-${scenario.suffix}`;
    subscriptions.push(
      await scenario.broker.subscribe({
        topics: [scenario.topic],
        groupId,
        handler: async () => expect.unreachable('a batchHandler is given'),
        batchHandler: async (messages) => {
          batches.push([...messages]);
          // The first delivery takes a while, as under load: the records fetched meanwhile queue up behind it.
          if (batches.length === 1) await new Promise((r) => setTimeout(r, 500));
        },
        maxBatchSize: 10,
      }),
    );
    await waitFor('30 records', () => batches.flat().length >= 30);

    expect(batches.flat().map(text)).toEqual(Array.from({ length: 30 }, (_, n) => `b:${n}`));
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(10);
      expect(new Set(batch.map((m) => m.partition)).size).toBe(1);
      const offsets = batch.map((m) => Number(m.offset));
      expect(offsets).toEqual(offsets.map((_, i) => offsets[0] + i));
    }
    expect(batches.some((batch) => batch.length > 1)).toBe(true);
    await waitFor('the last offset committed', async () => {
      const committed = await scenario.admin.committedOffsets(groupId, scenario.topic);
      return committed.get(batches[0][0].partition) === '30';
    });
  });

  it('delivers a rejected batch again whole before anything after it in its partition', async () => {
    await publishKeyed(['r'], 12);
    const batches: string[][] = [];
    const handled: string[] = [];
    let rejected: string[] | undefined;
    subscriptions.push(
      await scenario.broker.subscribe({
        topics: [scenario.topic],
        groupId: `batch-reject-${scenario.suffix}`,
        handler: async () => expect.unreachable('a batchHandler is given'),
        batchHandler: async (messages) => {
          const texts = messages.map(text);
          batches.push(texts);
          if (batches.length === 1) await new Promise((r) => setTimeout(r, 500));
          if (texts.length > 1 && !rejected) {
            rejected = texts;
            throw new Error('not yet');
          }
          handled.push(...texts);
        },
      }),
    );
    await waitFor('every record handled', () => handled.includes('r:11'));

    expect(rejected).toBeDefined();
    expect(batches[batches.indexOf(rejected ?? []) + 1]).toEqual(rejected);
    expect(handled).toEqual(Array.from({ length: 12 }, (_, n) => `r:${n}`));
  });

  it('dead-letters a record whose handler keeps failing, and goes on', async () => {
    const record = recordItem(scenario.itemsTable);
    const consumer = createInboxConsumer({
      name: `dlq-${scenario.suffix}`,
      topics: [scenario.topic],
      broker: scenario.broker,
      store: scenario.store,
      logger: scenario.logger,
      retry: { attempts: 2, initialDelayMs: 20, maxDelayMs: 50 },
    }).on(ITEM_ADDED, itemAdded, async (item, ctx) => {
      if (item.seq === 2) throw new Error('poison');
      await record(item, ctx);
    });
    consumers.push(consumer);
    await consumer.start();
    const dead: BrokerMessage[] = [];
    await collect('dead', dead, scenario.dlqTopic);
    const ids = await addItems(
      scenario.store,
      scenario.outbox,
      scenario.aggregateType,
      [1, 2, 3].map((seq) => ({ aggregateId: 'poison', seq })),
    );
    await waitFor('the dead letter and the records after it', async () =>
      dead.length > 0 && (await readItems(scenario.store, scenario.itemsTable)).length >= 2
        ? true
        : undefined,
    );
    expect((await readItems(scenario.store, scenario.itemsTable)).map((r) => r.seq)).toEqual([1, 3]);
    expect(dead.map((m) => m.headers.id)).toEqual([ids[1]]);
    expect(dead[0].headers).toMatchObject({
      [DlqHeaders.reason]: 'handler-failed',
      [DlqHeaders.attempts]: '2',
    });
  });

  it('delivers a record again to the next member after a crash between the handler and the offset commit', async () => {
    const consumerName = `crash-${scenario.suffix}`;
    const ids = await addItems(
      scenario.store,
      scenario.outbox,
      scenario.aggregateType,
      Array.from({ length: 6 }, (_, i) => ({ aggregateId: 'crash', seq: i + 1 })),
    );
    const victim = ids[2];
    const first = runChild(consumerName, victim);
    expect((await first.exited).signal).toBe('SIGKILL');
    const rows = await readItems(scenario.store, scenario.itemsTable);
    // The victim's transaction committed; so did the rest of its batch, when it came in one.
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
    // The victim's transaction committed, its offset did not: the group resumes at the victim (or before it, when
    // a client batches its commits and the last batch had not gone out either: the inbox absorbs those too).
    const committed = (await scenario.admin.committedOffsets(consumerName, scenario.topic)).get(
      rows[0].partition,
    );
    expect(Number(committed)).toBeLessThanOrEqual(2);

    const second = runChild(consumerName);
    try {
      await waitFor(
        'every item',
        async () => (await readItems(scenario.store, scenario.itemsTable)).length >= 6,
      );
      await waitFor(
        'the redelivered victim skipped by the inbox',
        () =>
          second.output().includes(`"messageId":"${victim}"`) &&
          second.output().includes('duplicate event skipped'),
      );
    } finally {
      second.kill();
      await second.exited;
    }
    expect((await readItems(scenario.store, scenario.itemsTable)).map((r) => r.seq)).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
  });

  it('keeps the outbox headers (id, eventType, traceparent, sagaId, contentType) through Debezium', async () => {
    const seen: BrokerMessage[] = [];
    await collect('headers', seen);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const binary = Uint8Array.of(8, 1, 18, 2, 104, 105);
    const id = await scenario.store.withTransaction((tx) =>
      createOutbox({ contentType: PROTOBUF_CONTENT_TYPE }).add(tx, {
        aggregateType: scenario.aggregateType,
        aggregateId: 'h-1',
        type: ITEM_ADDED,
        payload: { aggregateId: 'h-1', seq: 1 },
        binary: () => binary,
        traceparent,
        sagaId: 'saga-h-1',
      }),
    );
    await waitFor('the event', () => seen.some((m) => m.headers.id === id));
    const [event] = seen;
    expect(event.key).toBe('h-1');
    expect(event.headers).toMatchObject({
      id,
      eventType: ITEM_ADDED,
      traceparent,
      sagaId: 'saga-h-1',
      contentType: PROTOBUF_CONTENT_TYPE,
    });
    expect(Uint8Array.from(event.value ?? [])).toEqual(binary);
  });

  function runChild(consumer: string, killAfterId?: string) {
    let output = '';
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '..', '..', 'inbox', 'testing', 'consumer.child.ts')],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          TSX_TSCONFIG_PATH: join(repoRoot, 'tools', 'tsconfig.json'),
          DATABASE_URL: scenario.settings.visitorUrl,
          KAFKA_BROKERS: scenario.settings.brokers.join(','),
          ...(scenario.settings.sasl ? kafkaSaslEnv(scenario.settings.sasl) : {}),
          KAFKA_CLIENT: client,
          TOPIC: scenario.topic,
          CONSUMER: consumer,
          ITEMS_TABLE: scenario.itemsTable,
          KILL_AFTER_ID: killAfterId ?? '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (_code, signal) => resolve({ signal })),
    );
    return { exited, output: () => output, kill: () => child.kill('SIGTERM') };
  }
});
