// Integration-test helpers (excluded from the build): the env that points a service at the local stack, events fed
// the way Debezium publishes them (topic events.<aggregatetype>, key = aggregate id, value = the event's proto3
// JSON, headers id / eventType / sagaId), and taps that collect what a topic receives.
// (A candidate for the framework: every service's integration tests need the same.)
import { randomUUID } from 'node:crypto';
import {
  createKafkaBroker,
  eventOf,
  type BrokerMessage,
  type EventMessage,
  type KafkaBroker,
  type Subscription,
} from '@blog/framework';
import pino from 'pino';

/** testLogger is quiet unless LOG_LEVEL says otherwise. */
export const testLogger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });

/** serviceEnv is a service's environment on the stack: loopback, ephemeral ports, its own database role. */
export function serviceEnv(
  databaseUrlVariable: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const databaseUrl = process.env[databaseUrlVariable];
  const brokers = process.env.KAFKA_BROKERS;
  if (!databaseUrl || !brokers)
    throw new Error(`${databaseUrlVariable} and KAFKA_BROKERS come from the stack's global setup`);
  return {
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: '0',
    ADMIN_PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: brokers,
    INBOX_RETRY_ATTEMPTS: '2',
    ...extra,
  };
}

/** waitFor polls `check` until it returns something other than undefined/false, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** FedEvent is an event put on a topic by a test: its id header and the record as published. */
export interface FedEvent {
  readonly id: string;
  readonly record: { key: string; value: Buffer; headers: Record<string, string> };
}

/** Tap collects every record of some topics from their beginning; tests filter by their own ids. */
export class Tap {
  constructor(
    readonly subscription: Subscription,
    readonly messages: BrokerMessage[],
  ) {}

  /** events returns the decoded payloads of `eventType` records that match `where`. */
  events<T>(eventType: string, decoder: { fromJSON(o: unknown): T }, where: (event: T) => boolean): T[] {
    return this.messages
      .filter((m) => m.headers.eventType === eventType && m.value)
      .map((m) => decoder.fromJSON(JSON.parse(String(m.value))))
      .filter(where);
  }

  /** next waits for the first `eventType` record matching `where`. */
  next<T>(
    eventType: string,
    decoder: { fromJSON(o: unknown): T },
    where: (event: T) => boolean,
    timeoutMs = 30_000,
  ) {
    return waitFor(`${eventType}`, () => this.events(eventType, decoder, where)[0], timeoutMs);
  }

  /** recordsOf returns the raw records of `eventType` matching `where` (headers, key). */
  recordsOf(eventType: string, where: (payload: Record<string, unknown>) => boolean): BrokerMessage[] {
    return this.messages.filter(
      (m) => m.headers.eventType === eventType && m.value && where(JSON.parse(String(m.value))),
    );
  }
}

/** EventBus publishes test events and opens taps; close() stops everything it started. */
export class EventBus {
  private constructor(private readonly broker: KafkaBroker) {}

  static async connect(): Promise<EventBus> {
    const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
    const broker = createKafkaBroker({ brokers, clientId: `it-${randomUUID()}`, logger: testLogger });
    await broker.start();
    return new EventBus(broker);
  }

  /** feed publishes an event like Debezium's EventRouter would, with its metadata filled in. */
  async feed<T, D extends object>(
    topic: string,
    message: EventMessage<T> & { fromPartial(object: D & { meta?: object }): T },
    type: string,
    spec: { key: string; data: D; sagaId?: string },
  ): Promise<FedEvent> {
    const sagaId = spec.sagaId ?? randomUUID();
    const event = eventOf(message, type, {
      aggregateType: topic,
      aggregateId: spec.key,
      sagaId,
      data: spec.data,
    });
    const record = {
      key: spec.key,
      value: Buffer.from(JSON.stringify(event.payload)),
      headers: { id: event.id ?? randomUUID(), eventType: type, sagaId },
    };
    await this.broker.publish(topic, [record]);
    return { id: record.headers.id, record };
  }

  /** redeliver publishes a record again, same id header: what a Connect restart or a rebalance looks like. */
  async redeliver(topic: string, fed: FedEvent): Promise<void> {
    await this.broker.publish(topic, [fed.record]);
  }

  /** tap starts collecting the records of `topics` from their beginning, in a consumer group of its own. */
  async tap(topics: readonly string[]): Promise<Tap> {
    const messages: BrokerMessage[] = [];
    const subscription = await this.broker.subscribe({
      topics,
      groupId: `it-tap-${randomUUID()}`,
      fromBeginning: true,
      handler: async (message) => void messages.push(message),
    });
    return new Tap(subscription, messages);
  }

  async close(): Promise<void> {
    await this.broker.stop();
  }
}
