// Subscribe saga, blog step (SubscriptionRequested -> SubscriptionAccepted + subscriberCount+1, or
// SubscriptionRejected) and unsubscribing (SubscriptionCancelled -> subscriberCount-1). The counted_subscription
// ledger decides the decrement, so a subscription accepted here but cancelled while still PENDING at subscribe
// (wasActive false, e.g. in the deletion saga) still gives its +1 back.
import { isUuid, type EventHandler, type Logger } from '@blog/framework';
import { events } from '@blog/proto';
import { judgeSubscription } from '../domain/blog';
import {
  countSubscription,
  findBlog,
  isSubscriptionCounted,
  uncountSubscription,
} from '../repository/blog.repository';
import { emit, MalformedEventError } from './emit';

/** onSubscriptionRequested accepts a subscription (counting it) or rejects it with the reason. */
export function onSubscriptionRequested(logger: Logger): EventHandler<events.SubscriptionRequested> {
  return async (event, ctx) => {
    const { subscriptionId, subscriberId, blogId } = event;
    for (const [field, value] of [
      ['subscriptionId', subscriptionId],
      ['subscriberId', subscriberId],
    ]) {
      if (!isUuid(value))
        throw new MalformedEventError(`SubscriptionRequested: ${field} "${value}" is not a UUID`);
    }
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
      await emit(ctx, events.SubscriptionRejected, 'SubscriptionRejected', blogId || subscriptionId, {
        ...data,
        reason: verdict.reason,
      });
      return;
    }
    await countSubscription(ctx.tx, blogId, subscriptionId, subscriberId);
    await emit(ctx, events.SubscriptionAccepted, 'SubscriptionAccepted', blogId, data);
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
