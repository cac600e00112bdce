// The Outbox on the service's `outbox` table: insert, then delete in the same transaction. The table stays empty;
// the insert lives on in the WAL, which is all Debezium's EventRouter reads.
import { randomUUID } from 'node:crypto';
import { context, propagation, trace } from '@opentelemetry/api';
import { JSON_CONTENT_TYPE, PROTOBUF_CONTENT_TYPE } from '../codec';
import { OUTBOX_TABLE, PLAIN_IDENTIFIER, type Transaction } from '../store';
import type { Outbox, OutboxEvent } from './outbox';

/** OutboxFormat is the content type an outbox writes its payloads in. */
export type OutboxFormat = typeof JSON_CONTENT_TYPE | typeof PROTOBUF_CONTENT_TYPE;

/** PgOutboxOptions tune the outbox. */
export interface PgOutboxOptions {
  /** table is the outbox table (default `outbox`). */
  table?: string;
  /**
   * contentType is the format of the payloads this service emits (default proto3 JSON). Protobuf binary needs the
   * event's `binary` form, which eventOf provides; consumers decode by the `contentType` header either way.
   */
  contentType?: OutboxFormat;
  /** onAdded is told the type of each event added (the service's outbox and saga-outcome counters). */
  onAdded?: (eventType: string, sagaId?: string) => void;
}

/** PgOutbox is the default Outbox. */
export class PgOutbox implements Outbox {
  private readonly table: string;
  readonly contentType: OutboxFormat;
  private readonly onAdded?: (eventType: string, sagaId?: string) => void;

  constructor(options: PgOutboxOptions = {}) {
    this.onAdded = options.onAdded;
    this.table = options.table ?? OUTBOX_TABLE;
    this.contentType = options.contentType ?? JSON_CONTENT_TYPE;
    // The table name is spliced into SQL (identifiers cannot be parameters), so it must be a plain identifier.
    if (!PLAIN_IDENTIFIER.test(this.table))
      throw new Error(`invalid outbox table name: ${JSON.stringify(this.table)}`);
  }

  async add(tx: Transaction, event: OutboxEvent): Promise<string> {
    if (typeof event.payload !== 'object' || event.payload === null || Array.isArray(event.payload)) {
      throw new TypeError(`outbox event ${event.type}: payload must be a message's proto3 JSON object`);
    }
    const binary = this.contentType === PROTOBUF_CONTENT_TYPE;
    if (binary && !event.binary) {
      throw new TypeError(
        `outbox event ${event.type}: protobuf output needs the event's binary form (use eventOf)`,
      );
    }
    // The bytes become the Kafka record's value as they are (Debezium's BinaryDataConverter passes them through).
    const payload =
      binary && event.binary
        ? Buffer.from(event.binary())
        : Buffer.from(JSON.stringify(event.payload), 'utf8');
    const id = event.id ?? randomUUID();
    await tx.query(
      `insert into ${this.table} (id, aggregatetype, aggregateid, type, payload, content_type, traceparent, saga_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        id,
        event.aggregateType,
        event.aggregateId,
        event.type,
        payload,
        this.contentType,
        event.traceparent ?? activeTraceparent() ?? null,
        event.sagaId ?? null,
      ],
    );
    await tx.query(`delete from ${this.table} where id = $1`, [id]);
    // Counted once committed where the transaction tells: an inbox batch that rolls back runs its handlers again.
    const onAdded = this.onAdded;
    if (onAdded) {
      const count = () => onAdded(event.type, event.sagaId ?? undefined);
      if (tx.afterCommit) tx.afterCommit(count);
      else count();
    }
    // The span writing a saga's event carries its id: Zipkin finds the saga's trace by the tag blog.saga.id.
    if (event.sagaId) trace.getActiveSpan()?.setAttribute('blog.saga.id', event.sagaId);
    return id;
  }
}

/** createOutbox returns the default Outbox. */
export function createOutbox(options?: PgOutboxOptions): PgOutbox {
  return new PgOutbox(options);
}
/** activeTraceparent returns the active context's W3C traceparent, through the propagator telemetry registered. */
export function activeTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}
