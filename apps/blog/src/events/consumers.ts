// The blog service's consumers: every event it reacts to and its handler (docs/sagas.md is the contract). The topics
// it reads follow from these events.
import type { InboxConsumer, Logger } from '@blog/framework';
import {
  AccountDeletionRequested,
  BlogPostsDeleted,
  BlogSubscriptionsCancelled,
  PostDeleted,
  PostSubmitted,
  SubscriptionCancelled,
  SubscriptionRequested,
  UserCreated,
} from '@blog/proto';
import {
  onAccountDeletionRequested,
  onBlogPostsDeleted,
  onBlogSubscriptionsCancelled,
} from './deletion.handlers';
import { onPostDeleted, onPostSubmitted } from './post.handlers';
import { onUserCreated } from './sign-up.handlers';
import { onSubscriptionCancelled, onSubscriptionRequested } from './subscription.handlers';

/** registerConsumers registers every event handler of the blog service on its consumer. */
export function registerConsumers(consumer: InboxConsumer, logger: Logger): InboxConsumer {
  const log = logger.child({ component: 'saga' });
  return consumer
    .on(UserCreated, onUserCreated(log))
    .on(PostSubmitted, onPostSubmitted(log))
    .on(PostDeleted, onPostDeleted(log))
    .on(SubscriptionRequested, onSubscriptionRequested(log))
    .on(SubscriptionCancelled, onSubscriptionCancelled(log))
    .on(AccountDeletionRequested, onAccountDeletionRequested(log))
    .on(BlogPostsDeleted, onBlogPostsDeleted(log))
    .on(BlogSubscriptionsCancelled, onBlogSubscriptionsCancelled(log));
}
