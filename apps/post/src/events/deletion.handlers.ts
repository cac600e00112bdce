// Account-deletion saga, post step: BlogDeleting -> every post of the blog is removed (no row left, whatever its
// status), then BlogPostsDeleted. A repeat removes nothing more and reports again, which the blog ignores.
import type { EventHandler, Logger } from '@blog/framework';
import { BlogPostsDeleted, type events } from '@blog/proto';
import { deleteBlogPosts } from '../repository/post.repository';

/** onBlogDeleting deletes the blog's posts and reports how many. */
export function onBlogDeleting(logger: Logger): EventHandler<events.BlogDeleting> {
  return async (event, ctx) => {
    const deletedCount = await deleteBlogPosts(ctx.tx, event.blogId);
    logger.info({ blogId: event.blogId, deletedCount }, "blog's posts deleted");
    await ctx.emit(BlogPostsDeleted, event.blogId, { blogId: event.blogId, deletedCount });
  };
}
