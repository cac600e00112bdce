// Raw CDC throughput: outbox rows committed through PostgreSQL's WAL, Debezium, Kafka and the framework's inbox
// consumer (dedupe row + handler per record), measured from the first commit to the last record handled, in events
// per second, against the goal of 5,000/s on 2 cores. Two consumer configurations run in turn (the order
// rotating every round), each on a fresh topic fed by the same source: the baseline handles every record in its own
// transaction (maxBatchSize 1, what the consumer did before batching), the other batches (the default). Printed per
// run: the source's commit rate, the rate at which Debezium got the records into Kafka (the consumer's ceiling) and
// the handled rate; then the ratio of the medians and the load average.
//
// The source must outrun the pipeline, or the benchmark measures the writer (one INSERT round trip per row managed
// 180 commits/s on a loaded machine): several writers, each committing `perTx` outbox rows per transaction with one
// multi-row insert (and one delete, as PgOutbox does: the table stays empty, the WAL keeps the inserts). Each key
// belongs to one writer, which numbers its events in commit order, so the handler can check the order per key.
// Checked per run: out of order per key, duplicates (a handler run for an event seen before) and lost events (no
// inbox row once the run is over). Bounded: stops waiting 120 s after the last commit. Needs the local stack.
//
//   npm run bench:cdc-throughput -- [events=20000] [writers=4] [perTx=500] [rounds=1] [--only=<regexp>] [--cap=<n>]
import { performance } from 'node:perf_hooks';
import { createInboxConsumer, createStore, type PgStore } from '@blog/framework';
import { ITEM_ADDED, itemAdded } from '../libs/framework/src/inbox/testing/items';
import { createScenario } from '../libs/framework/src/inbox/testing/stack';
import { machine } from './support/load';

const args = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const cap = process.argv.find((arg) => arg.startsWith('--cap='))?.slice('--cap='.length);
const events = Number(args[0] ?? 20_000);
const writers = Number(args[1] ?? 4);
const perTx = Number(args[2] ?? 500);
const rounds = Number(args[3] ?? 1);
const KEYS = 12;
const GOAL = 5000;

/** Variant is one consumer configuration measured. */
interface Variant {
  name: string;
  maxBatchSize?: number;
}

const variants: Variant[] = [
  { name: 'one record per transaction', maxBatchSize: 1 },
  cap ? { name: `batched (cap ${cap})`, maxBatchSize: Number(cap) } : { name: 'batched (default cap)' },
].filter((variant) => !only || new RegExp(only).test(variant.name));

/** Run is one variant's figures. */
interface Run {
  sourceRate: number;
  /** cdcRate: events/s from the first commit until Debezium had every record in Kafka (the consumer's ceiling). */
  cdcRate: number;
  rate: number;
  handled: number;
  outOfOrder: number;
  duplicates: number;
  lost: number;
}

async function measure(variant: Variant, label: string): Promise<Run> {
  const scenario = await createScenario(`cdc${label}`);
  const writerStore: PgStore = createStore({
    connectionString: scenario.settings.visitorUrl,
    schema: 'visitor',
    logger: scenario.logger,
    max: writers,
  });
  const name = `cdcbench-${scenario.suffix}`;
  let calls = 0;
  let lastAt = 0;
  let outOfOrder = 0;
  const seen = new Set<number>();
  const lastSeq = new Map<string, number>();
  let allHandled: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allHandled = resolve));
  const consumer = createInboxConsumer({
    name,
    topics: [scenario.topic],
    broker: scenario.broker,
    store: scenario.store,
    logger: scenario.logger,
    maxBatchSize: variant.maxBatchSize,
  }).on(ITEM_ADDED, itemAdded, async (item) => {
    // Ordering per key is part of what is measured: a record behind a later one of its key is counted.
    if ((lastSeq.get(item.aggregateId) ?? 0) > item.seq) outOfOrder++;
    lastSeq.set(item.aggregateId, item.seq);
    calls++;
    seen.add(item.seq);
    lastAt = performance.now();
    if (seen.size >= events) allHandled();
  });
  try {
    await consumer.start();
    const started = performance.now();
    const inKafka = (async () => {
      while ((await scenario.admin.recordCount(scenario.topic)) < events) await sleep(50);
      return performance.now();
    })();
    await Promise.all(
      Array.from({ length: writers }, (_, w) => write(writerStore, scenario.aggregateType, w)),
    );
    const committed = performance.now();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 120_000).unref());
    await Promise.race([done, timeout]);
    const allInKafkaAt = await Promise.race([inKafka, timeout.then(() => Number.NaN)]);
    await consumer.stop();
    const { rows } = await scenario.store.query<{ n: string }>(
      'select count(*) as n from inbox where consumer = $1',
      [name],
    );
    return {
      sourceRate: events / ((committed - started) / 1000),
      cdcRate: events / ((allInKafkaAt - started) / 1000),
      rate: seen.size / ((lastAt - started) / 1000),
      handled: seen.size,
      outOfOrder,
      duplicates: calls - seen.size,
      lost: events - Number(rows[0].n),
    };
  } finally {
    await consumer.stop();
    await writerStore.close();
    await scenario.dispose();
  }
}

