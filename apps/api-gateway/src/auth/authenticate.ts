// Fastify side of authentication: routes say `config: { auth: 'required' | 'optional' }`; this hook checks the bearer
// token (locally) and the account's status (cached), before the body is read or validated.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors';
import { runInRequest } from '../observability/request-context';
import type { AccessTokenVerifier, AccountStatusChecker, Principal } from './auth';

declare module 'fastify' {
  interface FastifyRequest {
    /** principal is the authenticated caller, set on routes with `config.auth`. */
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** auth: 'required' refuses anonymous calls; 'optional' identifies the caller when a token is sent. */
    auth?: 'required' | 'optional';
  }
}

/** AuthenticationDeps are the verifier and the account status checker. */
export interface AuthenticationDeps {
  readonly verifier: AccessTokenVerifier;
  readonly accounts: AccountStatusChecker;
}

const BEARER = /^Bearer[ ]+([A-Za-z0-9\-_.~+/]+=*)[ ]*$/i;

/** registerAuthentication adds the authentication hook. */
export function registerAuthentication(app: FastifyInstance, deps: AuthenticationDeps): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    const mode = request.routeOptions.config.auth;
    if (!mode) return;
    const header = request.headers.authorization;
    if (header === undefined || header === '') {
      if (mode === 'optional') return;
      throw new ApiError('UNAUTHENTICATED', 'missing bearer token');
    }
    const token = BEARER.exec(header)?.[1];
    if (!token)
      throw new ApiError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <accessToken>"');
    const principal = await deps.verifier.verify(token);
    const usable = await runInRequest(request, () => deps.accounts.isUsable(principal.accountId));
    if (!usable) throw new ApiError('UNAUTHENTICATED', 'the account is not active');
    request.principal = principal;
  });
}

/** principalOf returns the caller of a route with `auth: 'required'`. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new ApiError('UNAUTHENTICATED', 'missing bearer token');
  return request.principal;
}
