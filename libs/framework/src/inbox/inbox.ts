// The Inbox contract: an idempotent consumer. Each record is processed in one database transaction (several
// consecutive records of a partition may share one, see consumer.ts) that first claims its event id
// (`insert into inbox ... on conflict do nothing`), then runs the handler, which may change state and add
// outbox events; the Kafka offset is committed only after that transaction committed. A redelivered record finds
// its id claimed and changes nothing. See consumer.ts for the runner, retries and the dead-letter topic.
//
//   const consumer = createInboxConsumer({ name: 'user', broker, store, logger })
//     .on(AccountCreated, async (event, { tx, emit }) => {      // subscribes to events.auth.account
//       await profiles.create(tx, event);
//       await emit(UserCreated, event.accountId, { userId: event.accountId, nickname, blogSlug });
//     });
//   await consumer.start();
import type { BrokerMessage } from '../broker';
import type { Emit, OutboxEvent } from '../outbox';
import type { Transaction } from '../store';

/** Inbox remembers which events a consumer has processed. */
export interface Inbox {
  /** claim records the event id for the consumer in `tx`; false when it was already there (a duplicate). */
  claim(tx: Transaction, consumer: string, messageId: string): Promise<boolean>;
  /**
   * claimAll records several event ids in `tx` in one round trip (a batch's) and returns those that were new; an id
   * given twice is new at most once. Optional: without it the consumer claims one id at a time.
   */
  claimAll?(tx: Transaction, consumer: string, messageIds: readonly string[]): Promise<Set<string>>;
}

/**
 * Decoder turns an event's payload into its message: the generated `fromJSON` for proto3 JSON, and `decode` for
 * protobuf binary (the record's `contentType` header says which). Every @blog/proto event has both.
 */
export interface Decoder<T> {
  fromJSON(object: unknown): T;
  decode?(input: Uint8Array): T;
}

/** HandlerContext is what a handler gets beside the event: its transaction and the record's metadata. */
export interface HandlerContext {
  /** tx is the transaction that claimed the event; everything the handler writes commits or rolls back with it. */
  tx: Transaction;
  /** emit adds a typed event to the outbox in `tx`; its saga id defaults to the incoming event's. */
  emit: Emit;
  /** addEvent adds a raw outbox event in `tx` (what `emit` builds); its sagaId defaults to the incoming event's. */
  addEvent(event: OutboxEvent): Promise<string>;
  /** messageId is the inbox key: the `id` header, or `topic-partition-offset` when the header is absent. */
  messageId: string;
  eventType: string;
  /** sagaId is the incoming `sagaId` header, if any. */
  sagaId?: string;
  /** attempt counts tries of this record, from 1. */
  attempt: number;
  message: BrokerMessage;
}

/** EventHandler processes one decoded event; a rejection is retried with backoff, then dead-lettered. */
export type EventHandler<T> = (event: T, context: HandlerContext) => Promise<void>;

/** InboxRetryOptions shape the handler retries before a record is dead-lettered. */
export interface InboxRetryOptions {
  /** attempts in total, the first included (default 5). */
  attempts?: number;
  /** initialDelayMs before the second attempt (default 200), multiplied by `factor` (default 2) up to maxDelayMs (default 5000). */
  initialDelayMs?: number;
  factor?: number;
  maxDelayMs?: number;
}

/** DlqHeaders names the headers a dead-lettered record carries beside its original headers. */
export const DlqHeaders = {
  reason: 'dlq.reason',
  errorMessage: 'dlq.error.message',
  errorClass: 'dlq.error.class',
  attempts: 'dlq.attempts',
  consumer: 'dlq.consumer',
  originalTopic: 'dlq.original.topic',
  originalPartition: 'dlq.original.partition',
  originalOffset: 'dlq.original.offset',
  failedAt: 'dlq.failed.at',
} as const;

/** DlqReason says why a record was dead-lettered. */
export type DlqReason = 'handler-failed' | 'undecodable';