/**
 * write commits writer `w`'s share of the events: keys k with k % writers === w, numbered 1..events overall (event
 * seq s has key s % KEYS), perTx rows per transaction. The row is what PgOutbox writes (same table, same columns).
 */
async function write(store: PgStore, aggregateType: string, w: number): Promise<void> {
  const mine: number[] = [];
  for (let seq = 1; seq <= events; seq++) if ((seq % KEYS) % writers === w) mine.push(seq);
  for (let first = 0; first < mine.length; first += perTx) {
    const seqs = mine.slice(first, first + perTx);
    const ids = seqs.map(() => crypto.randomUUID());
    const keys = seqs.map((seq) => `cdc-${seq % KEYS}`);
    const payloads = seqs.map((seq, i) => JSON.stringify({ aggregateId: keys[i], seq }));
    await store.withTransaction(async (tx) => {
      await tx.query(
        `insert into outbox (id, aggregatetype, aggregateid, type, payload, content_type)
         select id, $1, key, $2, convert_to(payload, 'UTF8'), 'application/json'
         from unnest($3::uuid[], $4::text[], $5::text[]) with ordinality as row(id, key, payload, n)
         order by n`,
        [aggregateType, ITEM_ADDED, ids, keys, payloads],
      );
      await tx.query('delete from outbox where id = any($1::uuid[])', [ids]);
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  console.log(
    `Raw CDC throughput: ${events} events, ${writers} writers x ${perTx} rows per transaction, ${KEYS} keys, ${rounds} round(s)`,
  );
  console.log(`  start: ${machine()}`);
  const results = new Map<string, Run[]>(variants.map((v) => [v.name, []]));
  for (let round = 0; round < rounds; round++) {
    // The order rotates every round, so neither variant always runs on the colder (or more loaded) machine.
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) {
      const run = await measure(variant, `${round}${variants.indexOf(variant)}`);
      results.get(variant.name)?.push(run);
      console.log(
        `  ${variant.name.padEnd(28)} ${String(Math.round(run.rate)).padStart(6)} events/s  (source ${Math.round(run.sourceRate)}/s, into Kafka ${Math.round(run.cdcRate)}/s; handled ${run.handled} of ${events}, ${run.outOfOrder} out of order, ${run.duplicates} duplicates, ${run.lost} lost)`,
      );
    }
  }
  const median = (runs: Run[]) => {
    const sorted = runs.map((r) => r.rate).sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  };
  const [baseline, batched] = variants.map((v) => median(results.get(v.name) ?? []));
  if (variants.length < 2) return console.log(`  end: ${machine()}`);
  console.log(
    `  batched vs one record per transaction (medians): ${Math.round(batched)} vs ${Math.round(baseline)} events/s, ${(batched / baseline).toFixed(2)}x`,
  );
  console.log(
    `  ${batched >= GOAL ? 'MET    ' : 'NOT MET'}  raw CDC: ${Math.round(batched)} events/s, ${(batched / GOAL).toFixed(2)}x the goal of ${GOAL} events/s`,
  );
  console.log(`  end: ${machine()}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
