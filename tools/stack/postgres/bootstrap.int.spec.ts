// The database layout of the running stack: each service role reaches its own schema only, Debezium reads the
// outbox tables through the publication, and the bootstrap can run again without changing anything.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadStackConfig } from '../config';
import { readSecrets } from '../secrets';
import { services } from '../services';
import { bootstrapDatabase, heartbeatTable, publicationName, replicationRole } from './bootstrap';

const stack = inject('stack');

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

/** sqlState runs a statement that must fail and returns its SQLSTATE. */
async function sqlState(client: Client, sql: string): Promise<string> {
  const error = await client.query(sql).then(
    () => undefined,
    (e: { code?: string }) => e,
  );
  if (!error) throw new Error(`expected "${sql}" to fail`);
  return error.code ?? 'no code';
}

describe('database layout', () => {
  let admin: Client;
  let auth: Client;

  beforeAll(async () => {
    admin = await connect(stack.adminDatabaseUrl);
    auth = await connect(stack.databaseUrls.auth);
  });
  afterAll(async () => {
    await auth?.end();
    await admin?.end();
  });

  it('gives every service a login role that owns its schema and its outbox table', async () => {
    const { rows } = await admin.query<{ schema: string; owner: string; outbox_owner: string }>(
      `select n.nspname as schema, pg_get_userbyid(n.nspowner) as owner, t.tableowner as outbox_owner
         from pg_namespace n join pg_tables t on t.schemaname = n.nspname and t.tablename = 'outbox'`,
    );
    for (const service of services) {
      expect(rows).toContainEqual({
        schema: service.schema,
        owner: service.role,
        outbox_owner: service.role,
      });
    }
  });

  it('lets a service work in its own schema, found without qualification', async () => {
    const table = `probe_${randomUUID().replaceAll('-', '')}`;
    await auth.query(`create table ${table} (id int primary key)`);
    await auth.query(`insert into ${table} values (1)`);
    const { rows } = await auth.query(`select schemaname from pg_tables where tablename = $1`, [table]);
    expect(rows).toEqual([{ schemaname: 'auth' }]);
    await auth.query(`drop table ${table}`);
  });

  it('keeps a service out of other schemas and out of public (42501 insufficient_privilege)', async () => {
    expect(await sqlState(auth, 'select * from users.outbox')).toBe('42501');
    expect(await sqlState(auth, 'create table users.intruder (id int)')).toBe('42501');
    expect(await sqlState(auth, 'create table public.intruder (id int)')).toBe('42501');
  });

  it('gives no service role superuser, replication or role-creation rights', async () => {
    const { rows } = await admin.query(
      `select rolname, rolsuper, rolreplication, rolcreaterole, rolcreatedb from pg_roles where rolname = any($1)`,
      [services.map((s) => s.role)],
    );
    expect(rows).toHaveLength(services.length);
    for (const row of rows)
      expect(row).toMatchObject({
        rolsuper: false,
        rolreplication: false,
        rolcreaterole: false,
        rolcreatedb: false,
      });
  });

  it('lets Debezium replicate and read the outbox tables, nothing else of the services', async () => {
    const { rows } = await admin.query(`select rolreplication, rolsuper from pg_roles where rolname = $1`, [
      replicationRole,
    ]);
    expect(rows).toEqual([{ rolreplication: true, rolsuper: false }]);
    const table = `secret_${randomUUID().replaceAll('-', '')}`;
    await auth.query(`create table ${table} (id int)`);
    try {
      const grants = await admin.query<{ allowed: boolean }>(
        `select has_table_privilege($1, $2, 'select') as allowed union all
         select has_table_privilege($1, 'auth.outbox', 'select')`,
        [replicationRole, `auth.${table}`],
      );
      expect(grants.rows.map((r) => r.allowed)).toEqual([false, true]);
    } finally {
      await auth.query(`drop table ${table}`);
    }
  });

  it('publishes inserts and updates of the six outbox tables and the heartbeat table', async () => {
    const tables = await admin.query<{ name: string }>(
      `select schemaname || '.' || tablename as name from pg_publication_tables where pubname = $1 order by 1`,
      [publicationName],
    );
    expect(tables.rows.map((r) => r.name)).toEqual(
      [...services.map((s) => `${s.schema}.outbox`), heartbeatTable].sort(),
    );
    const publication = await admin.query(
      `select pubinsert, pubupdate, pubdelete, pubtruncate from pg_publication where pubname = $1`,
      [publicationName],
    );
    expect(publication.rows).toEqual([
      { pubinsert: true, pubupdate: true, pubdelete: false, pubtruncate: false },
    ]);
  });

  it('runs with wal_level=logical', async () => {
    expect((await admin.query('show wal_level')).rows).toEqual([{ wal_level: 'logical' }]);
  });

  it('can run the bootstrap again without error or change', async () => {
    const snapshot = () =>
      admin.query(
        `select rolname, rolreplication from pg_roles where rolname like '%\\_svc' or rolname = $1 order by 1`,
        [replicationRole],
      );
    const before = (await snapshot()).rows;
    const config = loadStackConfig();
    const secrets = readSecrets(config.secretsFile);
    if (!secrets) throw new Error(`no ${config.secretsFile}`);
    await bootstrapDatabase(config, secrets);
    expect((await snapshot()).rows).toEqual(before);
    // Passwords were set again to the same values: the service still logs in.
    const again = await connect(stack.databaseUrls.auth);
    await again.end();
  });
});
