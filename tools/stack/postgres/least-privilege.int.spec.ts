// Least privilege of the service roles, for every service of the catalog: each role creates, reads and writes in its
// own schema, and is refused (42501 insufficient_privilege) everywhere else: the other services' schemas, public,
// Debezium's; it cannot create roles or databases nor give itself more. Proven twice: on the stack's database, laid
// out by bootstrap.ts, and on a scratch database laid out by deploy/compose/postgres/bootstrap.sql, the SQL compose
// and Kubernetes (CloudNativePG) run, so the two bootstraps cannot drift apart on privileges.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, escapeIdentifier as ident } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { repoRoot } from '../config';
import { services, type ServiceSpec } from '../services';
import { replicationRole } from './bootstrap';

const stack = inject('stack');

/** BOOTSTRAP_SQL is the bootstrap of compose's init script and of CloudNativePG's postInitApplicationSQLRefs. */
const BOOTSTRAP_SQL = join(repoRoot, 'deploy', 'compose', 'postgres', 'bootstrap.sql');

/** INSUFFICIENT_PRIVILEGE is the SQLSTATE of every refusal this test expects. */
const INSUFFICIENT_PRIVILEGE = '42501';

/** suffix keeps this run's probe objects apart from an earlier run's leftovers. */
const suffix = randomUUID().replaceAll('-', '').slice(0, 12);
const probe = `lp_probe_${suffix}`;
const scratchDatabase = `blog_lp_${suffix}`;

/** withDatabase points a postgres:// URL at another database of the same cluster. */
function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

/**
 * refusals runs statements that must each be refused with 42501 and returns the ones that were not, as
 * `<role>: <statement> -> <what happened>`: one assertion then names every hole at once.
 */
async function refusals(role: string, client: Client, statements: readonly string[]): Promise<string[]> {
  const holes: string[] = [];
  for (const sql of statements) {
    // A savepoint per statement would need a transaction; each statement runs on its own (autocommit) instead.
    const outcome = await client.query(sql).then(
      () => 'succeeded',
      (e: { code?: string; message?: string }) =>
        e.code === INSUFFICIENT_PRIVILEGE ? undefined : `failed otherwise: ${e.code} ${e.message}`,
    );
    if (outcome) holes.push(`${role}: ${sql} -> ${outcome}`);
  }
  return holes;
}

/** intrusions are what a role must not do in a schema it does not own: read, write, call, create, change. */
const intrusions = (schema: string, table: string, fn?: string): string[] => {
  const s = ident(schema);
  return [
    `select * from ${s}.${ident(table)}`,
    `insert into ${s}.${ident(table)} default values`,
    `update ${s}.${ident(table)} set id = id`,
    `delete from ${s}.${ident(table)}`,
    `truncate ${s}.${ident(table)}`,
    `alter table ${s}.${ident(table)} add column intruder int`,
    `drop table ${s}.${ident(table)}`,
    ...(fn ? [`select ${s}.${ident(fn)}()`] : []),
    `create table ${s}.intruder_${suffix} (id int)`,
    `create view ${s}.intruder_view_${suffix} as select 1 as one`,
    `create function ${s}.intruder_fn_${suffix}() returns int language sql as 'select 1'`,
  ];
};

/** Layout is one database laid out by one bootstrap, with a connection per service role and the admin's. */
interface Layout {
  readonly database: string;
  admin: Client;
  readonly roles: Map<string, Client>;
}

