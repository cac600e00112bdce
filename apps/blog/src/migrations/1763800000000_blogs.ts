// The blog schema: blogs, the ledgers behind their counters, and the deletion saga's state.
import type { MigrationBuilder } from 'node-pg-migrate';

/** up creates the tables. */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    create table blog (
      blog_id uuid primary key,
      owner_id uuid not null unique,
      slug text not null unique,
      title text not null,
      description text not null default '',
      status text not null check (status in ('ACTIVE', 'DELETING', 'DELETED')),
      post_count bigint not null default 0 check (post_count >= 0),
      subscriber_count bigint not null default 0 check (subscriber_count >= 0),
      created_at timestamptz not null default now()
    );

    -- Ledgers: one row per post / subscription the blog's counter holds, so a decrement happens exactly once per
    -- increment whatever the flags of late or repeated events say. They go with the blog (cascade).
    create table counted_post (
      post_id uuid primary key,
      blog_id uuid not null references blog (blog_id) on delete cascade,
      counted_at timestamptz not null default now()
    );
    create index counted_post_blog_idx on counted_post (blog_id);

    create table counted_subscription (
      subscription_id uuid primary key,
      blog_id uuid not null references blog (blog_id) on delete cascade,
      subscriber_id uuid not null,
      counted_at timestamptz not null default now()
    );
    create index counted_subscription_blog_idx on counted_subscription (blog_id);

    -- The deletion saga's fan-in: the blog is deleted once both reports are in (and this row with it).
    create table blog_deletion (
      blog_id uuid primary key references blog (blog_id) on delete cascade,
      owner_id uuid not null,
      saga_id text,
      posts_deleted_at timestamptz,
      subscriptions_cancelled_at timestamptz,
      started_at timestamptz not null default now()
    );
  `);
}

/** down drops the tables. */
export function down(pgm: MigrationBuilder): void {
  pgm.sql('drop table blog_deletion, counted_subscription, counted_post, blog');
}
