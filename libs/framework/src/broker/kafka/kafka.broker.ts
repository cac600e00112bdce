// The Kafka Broker on kafkajs (KAFKA_CLIENT=kafkajs): an idempotent producer (acks=all) and one consumer per
// subscription that commits each record's offset only after its handler resolved (autoCommit off), records of one
// partition in order: one at a time, or with a batchHandler the records of one fetch in slices (eachBatch). kafkajs
// has had no release since 2.2.4 (2023); the default client is platformatic.broker.ts.
import {
  Kafka,
  Partitioners,
  type Consumer,
  type EachBatchPayload,
  type IHeaders,
  type KafkaMessage,
  type Producer,
} from 'kafkajs';
import type { Logger } from 'pino';
import {
  batchingOf,
  nextOffset,
  type Broker,
  type BrokerMessage,
  type DeliveryContext,
  type OutgoingMessage,
  type SubscribeOptions,
  type Subscription,
} from '../broker';
import { nonBlockingSocketFactory } from './dns-lookup';
import { kafkaLogLevel, pinoLogCreator } from './kafka-logger';
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
import { kafkajsSasl } from './sasl';

/** KafkajsBroker is the Broker on kafkajs. */
export class KafkajsBroker implements Broker {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly logger: Logger;
  private readonly subscriptions = new Set<Subscription>();
  // kafkajs's idempotent producer can assign out-of-order sequence numbers to concurrent sends (kafkajs#598),
  // so sends go one at a time through this chain.
  private sendChain: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: KafkaBrokerOptions) {
    this.logger = options.logger.child({ component: 'broker' });
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      sasl: kafkajsSasl(options.sasl),
      connectionTimeout: options.connectionTimeoutMs ?? 3_000,
      // Name resolution off libuv's thread pool: a broker whose name stops resolving must not starve the rest.
      socketFactory: nonBlockingSocketFactory(),
      logLevel: kafkaLogLevel(this.logger.level),
      logCreator: pinoLogCreator(this.logger),
    });
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // The Java-compatible murmur2 partitioner: the same key lands in the same partition as Debezium's records.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async start(): Promise<void> {
    await this.producer.connect();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.sendChain.catch(() => undefined);
    await this.producer.disconnect();
  }

  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    const send = this.sendChain.then(() =>
      this.producer.send({
        topic,
        acks: -1,
        messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
      }),
    );
    this.sendChain = send.catch(() => undefined);
    return send.then(() => undefined);
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const logger = this.logger.child({ groupId: options.groupId });
    let current: Consumer | undefined;
    let stopped = false;
    let reviving: Promise<void> | undefined;
    // kafkajs gives up for good on some errors: a broker unreachable for longer than its retries (about 20 s) ends
    // in a non-retriable "Failed to find group coordinator", and the consumer stays disconnected. A member that was
    // running is therefore started again here, with backoff, until it runs or the subscription stops.
    const revive = async () => {
      let delay = REVIVE_FIRST_DELAY_MS;
      while (!stopped) {
        await sleep(delay);
        if (stopped) return;
        try {
          const consumer = await this.startConsumer(options, logger, onGaveUp);
          // stop() does not wait for a start in progress (it may take up to the join timeout): leave at once.
          if (stopped) return void (await consumer.disconnect());
          current = consumer;
          logger.warn('consumer running again after kafkajs had given up');
          return;
        } catch (error) {
          logger.warn({ err: error, retryInMs: delay }, 'consumer could not start again yet');
          delay = Math.min(delay * 2, REVIVE_MAX_DELAY_MS);
        }
      }
    };
    const onGaveUp = () => {
      if (stopped || reviving) return;
      reviving = revive().finally(() => (reviving = undefined));
    };
    current = await this.startConsumer(options, logger, onGaveUp);
    const subscription: Subscription = {
      stop: async () => {
        stopped = true;
        this.subscriptions.delete(subscription);
        // disconnect() also leaves the group, so a restarted process gets the partitions without waiting out a session.
        await current?.disconnect();
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** startConsumer creates, connects and runs one group member, and resolves once it joined its group. */
  private async startConsumer(
    options: SubscribeOptions,
    logger: Logger,
    onGaveUp: () => void,
  ): Promise<Consumer> {
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
      rebalanceTimeout: this.options.rebalanceTimeoutMs ?? DEFAULT_REBALANCE_TIMEOUT_MS,
      maxWaitTimeInMs: this.options.maxWaitTimeMs ?? 1_000,
      allowAutoTopicCreation: false,
    });
    const joined = observeConsumer(consumer, logger, this.options.joinTimeoutMs ?? 60_000, onGaveUp);
    joined.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
        eachBatch: (payload) => this.processBatch(payload, options, logger),
      });
      await joined;
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    return consumer;
  }

  /**
   * processBatch hands kafkajs's fetched batch to the handler: in slices of up to maxBatchSize through a batchHandler
   * (the records of one fetch, already here: no wait), else record by record; it commits each slice's last offset
   * once its handler resolved.
   */
  private async processBatch(
    payload: EachBatchPayload,
    options: SubscribeOptions,
    logger: Logger,
  ): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    const { handler, maxBatchSize } = batchingOf(options);
    const context: DeliveryContext = {
      heartbeat,
      isStopping: () => !isRunning() || isStale(),
      highWatermark: batch.highWatermark,
    };
    for (let first = 0; first < batch.messages.length; first += maxBatchSize) {
      if (context.isStopping()) return;
      const records = batch.messages.slice(first, first + maxBatchSize);
      const messages = records.map((record) => toBrokerMessage(batch.topic, batch.partition, record));
      if (!(await deliver(messages, handler, context, logger, this.options.redeliveryDelayMs))) return;
      const last = records[records.length - 1].offset;
      resolveOffset(last);
      await commitOffsetsIfNecessary({
        topics: [
          {
            topic: batch.topic,
            partitions: [{ partition: batch.partition, offset: nextOffset(last) }],
          },
        ],
      });
      await heartbeat();
    }
  }
}

