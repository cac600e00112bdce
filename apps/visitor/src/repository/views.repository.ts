// The write side of view counting: one call records one batch in the caller's transaction. Every counter moves by
// what the inserts of this batch actually inserted (insert ... on conflict do nothing returning), never by a
// recomputed total, so retried calls, replayed batches and concurrent writers cannot count anything twice.
import type { Transaction } from '@blog/framework';
import {
  counterDeltas,
  distinctViews,
  viewersOf,
  type BlogViewer,
  type DayViewer,
  type PostViewer,
  type RecordedView,
  type View,
} from '../domain/views';
import { lockBlogsShared } from './blog-lock';

/** RecordOutcome says how many views of a batch were new, and how many were skipped (repeated ids, deleted blogs). */
export interface RecordOutcome {
  readonly recorded: number;
  readonly skipped: number;
}

/** recordViews records a batch of views in `tx`: new view ids of live blogs only, then viewer sets, then counters. */
export async function recordViews(tx: Transaction, batch: readonly View[]): Promise<RecordOutcome> {
  const views = distinctViews(batch);
  if (views.length === 0) return { recorded: 0, skipped: batch.length };
  await lockBlogsShared(
    tx,
    views.map((v) => v.blogId),
  );
  const recorded = await insertNewViews(tx, views);
  if (recorded.length > 0) {
    const viewers = viewersOf(recorded);
    const fresh = {
      posts: await insertPostViewers(tx, viewers.posts),
      blogs: await insertBlogViewers(tx, viewers.blogs),
      days: await insertDayViewers(tx, viewers.days),
    };
    await addToCounters(tx, counterDeltas(recorded, fresh));
  }
  return { recorded: recorded.length, skipped: batch.length - recorded.length };
}

// Views of blogs whose statistics were dropped are left out: a late view must not bring a deleted blog back.
async function insertNewViews(tx: Transaction, views: readonly View[]): Promise<RecordedView[]> {
  const { rows } = await tx.query<RecordedView>(
    `insert into views (view_id, post_id, blog_id, viewer_id, viewed_on)
     select v.view_id, v.post_id, v.blog_id, v.viewer_id, (now() at time zone 'utc')::date
       from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[]) as v(view_id, post_id, blog_id, viewer_id)
      where not exists (select 1 from deleted_blogs d where d.blog_id = v.blog_id)
      order by v.view_id
     on conflict (view_id) do nothing
     returning view_id as "viewId", post_id as "postId", blog_id as "blogId", viewer_id as "viewerId",
               viewed_on::text as day`,
    [
      views.map((v) => v.viewId),
      views.map((v) => v.postId),
      views.map((v) => v.blogId),
      views.map((v) => v.viewerId),
    ],
  );
  return rows;
}

async function insertPostViewers(tx: Transaction, viewers: readonly PostViewer[]): Promise<PostViewer[]> {
  const { rows } = await tx.query<PostViewer>(
    `insert into post_viewers (post_id, viewer_id, blog_id)
     select * from unnest($1::uuid[], $2::text[], $3::uuid[]) as v(post_id, viewer_id, blog_id)
      order by 1, 2
     on conflict do nothing
     returning post_id as "postId", viewer_id as "viewerId", blog_id as "blogId"`,
    [viewers.map((v) => v.postId), viewers.map((v) => v.viewerId), viewers.map((v) => v.blogId)],
  );
  return rows;
}

async function insertBlogViewers(tx: Transaction, viewers: readonly BlogViewer[]): Promise<BlogViewer[]> {
  const { rows } = await tx.query<BlogViewer>(
    `insert into blog_viewers (blog_id, viewer_id)
     select * from unnest($1::uuid[], $2::text[]) as v(blog_id, viewer_id)
      order by 1, 2
     on conflict do nothing
     returning blog_id as "blogId", viewer_id as "viewerId"`,
    [viewers.map((v) => v.blogId), viewers.map((v) => v.viewerId)],
  );
  return rows;
}

async function insertDayViewers(tx: Transaction, viewers: readonly DayViewer[]): Promise<DayViewer[]> {
  const { rows } = await tx.query<DayViewer>(
    `insert into blog_day_viewers (blog_id, day, viewer_id)
     select * from unnest($1::uuid[], $2::date[], $3::text[]) as v(blog_id, day, viewer_id)
      order by 1, 2, 3
     on conflict do nothing
     returning blog_id as "blogId", day::text as day, viewer_id as "viewerId"`,
    [viewers.map((v) => v.blogId), viewers.map((v) => v.day), viewers.map((v) => v.viewerId)],
  );
  return rows;
}

async function addToCounters(tx: Transaction, deltas: ReturnType<typeof counterDeltas>): Promise<void> {
  const { posts, blogs, days } = deltas;
  await tx.query(
    `insert into post_stats as s (post_id, blog_id, views, unique_visitors)
     select * from unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::bigint[])
     on conflict (post_id) do update
       set views = s.views + excluded.views, unique_visitors = s.unique_visitors + excluded.unique_visitors`,
    [
      posts.map((p) => p.postId),
      posts.map((p) => p.blogId),
      posts.map((p) => p.views),
      posts.map((p) => p.uniqueVisitors),
    ],
  );
  await tx.query(
    `insert into blog_stats as s (blog_id, views, unique_visitors)
     select * from unnest($1::uuid[], $2::bigint[], $3::bigint[])
     on conflict (blog_id) do update
       set views = s.views + excluded.views, unique_visitors = s.unique_visitors + excluded.unique_visitors`,
    [blogs.map((b) => b.blogId), blogs.map((b) => b.views), blogs.map((b) => b.uniqueVisitors)],
  );
  await tx.query(
    `insert into blog_daily_stats as s (blog_id, day, views, unique_visitors)
     select * from unnest($1::uuid[], $2::date[], $3::bigint[], $4::bigint[])
     on conflict (blog_id, day) do update
       set views = s.views + excluded.views, unique_visitors = s.unique_visitors + excluded.unique_visitors`,
    [
      days.map((d) => d.blogId),
      days.map((d) => d.day),
      days.map((d) => d.views),
      days.map((d) => d.uniqueVisitors),
    ],
  );
}
