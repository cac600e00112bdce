// The Kafka Broker on @platformatic/kafka (KAFKA_CLIENT=platformatic): a maintained, pure TypeScript client. An
// idempotent producer (acks=all) and one consumer per subscription with autocommit off: each record's offset is
// committed only after its handler resolved, records of one partition in order, partitions side by side. With a
// batchHandler, the records that queued up behind a partition's delivery in flight go together in the next one.
//
// The client streams records of every assigned partition into one readable stream and heartbeats on its own
// (fetching is decoupled from processing), so DeliveryContext.heartbeat has nothing to do here. Two things it leaves
// to us, handled below:
// - after a rebalance it fetches again from the committed offsets, while records fetched before may still sit in the
//   stream: each record carries the group generation it was fetched in, and a record of an older generation is
//   dropped (its partition is fetched again from its committed offset, so nothing is lost). A fetch already in
//   flight when the group rebalances is stamped with the new generation when it lands; a record it carries that was
//   already handled is skipped (the last handled offset per partition), the inbox absorbs any other repeat;
// - a stream that hits an error it does not retry ends for good, while the consumer stays usable: the subscription
//   opens a new stream with backoff, as the kafkajs broker starts a new consumer.
import {
  Admin,
  compatibilityPartitioner,
  Consumer,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
  type Message,
  type MessagesStream,
} from '@platformatic/kafka';
import type { Logger } from 'pino';
import {
  batchingOf,
  type Broker,
  type BrokerMessage,
  type DeliveryContext,
  type OutgoingMessage,
  type SubscribeOptions,
  type Subscription,
} from '../broker';
import {
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_REBALANCE_TIMEOUT_MS,
  DEFAULT_SESSION_TIMEOUT_MS,
  deliver,
  REVIVE_FIRST_DELAY_MS,
  REVIVE_MAX_DELAY_MS,
  sleep,
  type KafkaBrokerOptions,
} from './options';
import { platformaticSasl } from './sasl';

/** RETRIES / RETRY_DELAY_MS: how long one request keeps trying through a broker outage before its stream ends. */
const RETRIES = 10;
const RETRY_DELAY_MS = 1_000;
/**
 * MAX_QUEUED bounds the records read from the stream ahead of their handlers: room for a full batch behind the one
 * in flight in each partition delivered side by side, so the cap, not this bound, sizes batches under load.
 */
const MAX_QUEUED = 1_024;

/** PlatformaticBroker is the Broker on @platformatic/kafka. */
export class PlatformaticBroker implements Broker {
  private readonly producer: Producer;
  private readonly logger: Logger;
  private readonly subscriptions = new Set<Subscription>();

  constructor(private readonly options: KafkaBrokerOptions) {
    this.logger = options.logger.child({ component: 'broker' });
    this.producer = new Producer({
      clientId: options.clientId,
      bootstrapBrokers: [...options.brokers],
      sasl: platformaticSasl(options.sasl),
      connectTimeout: options.connectionTimeoutMs ?? 3_000,
      idempotent: true,
      acks: ProduceAcks.ALL,
      autocreateTopics: false,
      // Java's murmur2 partitioning: the same key lands in the same partition as Debezium's records.
      partitioner: compatibilityPartitioner,
      retryDelay: RETRY_DELAY_MS,
    });
  }

  async start(): Promise<void> {
    // An idempotent producer whose connection fails (a wrong password, no credentials) never settles in
    // @platformatic/kafka 2.12: it waits for a producer id it cannot get. A plain client proves first that the brokers
    // answer and accept the credentials, and fails within seconds naming the cause.
    const probe = new Admin({
      clientId: `${this.options.clientId}-probe`,
      bootstrapBrokers: [...this.options.brokers],
      sasl: platformaticSasl(this.options.sasl),
      connectTimeout: this.options.connectionTimeoutMs ?? 3_000,
      retries: 2,
      retryDelay: 500,
    });
    try {
      await probe.metadata({ topics: [] });
    } catch (error) {
      throw new Error(`Kafka (${this.options.brokers.join(',')}) refused us: ${causes(error)}`, {
        cause: error,
      });
    } finally {
      await probe.close().catch(() => undefined);
    }
    // The client connects lazily; asking for the cluster's metadata proves the brokers answer.
    await this.producer.metadata({ topics: [] });
  }

  async stop(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.producer.close();
  }

