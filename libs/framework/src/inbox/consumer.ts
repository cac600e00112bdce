// The idempotent consumer runner. Per record: decode; in ONE transaction claim the event id in the inbox and, if
// new, run the handler; commit; only then let the broker commit the offset. Handler failures are retried with
// backoff, then the record is dead-lettered and the partition moves on. Failures of the machinery itself (the
// database refusing the transaction, the dead-letter publish) are left to the broker, which redelivers the same
// record later: nothing is committed past a record that was neither processed nor dead-lettered.
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  isSpanContextValid,
  propagation,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { events, type EventDescriptor } from '@blog/proto';
import type { Logger } from 'pino';
import type { Broker, BrokerMessage, DeliveryContext, Subscription } from '../broker';
import { emitterFor, PgOutbox, type Outbox } from '../outbox';
import type { TransactionRunner } from '../store';
import { randomSpanId, randomTraceId } from '../telemetry/ids';
import { withLogFields } from '../telemetry/log-context';
import type { InboxMetrics } from './inbox-metrics';
import { deadLetter } from './dead-letter';
import { decodePayload, messageIdOf, UndecodableError } from './decode';
import type { Decoder, EventHandler, HandlerContext, Inbox, InboxRetryOptions } from './inbox';
import { PgInbox } from './pg-inbox';

/** InboxConsumerOptions configures a consumer; `name` is both its inbox key and its Kafka consumer group. */
export interface InboxConsumerOptions {
  name: string;
  /**
   * topics to read beside those of the typed events registered with `on(descriptor, handler)`, which are derived
   * from the handlers; needed only for handlers registered by type name (framework tests, tools).
   */
  topics?: readonly string[];
  broker: Broker;
  store: TransactionRunner;
  logger: Logger;
  inbox?: Inbox;
  outbox?: Outbox;
  retry?: InboxRetryOptions;
  /**
   * isKnownEventType tells an event type of the contract that this consumer does not handle (skipped) from an
   * unknown one (dead-lettered). Default: the message names exported by @blog/proto's `events`.
   */
  isKnownEventType?: (eventType: string) => boolean;
  /** fromBeginning for a group without committed offsets (default true). */
  fromBeginning?: boolean;
  /** metrics count handled, retried and dead-lettered records (createDataPlane passes the service's). */
  metrics?: InboxMetrics;
}

interface Registration {
  decoder: Decoder<unknown>;
  handler: EventHandler<unknown>;
  /** problems checks a decoded payload against its descriptor's declarations (typed events only). */
  problems?: (event: unknown) => string[];
  topic?: string;
}

/** HandlerFailure wraps what a handler threw, to tell it from a failure of the transaction around it. */
class HandlerFailure extends Error {
  constructor(readonly error: unknown) {
    super(error instanceof Error ? error.message : String(error));
  }
}

const contractEventTypes = new Set(
  Object.entries(events)
    .filter(([, value]) => typeof (value as Partial<Decoder<unknown>>)?.fromJSON === 'function')
    .map(([name]) => name),
);
const tracer = trace.getTracer('@blog/framework/inbox');

/** InboxConsumer runs handlers for the event types registered with `on`. */
export class InboxConsumer {
  private readonly handlers = new Map<string, Registration>();
  private readonly logger: Logger;
  private readonly inbox: Inbox;
  private readonly outbox: Outbox;
  private readonly retry: Required<InboxRetryOptions>;
  private readonly isKnownEventType: (eventType: string) => boolean;
  private subscription?: Subscription;
  private readonly metrics?: InboxMetrics;

  constructor(private readonly options: InboxConsumerOptions) {
    this.logger = options.logger.child({ component: 'inbox', consumer: options.name });
    this.inbox = options.inbox ?? new PgInbox();
    this.outbox = options.outbox ?? new PgOutbox();
    this.retry = { attempts: 5, initialDelayMs: 200, factor: 2, maxDelayMs: 5_000, ...options.retry };
    this.isKnownEventType = options.isKnownEventType ?? ((type) => contractEventTypes.has(type));
    this.metrics = options.metrics;
  }

