// Account-deletion saga, blog steps: AccountDeletionRequested -> the owner's blog DELETING (BlogDeleting); then the
// fan-in of BlogPostsDeleted and BlogSubscriptionsCancelled -> the blog row goes (BlogDeleted). After the pivot
// nothing is compensated: every step either applies or is a logged no-op.
import type { EventHandler, HandlerContext, Logger } from '@blog/framework';
import { BlogDeleted, BlogDeleting, type events } from '@blog/proto';
import { isDeletionComplete, type DeletionReport } from '../domain/blog';
import { deleteBlog, findBlogByOwner, setStatus } from '../repository/blog.repository';
import { recordReport, startDeletion } from '../repository/deletion.repository';

/** onAccountDeletionRequested locks the owner's blog (DELETING) and asks the participants to clean up. */
export function onAccountDeletionRequested(logger: Logger): EventHandler<events.AccountDeletionRequested> {
  return async (event, ctx) => {
    const ownerId = event.accountId;
    const blog = await findBlogByOwner(ctx.tx, ownerId, true);
    if (!blog) {
      // No blog, nothing to clean up: report the blog step done at once so the saga's fan-in completes.
      await ctx.emit(BlogDeleted, ownerId, { blogId: '', ownerId });
      return;
    }
    if (!(await setStatus(ctx.tx, blog.blogId, 'ACTIVE', 'DELETING'))) {
      logger.info(
        { blogId: blog.blogId, status: blog.status },
        'blog deletion already under way: nothing to do',
      );
      return;
    }
    await startDeletion(ctx.tx, blog.blogId, ownerId, ctx.sagaId);
    await ctx.emit(BlogDeleting, blog.blogId, { blogId: blog.blogId, ownerId });
  };
}

/** onDeletionReport records one participant's report and deletes the blog once both are in. */
function onDeletionReport(
  logger: Logger,
  report: DeletionReport,
): (event: { blogId: string }, ctx: HandlerContext) => Promise<void> {
  return async ({ blogId }, ctx) => {
    const state = await recordReport(ctx.tx, blogId, report);
    if (!state) {
      logger.info({ blogId, report }, 'deletion report for a blog not being deleted: nothing to do');
      return;
    }
    if (!isDeletionComplete(state)) return;
    await deleteBlog(ctx.tx, blogId);
    await ctx.emit(
      BlogDeleted,
      blogId,
      { blogId, ownerId: state.ownerId },
      { sagaId: state.sagaId ?? ctx.sagaId },
    );
  };
}

/** onBlogPostsDeleted is post's report: the blog's posts are gone. */
export const onBlogPostsDeleted = (logger: Logger): EventHandler<events.BlogPostsDeleted> =>
  onDeletionReport(logger, 'posts');

/** onBlogSubscriptionsCancelled is subscribe's report: the subscriptions to the blog are gone. */
export const onBlogSubscriptionsCancelled = (
  logger: Logger,
): EventHandler<events.BlogSubscriptionsCancelled> => onDeletionReport(logger, 'subscriptions');