  async publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    await this.producer.send({
      messages: messages.map((m) => ({
        topic,
        key: m.key === null ? undefined : Buffer.from(m.key),
        value: m.value ?? undefined,
        headers: encodeHeaders(m.headers),
      })),
    });
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const logger = this.logger.child({ groupId: options.groupId });
    const consumer = new Consumer({
      clientId: this.options.clientId,
      bootstrapBrokers: [...this.options.brokers],
      sasl: platformaticSasl(this.options.sasl),
      connectTimeout: this.options.connectionTimeoutMs ?? 3_000,
      groupId: options.groupId,
      autocommit: false,
      sessionTimeout: this.options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
      rebalanceTimeout: this.options.rebalanceTimeoutMs ?? DEFAULT_REBALANCE_TIMEOUT_MS,
      maxWaitTime: this.options.maxWaitTimeMs ?? 1_000,
      retries: RETRIES,
      retryDelay: RETRY_DELAY_MS,
    });
    consumer.on('consumer:group:join', (payload) =>
      logger.info(
        { memberId: payload.memberId, generationId: payload.generationId, assignments: payload.assignments },
        'consumer joined its group',
      ),
    );
    consumer.on('consumer:group:rebalance', () => logger.info('consumer group rebalancing'));
    consumer.on('consumer:heartbeat:error', (payload) =>
      logger.warn({ err: payload.error }, 'consumer heartbeat failed'),
    );

    const member = new Member(consumer, options, logger, this.options);
    const joinTimeoutMs = this.options.joinTimeoutMs ?? 60_000;
    try {
      await withTimeout(
        member.open(),
        joinTimeoutMs,
        `consumer did not join its group within ${joinTimeoutMs} ms`,
      );
    } catch (error) {
      await member.close();
      throw error;
    }
    const subscription: Subscription = {
      stop: async () => {
        this.subscriptions.delete(subscription);
        await member.close();
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }
}

/** Member is one group member: its stream of records, one delivery chain per partition, and its revival. */
class Member {
  private stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | undefined;
  private stopped = false;
  private pump: Promise<void> | undefined;
  /** chains holds each partition's delivery in progress: a record waits for the one before it. */
  private readonly chains = new Map<string, Promise<void>>();
  /** waiting holds each partition's records queued behind its delivery in progress (the next batch). */
  private readonly waiting = new Map<string, Message<Buffer, Buffer, Buffer, Buffer>[]>();
  private readonly batching: ReturnType<typeof batchingOf>;
  /** handled holds each partition's last handled offset: a record fetched again after a rebalance is skipped. */
  private readonly handled = new Map<string, bigint>();
  private readonly concurrency: number;
  /** pendingCommits holds each partition's next offset to commit; one commit request at a time carries them all. */
  private readonly pendingCommits = new Map<
    string,
    { topic: string; partition: number; offset: bigint; leaderEpoch: number }
  >();
  private commitScheduled = false;
  private committing: Promise<void> = Promise.resolve();
  /** queued counts records taken from the stream and not yet processed: the stream waits beyond MAX_QUEUED. */
  private queued = 0;

  constructor(
    private readonly consumer: Consumer,
    private readonly options: SubscribeOptions,
    private readonly logger: Logger,
    private readonly brokerOptions: KafkaBrokerOptions,
  ) {
    this.concurrency = brokerOptions.partitionsConsumedConcurrently ?? 3;
    this.batching = batchingOf(options);
  }

  /** ends caches each partition's end offset (`topic:partition`) for the lag metric; refreshed at most every 2 s. */
  private readonly ends = new Map<string, bigint>();
  private endsAt = 0;
  private endsRefresh: Promise<void> | undefined;

  /**
   * highWatermarkOf is the partition's end offset for the consumer-lag metric. The client's records do not carry the
   * fetch's high watermark (kafkajs's batches do), so the end offsets are asked with ListOffsets in the background
   * (never on the record's path) and the answer is at least the record's own offset + 1: a stale cache reads as
   * "caught up", never as negative lag.
   */
  private highWatermarkOf(record: Message<Buffer, Buffer, Buffer, Buffer>): string {
    if (!this.endsRefresh && Date.now() - this.endsAt > 2_000) {
      this.endsAt = Date.now();
      this.endsRefresh = this.consumer
        .listOffsets({ topics: [...this.options.topics] })
        .then((offsets) => {
          for (const [topic, partitions] of offsets)
            partitions.forEach((end, partition) => this.ends.set(`${topic}:${partition}`, end));
        })
        .catch((error: unknown) => this.logger.debug({ err: error }, 'end offsets not read (lag metric)'))
        .finally(() => (this.endsRefresh = undefined));
    }
    const cached = this.ends.get(`${record.topic}:${record.partition}`) ?? 0n;
    const next = record.offset + 1n;
    return String(cached > next ? cached : next);
  }

