// The Inbox on the service's `inbox` table (primary key consumer + message_id).
import { INBOX_TABLE, PLAIN_IDENTIFIER, type Queryable, type Transaction } from '../store';
import type { Inbox } from './inbox';

/** PgInbox is the default Inbox. */
export class PgInbox implements Inbox {
  constructor(private readonly table: string = INBOX_TABLE) {
    if (!PLAIN_IDENTIFIER.test(table)) throw new Error(`invalid inbox table name: ${JSON.stringify(table)}`);
  }

  async claim(tx: Transaction, consumer: string, messageId: string): Promise<boolean> {
    const result = await tx.query(
      `insert into ${this.table} (consumer, message_id) values ($1, $2) on conflict do nothing`,
      [consumer, messageId],
    );
    return result.rowCount === 1;
  }

  async claimAll(tx: Transaction, consumer: string, messageIds: readonly string[]): Promise<Set<string>> {
    // One statement for the whole batch: the ids that conflict (claimed before, or twice in the batch) are not
    // returned, which is the dedupe of each.
    const result = await tx.query<{ message_id: string }>(
      `insert into ${this.table} (consumer, message_id) select $1, unnest($2::text[])
       on conflict do nothing returning message_id`,
      [consumer, messageIds],
    );
    return new Set(result.rows.map((row) => row.message_id));
  }

  /**
   * prune deletes inbox rows older than `olderThanMs` (of one consumer, if given) and returns how many. Keep rows
   * longer than a redelivery can come: the event topics' retention is the safe bound.
   */
  async prune(db: Queryable, olderThanMs: number, consumer?: string): Promise<number> {
    const result = await db.query(
      `delete from ${this.table}
       where processed_at < now() - make_interval(secs => $1) and ($2::text is null or consumer = $2)`,
      [olderThanMs / 1000, consumer ?? null],
    );
    return result.rowCount ?? 0;
  }
}
