// The events subscribe emits, all to events.subscribe.subscription: keyed by subscription id, except the deletion
// reports (keyed by the account or blog they report on).
import { eventOf, type OutboxEvent } from '@blog/framework';
import { AggregateTypes, events } from '@blog/proto';

/** SubscriptionIds identify a subscription and its two parties. */
export interface SubscriptionIds {
  readonly subscriptionId: string;
  readonly subscriberId: string;
  readonly blogId: string;
}

const ids = ({ subscriptionId, subscriberId, blogId }: SubscriptionIds) => ({
  subscriptionId,
  subscriberId,
  blogId,
});
const aggregateType = AggregateTypes.subscription;

/** subscriptionRequested starts the subscribe saga (blog checks the blog and counts the subscriber). */
export function subscriptionRequested(sub: SubscriptionIds, sagaId: string): OutboxEvent {
  return eventOf(events.SubscriptionRequested, 'SubscriptionRequested', {
    aggregateType,
    aggregateId: sub.subscriptionId,
    sagaId,
    data: ids(sub),
  });
}

/** subscriptionActivated ends the subscribe saga successfully. */
export function subscriptionActivated(sub: SubscriptionIds, sagaId?: string): OutboxEvent {
  return eventOf(events.SubscriptionActivated, 'SubscriptionActivated', {
    aggregateType,
    aggregateId: sub.subscriptionId,
    sagaId,
    data: ids(sub),
  });
}

/** subscriptionCancelled tells blog to drop the subscriber from its count when `wasActive`. */
export function subscriptionCancelled(
  sub: SubscriptionIds,
  wasActive: boolean,
  sagaId?: string,
): OutboxEvent {
  return eventOf(events.SubscriptionCancelled, 'SubscriptionCancelled', {
    aggregateType,
    aggregateId: sub.subscriptionId,
    sagaId,
    data: { ...ids(sub), wasActive },
  });
}

/** accountSubscriptionsCancelled reports subscribe's part of an account deletion (the account's subscriptions). */
export function accountSubscriptionsCancelled(
  accountId: string,
  cancelledCount: number,
  sagaId?: string,
): OutboxEvent {
  return eventOf(events.AccountSubscriptionsCancelled, 'AccountSubscriptionsCancelled', {
    aggregateType,
    aggregateId: accountId,
    sagaId,
    data: { accountId, cancelledCount },
  });
}

/** blogSubscriptionsCancelled reports subscribe's part of a blog deletion (the subscriptions to the blog). */
export function blogSubscriptionsCancelled(
  blogId: string,
  cancelledCount: number,
  sagaId?: string,
): OutboxEvent {
  return eventOf(events.BlogSubscriptionsCancelled, 'BlogSubscriptionsCancelled', {
    aggregateType,
    aggregateId: blogId,
    sagaId,
    data: { blogId, cancelledCount },
  });
}
