// Builds an outbox event from a generated event message, filling the EventMetadata every event carries, so that
// the payload's meta.eventId is the outbox row id (Debezium's `id` header, the consumers' inbox key).
//
//   await outbox.add(tx, eventOf(events.UserCreated, 'UserCreated', {
//     aggregateType: AggregateTypes.profile, aggregateId: userId, sagaId,
//     data: { userId, nickname, blogSlug },
//   }));
import { randomUUID } from 'node:crypto';
import type { OutboxEvent } from './outbox';

/** EventMessage is what ts-proto generates for an event message that has `meta` as field 1. */
export interface EventMessage<T> {
  fromPartial(object: never): T;
  toJSON(message: T): unknown;
  encode(message: T): { finish(): Uint8Array };
}

/** EventSpec is where an event goes and what it says (everything but its metadata). */
export interface EventSpec<D> {
  aggregateType: string;
  aggregateId: string;
  sagaId?: string;
  data: D;
  /** occurredAt defaults to now. */
  occurredAt?: Date;
}

/** eventOf returns the outbox event for a message of type `type` with its metadata filled in. */
export function eventOf<T, D extends object>(
  message: EventMessage<T> & { fromPartial(object: D & { meta?: object }): T },
  type: string,
  spec: EventSpec<D>,
): OutboxEvent {
  const id = randomUUID();
  const meta = {
    eventId: id,
    eventType: type,
    aggregateId: spec.aggregateId,
    occurredAt: (spec.occurredAt ?? new Date()).toISOString(),
    sagaId: spec.sagaId ?? '',
  };
  const value = message.fromPartial({ ...spec.data, meta });
  return {
    id,
    aggregateType: spec.aggregateType,
    aggregateId: spec.aggregateId,
    type,
    payload: message.toJSON(value),
    binary: () => message.encode(value).finish(),
    sagaId: spec.sagaId,
  };
}