/** provePrivileges declares the proofs for every service role of one database. */
function provePrivileges(title: string, layout: () => Layout, options: { databases: boolean }) {
  describe(title, () => {
    const role = (service: ServiceSpec): Client => {
      const client = layout().roles.get(service.name);
      if (!client) throw new Error(`no connection as ${service.role}`);
      return client;
    };

    it.each(services)(
      '$role creates, reads, writes and drops in its own schema $schema, unqualified',
      async (s) => {
        const db = role(s);
        expect((await db.query('select current_schema() as schema')).rows).toEqual([{ schema: s.schema }]);
        const table = `own_${suffix}`;
        await db.query(`create table ${table} (id int primary key, note text)`);
        await db.query(`create index ${table}_note on ${table} (note)`);
        await db.query(`create view ${table}_view as select id from ${table}`);
        await db.query(`create sequence ${table}_seq`);
        await db.query(
          `create function ${table}_fn() returns bigint language sql as 'select count(*) from ${table}'`,
        );
        await db.query(
          `insert into ${table} values (nextval('${table}_seq'), 'a'), (nextval('${table}_seq'), 'b')`,
        );
        await db.query(`update ${table} set note = 'c' where id = 1`);
        await db.query(`delete from ${table} where id = 2`);
        expect((await db.query(`select id, note from ${table}_view join ${table} using (id)`)).rows).toEqual([
          { id: 1, note: 'c' },
        ]);
        expect((await db.query(`select ${table}_fn() as n`)).rows).toEqual([{ n: '1' }]);
        const where = await db.query(`select schemaname from pg_tables where tablename = $1`, [table]);
        expect(where.rows).toEqual([{ schemaname: s.schema }]);
        await db.query(
          `drop function ${table}_fn(); drop sequence ${table}_seq; drop table ${table} cascade`,
        );
        // Its outbox is its own too: the services write events into it. Rolled back: Debezium streams every committed
        // outbox row (a later delete does not undo the insert in the WAL), and no topic exists for this aggregate.
        await db.query('begin');
        try {
          await db.query(`insert into outbox (id, aggregatetype, aggregateid, type, payload)
                        values ('${randomUUID()}', 'probe', 'p', 'Probe', '\\x00')`);
        } finally {
          await db.query('rollback');
        }
      },
    );

    it.each(services)("$role cannot read, write, call or create in any other service's schema", async (s) => {
      const holes: string[] = [];
      for (const other of services.filter((o) => o.name !== s.name)) {
        holes.push(...(await refusals(s.role, role(s), intrusions(other.schema, probe, `${probe}_fn`))));
        holes.push(...(await refusals(s.role, role(s), intrusions(other.schema, 'outbox'))));
      }
      expect(holes).toEqual([]);
    });

    it.each(services)("$role cannot read, write or create in public nor in Debezium's schema", async (s) => {
      const holes = [
        ...(await refusals(s.role, role(s), intrusions('public', probe))),
        ...(await refusals(s.role, role(s), intrusions('debezium', 'heartbeat'))),
      ];
      expect(holes).toEqual([]);
    });

    it.each(services)('$role cannot create roles or databases, nor give itself more', async (s) => {
      const others = [replicationRole, ...services.filter((o) => o.name !== s.name).map((o) => o.role)];
      const holes = await refusals(s.role, role(s), [
        `create role intruder_${suffix}`,
        `create database intruder_${suffix}`,
        `alter role ${ident(s.role)} createrole`,
        `alter role ${ident(s.role)} createdb`,
        `alter role ${ident(s.role)} replication`,
        `alter role ${ident(s.role)} bypassrls`,
        `alter role ${ident(s.role)} superuser`,
        ...others.map((other) => `grant ${ident(other)} to ${ident(s.role)}`),
        ...others.map((other) => `set role ${ident(other)}`),
      ]);
      expect(holes).toEqual([]);
    });

    it('grants each role USAGE and CREATE on its own schema only, of every schema the database has', async () => {
      const { rows } = await layout().admin.query<{ role: string; schema: string }>(
        `select r.rolname as role, n.nspname as schema
           from pg_roles r cross join pg_namespace n
          where r.rolname = any($1)
            and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
            and (has_schema_privilege(r.oid, n.oid, 'USAGE') or has_schema_privilege(r.oid, n.oid, 'CREATE'))
          order by 1, 2`,
        [services.map((s) => s.role)],
      );
      expect(rows).toEqual(
        services
          .map((s) => ({ role: s.role, schema: s.schema }))
          .sort((a, b) => a.role.localeCompare(b.role) || a.schema.localeCompare(b.schema)),
      );
    });

    it('gives no role an attribute or membership beyond logging in', async () => {
      const { rows } = await layout().admin.query(
        `select r.rolname, r.rolcanlogin, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb,
                r.rolreplication, r.rolbypassrls,
                array(select g.rolname from pg_auth_members m join pg_roles g on g.oid = m.roleid
                       where m.member = r.oid order by 1)::text[] as member_of
           from pg_roles r where r.rolname = any($1) order by 1`,
        [services.map((s) => s.role)],
      );
      expect(rows).toEqual(
        services
          .map((s) => ({
            rolname: s.role,
            rolcanlogin: true,
            rolsuper: false,
            rolinherit: true,
            rolcreaterole: false,
            rolcreatedb: false,
            rolreplication: false,
            rolbypassrls: false,
            member_of: [],
          }))
          .sort((a, b) => a.rolname.localeCompare(b.rolname)),
      );
    });

    if (options.databases)
      it('lets each role connect to its database only (not postgres, not the templates)', async () => {
        const { rows } = await layout().admin.query<{ role: string; database: string }>(
          `select r.rolname as role, d.datname as database
             from pg_roles r cross join pg_database d
            where r.rolname = any($1) and d.datallowconn and d.datname <> $2
              and has_database_privilege(r.oid, d.oid, 'CONNECT')
            order by 1, 2`,
          [services.map((s) => s.role), scratchDatabase],
        );
        expect(rows).toEqual(
          services
            .map((s) => ({ role: s.role, database: layout().database }))
            .sort((a, b) => a.role.localeCompare(b.role)),
        );
      });
  });
}

