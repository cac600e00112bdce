// The visitor schema: processed view ids (idempotency), the viewer sets behind unique-visitor counts, the counters,
// and the tombstones of deleted blogs (a view arriving after its blog's statistics were dropped is ignored).
import type { MigrationBuilder } from 'node-pg-migrate';

/** up creates the visitor tables. */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    create table views (
      view_id uuid primary key,
      post_id uuid not null,
      blog_id uuid not null,
      viewer_id text not null,
      viewed_on date not null,
      recorded_at timestamptz not null default now()
    );
    create index views_blog_id_idx on views (blog_id);

    create table post_viewers (
      post_id uuid not null,
      viewer_id text not null,
      blog_id uuid not null,
      primary key (post_id, viewer_id)
    );
    create index post_viewers_blog_id_idx on post_viewers (blog_id);

    create table blog_viewers (
      blog_id uuid not null,
      viewer_id text not null,
      primary key (blog_id, viewer_id)
    );

    create table blog_day_viewers (
      blog_id uuid not null,
      day date not null,
      viewer_id text not null,
      primary key (blog_id, day, viewer_id)
    );

    create table post_stats (
      post_id uuid primary key,
      blog_id uuid not null,
      views bigint not null default 0 check (views >= 0),
      unique_visitors bigint not null default 0 check (unique_visitors >= 0)
    );
    create index post_stats_blog_id_idx on post_stats (blog_id);

    create table blog_stats (
      blog_id uuid primary key,
      views bigint not null default 0 check (views >= 0),
      unique_visitors bigint not null default 0 check (unique_visitors >= 0)
    );

    create table blog_daily_stats (
      blog_id uuid not null,
      day date not null,
      views bigint not null default 0 check (views >= 0),
      unique_visitors bigint not null default 0 check (unique_visitors >= 0),
      primary key (blog_id, day)
    );

    create table deleted_blogs (
      blog_id uuid primary key,
      deleted_at timestamptz not null default now()
    );
  `);
}

/** down drops the visitor tables. */
export function down(pgm: MigrationBuilder): void {
  pgm.sql(`
    drop table deleted_blogs, blog_daily_stats, blog_stats, post_stats, blog_day_viewers, blog_viewers,
      post_viewers, views;
  `);
}
