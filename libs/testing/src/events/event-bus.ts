// The test's own connection to Kafka: it feeds events the way Debezium publishes them and opens taps on topics.
import { randomUUID } from 'node:crypto';
import { createKafkaBroker, kafkaSaslFromEnv, type Broker, type OutboxEvent } from '@blog/framework';
import { stackEnv, testLogger } from '../stack/env';
import { buildEvent, debeziumRecord, type EventOf, type FeedSpec } from './debezium';
import { EventTap } from './event-tap';

/** EventBus publishes test events and opens taps; close() stops the taps and the producer. */
export class EventBus {
  /** broker is any Broker: the stack's Kafka (connect), or the framework's MemoryBroker in unit tests. */
  constructor(private readonly broker: Broker) {}

  /** connect starts a bus on the stack's Kafka (KAFKA_BROKERS from the stack's global setup). */
  static async connect(name = 'it'): Promise<EventBus> {
    const broker = createKafkaBroker({
      brokers: stackEnv('KAFKA_BROKERS').split(','),
      // The global setup signs the tests in as the super user: they publish events the way Debezium does.
      sasl: kafkaSaslFromEnv(),
      clientId: `it-${name}-${randomUUID().slice(0, 8)}`,
      logger: testLogger,
    });
    await broker.start();
    return new EventBus(broker);
  }

  /**
   * publish puts an outbox event on its topic as Debezium's EventRouter would, and returns it with its id. Publishing
   * the same event again is a redelivery (same id header); building a new one is a repeat with a new event id.
   */
  async publish(event: OutboxEvent): Promise<OutboxEvent> {
    const { topic, message } = debeziumRecord(event);
    await this.broker.publish(topic, [message]);
    return { ...event, id: message.headers.id };
  }

  /** feed builds an event with its metadata (see buildEvent: same arguments as eventOf) and publishes it. */
  feed<T, D extends object>(message: EventOf<T, D>, type: string, spec: FeedSpec<D>): Promise<OutboxEvent> {
    return this.publish(buildEvent(message, type, spec));
  }

  /** redeliver publishes an event fed before once more: what a Connect restart or a rebalance looks like. */
  async redeliver(event: OutboxEvent): Promise<void> {
    await this.publish(event);
  }

  /** tap starts recording the events of `topics` from their beginning (see EventTap). */
  tap(topics: readonly string[]): Promise<EventTap> {
    return EventTap.open(this.broker, topics);
  }

  /** close stops every tap, then the producer. */
  async close(): Promise<void> {
    await this.broker.stop();
  }
}
