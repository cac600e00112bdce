// The Broker contract: publish records to topics and consume them in consumer groups, keeping partition order.
// Implementations: `kafka/` (@platformatic/kafka by default, or kafkajs) and `memory.ts` (unit tests only), chosen by
// name in `brokers.ts` (BROKER, KAFKA_CLIENT). Nothing here imports a Kafka client.
//
//   const broker = createBroker('kafka', { clientId: 'user', logger, kafka: { brokers: ['127.0.0.1:9092'] } });
//   await broker.start();
//   const sub = await broker.subscribe({ topics: ['events.auth.account'], groupId: 'user', handler });
//   await broker.publish('events.auth.account.dlq', [{ key, value, headers }]);
//   await broker.stop(); // stops every subscription first, then the producer

/** MessageHeaders are a record's headers, decoded as UTF-8 strings. */
export type MessageHeaders = Record<string, string>;

/** OutgoingMessage is one record to publish; records with the same key land in the same partition, in order. */
export interface OutgoingMessage {
  key: string | null;
  value: Buffer | null;
  headers?: MessageHeaders;
}

/** BrokerMessage is one consumed record. */
export interface BrokerMessage {
  topic: string;
  partition: number;
  /** offset is the record's offset in its partition, as a decimal string (Kafka offsets are 64-bit). */
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: MessageHeaders;
  /** timestamp is the record's timestamp in epoch milliseconds, as a decimal string. */
  timestamp: string;
}

/** DeliveryContext lets a long-running handler keep its consumer group membership alive. */
export interface DeliveryContext {
  /** heartbeat tells the group coordinator this member is alive; call it between slow steps. */
  heartbeat(): Promise<void>;
  /** isStopping turns true when the subscription is stopping or the partition was revoked: stop retrying. */
  isStopping(): boolean;
  /**
   * highWatermark is the partition's end offset (the next offset to be written) when the record was fetched, as a
   * decimal string: the inbox reports consumer lag from it. Absent where a client does not tell.
   */
  highWatermark?: string;
}

/**
 * MessageHandler processes one record. Resolving commits the record's offset; rejecting means "not processed":
 * the same record is delivered again after a backoff, and nothing after it in that partition is delivered first.
 */
export type MessageHandler = (message: BrokerMessage, context: DeliveryContext) => Promise<void>;

/**
 * BatchHandler processes consecutive records of ONE partition, in offset order (at least one). Resolving commits the
 * offset after the last; rejecting means "none processed": the same records are delivered again after a backoff.
 */
export type BatchHandler = (messages: readonly BrokerMessage[], context: DeliveryContext) => Promise<void>;

/** SubscribeOptions selects the topics and the consumer group of a subscription. */
export interface SubscribeOptions {
  topics: readonly string[];
  groupId: string;
  handler: MessageHandler;
  /**
   * batchHandler, when given, replaces `handler` where the broker can batch. Batching is "smart": it adds no wait.
   * A record that finds its partition idle is delivered alone at once; the records that arrive while a delivery is
   * in flight queue behind it and go together in the next one, up to maxBatchSize. So a quiet partition sees
   * batches of one and the latency of one-by-one delivery, and a busy one pays one delivery per batch.
   */
  batchHandler?: BatchHandler;
  /** maxBatchSize caps the records of one batchHandler call (default DEFAULT_MAX_BATCH_SIZE). */
  maxBatchSize?: number;
  /** fromBeginning starts a group without committed offsets at the oldest record (default true: drop nothing). */
  fromBeginning?: boolean;
}

/** Subscription is one running consumer group member. */
export interface Subscription {
  /** stop finishes the record in hand, commits nothing further and leaves the group. */
  stop(): Promise<void>;
}

/** Broker publishes records and runs consumer group members. */
export interface Broker {
  /** start connects the producer. */
  start(): Promise<void>;
  /** stop stops every subscription, then the producer. */
  stop(): Promise<void>;
  /** publish writes records to a topic and resolves once every replica acknowledged them. */
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  /** subscribe joins a consumer group and resolves once the member has joined. */
  subscribe(options: SubscribeOptions): Promise<Subscription>;
}

/**
 * DEFAULT_MAX_BATCH_SIZE caps a batch: enough to spread a transaction's fixed cost (one commit, one offset commit)
 * over many records, small enough that one transaction stays short and a rolled-back batch re-runs little.
 */
export const DEFAULT_MAX_BATCH_SIZE = 200;

/**
 * batchingOf is how a broker delivers a subscription's records: through its batchHandler, up to maxBatchSize at a
 * time, or one by one through its handler when it has none.
 */
export function batchingOf(options: SubscribeOptions): { handler: BatchHandler; maxBatchSize: number } {
  if (!options.batchHandler)
    return { handler: (messages, context) => options.handler(messages[0], context), maxBatchSize: 1 };
  return {
    handler: options.batchHandler,
    maxBatchSize: Math.max(1, Math.floor(options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE)),
  };
}

/** nextOffset returns the offset to commit after processing `offset` (Kafka commits the next offset to read). */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}
