// Blogs (blog service): reads by id, slug and owner; updates by the owner only (the service checks actor_id).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../auth/authenticate';
import { Blog, SlugParams, toBlog, UpdateBlogBody } from '../schemas/blogs';
import { BODY_ERRORS, DOWNSTREAM_ERRORS, errorResponses, required, uuidParams } from '../schemas/common';
import { BEARER_AUTH, type RouteDeps } from './deps';

const tags = ['blogs'];
const response = { 200: Blog, ...errorResponses(400, 404, ...DOWNSTREAM_ERRORS) };

/** blogRoutes: /v1/blogs and /v1/users/{userId}/blog. */
export const blogRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { clients }) => {
  app.get(
    '/v1/blogs/:blogId',
    { schema: { tags, summary: 'A blog by id', params: uuidParams('blogId'), response } },
    async (request) =>
      toBlog(required((await clients.blogs.getBlog({ blogId: request.params.blogId })).blog, 'blog')),
  );

  app.get(
    '/v1/blogs/by-slug/:slug',
    { schema: { tags, summary: 'A blog by slug', params: SlugParams, response } },
    async (request) =>
      toBlog(required((await clients.blogs.getBlogBySlug({ slug: request.params.slug })).blog, 'blog')),
  );

  app.get(
    '/v1/users/:userId/blog',
    { schema: { tags, summary: "A user's blog", params: uuidParams('userId'), response } },
    async (request) =>
      toBlog(required((await clients.blogs.getBlogByOwner({ ownerId: request.params.userId })).blog, 'blog')),
  );

  app.patch(
    '/v1/blogs/:blogId',
    {
      config: { auth: 'required' },
      schema: {
        tags,
        summary: "Change a blog's title or description (owner only)",
        security: BEARER_AUTH,
        params: uuidParams('blogId'),
        body: UpdateBlogBody,
        // 409: the blog is locked by a saga (its owner's deletion).
        response: { 200: Blog, ...errorResponses(...BODY_ERRORS, 401, 403, 404, 409, ...DOWNSTREAM_ERRORS) },
      },
    },
    async (request) => {
      const { blog } = await clients.blogs.updateBlog({
        blogId: request.params.blogId,
        actorId: principalOf(request).accountId,
        ...request.body,
      });
      return toBlog(required(blog, 'blog'));
    },
  );
};