  /**
   * on registers the handler of a typed event: the consumer reads the event's topic, decodes its payload and checks
   * it against the descriptor (a payload that breaks it is dead-lettered at once, naming the field), then runs the
   * handler.
   */
  on<T>(event: EventDescriptor<T>, handler: EventHandler<T>): this;
  /** on registers, by type name, the handler and decoder of an event that has no descriptor (tests, tools). */
  on<T>(eventType: string, decoder: Decoder<T>, handler: EventHandler<T>): this;
  on<T>(
    event: EventDescriptor<T> | string,
    decoderOrHandler: Decoder<T> | EventHandler<T>,
    handler?: EventHandler<T>,
  ): this {
    const registration: Registration =
      typeof event === 'string'
        ? { decoder: decoderOrHandler as Decoder<unknown>, handler: handler as EventHandler<unknown> }
        : {
            decoder: event.message as Decoder<unknown>,
            handler: decoderOrHandler as EventHandler<unknown>,
            problems: (decoded) => event.problems(decoded as T),
            topic: event.topic,
          };
    const eventType = typeof event === 'string' ? event : event.type;
    if (this.handlers.has(eventType))
      throw new Error(`${this.options.name}: ${eventType} already has a handler`);
    this.handlers.set(eventType, registration);
    return this;
  }

  /** topics are the topics read: those of the registered typed events, and any named in the options. */
  get topics(): string[] {
    const derived = [...this.handlers.values()].flatMap((r) => (r.topic ? [r.topic] : []));
    return [...new Set([...(this.options.topics ?? []), ...derived])];
  }

  /** eventTypes are the event types with a handler. */
  get eventTypes(): string[] {
    return [...this.handlers.keys()];
  }

  /** start joins the consumer group and processes records until stop. */
  async start(): Promise<void> {
    if (this.subscription) return;
    const topics = this.topics;
    if (topics.length === 0)
      throw new Error(`${this.options.name}: a consumer without handlers reads nothing`);
    this.subscription = await this.options.broker.subscribe({
      topics,
      groupId: this.options.name,
      fromBeginning: this.options.fromBeginning,
      handler: (message, delivery) => this.process(message, delivery),
    });
    this.logger.info({ topics, eventTypes: this.eventTypes }, 'consumer started');
  }

