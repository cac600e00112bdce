// PgInbox against the stack's PostgreSQL (the visitor schema's inbox, under a consumer name of its own).
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type PgStore } from '../store';
import { PgInbox } from './pg-inbox';
import { stackSettings } from './testing/stack';

describe('PgInbox (PostgreSQL)', () => {
  const consumer = `it-inbox-${randomBytes(4).toString('hex')}`;
  const inbox = new PgInbox();
  let store: PgStore;

  beforeAll(async () => {
    store = createStore({
      connectionString: stackSettings().visitorUrl,
      schema: 'visitor',
      logger: pino({ level: 'warn' }),
    });
    await store.migrate();
  });
  afterAll(async () => {
    await store.query('delete from inbox where consumer = $1', [consumer]);
    await store.close();
  });

  it('claims an id once per consumer; a rolled-back claim never happened', async () => {
    expect(await store.withTransaction((tx) => inbox.claim(tx, consumer, 'e1'))).toBe(true);
    expect(await store.withTransaction((tx) => inbox.claim(tx, consumer, 'e1'))).toBe(false);
    expect(await store.withTransaction((tx) => inbox.claim(tx, `${consumer}-other`, 'e1'))).toBe(true);
    await store.query('delete from inbox where consumer = $1', [`${consumer}-other`]);

    await expect(
      store.withTransaction(async (tx) => {
        await inbox.claim(tx, consumer, 'e2');
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    expect(await store.withTransaction((tx) => inbox.claim(tx, consumer, 'e2'))).toBe(true);
  });

  it('claims a batch of ids in one statement: those claimed before and the repeats within it are not new', async () => {
    const other = `${consumer}-batch`;
    await store.withTransaction((tx) => inbox.claim(tx, other, 'b1'));
    const claimed = await store.withTransaction((tx) => inbox.claimAll(tx, other, ['b1', 'b2', 'b3', 'b2']));
    await expect(
      store.withTransaction(async (tx) => {
        await inbox.claimAll(tx, other, ['b4']);
        throw new Error('a handler of the batch failed');
      }),
    ).rejects.toThrow('a handler of the batch failed');
    const rows = await store.query<{ message_id: string }>(
      'select message_id from inbox where consumer = $1 order by 1',
      [other],
    );
    await store.query('delete from inbox where consumer = $1', [other]);

    expect(claimed).toEqual(new Set(['b2', 'b3']));
    expect(rows.rows.map((r) => r.message_id)).toEqual(['b1', 'b2', 'b3']);
  });

  it('makes a concurrent claim of the same id wait for the first and then find it taken', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = store.withTransaction(async (tx) => {
      const claimed = await inbox.claim(tx, consumer, 'e3');
      await held;
      return claimed;
    });
    await new Promise((r) => setTimeout(r, 100));
    const second = store.withTransaction((tx) => inbox.claim(tx, consumer, 'e3'));
    await new Promise((r) => setTimeout(r, 200));
    release();

    expect(await Promise.all([first, second])).toEqual([true, false]);
  });

  it('prunes rows older than the given age only', async () => {
    await store.query(
      `update inbox set processed_at = now() - interval '2 hours' where consumer = $1 and message_id = 'e1'`,
      [consumer],
    );
    const pruned = await inbox.prune(store, 60 * 60 * 1000, consumer);
    const left = await store.query<{ message_id: string }>(
      'select message_id from inbox where consumer = $1 order by 1',
      [consumer],
    );

    expect(pruned).toBe(1);
    expect(left.rows.map((r) => r.message_id)).toEqual(['e2', 'e3']);
  });
});
