// The visitor repository against real PostgreSQL: idempotent counting, unique visitors per day, real batching,
// and the blog lock that keeps views in flight from resurrecting a deleted blog's statistics.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { PgStore, TransactionRunner } from '@blog/framework';
import { holdOpen, sleep, stackStore, testLogger } from '@blog/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { View } from '../domain/views';
import { ViewRecorder } from '../use-cases/view-recorder';
import { blogTotals, dropBlogStats, postTotals } from './stats.repository';
import { recordViews } from './views.repository';

let store: PgStore;

beforeAll(async () => {
  store = await stackStore('visitor', 'visitor', {
    migrationsDir: join(__dirname, '..', 'migrations'),
    max: 8,
  });
});
afterAll(() => store?.close());

const view = (postId: string, blogId: string, viewerId: string, viewId = randomUUID()): View => ({
  viewId,
  postId,
  blogId,
  viewerId,
});
const record = (views: View[]) => store.withTransaction((tx) => recordViews(tx, views));
const rowsOfBlog = async (blogId: string) => {
  const { rows } = await store.query<{ n: string }>(
    `select (select count(*) from views where blog_id = $1) + (select count(*) from post_viewers where blog_id = $1)
          + (select count(*) from blog_viewers where blog_id = $1) + (select count(*) from blog_day_viewers where blog_id = $1)
          + (select count(*) from post_stats where blog_id = $1) + (select count(*) from blog_stats where blog_id = $1)
          + (select count(*) from blog_daily_stats where blog_id = $1) as n`,
    [blogId],
  );
  return Number(rows[0].n);
};

describe('recordViews', () => {
  it('counts views and distinct viewers per post, per blog and for today', async () => {
    const [blog, p1, p2] = [randomUUID(), randomUUID(), randomUUID()];
    expect(await record([view(p1, blog, 'ann'), view(p1, blog, 'ann'), view(p1, blog, 'bob')])).toEqual({
      recorded: 3,
      skipped: 0,
    });
    await record([view(p2, blog, 'ann'), view(p1, blog, 'cid')]);
    expect(await postTotals(store, p1)).toEqual({ views: 4, uniqueVisitors: 3 });
    expect(await postTotals(store, p2)).toEqual({ views: 1, uniqueVisitors: 1 });
    expect(await blogTotals(store, blog)).toEqual({
      total: { views: 5, uniqueVisitors: 3 },
      today: { views: 5, uniqueVisitors: 3 },
    });
    expect(await postTotals(store, randomUUID())).toEqual({ views: 0, uniqueVisitors: 0 });
  });

  it('counts a view id once, whether repeated in one batch, in later batches or in concurrent ones', async () => {
    const [blog, post] = [randomUUID(), randomUUID()];
    const once = view(post, blog, 'ann');
    expect(await record([once, once, once])).toEqual({ recorded: 1, skipped: 2 });
    expect(await record([once])).toEqual({ recorded: 0, skipped: 1 });
    const twice = view(post, blog, 'bob');
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => record([twice])));
    expect(outcomes.map((o) => o.recorded).sort()).toEqual([0, 0, 0, 0, 1]);
    expect(await postTotals(store, post)).toEqual({ views: 2, uniqueVisitors: 2 });
    expect((await blogTotals(store, blog)).total).toEqual({ views: 2, uniqueVisitors: 2 });
  });

  it('counts unique visitors per UTC day: a returning viewer is new today, not new in total', async () => {
    const [blog, post] = [randomUUID(), randomUUID()];
    await record([view(post, blog, 'ann'), view(post, blog, 'bob'), view(post, blog, 'bob')]);
    // Move what was recorded to yesterday, as if the day had turned.
    await store.query('update blog_day_viewers set day = day - 1 where blog_id = $1', [blog]);
    await store.query('update blog_daily_stats set day = day - 1 where blog_id = $1', [blog]);
    expect((await blogTotals(store, blog)).today).toEqual({ views: 0, uniqueVisitors: 0 });

    await record([view(post, blog, 'bob'), view(post, blog, 'bob'), view(post, blog, 'cid')]);
    expect(await blogTotals(store, blog)).toEqual({
      total: { views: 6, uniqueVisitors: 3 },
      today: { views: 3, uniqueVisitors: 2 },
    });
    const { rows } = await store.query<{ day: string; views: string; unique_visitors: string }>(
      `select (day - (now() at time zone 'utc')::date) as day, views, unique_visitors
         from blog_daily_stats where blog_id = $1 order by day`,
      [blog],
    );
    expect(rows.map((r) => [Number(r.day), Number(r.views), Number(r.unique_visitors)])).toEqual([
      [-1, 3, 2],
      [0, 3, 2],
    ]);
  });

  it('ignores views of a blog whose statistics were dropped', async () => {
    const [blog, post] = [randomUUID(), randomUUID()];
    await record([view(post, blog, 'ann')]);
    const dropped = await store.withTransaction((tx) => dropBlogStats(tx, blog));
    expect(dropped).toEqual({ firstTime: true, views: 1 });
    expect(await rowsOfBlog(blog)).toBe(0);
    expect(await record([view(post, blog, 'bob')])).toEqual({ recorded: 0, skipped: 1 });
    expect(await rowsOfBlog(blog)).toBe(0);
    expect(await store.withTransaction((tx) => dropBlogStats(tx, blog))).toEqual({
      firstTime: false,
      views: 0,
    });
  });
});

