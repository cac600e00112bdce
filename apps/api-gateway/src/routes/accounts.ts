// Accounts and tokens (auth service): sign-up and deletion start sagas; login/refresh/logout manage tokens.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../auth/authenticate';
import {
  Account,
  AccountAccepted,
  CreateAccountBody,
  LoginBody,
  RefreshTokenBody,
  TokenPair,
  toAccount,
  toTokenPair,
} from '../schemas/accounts';
import {
  BODY_ERRORS,
  DOWNSTREAM_ERRORS,
  errorResponses,
  NoContent,
  required,
  uuidParams,
} from '../schemas/common';
import { BEARER_AUTH, type RouteDeps } from './deps';

const tags = ['accounts'];

/** accountRoutes: /v1/accounts and /v1/auth. */
export const accountRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { clients, accounts }) => {
  app.post(
    '/v1/accounts',
    {
      config: { rateLimitGroup: 'auth' },
      schema: {
        tags,
        summary: 'Sign up: starts the sign-up saga',
        body: CreateAccountBody,
        response: { 202: AccountAccepted, ...errorResponses(...BODY_ERRORS, 409, ...DOWNSTREAM_ERRORS) },
      },
    },
    async (request, reply) => {
      const { email, password, nickname, blogSlug } = request.body;
      const { account } = await clients.auth.createAccount({
        email,
        password,
        nickname,
        blogSlug: blogSlug ?? '',
      });
      const created = toAccount(required(account, 'account'));
      return reply.code(202).send({ accountId: created.accountId, status: created.status });
    },
  );

  app.get(
    '/v1/accounts/:accountId',
    {
      schema: {
        tags,
        summary: "An account's saga status",
        params: uuidParams('accountId'),
        response: { 200: Account, ...errorResponses(400, 404, ...DOWNSTREAM_ERRORS) },
      },
    },
    async (request) => {
      const { account } = await clients.auth.getAccount({ accountId: request.params.accountId });
      return toAccount(required(account, 'account'));
    },
  );

  app.delete(
    '/v1/accounts/me',
    {
      config: { auth: 'required' },
      schema: {
        tags,
        summary: "Delete the caller's account: starts the deletion saga; its tokens stop working at once",
        security: BEARER_AUTH,
        response: { 202: AccountAccepted, ...errorResponses(...BODY_ERRORS, 401, 409, ...DOWNSTREAM_ERRORS) },
      },
    },
    async (request, reply) => {
      const { accountId } = principalOf(request);
      const { account } = await clients.auth.requestAccountDeletion({ accountId });
      accounts.markDeleting(accountId);
      const deleting = toAccount(required(account, 'account'));
      return reply.code(202).send({ accountId: deleting.accountId, status: deleting.status });
    },
  );

  app.post(
    '/v1/auth/login',
    {
      config: { rateLimitGroup: 'auth' },
      schema: {
        tags,
        summary: 'Log in with email and password',
        body: LoginBody,
        response: { 200: TokenPair, ...errorResponses(...BODY_ERRORS, 401, 409, ...DOWNSTREAM_ERRORS) },
      },
    },
    async (request) => {
      const { tokens } = await clients.auth.login(request.body);
      return toTokenPair(required(tokens, 'tokens'));
    },
  );

  app.post(
    '/v1/auth/refresh',
    {
      config: { rateLimitGroup: 'auth' },
      schema: {
        tags,
        summary: 'Rotate a refresh token (reuse of a rotated token revokes its family)',
        body: RefreshTokenBody,
        response: { 200: TokenPair, ...errorResponses(...BODY_ERRORS, 401, ...DOWNSTREAM_ERRORS) },
      },
    },
    async (request) => {
      const { tokens } = await clients.auth.refresh({ refreshToken: request.body.refreshToken });
      return toTokenPair(required(tokens, 'tokens'));
    },
  );

  app.post(
    '/v1/auth/logout',
    {
      config: { auth: 'required' },
      schema: {
        tags,
        summary: 'Revoke a refresh token',
        security: BEARER_AUTH,
        body: RefreshTokenBody,
        response: { 204: NoContent, ...errorResponses(...BODY_ERRORS, 401, ...DOWNSTREAM_ERRORS) },
      },
    },
    async (request, reply) => {
      const { accountId } = principalOf(request);
      await clients.auth.logout({ refreshToken: request.body.refreshToken, accountId });
      return reply.code(204).send();
    },
  );
};
