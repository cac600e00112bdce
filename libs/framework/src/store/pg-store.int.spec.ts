// The Store against the local stack's PostgreSQL, in a scratch schema owned by the visitor role.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stackSettings } from '../inbox/testing/stack';
import { status } from '@grpc/grpc-js';
import { translateDatabaseError } from './database-errors';
import { createStore, type PgStore } from './pg-store';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });

describe('PgStore (PostgreSQL)', () => {
  const settings = stackSettings();
  const schema = `it_store_${randomBytes(4).toString('hex')}`;
  const migrationsDir = mkdtempSync(join(tmpdir(), 'migrations-'));
  const admin = new Client({ connectionString: settings.adminUrl });
  const stores: PgStore[] = [];
  const store = (max = 4) => {
    const s = createStore({ connectionString: settings.visitorUrl, schema, logger, max });
    stores.push(s);
    return s;
  };

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`create schema ${schema} authorization visitor_svc`);
    // A service migration that also proves it runs with search_path = the schema (unqualified names).
    writeFileSync(
      join(migrationsDir, '1763700000001_notes.js'),
      `exports.up = (pgm) => { pgm.sql('create table notes (id int primary key, body text not null)'); pgm.sql('select pg_sleep(0.3)'); };\n`,
    );
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
    rmSync(migrationsDir, { recursive: true, force: true });
  });

  it('applies the framework and service migrations once, even from two replicas starting at once', async () => {
    await Promise.all([store().migrate(migrationsDir), store().migrate(migrationsDir)]);
    await store().migrate(migrationsDir);

    const tables = await admin.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = $1 order by table_name`,
      [schema],
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual([
      'framework_migrations',
      'inbox',
      'notes',
      'outbox',
      'pgmigrations',
    ]);
    const framework = await admin.query(`select name from ${schema}.framework_migrations`);
    const service = await admin.query(`select name from ${schema}.pgmigrations`);
    expect(framework.rows).toEqual([
      { name: '1763700000000_framework-tables' },
      { name: '1764600000000_outbox-content-type' },
    ]);
    expect(service.rows).toEqual([{ name: '1763700000001_notes' }]);
    const outboxColumns = await admin.query<{ column_name: string; data_type: string }>(
      `select column_name, data_type from information_schema.columns where table_schema = $1 and table_name = 'outbox' order by ordinal_position`,
      [schema],
    );
    expect(outboxColumns.rows.map((c) => `${c.column_name}:${c.data_type}`)).toEqual([
      'id:uuid',
      'aggregatetype:text',
      'aggregateid:text',
      'type:text',
      'payload:bytea',
      'content_type:text',
      'traceparent:text',
      'saga_id:text',
      'created_at:timestamp with time zone',
    ]);
  });

  it('commits a transaction that resolves and rolls back one that rejects', async () => {
    const s = store();
    await s.migrate(migrationsDir);
    await s.withTransaction(async (tx) => {
      await tx.query('insert into notes (id, body) values ($1, $2)', [1, 'kept']);
    });
    await expect(
      s.withTransaction(async (tx) => {
        await tx.query('insert into notes (id, body) values ($1, $2)', [2, 'dropped']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');

    const { rows } = await s.query<{ id: number; body: string }>('select id, body from notes order by id');
    expect(rows).toEqual([{ id: 1, body: 'kept' }]);
  });

  it('runs afterCommit callbacks once the transaction committed, never after a rollback', async () => {
    const s = store();
    const seen: string[] = [];
    await s.withTransaction(async (tx) => {
      tx.afterCommit?.(() => seen.push('committed'));
      await tx.query('select 1');
      expect(seen).toEqual([]);
    });
    await expect(
      s.withTransaction(async (tx) => {
        tx.afterCommit?.(() => seen.push('rolled back'));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');

    expect(seen).toEqual(['committed']);
  });

  it('refuses a transaction handle used after its transaction ended', async () => {
    const s = store();
    const leaked = await s.withTransaction(async (tx) => tx);
    await expect(leaked.query('select 1')).rejects.toThrow('transaction already finished');
  });

  it('closes idle connections down to its minimum and keeps that many open', async () => {
    const s = createStore({
      connectionString: settings.visitorUrl,
      schema,
      logger,
      max: 4,
      min: 2,
      idleTimeoutMs: 50,
    });
    stores.push(s);
    // Four transactions at once open four connections.
    let started = 0;
    let open!: () => void;
    const allOpen = new Promise<void>((resolve) => (open = resolve));
    await Promise.all(
      Array.from({ length: 4 }, () =>
        s.withTransaction(async (tx) => {
          await tx.query('select 1');
          if (++started === 4) open();
          await allOpen;
        }),
      ),
    );
    expect(s.pool.totalCount).toBe(4);
    await vi.waitFor(() => expect(s.pool.totalCount).toBe(2), { timeout: 5_000, interval: 20 });
    // Long past the idle timeout, the floor is still open and idle: the next transaction needs no new connection.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.pool.totalCount).toBe(2);
    expect(s.pool.idleCount).toBe(2);
  });

  it('answers ping while the database is up, and rejects once the pool is closed', async () => {
    const s = createStore({ connectionString: settings.visitorUrl, schema, logger });
    await expect(s.ping()).resolves.toBeUndefined();
    await s.close();
    await expect(s.ping()).rejects.toThrow();
  });

  it('fails ping when nothing listens on the port', async () => {
    const s = createStore({
      connectionString: 'postgres://x:y@127.0.0.1:9/blog',
      schema,
      logger,
      pingTimeoutMs: 300,
    });
    stores.push(s);
    await expect(s.ping()).rejects.toThrow(/ECONNREFUSED|did not answer/);
  });

  it('fails ping at its own timeout when the server accepts the connection and never answers', async () => {
    // A TCP dead end: no PostgreSQL handshake ever comes back, so only the ping timeout can end the ping (the pool's
    // connection timeout is far longer here, and the error names which one fired).
    const accepted = new Set<Socket>();
    const deadEnd = createServer((socket) => accepted.add(socket));
    await new Promise<void>((resolve) => deadEnd.listen(0, '127.0.0.1', resolve));
    const { port } = deadEnd.address() as AddressInfo;
    const s = createStore({
      connectionString: `postgres://x:y@127.0.0.1:${port}/blog`,
      schema,
      logger,
      pingTimeoutMs: 300,
      connectionTimeoutMs: 60_000,
    });
    stores.push(s);
    try {
      await expect(s.ping()).rejects.toThrow('database did not answer within 300 ms');
      // The connection did reach the dead end (a hang, not a refusal); its accept event may come after the timer.
      await vi.waitFor(() => expect(accepted.size).toBe(1));
    } finally {
      // Ending the dead end's connections lets the pool's pending connect fail, so close() does not wait a minute.
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => deadEnd.close(resolve));
    }
  });

  it('rejects a schema name that is not a plain identifier', () => {
    expect(() => createStore({ connectionString: settings.visitorUrl, schema: 'a b', logger })).toThrow(
      /invalid schema/,
    );
  });

  it('reports what PostgreSQL refuses in a value as INVALID_ARGUMENT and a database it cannot reach as UNAVAILABLE', async () => {
    const s = store();
    for (const [sql, value] of [
      ['select $1::text as t', 'a\u0000b'], // 22021: PostgreSQL text cannot hold U+0000
      ['select $1::jsonb as j', '"\\u0000"'], // 22P05: nor can jsonb text
      ['select $1::int as n', '99999999999'], // 22003: out of range
    ] as const) {
      const error = await s.query(sql, [value]).catch((e: unknown) => e);
      expect((error as { code?: string }).code, sql).toMatch(/^22/);
      expect(translateDatabaseError(error)?.code, sql).toBe(status.INVALID_ARGUMENT);
    }
    // A bug (an unknown column) stays unexpected: INTERNAL for the caller.
    expect(
      translateDatabaseError(await s.query('select nope from notes').catch((e: unknown) => e)),
    ).toBeUndefined();

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = createStore({
      connectionString: `postgres://nobody:x@127.0.0.1:${port}/none`,
      schema,
      logger,
      connectionTimeoutMs: 1000,
    });
    stores.push(unreachable);
    const down = await unreachable.query('select 1').catch((e: unknown) => e);
    expect(translateDatabaseError(down)?.code).toBe(status.UNAVAILABLE);
  });
});
