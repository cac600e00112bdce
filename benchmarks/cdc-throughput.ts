// Raw CDC throughput: outbox rows committed as fast as one writer can (100 rows per transaction, 10 keys), through
// PostgreSQL's WAL, Debezium, Kafka and the framework's inbox consumer (dedupe row + handler per record), measured
// from the first commit to the last record handled: events per second, against the goal of 5,000/s on
// 2 cores. The writer's own commit rate is printed beside it (the pipeline cannot beat its source). Bounded: stops
// waiting 120 s after the last commit. Needs the local stack (`npm run stack:up`).
//
//   npm run bench:cdc-throughput -- [events=20000]
import { performance } from 'node:perf_hooks';
import { createInboxConsumer } from '@blog/framework';
import { ITEM_ADDED, itemAdded } from '../libs/framework/src/inbox/testing/items';
import { createScenario } from '../libs/framework/src/inbox/testing/stack';
import { machine } from './support/load';

const events = Number(process.argv[2] ?? 20_000);
const PER_TRANSACTION = 100;
const KEYS = 10;
const GOAL = 5000;

async function main(): Promise<void> {
  console.log(`Raw CDC throughput: ${events} events, ${PER_TRANSACTION} per transaction, ${KEYS} keys`);
  console.log(`  start: ${machine()}`);
  const scenario = await createScenario('cdcbench');
  let handled = 0;
  let lastAt = 0;
  let outOfOrder = 0;
  const lastSeq = new Map<string, number>();
  let allHandled: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allHandled = resolve));
  const consumer = createInboxConsumer({
    name: `cdcbench-${scenario.suffix}`,
    topics: [scenario.topic],
    broker: scenario.broker,
    store: scenario.store,
    logger: scenario.logger,
  }).on(ITEM_ADDED, itemAdded, async (item) => {
    // Ordering per key is part of what is measured: a record behind an earlier one of its key is counted.
    if ((lastSeq.get(item.aggregateId) ?? 0) > item.seq) outOfOrder++;
    lastSeq.set(item.aggregateId, item.seq);
    handled++;
    lastAt = performance.now();
    if (handled >= events) allHandled();
  });
  try {
    await consumer.start();
    const started = performance.now();
    for (let first = 0; first < events; first += PER_TRANSACTION) {
      await scenario.store.withTransaction(async (tx) => {
        for (let seq = first + 1; seq <= Math.min(events, first + PER_TRANSACTION); seq++) {
          const key = `cdc-${seq % KEYS}`;
          await scenario.outbox.add(tx, {
            id: crypto.randomUUID(),
            aggregateType: scenario.aggregateType,
            aggregateId: key,
            type: ITEM_ADDED,
            payload: { aggregateId: key, seq },
          });
        }
      });
    }
    const committed = performance.now();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 120_000).unref());
    await Promise.race([done, timeout]);
    const commitRate = events / ((committed - started) / 1000);
    const rate = handled / ((lastAt - started) / 1000);
    console.log(`  outbox commits: ${Math.round(commitRate)} events/s (the source)`);
    console.log(
      `  handled: ${handled} of ${events}, ${Math.round(rate)} events/s from first commit to last handler; ${outOfOrder} out of order per key`,
    );
    console.log(
      `  ${rate >= GOAL ? 'MET    ' : 'NOT MET'}  raw CDC: ${(rate / GOAL).toFixed(2)}x the goal of ${GOAL} events/s`,
    );
    console.log(`  end: ${machine()}`);
  } finally {
    await consumer.stop();
    await scenario.dispose();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
