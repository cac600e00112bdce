// How the post service emits: every event goes to the post outbox (topic events.post.post).
import { eventOf, type EventMessage, type OutboxEvent, newSagaId } from '@blog/framework';
import { AggregateTypes } from '@blog/proto';

/** postEvent builds a post event; `aggregateId` is its Kafka key; a missing sagaId starts a new saga. */
export function postEvent<T, D extends object>(
  message: EventMessage<T> & { fromPartial(object: D & { meta?: object }): T },
  type: string,
  aggregateId: string,
  data: D,
  sagaId: string = newSagaId(),
): OutboxEvent {
  return eventOf(message, type, { aggregateType: AggregateTypes.post, aggregateId, sagaId, data });
}
