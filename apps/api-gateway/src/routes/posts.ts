// Posts (post service): submission by the blog's owner (checked here via the blog, then the publish saga), the
// composed read with view recording, a blog's published list, and edits by the author (checked by the service).
import { post as postProto } from '@blog/proto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../auth/authenticate';
import { composePost } from '../composition/post-composer';
import { ApiError } from '../errors';
import {
  BODY_ERRORS,
  DEFAULT_LIMIT,
  DOWNSTREAM_ERRORS,
  errorResponses,
  NoContent,
  PageQuery,
  required,
  uuidParams,
  stringEnum,
  withHeaders,
} from '../schemas/common';
import {
  Post,
  PostAccepted,
  PostPage,
  postStatusName,
  SubmitPostBody,
  toPostPage,
  UpdatePostBody,
} from '../schemas/posts';
import { BEARER_AUTH, OPTIONAL_BEARER_AUTH, type RouteDeps } from './deps';

/** ComposedPost is a post read: `X-Partial-Response: true` when its author or blog lookup failed. */
const ComposedPost = withHeaders(Post, {
  'X-Partial-Response': stringEnum(['true'], { description: 'author or blog is null: its lookup failed' }),
});

const tags = ['posts'];

/** postRoutes: /v1/posts and /v1/blogs/{blogId}/posts. */
export const postRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { clients, views }) => {
  const lookups = {
    getUser: (request: { userId: string }) => clients.users.getUser(request),
    getBlog: (request: { blogId: string }) => clients.blogs.getBlog(request),
  };

  app.post(
    '/v1/blogs/:blogId/posts',
    {
      config: { auth: 'required' },
      schema: {
        tags,
        summary: 'Submit a post to your blog: starts the publish saga',
        security: BEARER_AUTH,
        params: uuidParams('blogId'),
        body: SubmitPostBody,
        // 409: the blog is locked by a saga (its owner's deletion).
        response: {
          202: PostAccepted,
          ...errorResponses(...BODY_ERRORS, 401, 403, 404, 409, ...DOWNSTREAM_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const caller = principalOf(request).accountId;
      const { blogId } = request.params;
      const { blog } = await clients.blogs.getBlog({ blogId });
      if (required(blog, 'blog').ownerId !== caller) {
        throw new ApiError('PERMISSION_DENIED', "only the blog's owner may post to it");
      }
      const { title, content, tags: postTags } = request.body;
      const { post } = await clients.posts.submitPost({
        blogId,
        authorId: caller,
        title,
        content,
        tags: postTags ?? [],
      });
      const submitted = required(post, 'post');
      return reply.code(202).send({ postId: submitted.postId, status: postStatusName(submitted.status) });
    },
  );

  app.get(
    '/v1/posts/:postId',
    {
      // The post read, then the two lookups in parallel: the route's whole budget, under the sum of the parts.
      config: { auth: 'optional', deadlineMs: 1500 },
      schema: {
        tags,
        summary: 'A post with its author and blog; records a view of a published post',
        description:
          'When the author or blog lookup fails, that field is null and the header X-Partial-Response: true is set.',
        security: OPTIONAL_BEARER_AUTH,
        params: uuidParams('postId'),
        response: { 200: ComposedPost, ...errorResponses(400, 401, 404, ...DOWNSTREAM_ERRORS) },
      },
    },
    async (request, reply) => {
      const viewer = request.principal?.accountId;
      const { post } = await clients.posts.getPost({ postId: request.params.postId, viewerId: viewer ?? '' });
      const found = required(post, 'post');
      if (found.status === postProto.PostStatus.POST_STATUS_PUBLISHED) {
        views.record(found, { userId: viewer, address: request.ip }, request.log);
      }
      const composed = await composePost(found, lookups, request.log);
      if (composed.partial) reply.header('x-partial-response', 'true');
      return composed.body;
    },
  );

  app.get(
    '/v1/blogs/:blogId/posts',
    {
      schema: {
        tags,
        summary: "A blog's published posts, newest first",
        params: uuidParams('blogId'),
        querystring: PageQuery,
        response: { 200: PostPage, ...errorResponses(400, 404, ...DOWNSTREAM_ERRORS) },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      return toPostPage(
        await clients.posts.listBlogPosts({
          blogId: request.params.blogId,
          limit: limit ?? DEFAULT_LIMIT,
          cursor: cursor ?? '',
        }),
      );
    },
  );

  app.patch(
    '/v1/posts/:postId',
    {
      config: { auth: 'required', deadlineMs: 2500 },
      schema: {
        tags,
        summary: 'Edit your post (not while it is PENDING)',
        security: BEARER_AUTH,
        params: uuidParams('postId'),
        body: UpdatePostBody,
        response: {
          200: ComposedPost,
          ...errorResponses(...BODY_ERRORS, 401, 403, 404, 409, ...DOWNSTREAM_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const { title, content, tags: postTags } = request.body;
      const { post } = await clients.posts.updatePost({
        postId: request.params.postId,
        actorId: principalOf(request).accountId,
        title,
        content,
        tags: postTags === undefined ? undefined : { values: postTags },
      });
      const composed = await composePost(required(post, 'post'), lookups, request.log);
      if (composed.partial) reply.header('x-partial-response', 'true');
      return composed.body;
    },
  );

  app.delete(
    '/v1/posts/:postId',
    {
      config: { auth: 'required' },
      schema: {
        tags,
        summary: 'Delete your post (not while it is PENDING)',
        security: BEARER_AUTH,
        params: uuidParams('postId'),
        response: {
          204: NoContent,
          ...errorResponses(...BODY_ERRORS, 401, 403, 404, 409, ...DOWNSTREAM_ERRORS),
        },
      },
    },
    async (request, reply) => {
      await clients.posts.deletePost({
        postId: request.params.postId,
        actorId: principalOf(request).accountId,
      });
      return reply.code(204).send();
    },
  );
};
