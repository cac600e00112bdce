// All SQL on the refresh_token table. Tokens are looked up by their SHA-256 only; a family is one login session.
import type { Queryable } from '@blog/framework';
import type { StoredRefreshToken } from '../domain/refresh-token';

interface RefreshTokenRow {
  family_id: string;
  account_id: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

/** RefreshTokenRecord is a stored token (without its hash). */
export interface RefreshTokenRecord extends StoredRefreshToken {
  readonly familyId: string;
  readonly accountId: string;
}

/** NewRefreshToken is what issuing a token stores. */
export interface NewRefreshToken {
  readonly hash: Buffer;
  readonly familyId: string;
  readonly accountId: string;
  readonly expiresAt: Date;
}

/** insertRefreshToken stores a token's hash in its family. */
export async function insertRefreshToken(db: Queryable, token: NewRefreshToken): Promise<void> {
  await db.query(
    'insert into refresh_token (token_hash, family_id, account_id, expires_at) values ($1, $2, $3, $4)',
    [token.hash, token.familyId, token.accountId, token.expiresAt],
  );
}

/** lockRefreshToken reads a token by hash and locks it, so two refreshes of one token run one after the other. */
export async function lockRefreshToken(db: Queryable, hash: Buffer): Promise<RefreshTokenRecord | undefined> {
  const { rows } = await db.query<RefreshTokenRow>(
    `select family_id, account_id, expires_at, used_at, revoked_at
     from refresh_token where token_hash = $1 for update`,
    [hash],
  );
  const row = rows[0];
  return (
    row && {
      familyId: row.family_id,
      accountId: row.account_id,
      expiresAt: row.expires_at,
      usedAt: row.used_at,
      revokedAt: row.revoked_at,
    }
  );
}

/** markRefreshTokenUsed records that a token was exchanged; presenting it again is reuse. */
export async function markRefreshTokenUsed(db: Queryable, hash: Buffer): Promise<void> {
  await db.query('update refresh_token set used_at = now() where token_hash = $1', [hash]);
}

/** revokeFamily revokes every live token of a family and returns how many. */
export async function revokeFamily(db: Queryable, familyId: string): Promise<number> {
  const result = await db.query(
    'update refresh_token set revoked_at = now() where family_id = $1 and revoked_at is null',
    [familyId],
  );
  return result.rowCount ?? 0;
}

/** revokeAccountTokens revokes every live token of an account and returns how many. */
export async function revokeAccountTokens(db: Queryable, accountId: string): Promise<number> {
  const result = await db.query(
    'update refresh_token set revoked_at = now() where account_id = $1 and revoked_at is null',
    [accountId],
  );
  return result.rowCount ?? 0;
}

/**
 * revokeSessionOfToken revokes the family of the token with this hash if the token belongs to the account (a family
 * has one live token at a time, its newest, so this ends that login session); returns how many tokens it revoked.
 */
export async function revokeSessionOfToken(db: Queryable, hash: Buffer, accountId: string): Promise<number> {
  const result = await db.query(
    `update refresh_token set revoked_at = now()
     where family_id = (select family_id from refresh_token where token_hash = $1 and account_id = $2)
       and revoked_at is null`,
    [hash, accountId],
  );
  return result.rowCount ?? 0;
}
