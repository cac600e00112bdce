// gRPC handlers of blog.post.v1.PostService: validate, load, ask the domain, write (with the outbox event in the
// same transaction), answer. Changes lock the post row so they cannot race the publish saga's verdict.
import { randomUUID } from 'node:crypto';
import { NotFoundError, validate, type Handlers, type Outbox, type Store } from '@blog/framework';
import { events, post as api } from '@blog/proto';
import { decodeCursor, encodeCursor } from './domain/cursor';
import { assertChangeable, changesOf, hasChanges, isVisibleTo, normalizeTags } from './domain/post';
import {
  deletePostRequest,
  getPostRequest,
  listBlogPostsRequest,
  submitPostRequest,
  updatePostRequest,
} from './domain/validation';
import { postEvent } from './events/emit';
import { toApiPost, toApiSummary } from './post.mapper';
import { deletePost, findPost, insertPost, listPublished, updatePost } from './repository/post.repository';

/** postHandlers implements blog.post.v1.PostService on the service's store and outbox. */
export function postHandlers(store: Store, outbox: Outbox): Handlers<typeof api.PostServiceService> {
  return {
    async submitPost(request) {
      const input = validate(submitPostRequest, request);
      const postId = randomUUID();
      return store.withTransaction(async (tx) => {
        const post = await insertPost(tx, { ...input, postId, tags: normalizeTags(input.tags) });
        await outbox.add(
          tx,
          postEvent(events.PostSubmitted, 'PostSubmitted', postId, {
            postId,
            blogId: post.blogId,
            authorId: post.authorId,
          }),
        );
        return { post: toApiPost(post) };
      });
    },

    async getPost(request) {
      const { postId, viewerId } = validate(getPostRequest, request);
      const post = await findPost(store, postId);
      if (!isVisibleTo(post, viewerId)) throw new NotFoundError('post not found');
      return { post: toApiPost(post) };
    },

    async listBlogPosts(request) {
      const { blogId, limit, cursor } = validate(listBlogPostsRequest, request);
      const after = cursor === '' ? undefined : decodeCursor(cursor);
      // One more than asked tells whether another page follows.
      const entries = await listPublished(store, blogId, limit + 1, after);
      const page = entries.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((entry) => toApiSummary(entry.post)),
        nextCursor: entries.length > limit && last ? encodeCursor(last.key) : '',
      };
    },

    async updatePost(request) {
      const { postId, actorId, ...edit } = validate(updatePostRequest, {
        ...request,
        tags: request.tags?.values,
      });
      return store.withTransaction(async (tx) => {
        const current = await findPost(tx, postId, true);
        assertChangeable(current, actorId);
        const changes = changesOf(current, edit);
        if (!hasChanges(changes)) return { post: toApiPost(current) };
        const post = await updatePost(tx, postId, changes);
        if (post.status === 'PUBLISHED') {
          await outbox.add(
            tx,
            postEvent(events.PostUpdated, 'PostUpdated', postId, {
              postId,
              blogId: post.blogId,
              title: post.title,
              tags: post.tags,
              updatedAt: post.updatedAt.toISOString(),
            }),
          );
        }
        return { post: toApiPost(post) };
      });
    },

    async deletePost(request) {
      const { postId, actorId } = validate(deletePostRequest, request);
      return store.withTransaction(async (tx) => {
        const current = await findPost(tx, postId, true);
        assertChangeable(current, actorId);
        await deletePost(tx, postId);
        await outbox.add(
          tx,
          postEvent(events.PostDeleted, 'PostDeleted', postId, {
            postId,
            blogId: current.blogId,
            wasPublished: current.status === 'PUBLISHED',
          }),
        );
        return {};
      });
    },
  };
}
