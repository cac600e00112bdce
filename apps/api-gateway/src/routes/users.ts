// Users (user service): public profiles and the caller's own.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../auth/authenticate';
import { BODY_ERRORS, DOWNSTREAM_ERRORS, errorResponses, required, uuidParams } from '../schemas/common';
import { toUser, UpdateUserBody, User } from '../schemas/users';
import { BEARER_AUTH, type RouteDeps } from './deps';

const tags = ['users'];

/** userRoutes: /v1/users. */
export const userRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { clients }) => {
  const getProfile = async (userId: string) =>
    toUser(required((await clients.users.getUser({ userId })).user, 'user'));

  app.get(
    '/v1/users/me',
    {
      config: { auth: 'required' },
      schema: {
        tags,
        summary: "The caller's profile",
        security: BEARER_AUTH,
        response: { 200: User, ...errorResponses(401, 404, ...DOWNSTREAM_ERRORS) },
      },
    },
    async (request) => getProfile(principalOf(request).accountId),
  );

  app.patch(
    '/v1/users/me',
    {
      config: { auth: 'required' },
      schema: {
        tags,
        summary: "Change the caller's nickname or bio",
        security: BEARER_AUTH,
        body: UpdateUserBody,
        response: { 200: User, ...errorResponses(...BODY_ERRORS, 401, 404, 409, ...DOWNSTREAM_ERRORS) },
      },
    },
    async (request) => {
      const { user } = await clients.users.updateUser({
        userId: principalOf(request).accountId,
        ...request.body,
      });
      return toUser(required(user, 'user'));
    },
  );

  app.get(
    '/v1/users/:userId',
    {
      schema: {
        tags,
        summary: 'A public profile',
        params: uuidParams('userId'),
        response: { 200: User, ...errorResponses(400, 404, ...DOWNSTREAM_ERRORS) },
      },
    },
    async (request) => getProfile(request.params.userId),
  );
};
