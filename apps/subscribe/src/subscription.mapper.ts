// Stored subscriptions and feed rows to the gRPC contract: plain status strings become the proto enums, times ISO
// strings.
import { post, subscribe } from '@blog/proto';
import { rejectionReasonOf, type Subscription } from './domain/subscription';
import type { FeedItem } from './repository/feed.repository';

/** toApiSubscription renders a subscription as blog.subscribe.v1.Subscription. */
export function toApiSubscription(row: Subscription): subscribe.Subscription {
  const reason = row.reason && rejectionReasonOf(row.reason);
  return {
    subscriptionId: row.subscriptionId,
    subscriberId: row.subscriberId,
    blogId: row.blogId,
    status: subscribe.SubscriptionStatus[`SUBSCRIPTION_STATUS_${row.status}`],
    reason: reason
      ? subscribe.SubscriptionRejectionReason[`SUBSCRIPTION_REJECTION_REASON_${reason}`]
      : subscribe.SubscriptionRejectionReason.SUBSCRIPTION_REJECTION_REASON_UNSPECIFIED,
    createdAt: row.createdAt.toISOString(),
  };
}

/** toApiFeedPost renders a feed row as the API's post without content (every feed post is PUBLISHED). */
export function toApiFeedPost(item: FeedItem): post.PostSummary {
  return {
    postId: item.postId,
    blogId: item.blogId,
    authorId: item.authorId,
    title: item.title,
    tags: item.tags,
    status: post.PostStatus.POST_STATUS_PUBLISHED,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
  };
}
