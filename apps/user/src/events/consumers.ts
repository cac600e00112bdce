// What the user service consumes, and from which topics (docs/sagas.md).
import type { InboxConsumer, Logger } from '@blog/framework';
import { AggregateTypes, events, topicFor } from '@blog/proto';
import { onAccountDeletionRequested } from './deletion.handlers';
import { onAccountCreated, onBlogRejected } from './sign-up.handlers';

/** USER_TOPICS are the topics the user service's consumer reads. */
export const USER_TOPICS = [topicFor(AggregateTypes.account), topicFor(AggregateTypes.blog)];

/** registerUserConsumers registers every user event handler on the consumer. */
export function registerUserConsumers(consumer: InboxConsumer, logger: Logger): InboxConsumer {
  const log = logger.child({ component: 'saga' });
  return consumer
    .on('AccountCreated', events.AccountCreated, onAccountCreated(log))
    .on('BlogRejected', events.BlogRejected, onBlogRejected(log))
    .on('AccountDeletionRequested', events.AccountDeletionRequested, onAccountDeletionRequested(log));
}
