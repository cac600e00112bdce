// The tables every service schema needs, in one place: the framework migration applies this, and anything else that
// must create them before the services start (the local stack's bootstrap, for Debezium's publication) can reuse it.
// Every statement is idempotent, so whichever runs first wins and the other changes nothing.

/** OUTBOX_TABLE is the outbox table's name in every service schema (Debezium's publication lists `<schema>.outbox`). */
export const OUTBOX_TABLE = 'outbox';

/** INBOX_TABLE is the inbox table's name in every service schema. */
export const INBOX_TABLE = 'inbox';

/**
 * frameworkTablesSql creates the outbox (read by Debezium's EventRouter: id, aggregatetype, aggregateid, type,
 * payload; type, traceparent, saga_id and content_type become headers) and the inbox (one row per event a consumer
 * has processed). The payload is bytes in the format content_type names (proto3 JSON, or protobuf binary), passed
 * through to the Kafka record's value unchanged.
 */
export const frameworkTablesSql = `
create table if not exists ${OUTBOX_TABLE} (
  id uuid primary key,
  aggregatetype text not null,
  aggregateid text not null,
  type text not null,
  payload bytea not null,
  content_type text not null default 'application/json',
  traceparent text,
  saga_id text,
  created_at timestamptz not null default now()
);
create table if not exists ${INBOX_TABLE} (
  consumer text not null,
  message_id text not null,
  processed_at timestamptz not null default now(),
  primary key (consumer, message_id)
);
create index if not exists ${INBOX_TABLE}_processed_at_idx on ${INBOX_TABLE} (processed_at);
`;
