// A tap records every event on some topics, in a consumer group of its own reading from the beginning, so that a
// test can look for what a service emitted: by event type and aggregate (the record key), or decoded and filtered.
import { randomUUID } from 'node:crypto';
import type { Broker, BrokerMessage, Decoder, Subscription } from '@blog/framework';
import { waitFor, WAIT_TIMEOUT_MS } from '../wait';
import { payloadOf } from './debezium';

/** TappedEvent is one record seen on a tapped topic, with what Debezium put in its key and headers. */
export interface TappedEvent {
  readonly topic: string;
  /** key is the aggregate id. */
  readonly key: string | null;
  /** id is the event id (the `id` header consumers dedupe on). */
  readonly id: string;
  /** type is the `eventType` header, e.g. "AccountCreated". */
  readonly type: string;
  readonly sagaId: string | undefined;
  /** payload is the event's proto3 JSON, undecoded. */
  readonly payload: Record<string, unknown>;
  readonly message: BrokerMessage;
}

/** Seen is a tapped event decoded into its message. */
export interface Seen<T> extends TappedEvent {
  readonly event: T;
}

/** EventTap records every event on some topics; `all` looks at what came so far, `next` waits for one. */
export class EventTap {
  /** events are the records seen so far, in arrival order (per partition: publication order). */
  readonly events: TappedEvent[] = [];
  private subscription?: Subscription;

  /** open subscribes a new tap to `topics` and resolves once its consumer has joined its group. */
  static async open(broker: Broker, topics: readonly string[]): Promise<EventTap> {
    const tap = new EventTap();
    tap.subscription = await broker.subscribe({
      topics,
      groupId: `it-tap-${randomUUID()}`,
      fromBeginning: true,
      handler: async (message) => void tap.events.push(tapped(message)),
    });
    return tap;
  }

  /** all lists the events of `type`, for the aggregate `key` when given. */
  all(type: string, key?: string): TappedEvent[];
  /** all lists the events of `type` decoded with `decoder` (e.g. `events.BlogCreated`) that match `where`. */
  all<T>(type: string, decoder: Decoder<T>, where?: (event: T) => boolean): Seen<T>[];
  all<T>(type: string, by?: string | Decoder<T>, where: (event: T) => boolean = () => true): TappedEvent[] {
    const ofType = this.events.filter((e) => e.type === type);
    if (by === undefined || typeof by === 'string')
      return ofType.filter((e) => by === undefined || e.key === by);
    return ofType.map((e) => ({ ...e, event: by.fromJSON(e.payload) })).filter((seen) => where(seen.event));
  }

  /** next waits for the first event of `type` for the aggregate `key`. */
  next(type: string, key: string, timeoutMs?: number): Promise<TappedEvent>;
  /** next waits for the first event of `type` that, decoded with `decoder`, matches `where`. */
  next<T>(
    type: string,
    decoder: Decoder<T>,
    where?: (event: T) => boolean,
    timeoutMs?: number,
  ): Promise<Seen<T>>;
  next<T>(
    type: string,
    by: string | Decoder<T>,
    whereOrTimeout?: ((event: T) => boolean) | number,
    timeoutMs = WAIT_TIMEOUT_MS,
  ): Promise<TappedEvent> {
    if (typeof by === 'string') {
      const timeout = typeof whereOrTimeout === 'number' ? whereOrTimeout : timeoutMs;
      return waitFor(`${type} for ${by}`, () => this.all(type, by)[0], timeout);
    }
    const where = typeof whereOrTimeout === 'function' ? whereOrTimeout : undefined;
    return waitFor(type, () => this.all(type, by, where)[0], timeoutMs);
  }

  /** stop leaves the tap's consumer group (the bus that opened it also stops it on close). */
  async stop(): Promise<void> {
    await this.subscription?.stop();
  }
}

function tapped(message: BrokerMessage): TappedEvent {
  return {
    topic: message.topic,
    key: message.key,
    id: message.headers.id ?? '',
    type: message.headers.eventType ?? '',
    sagaId: message.headers.sagaId,
    payload: payloadOf(message),
    message,
  };
}
