// Session use cases: login, refresh-token rotation with reuse detection, logout.
import { randomUUID } from 'node:crypto';
import {
  FailedPreconditionError,
  UnauthenticatedError,
  type Logger,
  type Queryable,
  type Store,
} from '@blog/framework';
import { loginVerdict, normalizeEmail, PASSWORD_MAX } from '../domain/account';
import { refreshTokenExpiry, refreshVerdict } from '../domain/refresh-token';
import type { PasswordHasher } from '../passwords/password-hasher';
import { findLiveAccountByEmail, statusForShare } from '../repository/account.repository';
import {
  insertRefreshToken,
  lockRefreshToken,
  markRefreshTokenUsed,
  revokeFamily,
  revokeSessionOfToken,
} from '../repository/refresh-token.repository';
import type { AccessTokenIssuer } from '../tokens/access-tokens';
import { hashRefreshToken, newRefreshToken } from '../tokens/refresh-tokens';

/** TokenPair is what login and refresh hand out. */
export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** expiresIn is the access token's lifetime in seconds. */
  readonly expiresIn: number;
  readonly accountId: string;
}

/** SessionsDeps are what the session use cases need. */
export interface SessionsDeps {
  readonly store: Store;
  readonly hasher: PasswordHasher;
  readonly accessTokens: AccessTokenIssuer;
  readonly refreshTokenTtlDays: number;
  readonly logger: Logger;
}

// One message for an unknown email and a wrong password, so the answer does not tell which emails have accounts.
const BAD_CREDENTIALS = 'invalid email or password';
const BAD_REFRESH_TOKEN = 'invalid refresh token';

/** Sessions runs the session use cases. */
export class Sessions {
  constructor(private readonly deps: SessionsDeps) {}

  /**
   * login checks the credentials (a wrong email costs a dummy verification, like a wrong password), then the
   * account's state: PENDING is FAILED_PRECONDITION, anything but ACTIVE is UNAUTHENTICATED.
   */
  async login(email: string, password: string): Promise<TokenPair> {
    const { store, hasher } = this.deps;
    const account = await findLiveAccountByEmail(store, normalizeEmail(email));
    const matches =
      account && password.length <= PASSWORD_MAX
        ? await hasher.verify(account.passwordHash, password)
        : await hasher.verifyDummy(password.slice(0, PASSWORD_MAX));
    if (!account || !matches) throw new UnauthenticatedError(BAD_CREDENTIALS);
    const verdict = loginVerdict(account.status);
    if (verdict === 'pending') {
      throw new FailedPreconditionError('the account is not active yet: its sign-up is in progress');
    }
    if (verdict === 'unusable') throw new UnauthenticatedError(`the account is ${account.status}`);
    return store.withTransaction((tx) => this.issue(tx, account.id, randomUUID()));
  }

  /**
   * refresh exchanges a refresh token for a new pair in the same family. A token presented a second time revokes
   * its whole family (both parties lose the session); revoked, expired or unknown tokens and accounts that are not
   * ACTIVE get UNAUTHENTICATED.
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const hash = hashRefreshToken(refreshToken);
    // The transaction returns its outcome instead of throwing, so that a family revocation commits.
    const outcome = await this.deps.store.withTransaction(async (tx) => {
      const token = await lockRefreshToken(tx, hash);
      if (!token) return { refused: 'unknown' as const };
      const status = await statusForShare(tx, token.accountId);
      const verdict = refreshVerdict(token, status ?? 'DELETED', new Date());
      if (verdict === 'reuse') {
        const revoked = await revokeFamily(tx, token.familyId);
        return { refused: verdict, accountId: token.accountId, familyId: token.familyId, revoked };
      }
      if (verdict !== 'rotate') return { refused: verdict, accountId: token.accountId };
      await markRefreshTokenUsed(tx, hash);
      return { pair: await this.issue(tx, token.accountId, token.familyId) };
    });
    if (outcome.pair) return outcome.pair;
    if (outcome.refused === 'reuse')
      this.deps.logger.warn(outcome, 'refresh token reused: its family is revoked');
    else this.deps.logger.info(outcome, 'refresh refused');
    throw new UnauthenticatedError(BAD_REFRESH_TOKEN);
  }

  /** logout ends the session of a refresh token that belongs to the account; anything else changes nothing. */
  async logout(refreshToken: string, accountId: string): Promise<void> {
    const revoked = await revokeSessionOfToken(this.deps.store, hashRefreshToken(refreshToken), accountId);
    this.deps.logger.debug({ accountId, revoked }, 'logout');
  }

  private async issue(db: Queryable, accountId: string, familyId: string): Promise<TokenPair> {
    const refreshToken = newRefreshToken();
    await insertRefreshToken(db, {
      hash: hashRefreshToken(refreshToken),
      familyId,
      accountId,
      expiresAt: refreshTokenExpiry(new Date(), this.deps.refreshTokenTtlDays),
    });
    const access = await this.deps.accessTokens.issue(accountId);
    return { accessToken: access.token, refreshToken, expiresIn: access.expiresIn, accountId };
  }
}
