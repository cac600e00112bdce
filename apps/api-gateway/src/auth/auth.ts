// The authentication contract: who the caller is, and how the routes ask for it.

/** Principal is an authenticated caller; the account id is also the user id. */
export interface Principal {
  readonly accountId: string;
}

/** AccessTokenVerifier checks an access token and returns its principal, or throws an ApiError (401 / 503). */
export interface AccessTokenVerifier {
  verify(token: string): Promise<Principal>;
}

/** AccountStatusChecker says whether an account may still use its tokens. */
export interface AccountStatusChecker {
  /** isUsable resolves true for an ACTIVE account; it throws when nobody can tell (auth down, nothing cached). */
  isUsable(accountId: string): Promise<boolean>;
  /** markDeleting refuses the account's tokens from now on, in this process, without asking auth. */
  markDeleting(accountId: string): void;
}

/** JWT_ALGORITHMS are the accepted signature algorithms: Ed25519, under its old and new JOSE names. */
export const JWT_ALGORITHMS = ['EdDSA', 'Ed25519'];