  /** open joins the group and starts delivering; it resolves once the member has joined. */
  async open(): Promise<void> {
    const stream = await this.consumer.consume({
      topics: [...this.options.topics],
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode:
        (this.options.fromBeginning ?? true)
          ? MessagesStreamFallbackModes.EARLIEST
          : MessagesStreamFallbackModes.LATEST,
    });
    if (this.stopped) {
      await stream.close().catch(() => undefined);
      return;
    }
    this.stream = stream;
    this.pump = this.run(stream);
  }

  /** close stops the stream, lets the records in hand finish, and leaves the group. */
  async close(): Promise<void> {
    this.stopped = true;
    // Leaving the group (close) lets a restarted process take the partitions without waiting out a session.
    await this.stream
      ?.close()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'stream close failed'));
    await this.pump;
    await Promise.all(this.chains.values());
    await this.consumer
      .close(true)
      .catch((error: unknown) => this.logger.warn({ err: error }, 'consumer close failed'));
  }

  private async run(stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>): Promise<void> {
    try {
      for await (const record of stream) {
        if (this.stopped) break;
        await this.dispatch(record as Message<Buffer, Buffer, Buffer, Buffer>);
      }
      if (!this.stopped) throw new Error('the record stream ended');
    } catch (error) {
      if (this.stopped) return;
      this.logger.error({ err: error }, 'consumer stream failed; opening a new one');
      void this.revive();
    }
  }

  /** revive opens a new stream with backoff until one runs or the subscription stops. */
  private async revive(): Promise<void> {
    let delay = REVIVE_FIRST_DELAY_MS;
    while (!this.stopped) {
      await sleep(delay);
      if (this.stopped) return;
      try {
        await this.open();
        this.logger.warn('consumer stream running again');
        return;
      } catch (error) {
        this.logger.warn({ err: error, retryInMs: delay }, 'consumer stream could not open again yet');
        delay = Math.min(delay * 2, REVIVE_MAX_DELAY_MS);
      }
    }
  }

  /**
   * dispatch queues a record behind the delivery in flight in its partition, waiting while too many partitions run.
   * A partition with nothing in flight starts delivering at once, so a lone record is not held back for company.
   */
  private async dispatch(record: Message<Buffer, Buffer, Buffer, Buffer>): Promise<void> {
    const key = `${record.topic}/${record.partition}`;
    while ((!this.chains.has(key) && this.chains.size >= this.concurrency) || this.queued >= MAX_QUEUED) {
      await Promise.race(this.chains.values());
    }
    this.queued++;
    const waiting = this.waiting.get(key);
    if (waiting) {
      waiting.push(record);
      return;
    }
    const queue = [record];
    this.waiting.set(key, queue);
    const chain = this.drain(key, queue).finally(() => {
      if (this.chains.get(key) === chain) this.chains.delete(key);
    });
    this.chains.set(key, chain);
  }

  /**
   * drain delivers a partition's queue until it is empty: each delivery takes every record that queued up behind
   * the one before (up to the batch cap), which is what batches under load and only under load.
   */
  private async drain(key: string, queue: Message<Buffer, Buffer, Buffer, Buffer>[]): Promise<void> {
    for (;;) {
      const batch = queue.splice(0, this.batching.maxBatchSize);
      // Checked and forgotten in one synchronous step: a record dispatched later finds no queue and starts a drain.
      if (batch.length === 0) return void this.waiting.delete(key);
      try {
        await this.processUntilDone(batch, key);
      } finally {
        this.queued -= batch.length;
      }
    }
  }

  /**
   * processUntilDone: deliver() retries a rejecting handler; anything else failing is a bug, which must not skip the
   * records either (the next batch's offset would be committed past them): the partition holds and tries again.
   */
  private async processUntilDone(
    batch: Message<Buffer, Buffer, Buffer, Buffer>[],
    key: string,
  ): Promise<void> {
    for (;;) {
      try {
        return await this.process(batch, key);
      } catch (error) {
        this.logger.error({ err: error, partition: key }, 'delivery failed unexpectedly; trying again');
        if (this.stopped) return;
        await sleep(REVIVE_FIRST_DELAY_MS);
      }
    }
  }

  private async process(records: Message<Buffer, Buffer, Buffer, Buffer>[], key: string): Promise<void> {
    const last = this.handled.get(key);
    // Fetched before a rebalance: the partition is fetched again from the committed offset. Handled already: skip.
    const fresh = records.filter(
      (record) =>
        !this.stopped &&
        !this.isStale(fetchedInGeneration(record)) &&
        (last === undefined || record.offset > last),
    );
    if (fresh.length === 0) return;
    const newest = fresh[fresh.length - 1];
    const generation = fetchedInGeneration(newest);
    const context: DeliveryContext = {
      heartbeat: async () => undefined,
      isStopping: () => this.stopped || this.isStale(generation),
      highWatermark: this.highWatermarkOf(newest),
    };
    const delivered = await deliver(
      fresh.map(toBrokerMessage),
      this.batching.handler,
      context,
      this.logger,
      this.brokerOptions.redeliveryDelayMs,
    );
    if (!delivered) return;
    this.handled.set(key, newest.offset);
    this.commit(key, newest);
  }

  /** isStale tells a record fetched in an earlier group generation (its partition may have moved since). */
  private isStale(generation: number | undefined): boolean {
    return generation !== undefined && generation !== this.consumer.generationId;
  }

  /**
   * commit queues the offset after a handled record. Offsets are committed after their handlers, never before, but
   * without holding the next record: while one commit request is out, the offsets handled meanwhile wait and go out
   * together in the next one (a commit per record halved the consume throughput, benchmarks/README.md). A crash in
   * between delivers those records again, which the inbox absorbs, exactly like a crash before a commit.
   */
  private commit(key: string, record: Message<Buffer, Buffer, Buffer, Buffer>): void {
    const { topic, partition, leaderEpoch } = record;
    this.pendingCommits.set(key, { topic, partition, offset: record.offset + 1n, leaderEpoch });
    this.flushLater();
  }

  /** holds tells whether the member is still assigned a partition (only its own offsets are worth retrying). */
  private holds(topic: string, partition: number): boolean {
    return (this.consumer.assignments ?? []).some(
      (a) => a.topic === topic && a.partitions.includes(partition),
    );
  }

  /** flushLater sends the pending offsets once the commit in flight (if any) is done. */
  private flushLater(): void {
    if (this.commitScheduled || this.pendingCommits.size === 0) return;
    this.commitScheduled = true;
    this.committing = this.committing.then(async () => {
      this.commitScheduled = false;
      const offsets = [...this.pendingCommits.values()];
      this.pendingCommits.clear();
      try {
        await this.consumer.commit({ offsets });
      } catch (error) {
        // The broker is away (or the partitions moved to another member): the offsets go out with the next commit
        // unless a later one replaced them, tried again in a second; records whose offsets never made it are
        // delivered again, to whoever holds their partition then, and the inbox absorbs them.
        for (const offset of offsets) {
          const key = `${offset.topic}/${offset.partition}`;
          if (!this.pendingCommits.has(key) && this.holds(offset.topic, offset.partition)) {
            this.pendingCommits.set(key, offset);
          }
        }
        if (!this.stopped) setTimeout(() => this.flushLater(), 1_000).unref();
        this.logger.warn(
          { err: error, offsets: offsets.map((o) => `${o.topic}/${o.partition}@${o.offset}`) },
          'offset commit failed',
        );
      }
    });
  }
}

