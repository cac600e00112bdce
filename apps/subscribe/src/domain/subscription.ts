// Subscription rules without I/O: statuses and reasons, and what Unsubscribe may do.

/** SubscriptionStatus is stored as plain text; PENDING is the subscribe saga's semantic lock. */
export type SubscriptionStatus = 'PENDING' | 'ACTIVE' | 'REJECTED' | 'CANCELLED';

/** OPEN_STATUSES are those at most one subscription per reader and blog may have at a time. */
export const OPEN_STATUSES: readonly SubscriptionStatus[] = ['PENDING', 'ACTIVE'];

/** REJECTION_REASONS are the reasons blog gives in SubscriptionRejected. */
export const REJECTION_REASONS = ['BLOG_NOT_FOUND', 'BLOG_NOT_ACTIVE', 'SELF_SUBSCRIPTION'] as const;

/** RejectionReason is one of REJECTION_REASONS. */
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** Subscription is one row of the subscriptions table. */
export interface Subscription {
  readonly subscriptionId: string;
  readonly subscriberId: string;
  readonly blogId: string;
  readonly status: SubscriptionStatus;
  readonly reason: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** UnsubscribeDecision is what Unsubscribe does with the reader's open subscription (or its absence). */
export type UnsubscribeDecision = 'cancel' | 'locked' | 'not-found';

/** decideUnsubscribe: ACTIVE is cancelled; PENDING is locked by its saga; no open subscription is not found. */
export function decideUnsubscribe(open: Pick<Subscription, 'status'> | undefined): UnsubscribeDecision {
  if (!open) return 'not-found';
  return open.status === 'ACTIVE' ? 'cancel' : open.status === 'PENDING' ? 'locked' : 'not-found';
}

/** rejectionReasonOf keeps a reason blog sent if it is one of the contract's, else null (shown as UNSPECIFIED). */
export function rejectionReasonOf(reason: string): RejectionReason | null {
  return (REJECTION_REASONS as readonly string[]).includes(reason) ? (reason as RejectionReason) : null;
}
