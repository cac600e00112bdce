// The idempotent consumer runner. Per record: decode; in ONE transaction claim the event id in the inbox and, if
// new, run the handler; commit; only then let the broker commit the offset. Handler failures are retried with
// backoff, then the record is dead-lettered and the partition moves on. Failures of the machinery itself (the
// database refusing the transaction, the dead-letter publish) are left to the broker, which redelivers the same
// record later: nothing is committed past a record that was neither processed nor dead-lettered.
//
// Batches: under load the broker hands over the consecutive records of a partition that queued up behind the one in
// flight (broker.ts, batchHandler). They run in ONE transaction: one statement claims every id, each newly claimed
// record's handler runs in offset order, one commit. A transaction per record was the pipeline's bound (a commit's
// round trip and WAL flush per event); per batch, its cost is shared. Only clean batches go that way: if any record
// is not a plain handled event (unknown type, undecodable, breaks its descriptor), any handler throws or the
// transaction fails, the batch rolls back whole and each record takes the one-record path above, in order, so
// retries, dead-letters, spans, metrics and logs are exactly those of one-by-one processing. A handler may thus run
// once more after a rollback: handlers must keep their effects in `tx` (they do: apps/*/src/events).
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
import type { Transaction, TransactionRunner } from '../store';
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
  /**
   * maxBatchSize caps the records of a partition handled in one transaction under load (default
   * DEFAULT_MAX_BATCH_SIZE from the broker; 1 handles every record in its own transaction).
   */
  maxBatchSize?: number;
}

interface Registration {
  decoder: Decoder<unknown>;
  handler: EventHandler<unknown>;
  /** problems checks a decoded payload against its descriptor's declarations (typed events only). */
  problems?: (event: unknown) => string[];
  topic?: string;
}

/** InFlight is one record being handled: its consumer span and the context (trace, log fields) its handler runs in. */
interface InFlight {
  message: BrokerMessage;
  messageId: string;
  eventType: string;
  span: Span;
  active: Context;
}

/** Batched is a record of a clean batch: a handled event, decoded, or a known type this consumer skips. */
interface Batched {
  record: InFlight;
  registration?: Registration;
  event?: unknown;
  /** started is when its handler started (performance.now()); duplicate is set once the claim said so. */
  started: number;
  duplicate: boolean;
}

