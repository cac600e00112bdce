// The subscribe schema: subscriptions (at most one PENDING or ACTIVE per reader and blog), the feed read model, and
// the ids of PENDING subscriptions removed by an account deletion, kept until the blog answers them.
import type { MigrationBuilder } from 'node-pg-migrate';

/** up creates the subscribe tables. */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    create table subscriptions (
      subscription_id uuid primary key,
      subscriber_id uuid not null,
      blog_id uuid not null,
      status text not null check (status in ('PENDING', 'ACTIVE', 'REJECTED', 'CANCELLED')),
      reason text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    -- The semantic lock: one subscription in flight or in force per reader and blog.
    create unique index subscriptions_one_open_per_pair on subscriptions (subscriber_id, blog_id)
      where status in ('PENDING', 'ACTIVE');
    create index subscriptions_subscriber_idx on subscriptions (subscriber_id, created_at desc);
    create index subscriptions_blog_idx on subscriptions (blog_id, status);

    create table feed_items (
      subscriber_id uuid not null,
      post_id uuid not null,
      blog_id uuid not null,
      author_id uuid not null,
      title text not null,
      tags text[] not null default '{}',
      created_at timestamptz not null,
      published_at timestamptz not null,
      updated_at timestamptz not null,
      primary key (subscriber_id, post_id)
    );
    create index feed_items_page_idx on feed_items (subscriber_id, published_at desc, post_id desc);
    create index feed_items_post_idx on feed_items (post_id);
    create index feed_items_blog_idx on feed_items (blog_id, subscriber_id);

    create table orphaned_subscriptions (
      subscription_id uuid primary key,
      orphaned_at timestamptz not null default now()
    );
  `);
}

/** down drops the subscribe tables. */
export function down(pgm: MigrationBuilder): void {
  pgm.sql('drop table orphaned_subscriptions, feed_items, subscriptions;');
}
