// Subscriptions, mapped from blog.subscribe.v1.
import type { subscribe } from '@blog/proto';
import { Type } from 'typebox';
import { enumName, isoTime, optionalEnumName, stringEnum, Timestamp, Uuid } from './common';

const SUBSCRIPTION_STATUSES = ['PENDING', 'ACTIVE', 'REJECTED', 'CANCELLED'] as const;

/** Subscription is the caller's subscription to one blog. */
export const Subscription = Type.Object({
  subscriptionId: Uuid,
  blogId: Uuid,
  status: stringEnum(SUBSCRIPTION_STATUSES),
  reason: Type.Optional(
    stringEnum(['BLOG_NOT_FOUND', 'BLOG_NOT_ACTIVE', 'SELF_SUBSCRIPTION'], {
      description: 'on REJECTED only',
    }),
  ),
});

/** SubscriptionList is the caller's PENDING and ACTIVE subscriptions. */
export const SubscriptionList = Type.Object({
  items: Type.Array(
    Type.Object({
      subscriptionId: Uuid,
      blogId: Uuid,
      status: stringEnum(SUBSCRIPTION_STATUSES),
      createdAt: Timestamp,
    }),
  ),
});

/** toSubscription maps a subscribe.v1.Subscription; `reason` only on REJECTED. */
export function toSubscription(value: subscribe.Subscription) {
  const status = enumName(value.status, 'SUBSCRIPTION_STATUS_');
  const reason =
    status === 'REJECTED' ? optionalEnumName(value.reason, 'SUBSCRIPTION_REJECTION_REASON_') : undefined;
  return {
    subscriptionId: value.subscriptionId,
    blogId: value.blogId,
    status,
    ...(reason ? { reason } : {}),
  };
}

/** toSubscriptionItem maps a list entry. */
export function toSubscriptionItem(value: subscribe.Subscription) {
  return {
    subscriptionId: value.subscriptionId,
    blogId: value.blogId,
    status: enumName(value.status, 'SUBSCRIPTION_STATUS_'),
    createdAt: isoTime(value.createdAt),
  };
}
