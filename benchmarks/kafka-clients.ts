// The Kafka clients side by side, in one run on the local stack (`npm run stack:up`): produce and consume throughput
// through the Broker interface, and outbox commit -> inbox handler latency through PostgreSQL's WAL, Debezium and
// Kafka. Every phase runs each client in turn, in an order that alternates between rounds, so both see the same load;
// ratios are to kafkajs (the client the project started on).
//
//   npm run bench:kafka -- [records=10000] [events=100] [rounds=2]
import { performance } from 'node:perf_hooks';
import {
  createInboxConsumer,
  KAFKA_CLIENTS,
  type KafkaClientName,
  type OutgoingMessage,
} from '@blog/framework';
import { ITEM_ADDED, itemAdded } from '../libs/framework/src/inbox/testing/items';
import { createScenario, type Scenario } from '../libs/framework/src/inbox/testing/stack';
import { machine, percentile } from './support/latency';

const records = Number(process.argv[2] ?? 10_000);
const events = Number(process.argv[3] ?? 100);
const rounds = Number(process.argv[4] ?? 2);
const BATCH = 100;
const SINGLES = Math.min(1_000, records);
const BASELINE: KafkaClientName = 'kafkajs';

interface Figures {
  /** batched: records per second published 100 per call; single: one record per call (awaited). */
  produceBatched: number[];
  produceSingle: number[];
  /** consume: records per second handled by a new group reading a full topic, from its first record to its last. */
  consume: number[];
  /** join: milliseconds from subscribe() to the first record handled. */
  join: number[];
  /** latency: outbox commit -> handler, milliseconds. */
  latency: number[];
}

const payload = Buffer.alloc(256, 'x');

/** figuresOf returns a client's figures (every client has an entry from the start). */
function figuresOf(results: Map<KafkaClientName, Figures>, client: KafkaClientName): Figures {
  const figures = results.get(client);
  if (!figures) throw new Error(`no figures for ${client}`);
  return figures;
}

function batch(round: number, from: number, count: number): OutgoingMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `key-${(from + i) % 100}`,
    value: payload,
    headers: { id: `${round}-${from + i}`, eventType: 'Bench' },
  }));
}

async function produce(scenario: Scenario, round: number, figures: Figures): Promise<void> {
  let started = performance.now();
  for (let from = 0; from < records; from += BATCH) {
    await scenario.broker.publish(scenario.topic, batch(round, from, Math.min(BATCH, records - from)));
  }
  figures.produceBatched.push(records / ((performance.now() - started) / 1000));
  started = performance.now();
  for (let i = 0; i < SINGLES; i++)
    await scenario.broker.publish(scenario.topic, batch(round, records + i, 1));
  figures.produceSingle.push(SINGLES / ((performance.now() - started) / 1000));
}

async function consume(scenario: Scenario, round: number, figures: Figures): Promise<void> {
  const total = Number(await scenario.admin.recordCount(scenario.topic));
  let seen = 0;
  let first = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const subscribed = performance.now();
  const subscription = await scenario.broker.subscribe({
    topics: [scenario.topic],
    groupId: `bench-consume-${round}-${scenario.suffix}`,
    handler: async () => {
      if (seen++ === 0) first = performance.now();
      if (seen === total) done();
    },
  });
  await withTimeout(finished, 120_000, `${total} records`);
  const last = performance.now();
  await subscription.stop();
  figures.join.push(first - subscribed);
  figures.consume.push((total - 1) / ((last - first) / 1000));
}

/** latencyRound sends one event through each client's outbox -> Debezium -> inbox path, in the given order. */
async function latencyRound(
  order: readonly KafkaClientName[],
  paths: Map<KafkaClientName, { scenario: Scenario; arrivals: Map<string, (at: number) => void> }>,
  seq: number,
  results: Map<KafkaClientName, Figures>,
  record: boolean,
): Promise<void> {
  for (const client of order) {
    const path = paths.get(client);
    if (!path) throw new Error(`no outbox path for ${client}`);
    const { scenario, arrivals } = path;
    const id = crypto.randomUUID();
    const arrived = new Promise<number>((resolve) => arrivals.set(id, resolve));
    let committedAt = 0;
    await scenario.store.withTransaction(async (tx) => {
      await scenario.outbox.add(tx, {
        id,
        aggregateType: scenario.aggregateType,
        aggregateId: `bench-${seq % 10}`,
        type: ITEM_ADDED,
        payload: { aggregateId: `bench-${seq % 10}`, seq },
      });
      committedAt = performance.now();
    });
    const latency = (await withTimeout(arrived, 30_000, `event ${id}`)) - committedAt;
    arrivals.delete(id);
    if (record) figuresOf(results, client).latency.push(latency);
  }
}

