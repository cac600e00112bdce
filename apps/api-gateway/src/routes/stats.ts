// Visitor statistics (visitor service).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, uuidParams } from '../schemas/common';
import { BlogStats, PostStats, toBlogStats, toPostStats } from '../schemas/stats';
import type { RouteDeps } from './deps';

const tags = ['statistics'];

/** statsRoutes: /v1/posts/{postId}/stats and /v1/blogs/{blogId}/stats. */
export const statsRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { clients }) => {
  app.get(
    '/v1/posts/:postId/stats',
    {
      schema: { tags, summary: "A post's views", params: uuidParams('postId'), response: { 200: PostStats, ...errorResponses } },
    },
    async (request) => {
      const { postId } = request.params;
      return toPostStats(postId, await clients.visitors.getPostStats({ postId }));
    },
  );

  app.get(
    '/v1/blogs/:blogId/stats',
    {
      schema: {
        tags,
        summary: "A blog's views, in total and today (UTC)",
        params: uuidParams('blogId'),
        response: { 200: BlogStats, ...errorResponses },
      },
    },
    async (request) => {
      const { blogId } = request.params;
      return toBlogStats(blogId, await clients.visitors.getBlogStats({ blogId }));
    },
  );
};
