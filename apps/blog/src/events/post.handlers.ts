// Publish saga, blog step (PostSubmitted -> PostAccepted + postCount+1, or PostRejected) and post deletion
// (PostDeleted -> postCount-1). The counted_post ledger makes both exact under repeated and reordered events.
import type { EventHandler, Logger } from '@blog/framework';
import { PostAccepted, PostRejected, type events } from '@blog/proto';
import { judgePost } from '../domain/blog';
import { countPost, findBlog, isPostCounted, uncountPost } from '../repository/blog.repository';

/** onPostSubmitted accepts a post into its blog (counting it) or rejects it with the reason. */
export function onPostSubmitted(logger: Logger): EventHandler<events.PostSubmitted> {
  return async (event, ctx) => {
    const { postId, blogId, authorId } = event;
    // The row lock orders this step against the blog turning DELETING.
    const blog = await findBlog(ctx.tx, blogId, true);
    if (await isPostCounted(ctx.tx, postId)) {
      logger.info({ postId, blogId }, 'PostSubmitted for a post already accepted: nothing to do');
      return;
    }
    const verdict = judgePost(blog, authorId);
    if (!verdict.accepted) {
      logger.info({ postId, blogId, reason: verdict.reason }, 'post rejected');
      await ctx.emit(PostRejected, blogId || postId, {
        postId,
        blogId,
        reason: verdict.reason,
      });
      return;
    }
    await countPost(ctx.tx, blogId, postId);
    await ctx.emit(PostAccepted, blogId, { postId, blogId });
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
