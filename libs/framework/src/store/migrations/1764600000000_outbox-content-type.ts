// Codecs on the wire: the outbox payload becomes bytes in the format its new content_type column names, so a
// service can emit protobuf binary beside proto3 JSON. The outbox is always empty (rows are deleted in the
// transaction that inserts them), so the type change converts nothing; the schema check makes it idempotent with a
// bootstrap that already created the new shape.
import type { MigrationBuilder } from 'node-pg-migrate';

/** up adds content_type and turns payload into bytea, where the outbox still has the first shape. */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    alter table outbox add column if not exists content_type text not null default 'application/json';
    do $$
    begin
      if (select data_type from information_schema.columns
          where table_schema = current_schema() and table_name = 'outbox' and column_name = 'payload') = 'jsonb' then
        alter table outbox alter column payload type bytea using convert_to(payload::text, 'UTF8');
      end if;
    end
    $$;
  `);
}

/** down is false: the outbox sits in Debezium's publication, so no migration drops or narrows it. */
export const down = false;
