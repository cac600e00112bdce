// The users schema: profiles, with the nickname unique case-insensitively.
import type { MigrationBuilder } from 'node-pg-migrate';

/** up creates the profile table. */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    create table profile (
      user_id uuid primary key,
      nickname text not null,
      bio text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    -- "Ada" and "ada" are one nickname; the sign-up step relies on this index to settle races.
    create unique index profile_nickname_key on profile (lower(nickname));
  `);
}

/** down drops the profile table. */
export function down(pgm: MigrationBuilder): void {
  pgm.sql('drop table profile;');
}
