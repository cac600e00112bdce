// The test event of the integration tests: `ItemAdded { aggregateId, seq }`, and a handler that records each event
// it processes as a row of an items table, so a test can count effects per event id and check their order.
import type { Outbox } from '../../outbox';
import type { Queryable, TransactionRunner } from '../../store';
import type { Decoder, EventHandler } from '../inbox';

/** ItemAdded is the test event. */
export interface ItemAdded {
  aggregateId: string;
  seq: number;
}

/** ITEM_ADDED is the test event's type (the eventType header). */
export const ITEM_ADDED = 'ItemAdded';

/** itemAdded decodes ItemAdded like a generated fromJSON, but strictly (a malformed test payload must show). */
export const itemAdded: Decoder<ItemAdded> = {
  fromJSON(object: unknown): ItemAdded {
    const { aggregateId, seq } = object as Partial<ItemAdded>;
    if (typeof aggregateId !== 'string' || typeof seq !== 'number') throw new TypeError('not an ItemAdded');
    return { aggregateId, seq };
  },
};

/** itemsTableSql creates the items table: one row per processed event, numbered in processing order. */
export function itemsTableSql(table: string): string {
  return `create table if not exists ${table} (
    n bigserial primary key,
    message_id text not null,
    aggregate_id text not null,
    seq int not null,
    partition int not null,
    processed_at timestamptz not null default clock_timestamp()
  )`;
}

/** recordItem is the test handler: it inserts one items row in the inbox transaction. */
export function recordItem(table: string): EventHandler<ItemAdded> {
  return async (event, ctx) => {
    await ctx.tx.query(
      `insert into ${table} (message_id, aggregate_id, seq, partition) values ($1, $2, $3, $4)`,
      [ctx.messageId, event.aggregateId, event.seq, ctx.message.partition],
    );
  };
}

/** addItems writes events through the outbox in one transaction and returns their ids. */
export async function addItems(
  store: TransactionRunner,
  outbox: Outbox,
  aggregateType: string,
  items: readonly ItemAdded[],
): Promise<string[]> {
  return store.withTransaction(async (tx) => {
    const ids: string[] = [];
    for (const item of items) {
      ids.push(
        await outbox.add(tx, {
          aggregateType,
          aggregateId: item.aggregateId,
          type: ITEM_ADDED,
          payload: item,
        }),
      );
    }
    return ids;
  });
}

/** ItemRow is one processed event as the items table recorded it. */
export interface ItemRow {
  message_id: string;
  aggregate_id: string;
  seq: number;
  partition: number;
}

/** readItems returns the items table in processing order. */
export async function readItems(db: Queryable, table: string): Promise<ItemRow[]> {
  const { rows } = await db.query<ItemRow>(
    `select message_id, aggregate_id, seq, partition from ${table} order by n`,
  );
  return rows;
}
