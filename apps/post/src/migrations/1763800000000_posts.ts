// The post schema: posts with their saga status. Deleted posts are removed, not kept as DELETED rows.
import type { MigrationBuilder } from 'node-pg-migrate';

/** up creates the tables. */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    create table post (
      post_id uuid primary key,
      blog_id uuid not null,
      author_id uuid not null,
      title text not null,
      content text not null,
      tags text[] not null default '{}',
      status text not null check (status in ('PENDING', 'PUBLISHED', 'REJECTED', 'DELETED')),
      rejection_reason text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      published_at timestamptz
    );
    -- A blog's published posts, newest first, for keyset pagination on (created_at desc, post_id desc).
    create index post_blog_published_idx on post (blog_id, created_at desc, post_id desc)
      where status = 'PUBLISHED';
    -- Every post of a blog, for the deletion saga.
    create index post_blog_idx on post (blog_id);
  `);
}

/** down drops the tables. */
export function down(pgm: MigrationBuilder): void {
  pgm.sql('drop table post');
}
