// Test-only: feeding events the way Debezium publishes outbox rows (topic events.<aggregatetype>, key = aggregate
// id, value = the event's proto3 JSON, headers id/eventType/sagaId), and watching what the service emits.
import { randomUUID } from 'node:crypto';
import {
  eventOf,
  type Broker,
  type BrokerMessage,
  type Decoder,
  type EventMessage,
  type OutboxEvent,
  type Subscription,
} from '@blog/framework';
import { topicFor, type AggregateType } from '@blog/proto';

/** EventInput is an event to feed: its message, type name, aggregate and data. */
export interface EventInput<T, D extends object> {
  message: EventMessage<T> & { fromPartial(object: D & { meta?: object }): T };
  type: string;
  aggregateType: AggregateType;
  aggregateId: string;
  data: D;
  sagaId?: string;
}

/** buildEvent makes the outbox event (with its metadata and a new id) that a producing service would write. */
export function buildEvent<T, D extends object>(input: EventInput<T, D>): OutboxEvent {
  return eventOf(input.message, input.type, {
    aggregateType: input.aggregateType,
    aggregateId: input.aggregateId,
    sagaId: input.sagaId ?? randomUUID(),
    data: input.data,
  });
}

/** publishEvent publishes an outbox event as Debezium's EventRouter would; publishing it twice is a redelivery. */
export async function publishEvent(broker: Broker, event: OutboxEvent): Promise<void> {
  const headers: Record<string, string> = { id: event.id ?? randomUUID(), eventType: event.type };
  if (event.sagaId) headers.sagaId = event.sagaId;
  await broker.publish(topicFor(event.aggregateType as AggregateType), [
    { key: event.aggregateId, value: Buffer.from(JSON.stringify(event.payload)), headers },
  ]);
}

/** Seen is one emitted event, decoded. */
export interface Seen<T> {
  event: T;
  message: BrokerMessage;
}

/** EventWatcher collects every record of some topics (from their beginning) for tests to look for their events. */
export class EventWatcher {
  private readonly records: BrokerMessage[] = [];
  private subscription?: Subscription;

  /** start joins a throw-away consumer group reading `topics` from their beginning. */
  async start(broker: Broker, topics: readonly string[]): Promise<this> {
    this.subscription = await broker.subscribe({
      topics,
      groupId: `it-watch-${randomUUID()}`,
      fromBeginning: true,
      handler: async (message) => void this.records.push(message),
    });
    return this;
  }

  /** stop leaves the group. */
  async stop(): Promise<void> {
    await this.subscription?.stop();
  }

  /** all returns the events of `type` seen so far that match `where`. */
  all<T>(type: string, decoder: Decoder<T>, where: (event: T) => boolean = () => true): Seen<T>[] {
    return this.records
      .filter((message) => message.headers.eventType === type)
      .map((message) => ({ event: decoder.fromJSON(payloadOf(message)), message }))
      .filter((seen) => where(seen.event));
  }

  /** next waits for the first event of `type` matching `where`. */
  async next<T>(
    type: string,
    decoder: Decoder<T>,
    where: (event: T) => boolean,
    timeoutMs = 30_000,
  ): Promise<Seen<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [seen] = this.all(type, decoder, where);
      if (seen) return seen;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${type}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

// Debezium's EventRouter may carry the jsonb payload as a JSON string: accept both, as the framework's consumer does.
function payloadOf(message: BrokerMessage): unknown {
  const value: unknown = JSON.parse(String(message.value));
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** waitFor polls `check` until it returns something other than undefined/false. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
