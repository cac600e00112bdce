import { subscribe } from '@blog/proto';
import { describe, expect, it } from 'vitest';
import { subscriptionRow as row } from './testing/rows';
import { toApiSubscription } from './subscription.mapper';

describe('toApiSubscription', () => {
  it('maps statuses and reasons to the proto enums and times to ISO strings', () => {
    expect(toApiSubscription(row())).toEqual({
      subscriptionId: 's1',
      subscriberId: 'r1',
      blogId: 'b1',
      status: subscribe.SubscriptionStatus.SUBSCRIPTION_STATUS_PENDING,
      reason: subscribe.SubscriptionRejectionReason.SUBSCRIPTION_REJECTION_REASON_UNSPECIFIED,
      createdAt: '2025-03-04T05:06:07.089Z',
    });
    expect(toApiSubscription(row({ status: 'REJECTED', reason: 'SELF_SUBSCRIPTION' }))).toMatchObject({
      status: subscribe.SubscriptionStatus.SUBSCRIPTION_STATUS_REJECTED,
      reason: subscribe.SubscriptionRejectionReason.SUBSCRIPTION_REJECTION_REASON_SELF_SUBSCRIPTION,
    });
    expect(toApiSubscription(row({ status: 'ACTIVE' })).status).toBe(
      subscribe.SubscriptionStatus.SUBSCRIPTION_STATUS_ACTIVE,
    );
    expect(toApiSubscription(row({ status: 'CANCELLED' })).status).toBe(
      subscribe.SubscriptionStatus.SUBSCRIPTION_STATUS_CANCELLED,
    );
  });
});