/** fetchedInGeneration reads the group generation the stream stamped on a record when it fetched it. */
function fetchedInGeneration(record: Message<Buffer, Buffer, Buffer, Buffer>): number | undefined {
  const consumer = record.metadata?.consumer as { generationId?: unknown } | undefined;
  return typeof consumer?.generationId === 'number' ? consumer.generationId : undefined;
}

function toBrokerMessage(record: Message<Buffer, Buffer, Buffer, Buffer>): BrokerMessage {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset.toString(),
    key: record.key === undefined || record.key === null ? null : record.key.toString('utf8'),
    value: record.value === undefined ? null : record.value,
    headers: decodeHeaders(record.headers),
    timestamp: record.timestamp.toString(),
  };
}

/** decodeHeaders turns header buffers into strings; a repeated header keeps its last value, as Kafka's lastHeader does. */
function decodeHeaders(headers: Map<Buffer, Buffer>): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (value !== undefined && value !== null) decoded[name.toString('utf8')] = value.toString('utf8');
  }
  return decoded;
}

function encodeHeaders(headers: Record<string, string> | undefined): Map<Buffer, Buffer> | undefined {
  if (!headers) return undefined;
  return new Map(Object.entries(headers).map(([name, value]) => [Buffer.from(name), Buffer.from(value)]));
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** causes lists the distinct innermost messages of a client error (an AggregateError of retries of wrapped causes). */
function causes(error: unknown): string {
  const found = new Set<string>();
  const visit = (e: unknown, depth: number): void => {
    if (!(e instanceof Error) || depth > 5) return;
    const inner = [...((e as Error & { errors?: unknown[] }).errors ?? []), e.cause].filter(
      (x) => x instanceof Error,
    );
    if (inner.length === 0) found.add(e.message);
    for (const x of inner) visit(x, depth + 1);
  };
  visit(error, 0);
  return [...found].join('; ') || String(error);
}
