// Deletion saga, subscribe's steps: an account's own subscriptions (AccountDeletionRequested, events.auth.account)
// and the subscriptions to a blog being deleted (BlogDeleting, events.blog.blog). Nothing of either is left behind.
import type { EventHandler, Logger } from '@blog/framework';
import {
  AccountSubscriptionsCancelled,
  BlogSubscriptionsCancelled,
  SubscriptionCancelled,
  type events,
} from '@blog/proto';
import { removeBlog, removeFeed } from '../repository/feed.repository';
import { rememberOrphans, removeOfBlog, removeOfSubscriber } from '../repository/subscriptions.repository';
import { idsOf } from '../use-cases/subscriptions';

/**
 * onAccountDeletionRequested deletes the account's subscriptions and feed. Each ACTIVE one is announced
 * (SubscriptionCancelled{wasActive: true}) so its blog's subscriberCount drops; a PENDING one is remembered, so that
 * blog's acceptance, if it comes, is compensated (see onSubscriptionAccepted). Then AccountSubscriptionsCancelled.
 */
export function onAccountDeletionRequested(logger: Logger): EventHandler<events.AccountDeletionRequested> {
  return async (event, ctx) => {
    const removed = await removeOfSubscriber(ctx.tx, event.accountId);
    const active = removed.filter((s) => s.status === 'ACTIVE');
    const pending = removed.filter((s) => s.status === 'PENDING');
    for (const sub of active) {
      await ctx.emit(SubscriptionCancelled, sub.subscriptionId, { ...idsOf(sub), wasActive: true });
    }
    await rememberOrphans(
      ctx.tx,
      pending.map((s) => s.subscriptionId),
    );
    const feedRows = await removeFeed(ctx.tx, event.accountId);
    const cancelled = active.length + pending.length;
    const { accountId } = event;
    await ctx.emit(AccountSubscriptionsCancelled, accountId, { accountId, cancelledCount: cancelled });
    logger.info(
      {
        accountId: event.accountId,
        removed: removed.length,
        active: active.length,
        pending: pending.length,
        feedRows,
      },
      "account's subscriptions removed",
    );
  };
}

/**
 * onBlogDeleting deletes every subscription to the blog and the blog's feed rows, then BlogSubscriptionsCancelled.
 * No SubscriptionCancelled: the blog, and its counter, are going away.
 */
export function onBlogDeleting(logger: Logger): EventHandler<events.BlogDeleting> {
  return async (event, ctx) => {
    const removed = await removeOfBlog(ctx.tx, event.blogId);
    const feedRows = await removeBlog(ctx.tx, event.blogId);
    const cancelled = removed.filter((s) => s.status === 'PENDING' || s.status === 'ACTIVE').length;
    const { blogId } = event;
    await ctx.emit(BlogSubscriptionsCancelled, blogId, { blogId, cancelledCount: cancelled });
    logger.info(
      { blogId: event.blogId, removed: removed.length, feedRows },
      'subscriptions to the blog removed',
    );
  };
}
