// The feed read model, kept from post events (topic events.post.post, keyed by post id, so in order per post).
import type { EventHandler, Logger } from '@blog/framework';
import type { events } from '@blog/proto';
import { fanOut, refresh, removePost } from '../repository/feed.repository';

/** onPostPublished adds the post to the feed of every reader with an ACTIVE subscription to its blog now. */
export function onPostPublished(logger: Logger): EventHandler<events.PostPublished> {
  return async (event, ctx) => {
    const occurredAt = event.meta?.occurredAt ?? new Date().toISOString();
    const publishedAt = event.publishedAt ?? occurredAt;
    const added = await fanOut(ctx.tx, {
      postId: event.postId,
      blogId: event.blogId,
      authorId: event.authorId,
      title: event.title,
      tags: event.tags,
      createdAt: event.createdAt ?? publishedAt,
      publishedAt,
    });
    logger.debug({ postId: event.postId, blogId: event.blogId, feeds: added }, 'post added to feeds');
  };
}

/** onPostUpdated refreshes the feed copies' title and tags; an older update than what they hold changes nothing. */
export function onPostUpdated(logger: Logger): EventHandler<events.PostUpdated> {
  return async (event, ctx) => {
    const updatedAt = event.updatedAt ?? event.meta?.occurredAt ?? new Date().toISOString();
    const refreshed = await refresh(ctx.tx, {
      postId: event.postId,
      title: event.title,
      tags: event.tags,
      updatedAt,
    });
    logger.debug({ postId: event.postId, feeds: refreshed }, 'feed copies refreshed');
  };
}

/** onPostDeleted removes the post from every feed (nothing to do for a post that never reached one). */
export function onPostDeleted(logger: Logger): EventHandler<events.PostDeleted> {
  return async (event, ctx) => {
    const removed = await removePost(ctx.tx, event.postId);
    logger.debug({ postId: event.postId, feeds: removed }, 'post removed from feeds');
  };
}
