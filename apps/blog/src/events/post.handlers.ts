// Publish saga, blog step (PostSubmitted -> PostAccepted + postCount+1, or PostRejected) and post deletion
// (PostDeleted -> postCount-1). The counted_post ledger makes both exact under repeated and reordered events.
import { isUuid, type EventHandler, type Logger } from '@blog/framework';
import { events } from '@blog/proto';
import { judgePost } from '../domain/blog';
import { countPost, findBlog, isPostCounted, uncountPost } from '../repository/blog.repository';
import { emit, MalformedEventError } from './emit';

/** onPostSubmitted accepts a post into its blog (counting it) or rejects it with the reason. */
export function onPostSubmitted(logger: Logger): EventHandler<events.PostSubmitted> {
  return async (event, ctx) => {
    const { postId, blogId, authorId } = event;
    if (!isUuid(postId)) throw new MalformedEventError(`PostSubmitted: postId "${postId}" is not a UUID`);
    // The row lock orders this step against the blog turning DELETING.
    const blog = await findBlog(ctx.tx, blogId, true);
    if (await isPostCounted(ctx.tx, postId)) {
      logger.info({ postId, blogId }, 'PostSubmitted for a post already accepted: nothing to do');
      return;
    }
    const verdict = judgePost(blog, authorId);
    if (!verdict.accepted) {
      logger.info({ postId, blogId, reason: verdict.reason }, 'post rejected');
      await emit(ctx, events.PostRejected, 'PostRejected', blogId || postId, {
        postId,
        blogId,
        reason: verdict.reason,
      });
      return;
    }
    await countPost(ctx.tx, blogId, postId);
    await emit(ctx, events.PostAccepted, 'PostAccepted', blogId, { postId, blogId });
  };
}

/** onPostDeleted takes a deleted post out of its blog's counter if the counter held it. */
export function onPostDeleted(logger: Logger): EventHandler<events.PostDeleted> {
  return async (event, ctx) => {
    const uncounted = await uncountPost(ctx.tx, event.postId);
    // Not counted: never accepted (wasPublished false), a repeat, or the blog is gone already. All fine.
    if (!uncounted) {
      logger.info(
        { postId: event.postId, blogId: event.blogId, wasPublished: event.wasPublished },
        'PostDeleted for a post the blog does not count: nothing to do',
      );
    }
  };
}
