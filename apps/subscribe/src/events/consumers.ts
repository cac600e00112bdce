// The subscribe service's consumers: every event it reacts to and its handler (docs/sagas.md is the contract). The
// topics it reads follow from these events.
import type { InboxConsumer, Logger } from '@blog/framework';
import {
  AccountDeletionRequested,
  BlogDeleting,
  PostDeleted,
  PostPublished,
  PostUpdated,
  SubscriptionAccepted,
  SubscriptionRejected,
} from '@blog/proto';
import { onAccountDeletionRequested, onBlogDeleting } from './deletion.handlers';
import { onPostDeleted, onPostPublished, onPostUpdated } from './feed.handlers';
import { onSubscriptionAccepted, onSubscriptionRejected } from './subscription.handlers';

/** registerConsumers registers every event handler of the subscribe service on its consumer. */
export function registerConsumers(consumer: InboxConsumer, logger: Logger): InboxConsumer {
  const log = logger.child({ component: 'saga' });
  return consumer
    .on(SubscriptionAccepted, onSubscriptionAccepted(log))
    .on(SubscriptionRejected, onSubscriptionRejected(log))
    .on(PostPublished, onPostPublished(log))
    .on(PostUpdated, onPostUpdated(log))
    .on(PostDeleted, onPostDeleted(log))
    .on(AccountDeletionRequested, onAccountDeletionRequested(log))
    .on(BlogDeleting, onBlogDeleting(log));
}
