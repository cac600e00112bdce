// gRPC handlers of blog.post.v1.PostService: validate the request, run the use case, map the answer.
import { validate, type Handlers } from '@blog/framework';
import type { post as api } from '@blog/proto';
import { decodeCursor, encodeCursor } from './domain/cursor';
import {
  deletePostRequest,
  getPostRequest,
  listBlogPostsRequest,
  submitPostRequest,
  updatePostRequest,
} from './domain/validation';
import { toApiPost, toApiSummary } from './post.mapper';
import type { Posts } from './use-cases/posts';

/** postHandlers implements blog.post.v1.PostService on the post use cases. */
export function postHandlers(posts: Posts): Handlers<typeof api.PostServiceService> {
  return {
    async submitPost(request) {
      return { post: toApiPost(await posts.submit(validate(submitPostRequest, request))) };
    },
    async getPost(request) {
      const { postId, viewerId } = validate(getPostRequest, request);
      return { post: toApiPost(await posts.get(postId, viewerId)) };
    },
    async listBlogPosts(request) {
      const { blogId, limit, cursor } = validate(listBlogPostsRequest, request);
      const page = await posts.listPublished(blogId, limit, cursor === '' ? undefined : decodeCursor(cursor));
      return { items: page.posts.map(toApiSummary), nextCursor: page.next ? encodeCursor(page.next) : '' };
    },
    async updatePost(request) {
      const { postId, actorId, ...edit } = validate(updatePostRequest, {
        ...request,
        tags: request.tags?.values,
      });
      return { post: toApiPost(await posts.update(postId, actorId, edit)) };
    },
    async deletePost(request) {
      const { postId, actorId } = validate(deletePostRequest, request);
      await posts.delete(postId, actorId);
      return {};
    },
  };
}
