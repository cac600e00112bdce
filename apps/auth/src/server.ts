// gRPC handlers of blog.auth.v1.AuthService: validate the request, run the use case, map the answer.
import { validate, type Handlers } from '@blog/framework';
import { auth } from '@blog/proto';
import { z } from 'zod';
import { signUpSchema, type Account } from './domain/account';
import type { KeyRing } from './tokens/signing-keys';
import type { Accounts } from './use-cases/accounts';
import type { Sessions, TokenPair } from './use-cases/sessions';

/** AuthHandlerDeps are the use cases and keys the handlers serve. */
export interface AuthHandlerDeps {
  readonly accounts: Accounts;
  readonly sessions: Sessions;
  readonly keys: KeyRing;
}

const uuid = z.uuid({ error: 'must be a UUID' });
const required = z.string().min(1, { error: 'is required' });
const accountIdRequest = z.object({ accountId: uuid });
const loginRequest = z.object({ email: required, password: required });
const refreshRequest = z.object({ refreshToken: required });
const logoutRequest = z.object({ refreshToken: required, accountId: uuid });

/** authHandlers implements blog.auth.v1.AuthService. */
export function authHandlers(deps: AuthHandlerDeps): Handlers<typeof auth.AuthServiceService> {
  const { accounts, sessions, keys } = deps;
  return {
    async createAccount(request) {
      const account = await accounts.create(validate(signUpSchema, request));
      return { account: toAccountMessage(account) };
    },
    async getAccount(request) {
      const { accountId } = validate(accountIdRequest, request);
      return { account: toAccountMessage(await accounts.get(accountId)) };
    },
    async login(request) {
      const { email, password } = validate(loginRequest, request);
      return { tokens: toTokenPairMessage(await sessions.login(email, password)) };
    },
    async refresh(request) {
      const { refreshToken } = validate(refreshRequest, request);
      return { tokens: toTokenPairMessage(await sessions.refresh(refreshToken)) };
    },
    async logout(request) {
      const { refreshToken, accountId } = validate(logoutRequest, request);
      await sessions.logout(refreshToken, accountId);
      return {};
    },
    async requestAccountDeletion(request) {
      const { accountId } = validate(accountIdRequest, request);
      return { account: toAccountMessage(await accounts.requestDeletion(accountId)) };
    },
    getJwks() {
      return { keys: [...keys.publicKeys] };
    },
  };
}

/** toAccountMessage maps a stored account to the contract's Account. */
export function toAccountMessage(account: Account): auth.Account {
  return {
    accountId: account.id,
    status: auth.AccountStatus[`ACCOUNT_STATUS_${account.status}`],
    reason: account.reason
      ? auth.RejectionReason[`REJECTION_REASON_${account.reason}`]
      : auth.RejectionReason.REJECTION_REASON_UNSPECIFIED,
    createdAt: account.createdAt.toISOString(),
  };
}

function toTokenPairMessage(pair: TokenPair): auth.TokenPair {
  return {
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    tokenType: 'Bearer',
    expiresIn: pair.expiresIn,
    userId: pair.accountId,
  };
}
