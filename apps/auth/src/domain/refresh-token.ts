// Refresh-token rotation rules, free of I/O. A token is single-use: presenting it again means two parties hold it
// (a stolen copy, or a client that lost a response), and the only safe answer is to end the whole session (family).
import type { AccountStatus } from './account';

/** StoredRefreshToken is the part of a stored token the rules read. */
export interface StoredRefreshToken {
  readonly usedAt: Date | null;
  readonly revokedAt: Date | null;
  readonly expiresAt: Date;
}

/**
 * RefreshVerdict: `rotate` issues the next token of the family; `reuse` revokes the family; the others refuse.
 * Every verdict but `rotate` answers UNAUTHENTICATED.
 */
export type RefreshVerdict = 'rotate' | 'reuse' | 'revoked' | 'expired' | 'account-inactive';

/** refreshVerdict decides what presenting `token` does at `now`, for an account in state `status`. */
export function refreshVerdict(token: StoredRefreshToken, status: AccountStatus, now: Date): RefreshVerdict {
  if (token.revokedAt) return 'revoked';
  // Checked before expiry: a used token presented again is a theft signal even once it has expired.
  if (token.usedAt) return 'reuse';
  if (token.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (status !== 'ACTIVE') return 'account-inactive';
  return 'rotate';
}

/** refreshTokenExpiry is when a token issued at `now` stops working. */
export function refreshTokenExpiry(now: Date, ttlDays: number): Date {
  return new Date(now.getTime() + ttlDays * 24 * 60 * 60 * 1000);
}