/** HandlerFailure wraps what a handler threw, to tell it from a failure of the transaction around it. */
class HandlerFailure extends Error {
  constructor(readonly error: unknown) {
    super(messageOf(error));
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** BatchFailure names the record of a batch whose handler threw (the batch rolls back). */
class BatchFailure extends Error {
  constructor(
    readonly record: InFlight,
    readonly error: unknown,
    readonly started: number,
  ) {
    super(messageOf(error));
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
      batchHandler: (messages, delivery) => this.processBatch(messages, delivery),
      maxBatchSize: this.options.maxBatchSize,
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
    return this.finish(this.begin(message), delivery);
  }

  /**
   * processBatch handles consecutive records of one partition (see the top of this file): in one transaction when
   * the batch is clean and goes through, else one by one through `process`'s path, in order.
   */
  async processBatch(messages: readonly BrokerMessage[], delivery: DeliveryContext): Promise<void> {
    if (messages.length === 1) return this.process(messages[0], delivery);
    const records = messages.map((message) => this.begin(message));
    const batch = this.prepare(records);
    let failed: BatchFailure | undefined;
    if (batch) {
      let committed = false;
      try {
        await this.runBatch(batch);
        committed = true;
      } catch (error) {
        if (error instanceof BatchFailure) failed = error;
        for (const record of records) record.span.addEvent('batch rolled back; handled alone');
        this.logger.info(
          {
            err: error instanceof BatchFailure ? error.error : error,
            records: records.length,
            topic: messages[0].topic,
            partition: messages[0].partition,
            offsets: `${messages[0].offset}-${messages[messages.length - 1].offset}`,
            ...(failed ? { failedEventId: failed.record.messageId } : {}),
          },
          'batch rolled back; its records are handled one by one',
        );
      }
      if (committed) return this.settleBatch(batch, delivery);
    }
    // The record whose handler failed in the batch goes on from its attempt 2: it is tried as often as alone.
    for (let i = 0; i < records.length; i++) {
      try {
        await this.finish(records[i], delivery, records[i] === failed?.record ? failed : undefined);
      } catch (error) {
        // The broker delivers this record and those after it again: their spans end here, unfinished.
        for (const rest of records.slice(i + 1)) rest.span.end();
        throw error;
      }
    }
  }

  /** begin opens a record's consumer span and the context (trace and log fields) its handler runs in. */
  private begin(message: BrokerMessage): InFlight {
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
    return { message, messageId, eventType, span, active };
  }

  /** finish runs the one-record path of a begun record in its span, and ends the span. */
  private async finish(
    record: InFlight,
    delivery: DeliveryContext,
    failedInBatch?: { error: unknown; started: number },
  ): Promise<void> {
    const { span } = record;
    try {
      await context.with(record.active, () =>
        this.processInSpan(record.message, delivery, span, failedInBatch),
      );
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  }

  /**
   * prepare decodes a batch; undefined unless every record is a clean case: a registered event that decodes and
   * keeps its descriptor, or a known type this consumer skips. Anything else takes the one-record path.
   */
  private prepare(records: readonly InFlight[]): Batched[] | undefined {
    const batch: Batched[] = [];
    for (const record of records) {
      const registration = record.eventType ? this.handlers.get(record.eventType) : undefined;
      if (!registration) {
        if (!record.eventType || !this.isKnownEventType(record.eventType)) return undefined;
        batch.push({ record, started: 0, duplicate: false });
        continue;
      }
      try {
        const event = decodeEvent(record.message, record.eventType, registration);
        batch.push({ record, registration, event, started: 0, duplicate: false });
      } catch {
        return undefined;
      }
    }
    return batch;
  }

  /** runBatch claims every id of the batch and runs the handlers of the new ones, in order, in one transaction. */
  private async runBatch(batch: Batched[]): Promise<void> {
    const handled = batch.filter((b) => b.registration);
    if (handled.length === 0) return;
    await this.options.store.withTransaction(async (tx) => {
      const claimed = await this.claimAll(
        tx,
        handled.map((b) => b.record.messageId),
      );
      for (const b of handled) {
        const { record } = b;
        b.started = performance.now();
        // delete: the second record of the batch with the same id is a duplicate of the first.
        b.duplicate = !claimed.delete(record.messageId);
        if (b.duplicate) continue;
        record.span.setAttribute('blog.attempt', 1);
        const handlerContext = this.handlerContext(tx, record.message, record.messageId, record.eventType, 1);
        // In the record's own context: its log lines carry its ids, the outbox rows it adds its traceparent.
        await context.with(record.active, async () => {
          try {
            await b.registration?.handler(b.event, handlerContext);
          } catch (error) {
            throw new BatchFailure(record, error, b.started);
          }
        });
      }
    });
  }

  /** claimAll claims the ids in one statement where the inbox can, else one by one. */
  private async claimAll(tx: Transaction, messageIds: string[]): Promise<Set<string>> {
    if (this.inbox.claimAll) return this.inbox.claimAll(tx, this.options.name, messageIds);
    const claimed = new Set<string>();
    for (const id of messageIds) {
      if (await this.inbox.claim(tx, this.options.name, id)) claimed.add(id);
    }
    return claimed;
  }

  /**
   * handled records a committed record (alone, or in a batch of `batchSize`): its metrics and one info line. With the
   * correlation fields on it (traceId, sagaId, eventId, eventType), a saga's steps can be followed through every
   * service's log.
   */
  private handled(
    message: BrokerMessage,
    delivery: DeliveryContext,
    log: Logger,
    outcome: { messageId: string; eventType: string; attempt: number; duplicate: boolean; started: number },
    batchSize?: number,
  ): void {
    const { messageId, eventType, attempt, duplicate, started } = outcome;
    this.metrics?.observeHandled(message.topic, eventType, duplicate ? 'duplicate' : 'processed', started);
    this.metrics?.consumed(
      this.options.name,
      message.topic,
      message.partition,
      message.offset,
      delivery.highWatermark,
    );
    log.info(
      { messageId, attempt, duplicate, ...(batchSize === undefined ? {} : { batch: batchSize }) },
      duplicate ? 'duplicate event skipped' : 'event processed',
    );
  }

  /** settleBatch writes what the one-record path writes after a commit, per record: metrics, its log line, its span. */
  private settleBatch(batch: Batched[], delivery: DeliveryContext): void {
    for (const { record, registration, started, duplicate } of batch) {
      const { message, messageId, eventType, span } = record;
      context.with(record.active, () => {
        const log = this.logger.child({
          topic: message.topic,
          partition: message.partition,
          offset: message.offset,
        });
        if (!registration) return log.debug('event type not handled here; skipped');
        span.setAttribute('blog.batch.size', batch.length);
        this.handled(
          message,
          delivery,
          log,
          { messageId, eventType, attempt: 1, duplicate, started },
          batch.length,
        );
      });
      span.end();
    }
  }

  /**
   * processInSpan is the one-record path. `failedInBatch` is the first attempt when it was made in a batch that
   * rolled back because of this record's handler: it counts as the record's attempt 1, as if made here.
   */
  private async processInSpan(
    message: BrokerMessage,
    delivery: DeliveryContext,
    span: Span,
    failedInBatch?: { error: unknown; started: number },
  ): Promise<void> {
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
      event = decodeEvent(message, eventType, registration);
    } catch (error) {
      return this.deadLetter(message, error, 0, log, span);
    }
    const messageId = messageIdOf(message);
    for (let attempt = 1; ; attempt++) {
      span.setAttribute('blog.attempt', attempt);
      let started = performance.now();
      let failure: unknown;
      if (attempt === 1 && failedInBatch) {
        ({ error: failure, started } = failedInBatch);
      } else {
        try {
          const processed = await this.attempt(
            message,
            messageId,
            eventType,
            event,
            registration.handler,
            attempt,
          );
          this.handled(message, delivery, log, {
            messageId,
            eventType,
            attempt,
            duplicate: !processed,
            started,
          });
          return;
        } catch (error) {
          if (!(error instanceof HandlerFailure)) throw error;
          failure = error.error;
        }
      }
      this.metrics?.observeHandled(message.topic, eventType, 'failed', started);
      span.addEvent('handler failed', { 'blog.attempt': attempt, 'exception.message': messageOf(failure) });
      if (attempt >= this.retry.attempts) return this.deadLetter(message, failure, attempt, log, span);
      const delayMs = Math.min(
        this.retry.initialDelayMs * this.retry.factor ** (attempt - 1),
        this.retry.maxDelayMs,
      );
      this.metrics?.retried(message.topic, eventType);
      log.warn({ err: failure, messageId, attempt, retryInMs: delayMs }, 'handler failed; retrying');
      await pause(delayMs, delivery);
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
      try {
        await handler(event, this.handlerContext(tx, message, messageId, eventType, attempt));
      } catch (error) {
        throw new HandlerFailure(error);
      }
      return true;
    });
  }

  /** handlerContext is what a handler gets beside its event, bound to the transaction in hand. */
  private handlerContext(
    tx: Transaction,
    message: BrokerMessage,
    messageId: string,
    eventType: string,
    attempt: number,
  ): HandlerContext {
    const sagaId = message.headers.sagaId || undefined;
    return {
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

/**
 * decodeEvent decodes a record's payload and checks it against its descriptor's declarations; it throws
 * UndecodableError for a payload that breaks them (no retry can mend one: it is dead-lettered at once, naming the
 * field). The one rule for both paths: a batch is clean only when each of its records decodes here.
 */
function decodeEvent(message: BrokerMessage, eventType: string, registration: Registration): unknown {
  const event = decodePayload(message, registration.decoder);
  const problems = registration.problems?.(event) ?? [];
  if (problems.length > 0) throw new UndecodableError(`${eventType}: ${problems.join('; ')}`);
  return event;
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
