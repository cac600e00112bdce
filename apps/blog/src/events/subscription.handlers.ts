// Subscribe saga, blog step (SubscriptionRequested -> SubscriptionAccepted + subscriberCount+1, or
// SubscriptionRejected) and unsubscribing (SubscriptionCancelled -> subscriberCount-1). The counted_subscription
// ledger decides the decrement, so a subscription accepted here but cancelled while still PENDING at subscribe
// (wasActive false, e.g. in the deletion saga) still gives its +1 back.
import type { EventHandler, Logger } from '@blog/framework';
import { SubscriptionAccepted, SubscriptionRejected, type events } from '@blog/proto';
import { judgeSubscription } from '../domain/blog';
import {
  countSubscription,
  findBlog,
  isSubscriptionCounted,
  uncountSubscription,
} from '../repository/blog.repository';

/** onSubscriptionRequested accepts a subscription (counting it) or rejects it with the reason. */
export function onSubscriptionRequested(logger: Logger): EventHandler<events.SubscriptionRequested> {
  return async (event, ctx) => {
    const { subscriptionId, subscriberId, blogId } = event;
    const blog = await findBlog(ctx.tx, blogId, true);
    if (await isSubscriptionCounted(ctx.tx, subscriptionId)) {
      logger.info(
        { subscriptionId, blogId },
        'SubscriptionRequested for a subscription already accepted: nothing to do',
      );
      return;
    }
    const verdict = judgeSubscription(blog, subscriberId);
    const data = { subscriptionId, blogId, subscriberId };
    if (!verdict.accepted) {
      logger.info({ subscriptionId, blogId, reason: verdict.reason }, 'subscription rejected');
      await ctx.emit(SubscriptionRejected, blogId || subscriptionId, {
        ...data,
        reason: verdict.reason,
      });
      return;
    }
    await countSubscription(ctx.tx, blogId, subscriptionId, subscriberId);
    await ctx.emit(SubscriptionAccepted, blogId, data);
  };
}

/** onSubscriptionCancelled takes a cancelled subscription out of its blog's counter if the counter held it. */
export function onSubscriptionCancelled(logger: Logger): EventHandler<events.SubscriptionCancelled> {
  return async (event, ctx) => {
    const uncounted = await uncountSubscription(ctx.tx, event.subscriptionId);
    if (!uncounted) {
      logger.info(
        { subscriptionId: event.subscriptionId, blogId: event.blogId, wasActive: event.wasActive },
        'SubscriptionCancelled for a subscription the blog does not count: nothing to do',
      );
    }
  };
}
