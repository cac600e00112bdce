// The database layout, applied at every start (idempotent): database `blog`; per service a login role owning
// its own schema and nothing else, with the schema's outbox table created up front so the publication can list it;
// the Debezium replication role with its heartbeat table; the filtered publication Debezium reads.
import { Client, escapeIdentifier as ident, escapeLiteral as literal } from 'pg';
import type { StackConfig } from '../config';
import type { StackSecrets } from '../secrets';
import { services } from '../services';
import { adminClientConfig } from './cluster';

/** replicationRole is Debezium's login role (REPLICATION, reads only the outbox and heartbeat tables). */
export const replicationRole = 'debezium';
/** publicationName must match publication.name in deploy/connector/debezium-outbox.json. */
export const publicationName = 'debezium_outbox';
/** heartbeatTable is written by the connector's heartbeat.action.query. */
export const heartbeatTable = 'debezium.heartbeat';

/** outboxTableDdl is the ARCHITECTURE outbox shape; services' own migrations create the same table if missing. */
export const outboxTableDdl = (schema: string): string => `
  create table if not exists ${ident(schema)}.outbox (
    id uuid primary key,
    aggregatetype text not null,
    aggregateid text not null,
    type text not null,
    payload bytea not null,
    content_type text not null default 'application/json',
    traceparent text,
    saga_id text,
    created_at timestamptz not null default now()
  )`;

/**
 * outboxUpgradeSql brings an outbox of an older stack to the current shape (payload bytes + content_type), like the
 * framework's 1764600000000_outbox-content-type migration does when the service starts; the table is always empty.
 */
export const outboxUpgradeSql = (schema: string): string => `
  do $$
  begin
    alter table ${ident(schema)}.outbox add column if not exists content_type text not null default 'application/json';
    if (select data_type from information_schema.columns
        where table_schema = ${literal(schema)} and table_name = 'outbox' and column_name = 'payload') = 'jsonb' then
      alter table ${ident(schema)}.outbox alter column payload type bytea using convert_to(payload::text, 'UTF8');
    end if;
  end
  $$`;

/** bootstrapDatabase creates or updates everything above; safe to run on every start. */
export async function bootstrapDatabase(config: StackConfig, secrets: StackSecrets): Promise<void> {
  const server = new Client(adminClientConfig(config, secrets.admin));
  await server.connect();
  try {
    const exists = await server.query('select 1 from pg_database where datname = $1', [config.database]);
    if (exists.rowCount === 0) await server.query(`create database ${ident(config.database)}`);
    // Nobody but the admin reaches the maintenance database, nor template1, which every role may connect to by
    // default (a service role there could make temporary tables, and on PostgreSQL before 15 objects in its public
    // schema that every database created later would copy). least-privilege.int.spec.ts proves both closed.
    await server.query('revoke connect on database postgres from public');
    await server.query('revoke connect on database template1 from public');
    await ensureLoginRole(server, replicationRole, secrets.debezium, 'replication');
    for (const service of services)
      await ensureLoginRole(server, service.role, secrets.services[service.name]);
  } finally {
    await server.end();
  }

  const db = new Client(adminClientConfig(config, secrets.admin, config.database));
  await db.connect();
  try {
    await db.query('begin');
    const database = ident(config.database);
    await db.query(`revoke all on database ${database} from public`);
    await db.query('revoke all on schema public from public');
    const dbz = ident(replicationRole);
    await db.query(`grant connect on database ${database} to ${dbz}`);
    for (const service of services) {
      const role = ident(service.role);
      const schema = ident(service.schema);
      await db.query(`grant connect on database ${database} to ${role}`);
      await db.query(`create schema if not exists ${schema} authorization ${role}`);
      await db.query(`alter schema ${schema} owner to ${role}`);
      await db.query(`alter role ${role} in database ${database} set search_path = ${schema}`);
      await db.query(outboxTableDdl(service.schema));
      await db.query(outboxUpgradeSql(service.schema));
      await db.query(`alter table ${schema}.outbox owner to ${role}`);
      await db.query(`grant usage on schema ${schema} to ${dbz}`);
      await db.query(`grant select on ${schema}.outbox to ${dbz}`);
    }
    await db.query(`create schema if not exists debezium authorization ${dbz}`);
    await db.query(
      `create table if not exists ${heartbeatTable} (id int primary key, beat_at timestamptz not null default now())`,
    );
    await db.query(`alter table ${heartbeatTable} owner to ${dbz}`);
    await ensurePublication(db);
    await db.query('commit');
  } catch (error) {
    await db.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await db.end();
  }
}

/** ensureLoginRole creates the role or resets it to exactly these attributes and this password. */
async function ensureLoginRole(client: Client, name: string, password: string, extra = ''): Promise<void> {
  const found = await client.query('select 1 from pg_roles where rolname = $1', [name]);
  const verb = found.rowCount === 0 ? 'create' : 'alter';
  const replication = extra === 'replication' ? 'replication' : 'noreplication';
  await client.query(
    `${verb} role ${ident(name)} with login nosuperuser nocreatedb nocreaterole ${replication} password ${literal(password)}`,
  );
}

/**
 * ensurePublication publishes inserts and updates of the outbox tables and the heartbeat table. Outbox rows are
 * deleted in the transaction that inserts them: publishing those deletes would only ship events the EventRouter
 * drops. The heartbeat is an upsert, so updates stay published: they are what moves the slot on idle days.
 */
async function ensurePublication(db: Client): Promise<void> {
  const tables = [...services.map((s) => `${ident(s.schema)}.outbox`), heartbeatTable].join(', ');
  const publication = ident(publicationName);
  const found = await db.query('select 1 from pg_publication where pubname = $1', [publicationName]);
  if (found.rowCount === 0) {
    await db.query(`create publication ${publication} for table ${tables} with (publish = 'insert, update')`);
  } else {
    await db.query(`alter publication ${publication} set table ${tables}`);
    await db.query(`alter publication ${publication} set (publish = 'insert, update')`);
  }
}
