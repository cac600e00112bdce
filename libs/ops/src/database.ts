// The operations' database access: read-only queries on the service schemas (inbox rows, participant state) and
// the `ops` schema, which holds the redrive log. SQL lives here and in the query files beside it, parameterised.
import { Pool } from 'pg';
import { unreachable } from './errors';

/** Database is a small pool for the operations. */
export interface Database {
  query<R extends object>(sql: string, params?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

/** openDatabase connects and checks the connection, failing in one line when PostgreSQL is down. */
export async function openDatabase(url: string): Promise<Database> {
  const pool = new Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 3_000 });
  pool.on('error', () => undefined); // an idle client's error surfaces on the next query instead
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw unreachable(`PostgreSQL (${redact(url)})`, error);
  }
  return {
    async query<R extends object>(sql: string, params: unknown[] = []) {
      return (await pool.query<R>(sql, params)).rows;
    },
    close: () => pool.end(),
  };
}

/** OPS_SCHEMA_SQL creates the redrive log (who redrove or purged which dead letter, when). Idempotent. */
export const OPS_SCHEMA_SQL = `
create schema if not exists ops;
create table if not exists ops.redrive_log (
  id bigserial primary key,
  action text not null check (action in ('redrive', 'purge')),
  dlq_id text not null,
  dlq_topic text not null,
  event_id text,
  target_topic text,
  actor text not null,
  at timestamptz not null default now()
);
create index if not exists redrive_log_dlq_idx on ops.redrive_log (dlq_topic, dlq_id);
`;

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return `${parsed.hostname}:${parsed.port}${parsed.pathname}`;
  } catch {
    return 'the database';
  }
}
