// The feed's event sequence, for StreamFeed: every feed row gets a number in commit order (fanOut serializes its
// inserts on a transaction lock, so a row numbered n commits after every row below n). A stream resumes after the
// number it last sent (SSE's Last-Event-ID), and each replica's tail polls for numbers above the last it saw.
import type { MigrationBuilder } from 'node-pg-migrate';

/** up numbers the feed rows. */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    alter table feed_items add column seq bigint generated always as identity;
    create unique index feed_items_seq_idx on feed_items (seq);
    create index feed_items_subscriber_seq_idx on feed_items (subscriber_id, seq);
  `);
}

/** down removes the numbers. */
export function down(pgm: MigrationBuilder): void {
  pgm.sql('alter table feed_items drop column seq;');
}
