// The Outbox on the service's `outbox` table: insert, then delete in the same transaction. The table stays empty;
// the insert lives on in the WAL, which is all Debezium's EventRouter reads.
import { randomUUID } from 'node:crypto';
import { context, propagation } from '@opentelemetry/api';
import { OUTBOX_TABLE, PLAIN_IDENTIFIER, type Transaction } from '../store';
import type { Outbox, OutboxEvent } from './outbox';

/** PgOutbox is the default Outbox. */
export class PgOutbox implements Outbox {
  constructor(private readonly table: string = OUTBOX_TABLE) {
    // The table name is spliced into SQL (identifiers cannot be parameters), so it must be a plain identifier.
    if (!PLAIN_IDENTIFIER.test(table)) throw new Error(`invalid outbox table name: ${JSON.stringify(table)}`);
  }

  async add(tx: Transaction, event: OutboxEvent): Promise<string> {
    if (typeof event.payload !== 'object' || event.payload === null || Array.isArray(event.payload)) {
      throw new TypeError(`outbox event ${event.type}: payload must be a message's proto3 JSON object`);
    }
    const id = event.id ?? randomUUID();
    await tx.query(
      `insert into ${this.table} (id, aggregatetype, aggregateid, type, payload, traceparent, saga_id)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [
        id,
        event.aggregateType,
        event.aggregateId,
        event.type,
        JSON.stringify(event.payload),
        event.traceparent ?? activeTraceparent() ?? null,
        event.sagaId ?? null,
      ],
    );
    await tx.query(`delete from ${this.table} where id = $1`, [id]);
    return id;
  }
}

/** createOutbox returns the default Outbox. */
export function createOutbox(table?: string): PgOutbox {
  return new PgOutbox(table);
}

/** activeTraceparent returns the active context's W3C traceparent, through the propagator telemetry registered. */
export function activeTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}
