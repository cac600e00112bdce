// Test support (excluded from the build): feed events the way Debezium publishes them, watch the events a service
// emits, and watch its logs. Candidate for the framework: every service's integration tests need the same.
import { randomUUID } from 'node:crypto';
import { createKafkaBroker, type Broker, type OutboxEvent } from '@blog/framework';
import { topicFor, type AggregateType } from '@blog/proto';
import pino from 'pino';

/** testBroker connects a broker to the stack's Kafka (KAFKA_BROKERS from the stack's global setup). */
export async function testBroker(name: string): Promise<Broker> {
  const broker = createKafkaBroker({
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    clientId: `it-${name}-${randomUUID().slice(0, 8)}`,
    logger: pino({ level: 'warn' }),
    redeliveryDelayMs: 100,
  });
  await broker.start();
  return broker;
}

/**
 * publishRecord publishes an outbox event as Debezium's EventRouter does: topic events.<aggregatetype>, key the
 * aggregate id, value the payload's JSON, headers id, eventType and sagaId. Publishing it twice is a duplicate.
 */
export async function publishRecord(broker: Broker, event: OutboxEvent): Promise<void> {
  await broker.publish(topicFor(event.aggregateType as AggregateType), [
    {
      key: event.aggregateId,
      value: Buffer.from(JSON.stringify(event.payload)),
      headers: {
        id: event.id ?? randomUUID(),
        eventType: event.type,
        ...(event.sagaId ? { sagaId: event.sagaId } : {}),
      },
    },
  ]);
}

/** TappedEvent is one record seen on a topic. */
export interface TappedEvent {
  readonly topic: string;
  readonly key: string | null;
  readonly id: string;
  readonly type: string;
  readonly sagaId: string | undefined;
  readonly payload: Record<string, unknown>;
}

/** EventTap records every event on some topics (its own consumer group, from the beginning). */
export class EventTap {
  readonly events: TappedEvent[] = [];

  /** open subscribes and resolves once the tap's consumer has joined its group. */
  static async open(broker: Broker, topics: readonly string[]): Promise<EventTap> {
    const tap = new EventTap();
    await broker.subscribe({
      topics,
      groupId: `it-tap-${randomUUID()}`,
      fromBeginning: true,
      handler: async (message) => {
        tap.events.push({
          topic: message.topic,
          key: message.key,
          id: message.headers.id ?? '',
          type: message.headers.eventType ?? '',
          sagaId: message.headers.sagaId,
          payload: JSON.parse(String(message.value)) as Record<string, unknown>,
        });
      },
    });
    return tap;
  }

  /** matching lists the events of a type for an aggregate (the record key). */
  matching(type: string, key: string): TappedEvent[] {
    return this.events.filter((e) => e.type === type && e.key === key);
  }

  /** next waits for the first event of a type for an aggregate. */
  next(type: string, key: string, timeoutMs = 30_000): Promise<TappedEvent> {
    return waitFor(`${type} for ${key}`, () => this.matching(type, key)[0], timeoutMs);
  }
}

/** LogTap is a pino destination that keeps the service's own log lines (not kafkajs's chatter). */
export class LogTap {
  readonly lines: Record<string, unknown>[] = [];

  write(line: string): void {
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (entry.kafkajs === undefined) this.lines.push(entry);
  }

  /** next waits for a line with this message whose fields include `fields`. */
  next(msg: string, fields: Record<string, unknown>, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    return waitFor(
      `log "${msg}" ${JSON.stringify(fields)}`,
      () => this.lines.find((l) => l.msg === msg && Object.entries(fields).every(([k, v]) => l[k] === v)),
      timeoutMs,
    );
  }
}

/** waitFor polls `check` until it returns something, or fails after timeoutMs. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
