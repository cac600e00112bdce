// gRPC handlers of blog.auth.v1.AuthService: validate the request, run the use case, map the answer.
import { validate, type Handlers } from '@blog/framework';
import type { auth } from '@blog/proto';
import { toApiAccount, toApiTokenPair } from './account.mapper';
import { signUpSchema } from './domain/account';
import { accountIdRequest, loginRequest, logoutRequest, refreshRequest } from './domain/validation';
import type { KeyRing } from './tokens/signing-keys';
import type { Accounts } from './use-cases/accounts';
import type { Sessions } from './use-cases/sessions';

/** AuthHandlerDeps are the use cases and keys the handlers serve. */
export interface AuthHandlerDeps {
  readonly accounts: Accounts;
  readonly sessions: Sessions;
  readonly keys: KeyRing;
}

/** authHandlers implements blog.auth.v1.AuthService. */
export function authHandlers(deps: AuthHandlerDeps): Handlers<typeof auth.AuthServiceService> {
  const { accounts, sessions, keys } = deps;
  return {
    async createAccount(request) {
      const account = await accounts.create(validate(signUpSchema, request));
      return { account: toApiAccount(account) };
    },
    async getAccount(request) {
      const { accountId } = validate(accountIdRequest, request);
      return { account: toApiAccount(await accounts.get(accountId)) };
    },
    async login(request) {
      const { email, password } = validate(loginRequest, request);
      return { tokens: toApiTokenPair(await sessions.login(email, password)) };
    },
    async refresh(request) {
      const { refreshToken } = validate(refreshRequest, request);
      return { tokens: toApiTokenPair(await sessions.refresh(refreshToken)) };
    },
    async logout(request) {
      const { refreshToken, accountId } = validate(logoutRequest, request);
      await sessions.logout(refreshToken, accountId);
      return {};
    },
    async requestAccountDeletion(request) {
      const { accountId } = validate(accountIdRequest, request);
      return { account: toApiAccount(await accounts.requestDeletion(accountId)) };
    },
    getJwks() {
      return { keys: [...keys.publicKeys] };
    },
  };
}
