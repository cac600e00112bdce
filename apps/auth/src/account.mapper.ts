// Accounts and issued tokens to the gRPC contract: plain status strings become the proto enums, times ISO strings.
import { auth } from '@blog/proto';
import type { Account } from './domain/account';
import type { TokenPair } from './use-cases/sessions';

/** toApiAccount renders an account as blog.auth.v1.Account. */
export function toApiAccount(account: Account): auth.Account {
  return {
    accountId: account.id,
    status: auth.AccountStatus[`ACCOUNT_STATUS_${account.status}`],
    reason: account.reason
      ? auth.RejectionReason[`REJECTION_REASON_${account.reason}`]
      : auth.RejectionReason.REJECTION_REASON_UNSPECIFIED,
    createdAt: account.createdAt.toISOString(),
  };
}

/** toApiTokenPair renders issued tokens as blog.auth.v1.TokenPair. */
export function toApiTokenPair(pair: TokenPair): auth.TokenPair {
  return {
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    tokenType: 'Bearer',
    expiresIn: pair.expiresIn,
    userId: pair.accountId,
  };
}
