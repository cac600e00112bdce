// Prometheus metrics of the event path, on the service's registry (its /metrics):
//   blog_inbox_handler_duration_seconds{topic,event_type,outcome}  one observation per attempt (processed,
//                                                                   duplicate, failed)
//   blog_inbox_retries_total{topic,event_type}                     attempts that failed and were tried again
//   blog_inbox_dead_letters_total{topic,reason}                     records sent to <topic>.dlq (undecodable,
//                                                                   handler-failed)
//   blog_outbox_events_total{event_type}                           events added to the outbox (counted once their
//                                                                   transaction committed; a rolled-back one never)
//   blog_consumer_lag{group,topic,partition}                      records behind the partition's end after the last
//                                                                   record handled (from the fetch's high watermark)
//   blog_saga_outcomes_total{saga,outcome}                         sagas that reached a terminal event here:
//                                                                   completed, compensated or rejected (sagaOutcomes)
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** SagaOutcome is how a saga ended. */
export type SagaOutcome = 'completed' | 'compensated' | 'rejected';

/**
 * sagaOutcomes maps each saga's terminal events (docs/sagas.md) to the saga and its outcome. The service that writes
 * the terminal event to its outbox counts it: the sign-up ends in auth (AccountActivated, AccountRejected after the
 * blog-slug compensation) or in user (UserRejected: nickname taken, nothing to undo).
 */
export const sagaOutcomes: Readonly<Record<string, { saga: string; outcome: SagaOutcome }>> = {
  AccountActivated: { saga: 'sign-up', outcome: 'completed' },
  AccountRejected: { saga: 'sign-up', outcome: 'compensated' },
  UserRejected: { saga: 'sign-up', outcome: 'rejected' },
  PostPublished: { saga: 'publish-post', outcome: 'completed' },
  PostRejected: { saga: 'publish-post', outcome: 'rejected' },
  SubscriptionActivated: { saga: 'subscribe', outcome: 'completed' },
  SubscriptionRejected: { saga: 'subscribe', outcome: 'rejected' },
  AccountDeleted: { saga: 'account-deletion', outcome: 'completed' },
};

/** InboxMetrics records what the inbox consumer and the outbox do. */
export class InboxMetrics {
  private readonly duration: Histogram<'topic' | 'event_type' | 'outcome'>;
  private readonly retries: Counter<'topic' | 'event_type'>;
  private readonly deadLetters: Counter<'topic' | 'reason'>;
  private readonly outboxEvents: Counter<'event_type'>;
  private readonly sagas: Counter<'saga' | 'outcome'>;
  private readonly lag: Gauge<'group' | 'topic' | 'partition'>;
  private readonly sagaDuration: Histogram<'saga' | 'outcome'>;

  constructor(registry: Registry) {
    this.duration = new Histogram({
      name: 'blog_inbox_handler_duration_seconds',
      help: 'Time of one attempt at an event: inbox claim, handler and commit',
      labelNames: ['topic', 'event_type', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    this.retries = new Counter({
      name: 'blog_inbox_retries_total',
      help: 'Handler attempts that failed and were retried',
      labelNames: ['topic', 'event_type'],
      registers: [registry],
    });
    this.deadLetters = new Counter({
      name: 'blog_inbox_dead_letters_total',
      help: 'Records sent to the dead-letter topic, by source topic and reason',
      labelNames: ['topic', 'reason'],
      registers: [registry],
    });
    this.outboxEvents = new Counter({
      name: 'blog_outbox_events_total',
      help: 'Events added to the outbox, by event type',
      labelNames: ['event_type'],
      registers: [registry],
    });
    this.sagas = new Counter({
      name: 'blog_saga_outcomes_total',
      help: 'Sagas that ended with a terminal event written by this service, by saga and outcome',
      labelNames: ['saga', 'outcome'],
      registers: [registry],
    });
    this.lag = new Gauge({
      name: 'blog_consumer_lag',
      help: 'Records between the last one handled and the end of its partition, by consumer group',
      labelNames: ['group', 'topic', 'partition'],
      registers: [registry],
    });
    this.sagaDuration = new Histogram({
      name: 'blog_saga_duration_seconds',
      help: 'Time from the saga id being made (its first event) to the terminal event, by saga and outcome',
      labelNames: ['saga', 'outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    });
  }

  /** consumed records the lag of a partition after handling `offset`, when the client told the end offset. */
  consumed(group: string, topic: string, partition: number, offset: string, highWatermark?: string): void {
    if (highWatermark === undefined) return;
    const behind = BigInt(highWatermark) - BigInt(offset) - 1n;
    this.lag.set({ group, topic, partition: String(partition) }, Number(behind < 0n ? 0n : behind));
  }

  /** observeHandled records one attempt that started at `started` (performance.now()). */
  observeHandled(
    topic: string,
    eventType: string,
    outcome: 'processed' | 'duplicate' | 'failed',
    started: number,
  ): void {
    this.duration.observe({ topic, event_type: eventType, outcome }, (performance.now() - started) / 1000);
  }

  retried(topic: string, eventType: string): void {
    this.retries.inc({ topic, event_type: eventType });
  }

  deadLettered(topic: string, reason: string): void {
    this.deadLetters.inc({ topic, reason });
  }

  /**
   * outboxAdded counts an event written to the outbox and, for a saga's terminal event, the saga's outcome and its
   * duration: saga ids are UUIDv7 (newSagaId), whose first 48 bits are the milliseconds they were made at.
   */
  outboxAdded(eventType: string, sagaId?: string, now = Date.now()): void {
    this.outboxEvents.inc({ event_type: eventType });
    const terminal = sagaOutcomes[eventType];
    if (!terminal) return;
    this.sagas.inc(terminal);
    const startedAt = sagaId === undefined ? undefined : uuidV7Millis(sagaId);
    if (startedAt !== undefined && startedAt <= now)
      this.sagaDuration.observe(terminal, (now - startedAt) / 1000);
  }
}

/** uuidV7Millis returns the Unix milliseconds of a UUIDv7, or undefined for any other id (a v4 saga id: no duration). */
export function uuidV7Millis(id: string): number | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(id)) return undefined;
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