/**
 * observeConsumer logs group membership changes and crashes, and resolves when the member first joins. A crash
 * kafkajs will not restart from rejects the join while it is pending, and calls `onGaveUp` once it has joined.
 */
function observeConsumer(
  consumer: Consumer,
  logger: Logger,
  joinTimeoutMs: number,
  onGaveUp: () => void,
): Promise<void> {
  const { GROUP_JOIN, REBALANCING, CRASH, STOP } = consumer.events;
  let hasJoined = false;
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`consumer did not join its group within ${joinTimeoutMs} ms`)),
      joinTimeoutMs,
    );
    timer.unref();
    consumer.on(GROUP_JOIN, ({ payload }) => {
      clearTimeout(timer);
      hasJoined = true;
      logger.info(
        { memberId: payload.memberId, isLeader: payload.isLeader, assignment: payload.memberAssignment },
        'consumer joined its group',
      );
      resolve();
    });
    consumer.on(REBALANCING, ({ payload }) =>
      logger.info({ memberId: payload.memberId }, 'consumer group rebalancing'),
    );
    consumer.on(CRASH, ({ payload }) => {
      logger.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
      if (payload.restart) return;
      if (hasJoined) onGaveUp();
      else {
        clearTimeout(timer);
        reject(payload.error);
      }
    });
    consumer.on(STOP, () => logger.info('consumer stopped'));
  });
}

function toBrokerMessage(topic: string, partition: number, record: KafkaMessage): BrokerMessage {
  return {
    topic,
    partition,
    offset: record.offset,
    key: record.key === null ? null : record.key.toString('utf8'),
    value: record.value,
    headers: decodeHeaders(record.headers),
    timestamp: record.timestamp,
  };
}

/** decodeHeaders turns kafkajs's header buffers into strings; a repeated header keeps its last value, as Kafka's lastHeader does. */
function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined && last !== null) decoded[name] = last.toString();
  }
  return decoded;
}
