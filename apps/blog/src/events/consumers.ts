// The blog service's consumer: which events of which topics it handles (docs/sagas.md is the contract).
import type { InboxConsumer, Logger } from '@blog/framework';
import { AggregateTypes, events, topicFor } from '@blog/proto';
import {
  onAccountDeletionRequested,
  onBlogPostsDeleted,
  onBlogSubscriptionsCancelled,
} from './deletion.handlers';
import { onPostDeleted, onPostSubmitted } from './post.handlers';
import { onUserCreated } from './sign-up.handler';
import { onSubscriptionCancelled, onSubscriptionRequested } from './subscription.handlers';

/** consumedTopics are the topics the blog service reads. */
export const consumedTopics = [
  topicFor(AggregateTypes.account),
  topicFor(AggregateTypes.profile),
  topicFor(AggregateTypes.post),
  topicFor(AggregateTypes.subscription),
];

/** registerHandlers wires every event the blog service reacts to. */
export function registerHandlers(consumer: InboxConsumer, logger: Logger): InboxConsumer {
  const log = logger.child({ component: 'blog-events' });
  return consumer
    .on('UserCreated', events.UserCreated, onUserCreated(log))
    .on('PostSubmitted', events.PostSubmitted, onPostSubmitted(log))
    .on('PostDeleted', events.PostDeleted, onPostDeleted(log))
    .on('SubscriptionRequested', events.SubscriptionRequested, onSubscriptionRequested(log))
    .on('SubscriptionCancelled', events.SubscriptionCancelled, onSubscriptionCancelled(log))
    .on('AccountDeletionRequested', events.AccountDeletionRequested, onAccountDeletionRequested(log))
    .on('BlogPostsDeleted', events.BlogPostsDeleted, onBlogPostsDeleted(log))
    .on('BlogSubscriptionsCancelled', events.BlogSubscriptionsCancelled, onBlogSubscriptionsCancelled(log));
}
