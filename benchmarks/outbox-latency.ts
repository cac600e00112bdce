// Latency of one event from outbox commit to the consumer's handler, through PostgreSQL's WAL, Debezium (Kafka
// Connect), Kafka and the inbox consumer, one event at a time. Needs the local stack (`npm run stack:up`).
//
//   npx tsx --tsconfig benchmarks/tsconfig.json benchmarks/outbox-latency.ts [events=200] [warmup=20]
import { performance } from 'node:perf_hooks';
import { createInboxConsumer } from '@blog/framework';
import { ITEM_ADDED, itemAdded } from '../libs/framework/src/inbox/testing/items';
import { createScenario } from '../libs/framework/src/inbox/testing/stack';

const events = Number(process.argv[2] ?? 200);
const warmup = Number(process.argv[3] ?? 20);

async function main(): Promise<void> {
  const scenario = await createScenario('bench');
  const arrivals = new Map<string, (at: number) => void>();
  const consumer = createInboxConsumer({
    name: `bench-${scenario.suffix}`,
    topics: [scenario.topic],
    broker: scenario.broker,
    store: scenario.store,
    logger: scenario.logger,
  }).on(ITEM_ADDED, itemAdded, async (_item, ctx) => arrivals.get(ctx.messageId)?.(performance.now()));
  try {
    await consumer.start();
    const latencies: number[] = [];
    for (let seq = 1; seq <= warmup + events; seq++) {
      const id = crypto.randomUUID();
      const arrived = new Promise<number>((resolve) => arrivals.set(id, resolve));
      // The clock starts as the transaction's COMMIT is sent (after the outbox insert), so the figure includes
      // the commit itself and can never be negative when the process is too busy to see the commit's reply first.
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
      const latency = (await withTimeout(arrived, 30_000, id)) - committedAt;
      arrivals.delete(id);
      if (seq > warmup) latencies.push(latency);
    }
    report(latencies);
  } finally {
    await consumer.stop();
    await scenario.dispose();
  }
}

function report(latencies: number[]): void {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const mean = sorted.reduce((sum, x) => sum + x, 0) / sorted.length;
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  console.log(
    `outbox commit -> consumer handler, ${sorted.length} events one at a time (after ${warmup} warm-up):`,
  );
  console.log(
    `  median ${ms(at(0.5))}  p95 ${ms(at(0.95))}  p99 ${ms(at(0.99))}  min ${ms(sorted[0])}  max ${ms(sorted[sorted.length - 1])}  mean ${ms(mean)}`,
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`event ${what} did not arrive within ${ms} ms`)), ms).unref(),
    ),
  ]);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
