// Events as Debezium's outbox EventRouter publishes them: topic events.<aggregatetype>, key the aggregate id, value
// the event's proto3 JSON, headers id / eventType / sagaId. Pure functions: the bus publishes what they build.
import { randomUUID } from 'node:crypto';
import {
  eventOf,
  type BrokerMessage,
  type EventMessage,
  type EventSpec,
  type OutboxEvent,
  type OutgoingMessage,
} from '@blog/framework';
import { topicFor, type AggregateType } from '@blog/proto';

/** EventOf is an event message that ts-proto generated, with `meta` as field 1 (what eventOf takes). */
export type EventOf<T, D extends object> = EventMessage<T> & {
  fromPartial(object: D & { meta?: object }): T;
};

/** FeedSpec is where a fed event goes and what it says: eventOf's spec, with the aggregate type checked. */
export type FeedSpec<D> = EventSpec<D> & { aggregateType: AggregateType };

/**
 * buildEvent makes the outbox event (metadata filled in, a new id) that the producing service would write, in a new
 * saga unless the spec names one: `buildEvent(events.UserCreated, 'UserCreated', { aggregateType, aggregateId, data })`.
 */
export function buildEvent<T, D extends object>(
  message: EventOf<T, D>,
  type: string,
  spec: FeedSpec<D>,
): OutboxEvent {
  return eventOf(message, type, { ...spec, sagaId: spec.sagaId ?? randomUUID() });
}

/** DebeziumRecord is an outbox event as it lands on Kafka. */
export interface DebeziumRecord {
  topic: string;
  message: OutgoingMessage & { key: string; value: Buffer; headers: Record<string, string> };
}

/**
 * debeziumRecord is the record EventRouter publishes for an outbox event. The id header is the event's id, so the
 * same event published twice is a redelivery; an event without an id (not built by eventOf) gets a new one.
 */
export function debeziumRecord(event: OutboxEvent): DebeziumRecord {
  const headers: Record<string, string> = {
    id: event.id ?? randomUUID(),
    eventType: event.type,
    contentType: 'application/json',
  };
  if (event.sagaId) headers.sagaId = event.sagaId;
  return {
    topic: topicFor(event.aggregateType as AggregateType),
    message: { key: event.aggregateId, value: Buffer.from(JSON.stringify(event.payload)), headers },
  };
}

/**
 * payloadOf parses a record's value as the JSON object it carries. EventRouter may carry the jsonb payload as a JSON
 * string: both are accepted, as the framework's consumer does. Anything else (no value, not JSON, not an object)
 * gives {}: a tap must keep reading past a broken record that a test put on a shared topic on purpose.
 */
export function payloadOf(message: Pick<BrokerMessage, 'value'>): Record<string, unknown> {
  try {
    let value: unknown = JSON.parse(message.value?.toString('utf8') ?? 'null');
    if (typeof value === 'string') value = JSON.parse(value);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // Not JSON: treated as an empty payload below.
  }
  return {};
}