/** openLayout connects as the admin and as every service role, and lays the probe objects out. */
async function openLayout(database: string, bootstrap?: string): Promise<Layout> {
  const admin = await connect(withDatabase(stack.adminDatabaseUrl, database));
  if (bootstrap) await admin.query(bootstrap);
  const roles = new Map<string, Client>();
  for (const s of services)
    roles.set(s.name, await connect(withDatabase(stack.databaseUrls[s.name], database)));
  // What the others must not reach: a table with a row and a function in each service's schema (made by its owner, so
  // with the owner's default privileges), and a table in public (made by the admin).
  for (const s of services) {
    const owner = roles.get(s.name) as Client;
    await owner.query(
      `create table ${probe} (id int primary key default 1); insert into ${probe} default values`,
    );
    await owner.query(`create function ${probe}_fn() returns int language sql as 'select 1'`);
  }
  await admin.query(
    `create table public.${probe} (id int primary key default 1); insert into public.${probe} default values`,
  );
  return { database, admin, roles };
}

async function closeLayout(layout: Layout | undefined): Promise<void> {
  if (!layout) return;
  for (const [name, client] of layout.roles) {
    await client
      .query(`drop function if exists ${probe}_fn(); drop table if exists ${probe}`)
      .catch(() => undefined);
    await client.end().catch(() => undefined);
    layout.roles.delete(name);
  }
  await layout.admin.query(`drop table if exists public.${probe}`).catch(() => undefined);
  await layout.admin.end().catch(() => undefined);
}

describe('least privilege of the service roles', () => {
  let stackLayout: Layout | undefined;
  let scratchLayout: Layout | undefined;
  let server: Client | undefined;
  /** roleSettings are the roles' database-independent settings before bootstrap.sql, restored afterwards. */
  let roleSettings: { rolname: string; setconfig: string[] | null }[] = [];

  beforeAll(async () => {
    stackLayout = await openLayout(new URL(stack.adminDatabaseUrl).pathname.slice(1));
    server = await connect(stack.adminDatabaseUrl);
    roleSettings = (
      await server.query(
        `select r.rolname, s.setconfig from pg_roles r
           left join pg_db_role_setting s on s.setrole = r.oid and s.setdatabase = 0
          where r.rolname = any($1)`,
        [services.map((s) => s.role)],
      )
    ).rows;
    await server.query(`create database ${ident(scratchDatabase)}`);
    scratchLayout = await openLayout(scratchDatabase, readFileSync(BOOTSTRAP_SQL, 'utf8'));
  });

  afterAll(async () => {
    await closeLayout(stackLayout);
    await closeLayout(scratchLayout);
    if (!server) return;
    // bootstrap.sql sets each role's search_path for the whole cluster (ALTER ROLE ... SET); the stack's bootstrap sets
    // it per database. Put the cluster back as it was.
    for (const { rolname, setconfig } of roleSettings) {
      await server.query(`alter role ${ident(rolname)} reset all`);
      for (const setting of setconfig ?? []) {
        const [name = '', ...value] = setting.split('=');
        await server.query(
          `alter role ${ident(rolname)} set ${ident(name)} = '${value.join('=').replaceAll("'", "''")}'`,
        );
      }
    }
    await server.query(`drop database if exists ${ident(scratchDatabase)} with (force)`);
    await server.end();
  });

  provePrivileges('the stack database (tools/stack/postgres/bootstrap.ts)', () => stackLayout as Layout, {
    databases: true,
  });
  provePrivileges(
    'a database laid out by deploy/compose/postgres/bootstrap.sql',
    () => scratchLayout as Layout,
    {
      databases: false,
    },
  );
});