async function main(): Promise<void> {
  const clients = [...KAFKA_CLIENTS];
  const results = new Map<KafkaClientName, Figures>(
    clients.map((c) => [c, { produceBatched: [], produceSingle: [], consume: [], join: [], latency: [] }]),
  );
  const orderOf = (round: number) => (round % 2 === 0 ? clients : [...clients].reverse());

  // Throughput: a fresh topic per client and round, filled by produce and read back by consume.
  for (let round = 0; round < rounds; round++) {
    for (const client of orderOf(round)) {
      const scenario = await createScenario(`benchtp${client}`, client);
      try {
        await produce(scenario, round, figuresOf(results, client));
        await consume(scenario, round, figuresOf(results, client));
      } finally {
        await scenario.dispose();
      }
      console.log(`round ${round + 1}/${rounds}: ${client} throughput measured`);
    }
  }

  // Latency: one outbox -> Debezium -> inbox path per client, events interleaved one at a time.
  const paths = new Map<
    KafkaClientName,
    { scenario: Scenario; arrivals: Map<string, (at: number) => void> }
  >();
  const consumers = [];
  try {
    for (const client of clients) {
      const scenario = await createScenario(`benchlat${client}`, client);
      const arrivals = new Map<string, (at: number) => void>();
      paths.set(client, { scenario, arrivals });
      const consumer = createInboxConsumer({
        name: `bench-${scenario.suffix}`,
        topics: [scenario.topic],
        broker: scenario.broker,
        store: scenario.store,
        logger: scenario.logger,
      }).on(ITEM_ADDED, itemAdded, async (_item, ctx) => arrivals.get(ctx.messageId)?.(performance.now()));
      consumers.push(consumer);
      await consumer.start();
    }
    const warmup = 10;
    for (let seq = 0; seq < warmup + events; seq++) {
      await latencyRound(orderOf(seq), paths, seq, results, seq >= warmup);
    }
  } finally {
    await Promise.all(consumers.map((c) => c.stop()));
    await Promise.all([...paths.values()].map(({ scenario }) => scenario.dispose()));
  }

  report(results);
}

function report(results: Map<KafkaClientName, Figures>): void {
  const median = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      0.5,
    );
  const base = figuresOf(results, BASELINE);
  const ratio = (value: number, baseline: number) => `${(value / baseline).toFixed(2)}x`;
  console.log(`\n${machine()}`);
  console.log(
    `${records} records of 256 B (100 keys, 3 partitions) per client and round, ${rounds} rounds; ` +
      `${events} outbox events per client. Ratios are to ${BASELINE}.`,
  );
  const rows: string[][] = [
    [
      'client',
      'produce x100 rec/s',
      'produce x1 rec/s',
      'consume rec/s',
      'join ms',
      'outbox->handler p50 / p95 ms',
    ],
  ];
  for (const [client, f] of results) {
    const lat = [...f.latency].sort((a, b) => a - b);
    const baseLat = [...base.latency].sort((a, b) => a - b);
    const mark = (value: number, baseline: number) =>
      client === BASELINE ? value.toFixed(0) : `${value.toFixed(0)} (${ratio(value, baseline)})`;
    rows.push([
      client,
      mark(median(f.produceBatched), median(base.produceBatched)),
      mark(median(f.produceSingle), median(base.produceSingle)),
      mark(median(f.consume), median(base.consume)),
      median(f.join).toFixed(0),
      client === BASELINE
        ? `${percentile(lat, 0.5).toFixed(1)} / ${percentile(lat, 0.95).toFixed(1)}`
        : `${percentile(lat, 0.5).toFixed(1)} / ${percentile(lat, 0.95).toFixed(1)} ` +
          `(${ratio(percentile(lat, 0.5), percentile(baseLat, 0.5))} / ${ratio(percentile(lat, 0.95), percentile(baseLat, 0.95))})`,
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '));
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not arrive within ${ms} ms`)), ms).unref(),
    ),
  ]);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
