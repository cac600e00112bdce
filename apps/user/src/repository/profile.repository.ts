// All SQL on the profile table. The nickname's uniqueness lives in the database (a unique index on lower(nickname)):
// inserts use `on conflict do nothing`, so two sign-ups racing for one nickname leave exactly one profile.
import { isUniqueViolation, type Queryable } from '@blog/framework';
import type { Profile, ProfileChanges } from '../domain/profile';

interface ProfileRow {
  user_id: string;
  nickname: string;
  bio: string;
  created_at: Date;
}

/** NICKNAME_INDEX is the unique index whose violation means "nickname taken". */
const NICKNAME_INDEX = 'profile_nickname_key';
const COLUMNS = 'user_id, nickname, bio, created_at';

function toProfile(row: ProfileRow): Profile {
  return { userId: row.user_id, nickname: row.nickname, bio: row.bio, createdAt: row.created_at };
}

/** insertProfile creates a profile; undefined when the nickname (or the user id) is taken already. */
export async function insertProfile(
  db: Queryable,
  profile: { userId: string; nickname: string },
): Promise<Profile | undefined> {
  const { rows } = await db.query<ProfileRow>(
    `insert into profile (user_id, nickname) values ($1, $2) on conflict do nothing returning ${COLUMNS}`,
    [profile.userId, profile.nickname],
  );
  return rows[0] && toProfile(rows[0]);
}

/** findProfile returns a profile by user id. */
export async function findProfile(db: Queryable, userId: string): Promise<Profile | undefined> {
  const { rows } = await db.query<ProfileRow>(`select ${COLUMNS} from profile where user_id = $1`, [userId]);
  return rows[0] && toProfile(rows[0]);
}

/** UpdateResult is what updateProfile did. */
export type UpdateResult =
  | { readonly outcome: 'updated'; readonly profile: Profile }
  | { readonly outcome: 'not-found' }
  | { readonly outcome: 'nickname-taken' };

/**
 * updateProfile sets the given fields. A taken nickname aborts the statement (and so the caller's transaction,
 * which must end); it is reported as `nickname-taken` rather than thrown.
 */
export async function updateProfile(
  db: Queryable,
  userId: string,
  changes: ProfileChanges,
): Promise<UpdateResult> {
  try {
    const { rows } = await db.query<ProfileRow>(
      `update profile set nickname = coalesce($2, nickname), bio = coalesce($3, bio), updated_at = now()
       where user_id = $1 returning ${COLUMNS}`,
      [userId, changes.nickname ?? null, changes.bio ?? null],
    );
    return rows[0] ? { outcome: 'updated', profile: toProfile(rows[0]) } : { outcome: 'not-found' };
  } catch (error) {
    if (isUniqueViolation(error, NICKNAME_INDEX)) return { outcome: 'nickname-taken' };
    throw error;
  }
}

/** deleteProfile deletes a profile and returns it; undefined when there was none. */
export async function deleteProfile(db: Queryable, userId: string): Promise<Profile | undefined> {
  const { rows } = await db.query<ProfileRow>(`delete from profile where user_id = $1 returning ${COLUMNS}`, [
    userId,
  ]);
  return rows[0] && toProfile(rows[0]);
}
