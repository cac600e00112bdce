// The auth schema: accounts, refresh tokens (hashes only), and the deletion saga's fan-in state.
import type { MigrationBuilder } from 'node-pg-migrate';

/** up creates the auth tables. */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    create table account (
      id uuid primary key,
      email text not null,
      password_hash text not null,
      nickname text not null,
      blog_slug text not null,
      status text not null check (status in ('PENDING', 'ACTIVE', 'REJECTED', 'DELETING', 'DELETED')),
      reason text check (reason in ('NICKNAME_TAKEN', 'BLOG_SLUG_TAKEN')),
      signup_saga_id text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    -- An email belongs to at most one account that is not REJECTED or DELETED: a rejected sign-up or a deleted
    -- account frees it. Emails are stored lower-cased; the index is on lower() so that holds whatever writes them.
    create unique index account_live_email_key on account (lower(email))
      where status not in ('REJECTED', 'DELETED');

    create table refresh_token (
      token_hash bytea primary key,
      family_id uuid not null,
      account_id uuid not null references account (id),
      expires_at timestamptz not null,
      created_at timestamptz not null default now(),
      used_at timestamptz,
      revoked_at timestamptz
    );
    create index refresh_token_family_idx on refresh_token (family_id);
    create index refresh_token_live_account_idx on refresh_token (account_id) where revoked_at is null;

    -- One row per deletion saga: the participants that have not reported yet, and when each one did.
    create table deletion_saga (
      account_id uuid primary key references account (id),
      saga_id text not null,
      pending text[] not null,
      reported jsonb not null default '{}',
      started_at timestamptz not null default now(),
      completed_at timestamptz
    );
  `);
}

/** down drops the auth tables. */
export function down(pgm: MigrationBuilder): void {
  pgm.sql('drop table deletion_saga; drop table refresh_token; drop table account;');
}
