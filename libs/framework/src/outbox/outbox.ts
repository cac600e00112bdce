// The Outbox contract: an event is written in the same transaction as the state change it announces; Debezium reads
// the insert from the WAL and publishes it to `events.<aggregateType>` (key aggregateId; headers id, eventType,
// traceparent, sagaId). No polling publisher, no dual write.
//
//   await store.withTransaction(async (tx) => {
//     await accounts.insert(tx, account);
//     await outbox.add(tx, {
//       aggregateType: AggregateTypes.account,
//       aggregateId: account.id,
//       type: 'AccountCreated',
//       payload: events.AccountCreated.toJSON(created),
//       sagaId,
//     });
//   });
import type { Transaction } from '../store';

/** OutboxEvent is one event to publish. */
export interface OutboxEvent {
  /** aggregateType routes the event to topic `events.<aggregateType>` (see @blog/proto AggregateTypes). */
  aggregateType: string;
  /** aggregateId is the Kafka key: one aggregate's events stay in one partition, in order. */
  aggregateId: string;
  /** type is the event message name (the `eventType` header), e.g. "AccountCreated". */
  type: string;
  /** payload is the event message's proto3 JSON (the generated `toJSON`). */
  payload: unknown;
  /** binary is the message in protobuf binary (the generated `encode`), used when the outbox writes protobuf. */
  binary?: () => Uint8Array;
  /** id is the event id (the `id` header consumers dedupe on); a new UUID when omitted. */
  id?: string;
  /** traceparent is the W3C trace context to continue; the active OpenTelemetry context's when omitted. */
  traceparent?: string;
  /** sagaId ties the event to its saga instance. */
  sagaId?: string;
}

/** Outbox adds events to the caller's transaction. */
export interface Outbox {
  /** add records the event in `tx` and returns its id; it is published only if `tx` commits. */
  add(tx: Transaction, event: OutboxEvent): Promise<string>;
}
