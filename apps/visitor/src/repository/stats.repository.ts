// The read side of the statistics, and their removal when a blog is deleted.
import type { Queryable, Transaction } from '@blog/framework';
import type { Increment } from '../domain/views';
import { lockBlogExclusive } from './blog-lock';

const ZERO: Increment = { views: 0, uniqueVisitors: 0 };

interface CountRow {
  views: string;
  unique_visitors: string;
}

const counts = (row: CountRow | undefined): Increment =>
  row ? { views: Number(row.views), uniqueVisitors: Number(row.unique_visitors) } : { ...ZERO };

/** postTotals returns a post's views and unique visitors (zeros for a post never viewed). */
export async function postTotals(db: Queryable, postId: string): Promise<Increment> {
  const { rows } = await db.query<CountRow>(
    'select views, unique_visitors from post_stats where post_id = $1',
    [postId],
  );
  return counts(rows[0]);
}

/** blogTotals returns a blog's views and unique visitors, in total and for the current UTC day. */
export async function blogTotals(
  db: Queryable,
  blogId: string,
): Promise<{ total: Increment; today: Increment }> {
  // One statement, so both figures come from one snapshot and "today" is the database's UTC day.
  const { rows } = await db.query<{ total: CountRow | null; today: CountRow | null }>(
    `select (select row_to_json(t) from (select views, unique_visitors from blog_stats where blog_id = $1) t) as total,
            (select row_to_json(d) from (select views, unique_visitors from blog_daily_stats
                                          where blog_id = $1 and day = (now() at time zone 'utc')::date) d) as today`,
    [blogId],
  );
  return { total: counts(rows[0]?.total ?? undefined), today: counts(rows[0]?.today ?? undefined) };
}

/** DroppedStats says what dropBlogStats removed. */
export interface DroppedStats {
  /** firstTime is false when the blog's statistics had already been dropped (a repeated deletion). */
  readonly firstTime: boolean;
  readonly views: number;
}

/**
 * dropBlogStats removes every statistic of a blog (its posts' too) and leaves a tombstone, so views still in flight
 * for it are ignored. It waits for batches recording views of that blog to finish first (see blog-lock.ts).
 */
export async function dropBlogStats(tx: Transaction, blogId: string): Promise<DroppedStats> {
  await lockBlogExclusive(tx, blogId);
  const tomb = await tx.query('insert into deleted_blogs (blog_id) values ($1) on conflict do nothing', [
    blogId,
  ]);
  const views = await tx.query('delete from views where blog_id = $1', [blogId]);
  for (const table of [
    'post_viewers',
    'blog_viewers',
    'blog_day_viewers',
    'post_stats',
    'blog_stats',
    'blog_daily_stats',
  ]) {
    await tx.query(`delete from ${table} where blog_id = $1`, [blogId]);
  }
  return { firstTime: tomb.rowCount === 1, views: views.rowCount ?? 0 };
}
