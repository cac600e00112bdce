// Subscribe saga, last step: blog's answer to SubscriptionRequested (topic events.blog.blog).
import type { EventHandler, Logger } from '@blog/framework';
import { SubscriptionActivated, SubscriptionCancelled, type events } from '@blog/proto';
import { rejectionReasonOf } from '../domain/subscription';
import { byId, takeOrphan, transition } from '../repository/subscriptions.repository';
import { idsOf } from '../use-cases/subscriptions';

/**
 * onSubscriptionAccepted: PENDING -> ACTIVE and SubscriptionActivated. If the subscription was deleted while PENDING
 * (its reader's account is being deleted), blog has counted a subscriber nobody will cancel: compensate with
 * SubscriptionCancelled{wasActive: true}. Anything else (already ACTIVE, REJECTED) is a late event: a logged no-op.
 */
export function onSubscriptionAccepted(logger: Logger): EventHandler<events.SubscriptionAccepted> {
  return async (event, ctx) => {
    const activated = await transition(ctx.tx, event.subscriptionId, 'PENDING', 'ACTIVE');
    if (activated) {
      await ctx.emit(SubscriptionActivated, activated.subscriptionId, idsOf(activated));
      return;
    }
    if (await takeOrphan(ctx.tx, event.subscriptionId)) {
      logger.info(
        { subscriptionId: event.subscriptionId },
        'accepted after its account was deleted: compensating',
      );
      await ctx.emit(SubscriptionCancelled, event.subscriptionId, { ...idsOf(event), wasActive: true });
      return;
    }
    const current = await byId(ctx.tx, event.subscriptionId);
    logger.info(
      { subscriptionId: event.subscriptionId, status: current?.status ?? 'unknown' },
      'SubscriptionAccepted no longer applies; ignored',
    );
  };
}

/** onSubscriptionRejected: PENDING -> REJECTED with blog's reason; a late or unknown one is a logged no-op. */
export function onSubscriptionRejected(logger: Logger): EventHandler<events.SubscriptionRejected> {
  return async (event, ctx) => {
    const reason = rejectionReasonOf(event.reason);
    if (!reason)
      logger.warn({ subscriptionId: event.subscriptionId, reason: event.reason }, 'unknown rejection reason');
    if (await transition(ctx.tx, event.subscriptionId, 'PENDING', 'REJECTED', reason)) return;
    // An orphan's rejection needs no compensation: blog counted nothing.
    const orphan = await takeOrphan(ctx.tx, event.subscriptionId);
    const current = await byId(ctx.tx, event.subscriptionId);
    logger.info(
      { subscriptionId: event.subscriptionId, status: current?.status ?? (orphan ? 'deleted' : 'unknown') },
      'SubscriptionRejected no longer applies; ignored',
    );
  };
}
