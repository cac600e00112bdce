// Deletion saga, visitor's step: on BlogDeleting drop every statistic of the blog and report BlogStatsDropped.
import type { EventHandler, Logger } from '@blog/framework';
import { BlogStatsDropped, type events } from '@blog/proto';
import { dropBlogStats } from '../repository/stats.repository';

/**
 * onBlogDeleting drops the blog's statistics and reports it. A repeated BlogDeleting for the same blog (a new event
 * id, e.g. the blog step retried) finds nothing left to drop and reports again: auth's fan-in counts reports once.
 */
export function onBlogDeleting(logger: Logger): EventHandler<events.BlogDeleting> {
  return async (event, ctx) => {
    const dropped = await dropBlogStats(ctx.tx, event.blogId);
    logger.info({ blogId: event.blogId, ...dropped }, 'blog statistics dropped');
    await ctx.emit(BlogStatsDropped, event.blogId, { blogId: event.blogId, ownerId: event.ownerId });
  };
}
