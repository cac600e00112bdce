// Subscriptions and the feed (subscribe service).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../auth/authenticate';
import {
  BODY_ERRORS,
  DEFAULT_LIMIT,
  DOWNSTREAM_ERRORS,
  errorResponses,
  NoContent,
  PageQuery,
  required,
  uuidParams,
} from '../schemas/common';
import { PostPage, toPostPage } from '../schemas/posts';
import { Subscription, SubscriptionList, toSubscription, toSubscriptionItem } from '../schemas/subscriptions';
import { BEARER_AUTH, type RouteDeps } from './deps';

const tags = ['subscriptions'];
const config = { auth: 'required' as const };

/** subscriptionRoutes: /v1/blogs/{blogId}/subscription and /v1/users/me/{subscriptions,feed}. */
export const subscriptionRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { clients }) => {
  const params = uuidParams('blogId');

  app.put(
    '/v1/blogs/:blogId/subscription',
    {
      config,
      schema: {
        tags,
        summary:
          'Subscribe to a blog: starts the subscribe saga (200 with the current one if PENDING or ACTIVE)',
        security: BEARER_AUTH,
        params,
        response: {
          200: Subscription,
          202: Subscription,
          ...errorResponses(...BODY_ERRORS, 401, 404, 409, ...DOWNSTREAM_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const { subscription, created } = await clients.subscriptions.subscribe({
        subscriberId: principalOf(request).accountId,
        blogId: request.params.blogId,
      });
      return reply.code(created ? 202 : 200).send(toSubscription(required(subscription, 'subscription')));
    },
  );

  app.get(
    '/v1/blogs/:blogId/subscription',
    {
      config,
      schema: {
        tags,
        summary: "The caller's subscription to a blog",
        security: BEARER_AUTH,
        params,
        response: { 200: Subscription, ...errorResponses(400, 401, 404, ...DOWNSTREAM_ERRORS) },
      },
    },
    async (request) => {
      const { subscription } = await clients.subscriptions.getSubscription({
        subscriberId: principalOf(request).accountId,
        blogId: request.params.blogId,
      });
      return toSubscription(required(subscription, 'subscription'));
    },
  );

  app.delete(
    '/v1/blogs/:blogId/subscription',
    {
      config,
      schema: {
        tags,
        summary: 'Cancel the subscription',
        security: BEARER_AUTH,
        params,
        response: { 204: NoContent, ...errorResponses(...BODY_ERRORS, 401, 404, 409, ...DOWNSTREAM_ERRORS) },
      },
    },
    async (request, reply) => {
      await clients.subscriptions.unsubscribe({
        subscriberId: principalOf(request).accountId,
        blogId: request.params.blogId,
      });
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/users/me/subscriptions',
    {
      config,
      schema: {
        tags,
        summary: "The caller's PENDING and ACTIVE subscriptions",
        security: BEARER_AUTH,
        response: { 200: SubscriptionList, ...errorResponses(401, ...DOWNSTREAM_ERRORS) },
      },
    },
    async (request) => {
      const { items } = await clients.subscriptions.listSubscriptions({
        subscriberId: principalOf(request).accountId,
      });
      return { items: items.map(toSubscriptionItem) };
    },
  );

  app.get(
    '/v1/users/me/feed',
    {
      config,
      schema: {
        tags,
        summary: "The caller's feed, newest first",
        security: BEARER_AUTH,
        querystring: PageQuery,
        response: { 200: PostPage, ...errorResponses(400, 401, ...DOWNSTREAM_ERRORS) },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      return toPostPage(
        await clients.subscriptions.getFeed({
          subscriberId: principalOf(request).accountId,
          limit: limit ?? DEFAULT_LIMIT,
          cursor: cursor ?? '',
        }),
      );
    },
  );
};