  /** stop finishes the record in hand and leaves the group. */
  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
  }

  /**
   * process handles one record; resolving lets the broker commit its offset. The whole record (every attempt and a
   * dead-letter) runs in ONE consumer span whose parent is the producer's context from the record's traceparent
   * header (the outbox row's, copied by Debezium), so a saga is one trace across services; events the handler adds
   * to the outbox carry this span's traceparent onward. Every log line written meanwhile, by the inbox or the
   * handler, carries traceId, spanId, sagaId, eventId and eventType (log-context.ts).
   */
  async process(message: BrokerMessage, delivery: DeliveryContext): Promise<void> {
    const eventType = message.headers.eventType;
    const messageId = messageIdOf(message);
    const parent = propagation.extract(ROOT_CONTEXT, message.headers);
    const span = tracer.startSpan(
      `${message.topic} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': message.topic,
          'messaging.destination.partition.id': String(message.partition),
          'messaging.kafka.offset': Number(message.offset),
          'messaging.consumer.group.name': this.options.name,
          'messaging.message.id': messageId,
          ...(eventType ? { 'blog.event.type': eventType } : {}),
          ...(message.headers.sagaId ? { 'blog.saga.id': message.headers.sagaId } : {}),
        },
      },
      parent,
    );
    const { traceId, spanId } = span.isRecording() ? span.spanContext() : fallbackIds(parent);
    const active = withLogFields(trace.setSpan(parent, span), {
      traceId,
      spanId,
      sagaId: message.headers.sagaId || undefined,
      eventId: messageId,
      eventType,
    });
    try {
      await context.with(active, () => this.processInSpan(message, delivery, span));
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  }

  private async processInSpan(message: BrokerMessage, delivery: DeliveryContext, span: Span): Promise<void> {
    const eventType = message.headers.eventType;
    const log = this.logger.child({
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
    });
    const registration = eventType ? this.handlers.get(eventType) : undefined;
    if (!registration) {
      if (eventType && this.isKnownEventType(eventType)) {
        log.debug('event type not handled here; skipped');
        return;
      }
      const error = new UndecodableError(
        eventType ? `unknown event type ${eventType}` : 'record has no eventType header',
      );
      return this.deadLetter(message, error, 0, log, span);
    }
    let event: unknown;
    try {
      event = decodePayload(message, registration.decoder);
      // A payload that breaks its event's declarations no retry can mend: it is dead-lettered now, naming the field.
      const problems = registration.problems?.(event) ?? [];
      if (problems.length > 0) throw new UndecodableError(`${eventType}: ${problems.join('; ')}`);
    } catch (error) {
      return this.deadLetter(message, error, 0, log, span);
    }
    const messageId = messageIdOf(message);
    for (let attempt = 1; ; attempt++) {
      span.setAttribute('blog.attempt', attempt);
      const started = performance.now();
      try {
        const processed = await this.attempt(
          message,
          messageId,
          eventType,
          event,
          registration.handler,
          attempt,
        );
        this.metrics?.observeHandled(
          message.topic,
          eventType,
          processed ? 'processed' : 'duplicate',
          started,
        );
        this.metrics?.consumed(
          this.options.name,
          message.topic,
          message.partition,
          message.offset,
          delivery.highWatermark,
        );
        // One info line per event handled: with the correlation fields on it (traceId, sagaId, eventId, eventType),
        // a saga's steps can be followed through every service's log.
        log.info(
          { messageId, attempt, duplicate: !processed },
          processed ? 'event processed' : 'duplicate event skipped',
        );
        return;
      } catch (error) {
        if (!(error instanceof HandlerFailure)) throw error;
        this.metrics?.observeHandled(message.topic, eventType, 'failed', started);
        span.addEvent('handler failed', { 'blog.attempt': attempt, 'exception.message': error.message });
        if (attempt >= this.retry.attempts) return this.deadLetter(message, error.error, attempt, log, span);
        const delayMs = Math.min(
          this.retry.initialDelayMs * this.retry.factor ** (attempt - 1),
          this.retry.maxDelayMs,
        );
        this.metrics?.retried(message.topic, eventType);
        log.warn({ err: error.error, messageId, attempt, retryInMs: delayMs }, 'handler failed; retrying');
        await pause(delayMs, delivery);
      }
    }
  }

  /** attempt runs one try in one transaction; false when the event was already processed. */
  private async attempt(
    message: BrokerMessage,
    messageId: string,
    eventType: string,
    event: unknown,
    handler: EventHandler<unknown>,
    attempt: number,
  ): Promise<boolean> {
    return this.options.store.withTransaction(async (tx) => {
      if (!(await this.inbox.claim(tx, this.options.name, messageId))) return false;
      const sagaId = message.headers.sagaId || undefined;
      const handlerContext: HandlerContext = {
        tx,
        // eventOf always sets the sagaId key (maybe undefined): inherit the incoming one unless given.
        addEvent: (outgoing) => this.outbox.add(tx, { ...outgoing, sagaId: outgoing.sagaId ?? sagaId }),
        emit: emitterFor(this.outbox, tx, sagaId),
        messageId,
        eventType,
        sagaId,
        attempt,
        message,
      };
      try {
        await handler(event, handlerContext);
      } catch (error) {
        throw new HandlerFailure(error);
      }
      return true;
    });
  }

  private async deadLetter(
    message: BrokerMessage,
    error: unknown,
    attempts: number,
    log: Logger,
    span: Span,
  ): Promise<void> {
    const reason = error instanceof UndecodableError ? 'undecodable' : 'handler-failed';
    await deadLetter(this.options.broker, { message, consumer: this.options.name, reason, error, attempts });
    this.metrics?.deadLettered(message.topic, reason);
    span.setAttribute('blog.dead_lettered', reason);
    span.setStatus({ code: SpanStatusCode.ERROR, message: `dead-lettered: ${reason}` });
    log.error({ err: error, reason, attempts, messageId: messageIdOf(message) }, 'record dead-lettered');
  }
}

/** createInboxConsumer returns an idempotent consumer; register handlers with `on`, then `start` it. */
export function createInboxConsumer(options: InboxConsumerOptions): InboxConsumer {
  return new InboxConsumer(options);
}

/**
 * fallbackIds: without an SDK the span is not recorded; the log lines still get the producer's trace id (or a new
 * one) and a span id of their own, as the gRPC server does (telemetry/tracing.ts).
 */
function fallbackIds(parent: Context): { traceId: string; spanId: string } {
  const producer = trace.getSpanContext(parent);
  const traceId = producer && isSpanContextValid(producer) ? producer.traceId : randomTraceId();
  return { traceId, spanId: randomSpanId() };
}

/** pause waits, keeping the group membership alive; it throws if the partition is taken away meanwhile. */
async function pause(ms: number, delivery: DeliveryContext): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(until - Date.now(), 1_000)));
    if (delivery.isStopping()) throw new Error('consumer stopping; the record will be delivered again');
    await delivery.heartbeat();
  }
}