describe('the blog lock', () => {
  it('makes a deletion wait for a batch in flight, then removes what that batch wrote', async () => {
    const [blog, post] = [randomUUID(), randomUUID()];
    const batch = holdOpen(store, (tx) =>
      recordViews(tx, [view(post, blog, 'ann'), view(post, blog, 'bob')]),
    );
    await batch.started;
    let deleted = false;
    const deletion = store.withTransaction((tx) => dropBlogStats(tx, blog)).then(() => (deleted = true));
    await sleep(300);
    expect(deleted).toBe(false);
    batch.release();
    await batch.done;
    await deletion;
    expect(await rowsOfBlog(blog)).toBe(0);
  });

  it('makes a batch wait for a deletion in flight, then skips the deleted blog', async () => {
    const [blog, post, other] = [randomUUID(), randomUUID(), randomUUID()];
    await record([view(post, blog, 'ann')]);
    const deletion = holdOpen(store, (tx) => dropBlogStats(tx, blog));
    await deletion.started;
    let recorded: { recorded: number } | undefined;
    const batch = record([view(post, blog, 'bob'), view(randomUUID(), other, 'bob')]).then(
      (r) => (recorded = r),
    );
    await sleep(300);
    expect(recorded).toBeUndefined();
    deletion.release();
    await deletion.done;
    expect(await batch).toEqual({ recorded: 1, skipped: 1 });
    expect(await rowsOfBlog(blog)).toBe(0);
    expect((await blogTotals(store, other)).total.views).toBe(1);
  });
});

describe('ViewRecorder', () => {
  it('records a burst of 500 concurrent views in far fewer transactions, each call answered after its commit', async () => {
    let transactions = 0;
    const counting: TransactionRunner = {
      withTransaction: (fn) => {
        transactions++;
        return store.withTransaction(fn);
      },
    };
    const recorder = new ViewRecorder({ store: counting, logger: testLogger, maxBatch: 500, maxDelayMs: 5 });
    const blog = randomUUID();
    const posts = Array.from({ length: 10 }, () => randomUUID());
    const burst = Array.from({ length: 500 }, (_, i) => view(posts[i % 10], blog, `viewer-${i % 50}`));
    // Each call checks, when it resolves, that its own view is already committed and visible to others.
    const visibleAtAnswer = await Promise.all(
      burst.map((v) =>
        recorder
          .record(v)
          .then(() => store.query('select 1 from views where view_id = $1', [v.viewId]))
          .then((r) => r.rowCount === 1),
      ),
    );
    await recorder.stop();
    expect(visibleAtAnswer.every(Boolean)).toBe(true);
    expect(await blogTotals(store, blog)).toEqual({
      total: { views: 500, uniqueVisitors: 50 },
      today: { views: 500, uniqueVisitors: 50 },
    });
    expect(recorder.committed).toEqual({ batches: transactions, views: 500 });
    expect(transactions).toBeLessThanOrEqual(10);
    console.info(
      `ViewRecorder: 500 concurrent views in ${transactions} transactions (${(transactions / 500).toFixed(3)} per view)`,
    );
  });
});
