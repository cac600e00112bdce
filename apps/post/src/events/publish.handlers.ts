// Publish saga, post steps after the blog's verdict: PostAccepted -> PUBLISHED (PostPublished); PostRejected ->
// REJECTED. Only a PENDING post moves: a late or repeated verdict, or one for a post already gone, is a no-op.
import type { EventHandler, Logger } from '@blog/framework';
import { PostPublished, type events } from '@blog/proto';
import { publishPost, rejectPost } from '../repository/post.repository';

/** onPostAccepted publishes the post and announces it (subscribe adds it to feeds). */
export function onPostAccepted(logger: Logger): EventHandler<events.PostAccepted> {
  return async (event, ctx) => {
    const post = await publishPost(ctx.tx, event.postId);
    if (!post) {
      logger.info({ postId: event.postId }, 'PostAccepted for a post not PENDING: nothing to do');
      return;
    }
    await ctx.emit(PostPublished, post.postId, {
      postId: post.postId,
      blogId: post.blogId,
      authorId: post.authorId,
      title: post.title,
      tags: post.tags,
      createdAt: post.createdAt.toISOString(),
      publishedAt: post.publishedAt?.toISOString(),
    });
  };
}

/** onPostRejected marks the post REJECTED (its author still sees it, with that status). */
export function onPostRejected(logger: Logger): EventHandler<events.PostRejected> {
  return async (event, ctx) => {
    if (!(await rejectPost(ctx.tx, event.postId, event.reason))) {
      logger.info({ postId: event.postId }, 'PostRejected for a post not PENDING: nothing to do');
    }
  };
}
