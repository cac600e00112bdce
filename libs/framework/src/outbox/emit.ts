// Emitting a typed event: the one way a service writes an event. `emit(UserCreated, aggregateId, data)` builds the
// outbox event from the descriptor (type, topic through the aggregate, metadata filled in: event id, type, aggregate
// id, time, saga id) and adds it to the transaction in hand. Consumers get `emit` on their HandlerContext (the saga
// id of the event being handled is carried on by default); use cases get it from `withEvents`:
//
//   await withEvents(store, outbox, async ({ tx, emit }) => {
//     await posts.insert(tx, post);
//     await emit(PostSubmitted, post.id, { postId: post.id, blogId, authorId }, { sagaId: newSagaId() });
//   });
import { randomUUID } from 'node:crypto';
import type { EventData, EventDescriptor } from '@blog/proto';
import type { Transaction, TransactionRunner } from '../store';
import type { Outbox, OutboxEvent } from './outbox';

/** EmitOptions say what the data does not: the saga the event belongs to, and when it happened. */
export interface EmitOptions {
  /** sagaId defaults to the saga of the event being handled (none outside a consumer). */
  sagaId?: string;
  /** occurredAt defaults to now. */
  occurredAt?: Date;
}

/** Emit adds one typed event to the transaction in hand and resolves with its id. */
export type Emit = <T>(
  event: EventDescriptor<T>,
  aggregateId: string,
  data: EventData<T>,
  options?: EmitOptions,
) => Promise<string>;

/** EventScope is a transaction that can emit: what `withEvents` hands a use case. */
export interface EventScope {
  readonly tx: Transaction;
  readonly emit: Emit;
}

/**
 * createEvent returns the outbox event for a typed event, its metadata filled in so that the payload's meta.eventId
 * is the outbox row id (Debezium's `id` header, the consumers' inbox key).
 */
export function createEvent<T>(
  event: EventDescriptor<T>,
  aggregateId: string,
  data: EventData<T>,
  options: EmitOptions = {},
): OutboxEvent {
  const id = randomUUID();
  const meta = {
    eventId: id,
    eventType: event.type,
    aggregateId,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    sagaId: options.sagaId ?? '',
  };
  const fromPartial = event.message.fromPartial as (object: unknown) => T;
  const value = fromPartial({ ...data, meta });
  return {
    id,
    aggregateType: event.aggregate,
    aggregateId,
    type: event.type,
    payload: event.message.toJSON(value),
    binary: () => event.message.encode(value).finish(),
    sagaId: options.sagaId,
  };
}

/** emitterFor returns the Emit of one transaction; events without a saga id of their own get `sagaId`. */
export function emitterFor(outbox: Outbox, tx: Transaction, sagaId?: string): Emit {
  return (event, aggregateId, data, options = {}) =>
    outbox.add(tx, createEvent(event, aggregateId, data, { ...options, sagaId: options.sagaId ?? sagaId }));
}

/** withEvents runs `work` in one transaction of `store` in which it can emit events through `outbox`. */
export function withEvents<R>(
  store: TransactionRunner,
  outbox: Outbox,
  work: (scope: EventScope) => Promise<R>,
): Promise<R> {
  return store.withTransaction((tx) => work({ tx, emit: emitterFor(outbox, tx) }));
}
