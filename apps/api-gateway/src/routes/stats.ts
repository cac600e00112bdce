// Visitor statistics (visitor service), only for a blog or post the caller may see: the visitor service counts
// views of any id and answers zeros for one it never saw, so existence comes from the owning service.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DOWNSTREAM_ERRORS, errorResponses, uuidParams } from '../schemas/common';
import { BlogStats, PostStats, toBlogStats, toPostStats } from '../schemas/stats';
import { OPTIONAL_BEARER_AUTH, type RouteDeps } from './deps';

const tags = ['statistics'];

/*
 * ifExists answers `read` once `exists` has resolved, or `exists`'s error (NOT_FOUND: 404) without waiting for the
 * read: the two calls run in parallel, and an unknown resource is 404 even while the visitor service is failing.
 */
async function ifExists<T>(exists: Promise<unknown>, read: Promise<T>): Promise<T> {
  // Settled below, or dropped when the resource does not exist: never an unhandled rejection.
  read.catch(() => undefined);
  await exists;
  return read;
}

/** statsRoutes: /v1/posts/{postId}/stats and /v1/blogs/{blogId}/stats. */
export const statsRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { clients }) => {
  app.get(
    '/v1/posts/:postId/stats',
    {
      config: { auth: 'optional' },
      schema: {
        tags,
        summary: "A post's views",
        description: 'A post that is not PUBLISHED is 404 for anyone but its author, as its read is.',
        security: OPTIONAL_BEARER_AUTH,
        params: uuidParams('postId'),
        response: { 200: PostStats, ...errorResponses(400, 401, 404, ...DOWNSTREAM_ERRORS) },
      },
    },
    async (request) => {
      const { postId } = request.params;
      const viewerId = request.principal?.accountId ?? '';
      const stats = await ifExists(
        clients.posts.getPost({ postId, viewerId }),
        clients.visitors.getPostStats({ postId }),
      );
      return toPostStats(postId, stats);
    },
  );

  app.get(
    '/v1/blogs/:blogId/stats',
    {
      schema: {
        tags,
        summary: "A blog's views, in total and today (UTC)",
        description: 'An unknown or deleted blog is 404.',
        params: uuidParams('blogId'),
        response: { 200: BlogStats, ...errorResponses(400, 404, ...DOWNSTREAM_ERRORS) },
      },
    },
    async (request) => {
      const { blogId } = request.params;
      const stats = await ifExists(
        clients.blogs.getBlog({ blogId }),
        clients.visitors.getBlogStats({ blogId }),
      );
      return toBlogStats(blogId, stats);
    },
  );
};
